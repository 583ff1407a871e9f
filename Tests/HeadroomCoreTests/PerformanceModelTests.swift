import HeadroomCore
import PropertyBased
import Testing

@Suite struct PerformanceModelTests {
    @Test func decodeAtBatchOneIsBandwidthBound() throws {
        let deployment = try Fixtures.deployment(model: Fixtures.llama70B, count: 8, tp: 8)
        let model = PerformanceModel(deployment: deployment, efficiency: Fixtures.efficiency)
        let step = model.stepTime(.decode(sequences: 1, context: 1000))
        // Weights per GPU / (bandwidth × efficiency) is the floor of a batch-1 decode step.
        let floor = deployment.memoryPlan.weightsPerAccelerator / (3350e9 * 0.9)
        #expect(step.seconds > floor)
        #expect(step.linear.seconds > step.attention.seconds)
        #expect(step.communication.seconds > 0)
    }

    @Test func oneRequestAloneMatchesItsSteps() throws {
        let estimator = try Fixtures.estimator(Fixtures.deployment(), input: 512, output: 64)
        let estimate = try estimator.estimate(.offline(requests: 1))
        let model = estimator.model
        let prefill = model.seconds(.prefill(promptTokens: 512))
        #expect(abs(estimate.meanTTFT - (prefill + 0.004)) < 1e-9)
        var decode = 0.0
        for generated in 1..<64 { decode += model.seconds(.decode(sequences: 1, context: Double(512 + generated))) }
        #expect(abs(estimate.meanTPOT - decode / 63) < 1e-9)
    }

    @Test func throughputNeverExceedsTheRooflineBound() throws {
        let deployment = try Fixtures.deployment(precision: .fp8)
        let estimate = try Fixtures.estimator(deployment, input: 128, output: 128).estimate(.offline(requests: nil))
        // Every token costs at least 2 × active parameters FLOPs at the dense FP8 peak.
        let bound = 1979e12 / (2 * Fixtures.llama8B.activeParams)
        #expect(estimate.outputTokensPerSecond < bound)
        #expect(estimate.outputTokensPerSecond > 0)
    }

    @Test func rateBeyondCapacityIsAnErrorNotANumber() throws {
        let estimator = try Fixtures.estimator(Fixtures.deployment())
        #expect {
            try estimator.estimate(.rate(1e6))
        } throws: { error in
            (error as? HeadroomError)?.code == .infeasible
        }
    }

    @Test func maxRateMeetsItsSLOAndTheNextStepDoesNot() throws {
        let estimator = try Fixtures.estimator(Fixtures.deployment())
        let slo = LatencySLO(ttftSeconds: 0.5, tpotSeconds: 0.05)
        let rate = try estimator.maxRate(meeting: slo)
        let at = try estimator.estimate(.rate(rate))
        #expect(at.ttft.p99 <= 0.5 && at.tpot.p99 <= 0.05)
        if let above = try? estimator.estimate(.rate(rate * 1.02)) {
            #expect(above.ttft.p99 > 0.5 || above.tpot.p99 > 0.05)
        }
    }

    @Test func impossibleSLOIsReported() throws {
        let estimator = try Fixtures.estimator(Fixtures.deployment())
        #expect(throws: HeadroomError.self) { try estimator.maxRate(meeting: LatencySLO(tpotSeconds: 0.0001)) }
    }

    @Test func erlangCMatchesTextbookValues() {
        // M/M/1 at 50 % load waits with probability 0.5; M/M/2 with 1 erlang: 1/3.
        #expect(abs(Estimator.erlangC(servers: 1, offered: 0.5) - 0.5) < 1e-12)
        #expect(abs(Estimator.erlangC(servers: 2, offered: 1) - 1.0 / 3.0) < 1e-12)
    }

    // MARK: Properties

    @Test func moreReplicasNeverLengthenLatencyAtFixedLoad() async throws {
        // The property skips combinations that cannot be estimated; make sure it is not vacuous.
        #expect((try? Fixtures.estimator(Fixtures.deployment(count: 3), input: 2000).estimate(.rate(20))) != nil)
        await propertyCheck(count: 60, input: Gen.int(in: 1...6), Gen.int(in: 1...40), Gen.int(in: 64...4096)) {
            replicas, rate, input in
            let fewer = try? Fixtures.estimator(Fixtures.deployment(count: replicas), input: input)
                .estimate(.rate(Double(rate)))
            let more = try? Fixtures.estimator(Fixtures.deployment(count: replicas + 1), input: input)
                .estimate(.rate(Double(rate)))
            guard let more else {
                #expect(fewer == nil, "more accelerators failed where fewer succeeded")
                return
            }
            guard let fewer else { return }
            #expect(more.ttft.p99 <= fewer.ttft.p99 * (1 + 1e-9))
            #expect(more.tpot.p99 <= fewer.tpot.p99 * (1 + 1e-9))
            #expect(more.e2e.p50 <= fewer.e2e.p50 * (1 + 1e-9))
        }
    }

    @Test func longerPromptsNeverShortenTTFT() async throws {
        let deployment = try Fixtures.deployment(precision: .fp8)
        #expect(
            (try? Fixtures.estimator(deployment, input: 4000).estimate(.rate(4))) != nil,
            "the property would be vacuous")
        await propertyCheck(count: 80, input: Gen.int(in: 16...8000), Gen.int(in: 1...2000), Gen.int(in: 1...8)) {
            input, extra, rate in
            guard let short = try? Fixtures.estimator(deployment, input: input).estimate(.rate(Double(rate))),
                let long = try? Fixtures.estimator(deployment, input: input + extra).estimate(.rate(Double(rate)))
            else { return }
            #expect(long.ttft.p50 >= short.ttft.p50)
            #expect(long.ttft.p99 >= short.ttft.p99)
        }
    }

    @Test func moreTrafficNeverLowersLatency() async throws {
        let estimator = try Fixtures.estimator(Fixtures.deployment(precision: .fp8))
        #expect((try? estimator.estimate(.rate(30))) != nil, "the property would be vacuous")
        await propertyCheck(count: 80, input: Gen.double(in: 0.1...30), Gen.double(in: 0...10)) { rate, extra in
            guard let low = try? estimator.estimate(.rate(rate)),
                let high = try? estimator.estimate(.rate(rate + extra))
            else { return }
            #expect(high.ttft.p99 >= low.ttft.p99 * (1 - 1e-9))
            #expect(high.tpot.p50 >= low.tpot.p50 * (1 - 1e-9))
        }
    }

    @Test func stepTimeGrowsWithWork() async {
        let model = PerformanceModel(deployment: try! Fixtures.deployment(), efficiency: Fixtures.efficiency)
        await propertyCheck(count: 100, input: Gen.int(in: 1...512), Gen.int(in: 1...512), Gen.int(in: 0...8192)) {
            batch, more, prefill in
            let small =
                StepShape.decode(sequences: Double(batch), context: 1000) + .prefill(promptTokens: Double(prefill))
            let large =
                StepShape.decode(sequences: Double(batch + more), context: 1000)
                + .prefill(promptTokens: Double(prefill))
            #expect(model.seconds(large) >= model.seconds(small))
        }
    }
}
