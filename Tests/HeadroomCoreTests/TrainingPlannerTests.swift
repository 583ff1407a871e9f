import HeadroomCore
import PropertyBased
import Testing

@Suite struct TrainingPlannerTests {
    /// The done-when run against the Llama 3 paper and model card.
    @Test func llama405BMatchesThePublishedRun() throws {
        let plan = try TrainingPlanner().plan(TrainingFixtures.request())
        #expect(abs(plan.flops.modelFLOPs / 3.8e25 - 1) < 0.05, "FLOPs \(plan.flops.modelFLOPs)")
        #expect(abs(plan.acceleratorHours / 30.84e6 - 1) < 0.10, "GPU-hours \(plan.acceleratorHours)")
        #expect(plan.memory.fits)
        #expect(plan.mfu == 0.4 && plan.mfuGiven)
        #expect(plan.reliability.goodput > 0.9)
        #expect(plan.wallDays > plan.computeDays)
        // Tensor parallelism stays inside the 8-GPU NVLink domain.
        #expect(plan.plan.tensor <= 8)
        #expect(plan.plan.accelerators == 16_384)
    }

    @Test func aModelThatFitsNowhereSaysByHowMuch() throws {
        var request = TrainingFixtures.request(count: 8)
        request.overrides = .init(tensor: 8, pipeline: 1, context: 1, zero: ParallelismPlan.ZeROStage.none)
        #expect {
            try TrainingPlanner().plan(request)
        } throws: { error in
            guard let error = error as? HeadroomError else { return false }
            return error.code == .doesNotFit && error.message.contains("over by")
        }
    }

    @Test func deadlineSizeFinishesInTime() throws {
        var request = TrainingFixtures.request(
            TrainingModel(architecture: Fixtures.llama70B), count: 1024, tokens: 2e12)
        request.deadlineDays = 20
        let plan = try TrainingPlanner().plan(request)
        let needed = try #require(plan.acceleratorsForDeadline)
        var faster = request
        faster.count = needed
        faster.deadlineDays = nil
        #expect(try TrainingPlanner().plan(faster).wallDays <= 20 + 1e-9)
    }

    @Test func bubbleShrinksWithMicroBatchesAndInterleaving() async {
        await propertyCheck(count: 60, input: Gen.int(in: 1...64), Gen.int(in: 2...32), Gen.int(in: 1...4)) { m, p, v in
            let plan = ParallelismPlan(
                pipeline: p, data: 1, interleave: v, sequenceLength: 1, globalBatchTokens: Double(m))
            let more = ParallelismPlan(
                pipeline: p, data: 1, interleave: v + 1, sequenceLength: 1, globalBatchTokens: Double(m + 1))
            #expect(abs(plan.bubbleFraction - Double(p - 1) / Double(m * v + p - 1)) < 1e-12)
            #expect(more.bubbleFraction < plan.bubbleFraction)
        }
    }

    @Test func givenMFUScalesTimeInversely() async throws {
        let base = try TrainingPlanner().plan(TrainingFixtures.request(mfu: 0.4))
        let slower = try TrainingPlanner().plan(TrainingFixtures.request(mfu: 0.2))
        #expect(abs(slower.computeDays / base.computeDays - 2) < 1e-9)
        #expect(slower.wallDays > base.wallDays)
    }

    @Test func predictedMFUIsAFraction() throws {
        let plan = try TrainingPlanner().plan(TrainingFixtures.request(mfu: nil))
        #expect(!plan.mfuGiven)
        #expect(plan.mfu > 0.05 && plan.mfu < 1)
        #expect(plan.assumptions.contains { $0.contains("kernel efficiencies") })
    }
}
