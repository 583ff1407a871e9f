import Foundation
import HeadroomCore
import PropertyBased
import Testing

@Suite struct TrainingScalingLawTests {
    @Test func publishedConstants() {
        let h = ScalingLaw.hoffmann2022
        #expect([h.e, h.a, h.b, h.alpha, h.beta] == [1.69, 406.4, 410.7, 0.34, 0.28])
        let e = ScalingLaw.besiroglu2024
        #expect([e.e, e.a, e.b, e.alpha, e.beta] == [1.8172, 482.01, 2085.43, 0.3478, 0.3658])
        #expect(ScalingLaw.bundled.first == .besiroglu2024)
    }

    @Test func replicationGivesAboutTwentyTokensPerParameterAtChinchillasBudget() {
        // Chinchilla: 70 B parameters on 1.4 T tokens.
        let budget = 6 * 70e9 * 1.4e12
        let epoch = ScalingLaw.besiroglu2024.computeOptimal(flops: budget)
        let rounded = ScalingLaw.hoffmann2022.computeOptimal(flops: budget)
        let epochRatio = epoch.tokens / epoch.params
        let roundedRatio = rounded.tokens / rounded.params
        #expect(epochRatio > 15 && epochRatio < 30, "\(epochRatio)")
        #expect(roundedRatio > 3 * ScalingLaw.heuristicTokensPerParameter, "\(roundedRatio)")
    }

    @Test(arguments: ScalingLaw.bundled)
    func optimumSpendsTheBudgetAndMinimisesLoss(law: ScalingLaw) async {
        await propertyCheck(count: 60, input: Gen.double(in: 19...27), Gen.double(in: 0.5...3)) { exponent, factor in
            let budget = pow(10, exponent)
            let best = law.computeOptimal(flops: budget)
            #expect(abs(6 * best.params * best.tokens / budget - 1) < 1e-9)
            let loss = law.loss(params: best.params, tokens: best.tokens)
            for f in [factor, 1 / factor] where abs(f - 1) > 0.01 {
                let n = best.params * f
                #expect(law.loss(params: n, tokens: budget / 6 / n) >= loss - 1e-12)
            }
        }
    }

    @Test func tokensToReachInvertsTheLaw() {
        let law = ScalingLaw.besiroglu2024
        let target = law.loss(params: 70e9, tokens: 1.4e12)
        let tokens = law.tokens(toReach: target, params: 70e9)
        #expect(abs((tokens ?? 0) / 1.4e12 - 1) < 1e-9)
        #expect(law.tokens(toReach: law.e, params: 1e9) == nil)
    }

    @Test func overTrainingSmallerModelsNeedMoreTokensAndServeCheaper() {
        let analysis = OverTrainingAnalysis(
            law: .besiroglu2024, params: 70e9, tokens: 2e12, costPerFLOP: 1e-18, servingTokens: 1e14,
            costPerMillionTokens: 1)
        let reference = analysis.options.first { $0.sizeFraction == 1 }
        #expect(reference?.netSaving == 0)
        for option in analysis.options where option.sizeFraction < 1 {
            #expect(option.tokens > 2e12)
            #expect((option.servingCost ?? 0) < (reference?.servingCost ?? 0))
            #expect(
                abs(ScalingLaw.besiroglu2024.loss(params: option.params, tokens: option.tokens) - analysis.targetLoss)
                    < 1e-9)
        }
    }
}
