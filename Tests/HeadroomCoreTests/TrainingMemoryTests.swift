import HeadroomCore
import PropertyBased
import Testing

@Suite struct TrainingMemoryTests {
    static func plan(
        tp: Int = 1, pp: Int = 1, dp: Int = 1, zero: ParallelismPlan.ZeROStage = .none,
        checkpointing: ParallelismPlan.Checkpointing = .none, sequence: Int = 2048
    ) -> ParallelismPlan {
        ParallelismPlan(
            tensor: tp, pipeline: pp, data: dp, zero: zero, checkpointing: checkpointing, sequenceLength: sequence,
            globalBatchTokens: Double(sequence * dp))
    }

    @Test func mixedPrecisionAdamIsSixteenBytesPerParameter() {
        let model = TrainingModel(params: 7e9)
        let memory = TrainingMemory(model: model, plan: Self.plan(), capacityBytes: 80e9, usableFraction: 0.9)
        #expect(memory.modelStates == 16 * 7e9)
        #expect(memory.activations == nil)
    }

    @Test(arguments: ParallelismPlan.ZeROStage.allCases)
    func zeroShardsStatesFromItsStageOn(stage: ParallelismPlan.ZeROStage) {
        let model = TrainingModel(params: 8e9)
        let m = TrainingMemory(
            model: model, plan: Self.plan(dp: 8, zero: stage), capacityBytes: 80e9, usableFraction: 1)
        let p = 8e9
        #expect(m.optimizerStates == (stage.rawValue >= 1 ? 12 * p / 8 : 12 * p))
        #expect(m.gradients == (stage.rawValue >= 2 ? 2 * p / 8 : 2 * p))
        #expect(m.weights == (stage.rawValue >= 3 ? 2 * p / 8 : 2 * p))
    }

    @Test func korthikantiPerLayerActivations() {
        // One layer, no parallelism, with dropout: s·b·h·(34 + 5·a·s/h) bytes (Korthikanti et al. 2022 eq. 1) plus
        // the fp32 logits of the last stage, 4·s·b·V.
        let model = TrainingFixtures.gpt(layers: 1, hidden: 1024, heads: 16)
        let s = 2048.0
        let h = 1024.0
        let a = 16.0
        let memory = TrainingMemory(
            model: model, plan: Self.plan(sequence: 2048), capacityBytes: 80e9, usableFraction: 1, dropout: true)
        let expected = s * h * (34 + 5 * a * s / h) + 4 * s * 50_000
        #expect(abs((memory.activations ?? 0) - expected) < 1)
        // Selective recomputation drops the 5·a·s/h term; full keeps 2·s·b·h per layer plus one layer's working set.
        let selective = TrainingMemory(
            model: model, plan: Self.plan(checkpointing: .selective), capacityBytes: 80e9, usableFraction: 1,
            dropout: true)
        #expect(abs((selective.activations ?? 0) - (s * h * 34 + 4 * s * 50_000)) < 1)
    }

    @Test func tensorParallelismDividesActivationsAndStates() {
        let model = TrainingFixtures.gpt(layers: 4, hidden: 4096, heads: 32)
        let one = TrainingMemory(model: model, plan: Self.plan(), capacityBytes: 80e9, usableFraction: 1)
        let eight = TrainingMemory(model: model, plan: Self.plan(tp: 8, dp: 1), capacityBytes: 80e9, usableFraction: 1)
        #expect(abs(eight.modelStates * 8 - one.modelStates) < 1)
        #expect(abs((eight.activations ?? 0) * 8 - (one.activations ?? 0)) < 1)
    }

    @Test func lessStoredActivationsWithMoreRecomputation() async {
        let model = TrainingModel(architecture: Fixtures.llama70B)
        await propertyCheck(count: 60, input: Gen.int(in: 0...3), Gen.int(in: 0...4), Gen.int(in: 9...15)) {
            tpPower, ppPower, seqPower in
            let tp = 1 << tpPower
            let pp = 1 << ppPower
            func memory(_ mode: ParallelismPlan.Checkpointing) -> Double {
                TrainingMemory(
                    model: model,
                    plan: Self.plan(
                        tp: tp, pp: pp, dp: 8, zero: .optimizer, checkpointing: mode, sequence: 1 << seqPower),
                    capacityBytes: 80e9, usableFraction: 1
                ).total
            }
            #expect(memory(.full) <= memory(.selective))
            #expect(memory(.selective) <= memory(.none))
        }
    }
}
