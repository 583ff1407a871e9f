import HeadroomCore
import Testing

@Suite struct SimulatorTests {
    static let efficiency = Fixtures.efficiency
    static var overhead: Double { efficiency.requestOverheadMilliseconds * 1e-3 }

    func fleet(
        _ deployment: Deployment, options: SimulationOptions = SimulationOptions(warmupFraction: 0),
        disaggregation: Disaggregation? = nil
    ) throws -> FleetSimulator {
        try FleetSimulator(
            deployment: deployment, efficiency: Self.efficiency, options: options, disaggregation: disaggregation)
    }

    func fixed(_ n: Int) -> LengthDistribution { .fixed(n) }

    @Test(arguments: [(512, 64), (3000, 1), (100, 300), (8192, 16)])
    func oneRequestAloneIsPrefillThenDecodes(input: Int, output: Int) throws {
        let deployment = try Fixtures.deployment(precision: .fp8)
        let sim = try fleet(deployment)
        var source = ArrayRequestSource([SimRequest(arrival: 0, inputTokens: input, outputTokens: output)])
        let result = sim.run(&source, expectedCount: 1)
        let model = PerformanceModel(deployment: deployment, efficiency: Self.efficiency)
        // Chunked prefill: prompt chunks of at most the token budget.
        var prefill = 0.0
        var done = 0
        while done < input {
            let chunk = min(input - done, deployment.maxBatchedTokens)
            let c = Double(chunk)
            prefill += model.seconds(
                StepShape(
                    prefillTokens: c, prefillAttentionPairs: c * (Double(done) + (c + 1) / 2),
                    prefillSequences: done + chunk >= input ? 1 : 0
                )
            )
            done += chunk
        }
        var decode = 0.0
        for step in 0..<(output - 1) {
            decode += model.seconds(.decode(sequences: 1, context: Double(input + step + 1)))
        }
        #expect(result.completed == 1)
        #expect(abs(result.ttft.mean - (Self.overhead + prefill)) < 1e-9)
        #expect(abs(result.e2e.mean - (Self.overhead + prefill + decode)) < 1e-9)
        if output > 1 { #expect(abs(result.tpot.mean - decode / Double(output - 1)) < 1e-9) }
    }

    /// Batch size 1 with fixed lengths is an M/D/1 queue: mean wait = λS² / (2(1 − ρ)).
    @Test func batchOfOneMatchesMD1() throws {
        var deployment = try Fixtures.deployment(precision: .fp8)
        deployment.maxNumSeqs = 1
        let input = 256
        let output = 32
        let single = try fleet(deployment)
        var one = ArrayRequestSource([SimRequest(arrival: 0, inputTokens: input, outputTokens: output)])
        let service = single.run(&one, expectedCount: 1).e2e.mean - Self.overhead
        let rate = 0.6 / service
        var generator = try WorkloadGenerator(
            arrival: .poisson(rate: rate), input: fixed(input), output: fixed(output), count: 200_000, seed: 7
        )
        let result = try fleet(deployment, options: SimulationOptions(warmupFraction: 0.01)).run(
            &generator, expectedCount: 200_000)
        let rho = rate * service
        let expected = rate * service * service / (2 * (1 - rho))
        let simulated = result.queueing.mean
        #expect(abs(simulated / expected - 1) < 0.02, "simulated wait \(simulated), M/D/1 \(expected)")
    }

    @Test func everyArrivalCompletesOrIsDropped() throws {
        let deployment = try Fixtures.deployment(precision: .fp8)
        var generator = try WorkloadGenerator(
            arrival: .gamma(rate: 40, cv: 3), input: .lognormal(mean: 2000, sigma: 1.2),
            output: .lognormal(mean: 300, sigma: 1), count: 5000, seed: 3
        )
        let result = try fleet(deployment).run(&generator, expectedCount: 5000)
        #expect(result.arrived == 5000)
        #expect(result.completed + result.dropped == result.arrived)
        #expect(result.measured == result.completed)
    }

    @Test func tightKVPreemptsAndNeverOverflows() throws {
        var deployment = try Fixtures.deployment(precision: .fp8)
        deployment.memoryFraction = 0.3  // about 12 GiB of KV: long sequences cannot all stay
        var generator = try WorkloadGenerator(
            arrival: .poisson(rate: 50), input: fixed(4000), output: fixed(1000), count: 2000, seed: 5
        )
        let result = try fleet(deployment).run(&generator, expectedCount: 2000)
        #expect(result.preemptions > 0)
        #expect(result.peakKVUtilisation <= 1)
        #expect(result.completed + result.dropped == 2000)
    }

    @Test func ampleKVNeverPreempts() throws {
        var deployment = try Fixtures.deployment(precision: .fp8)
        deployment.maxNumSeqs = 16  // 16 × (1000 + 200) tokens ≪ the KV cache
        var generator = try WorkloadGenerator(
            arrival: .poisson(rate: 200), input: fixed(1000), output: fixed(200), count: 3000, seed: 5
        )
        let result = try fleet(deployment).run(&generator, expectedCount: 3000)
        #expect(result.preemptions == 0)
        #expect(result.peakKVUtilisation < 0.5)
    }

    @Test func fullSequenceReservationNeverPreempts() throws {
        var deployment = try Fixtures.deployment(stack: Fixtures.trtllm, precision: .fp8)
        deployment.memoryFraction = 0.2
        var generator = try WorkloadGenerator(
            arrival: .poisson(rate: 50), input: fixed(4000), output: fixed(1000), count: 1000, seed: 5
        )
        let result = try fleet(deployment).run(&generator, expectedCount: 1000)
        #expect(result.preemptions == 0)
        #expect(result.peakKVUtilisation <= 1)
    }

    /// SGLang admits only when the cache also covers a decaying share of running requests' remaining output, so under
    /// KV pressure it retracts less than vLLM's admit-then-preempt, at the price of a smaller batch.
    @Test func sglangsConservativeAdmissionPreemptsLess() throws {
        var sglang = Fixtures.vllm
        sglang.id = "sglang"
        sglang.kvReservation = .estimated
        sglang.newTokenRatio = .init(initial: 0.7, minimumFactor: 0.14, decaySteps: 600, clip: 4096)
        sglang.support = [.init(accelerators: ["h100-sxm"], precisions: [.fp8])]
        func run(_ stack: ServingStack) throws -> SimulationResult {
            var deployment = try Fixtures.deployment(stack: stack, precision: .fp8)
            deployment.memoryFraction = 0.3
            var generator = try WorkloadGenerator(
                arrival: .poisson(rate: 50), input: fixed(4000), output: fixed(1000), count: 2000, seed: 5
            )
            return try fleet(deployment).run(&generator, expectedCount: 2000)
        }
        let vllm = try run(Fixtures.vllm)
        let conservative = try run(sglang)
        #expect(conservative.preemptions < vllm.preemptions)
        #expect(conservative.completed + conservative.dropped == 2000)
        #expect(conservative.peakKVUtilisation <= 1)
    }

    @Test func throughputNeverExceedsTheRooflineBound() throws {
        let deployment = try Fixtures.deployment(precision: .fp8)
        var generator = try WorkloadGenerator(
            arrival: .constant(rate: 1e9), input: fixed(128), output: fixed(128), count: 20_000, seed: 1
        )
        let result = try fleet(deployment).run(&generator, expectedCount: 20_000)
        let bound = 1979e12 / (2 * Fixtures.llama8B.activeParams)
        #expect(result.outputTokensPerSecond > 0)
        #expect(result.outputTokensPerSecond < bound)
    }

    @Test func sameSeedSameRunDifferentSeedDifferentRun() throws {
        let deployment = try Fixtures.deployment(count: 2, precision: .fp8)
        func run(seed: UInt64) throws -> SimulationResult {
            var generator = try WorkloadGenerator(
                arrival: .poisson(rate: 30), input: .lognormal(mean: 1000, sigma: 1),
                output: .lognormal(mean: 200, sigma: 1),
                count: 3000, seed: seed
            )
            return try fleet(deployment).run(&generator, expectedCount: 3000)
        }
        let a = try run(seed: 11)
        let b = try run(seed: 11)
        let c = try run(seed: 12)
        #expect(a.ttft == b.ttft && a.e2e == b.e2e && a.itl == b.itl && a.timeSeries == b.timeSeries)
        #expect(a.ttft != c.ttft)
    }

    @Test(arguments: SimulationOptions.Router.allCases)
    func routersSpreadTheLoad(router: SimulationOptions.Router) throws {
        let deployment = try Fixtures.deployment(count: 4, precision: .fp8)
        var generator = try WorkloadGenerator(
            arrival: .poisson(rate: 40), input: fixed(1000), output: fixed(100),
            prefix: .groups(count: 16, prefixTokens: 512),
            count: 4000, seed: 2
        )
        var sim = try fleet(deployment, options: SimulationOptions(router: router, warmupFraction: 0))
        sim.keepRecords = true
        let result = sim.run(&generator, expectedCount: 4000)
        let perReplica = Dictionary(grouping: result.records ?? [], by: \.replica).mapValues(\.count)
        #expect(perReplica.count == 4)
        #expect(result.completed == 4000)
    }

    @Test func prefixCachingShortensTTFT() throws {
        let deployment = try Fixtures.deployment(precision: .fp8)
        func ttft(caching: Bool) throws -> Double {
            var generator = try WorkloadGenerator(
                arrival: .poisson(rate: 5), input: fixed(4000), output: fixed(50),
                prefix: .hitRate(0.9, prefixTokens: 3500), count: 1000, seed: 4
            )
            return try fleet(deployment, options: SimulationOptions(warmupFraction: 0, prefixCaching: caching))
                .run(&generator, expectedCount: 1000).ttft.mean
        }
        #expect(try ttft(caching: true) < 0.6 * ttft(caching: false))
    }

    @Test func disaggregationAddsKVTransferAndCompletes() throws {
        let deployment = try Fixtures.deployment(count: 2, precision: .fp8)
        var generator = try WorkloadGenerator(
            arrival: .poisson(rate: 10), input: fixed(2000), output: fixed(100), count: 1000, seed: 9
        )
        let sim = try fleet(deployment, disaggregation: Disaggregation(prefillReplicas: 1, decodeReplicas: 1))
        let result = sim.run(&generator, expectedCount: 1000)
        #expect(result.completed == 1000)
        #expect(sim.kvTransferSeconds(tokens: 2000) > 0)
        // Decode steps never carry a prefill, so TPOT stays at the decode-only step time.
        let model = PerformanceModel(deployment: deployment, efficiency: Self.efficiency)
        #expect(result.tpot.p99 < model.seconds(.decode(sequences: 1, context: 2000) + .prefill(promptTokens: 2000)))
        #expect(throws: HeadroomError.self) {
            try fleet(deployment, disaggregation: Disaggregation(prefillReplicas: 2, decodeReplicas: 1))
        }
    }

    @Test func closedLoopHoldsItsConcurrency() throws {
        let deployment = try Fixtures.deployment(precision: .fp8)
        let result = try fleet(deployment, options: SimulationOptions(warmupFraction: 0.1))
            .runClosedLoop(clients: 8, requests: 800, input: fixed(500), output: fixed(100), seed: 1)
        #expect(result.completed == 800)
        let busy = result.timeSeries.dropFirst(2).dropLast(2)
        #expect(busy.allSatisfy { $0.running + $0.waiting <= 8 })
    }

    @Test func moreReplicasNeverLengthenSimulatedLatency() throws {
        var previous: SimulationResult?
        for replicas in 1...4 {
            let deployment = try Fixtures.deployment(count: replicas, precision: .fp8)
            var generator = try WorkloadGenerator(
                arrival: .poisson(rate: 30), input: fixed(1500), output: fixed(200), count: 3000, seed: 21
            )
            let result = try fleet(deployment).run(&generator, expectedCount: 3000)
            if let previous {
                #expect(result.ttft.p99 <= previous.ttft.p99 * 1.02)
                #expect(result.tpot.p50 <= previous.tpot.p50 * 1.02)
            }
            previous = result
        }
    }
}
