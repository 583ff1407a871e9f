import HeadroomCatalog
import HeadroomCore
import Testing

@Suite struct CalibrationFromResultsTests {
    static let model = "meta-llama/Llama-3.1-8B-Instruct"

    static func result(
        load: BenchLoad, output: Double = 1000, ttft: Double = 0.05, tpot: Double = 0.012, input: Double = 511.6,
        outputTokens: Double = 128.2, target: BenchTarget? = nil
    ) -> BenchResult {
        func d(_ v: Double) -> BenchDistribution {
            BenchDistribution(mean: v, p50: v * 0.95, p90: v * 1.2, p95: v * 1.3, p99: v * 1.5, max: v * 2, count: 100)
        }
        let aggregates = BenchAggregates(
            durationSeconds: 60, completed: 100, outcomes: ["success": 100], requestsPerSecond: output / outputTokens,
            outputTokensPerSecond: output, totalTokensPerSecond: output * 5, ttftSeconds: d(ttft), tpotSeconds: d(tpot),
            meanInputTokens: input, meanOutputTokens: outputTokens, outputTokensFromUsage: true, clientBottleneck: false
        )
        return BenchResult(
            tool: "test", startedAt: "2025-01-01T00:00:00Z",
            target: target
                ?? BenchTarget(
                    url: "http://x", api: "completions", model: "llama", acceleratorID: "h100-sxm", acceleratorCount: 1,
                    stackID: "vllm", precision: "bf16", catalogModelID: model, tensorParallel: 1),
            load: load, requests: [], aggregates: aggregates)
    }

    @Test func pointsFromAConcurrencyRun() throws {
        let points = try Self.result(load: BenchLoad(mode: "concurrency", concurrency: 8, requests: 100, dataset: "x"))
            .calibrationPoints(origin: "run.json")
        #expect(points.count == 7)
        #expect(
            Set(points.map(\.metric))
                == Set(CalibrationPoint.Metric.allCases).subtracting([.totalThroughput, .requestThroughput]))
        let first = try #require(points.first)
        #expect(first.scenario == .closedLoop(clients: 8, requests: 100))
        #expect(first.inputTokens == 512)
        #expect(first.outputTokens == 128)
        #expect(first.precision == .bf16)
        #expect(first.kvPrecision == .bf16)
        #expect(points.first { $0.metric == .p99TTFT }?.value == 0.05 * 1.5)
        #expect(points.first { $0.metric == .medianTPOT }?.value == 0.012 * 0.95)
    }

    @Test func rateRunsAndSweeps() throws {
        let online = try Self.result(
            load: BenchLoad(mode: "poisson", rateRequestsPerSecond: 4, requests: 100, dataset: "x")
        )
        .calibrationPoints(origin: "r.json")
        #expect(online.first?.scenario == .online(rate: 4, requests: 100))
        var sweep = Self.result(load: BenchLoad(mode: "sweep", requests: 300, dataset: "x"))
        sweep.sweep = [1.0, 2.0, 4.0].enumerated().map { index, rate in
            BenchSweepStep(
                step: index, rateRequestsPerSecond: rate, aggregates: sweep.aggregates, attainmentLowerBound: 0.99,
                passed: true)
        }
        let points = try sweep.calibrationPoints(origin: "s.json")
        #expect(points.count == 21)
        #expect(Set(points.map(\.origin)) == ["s.json:step 0", "s.json:step 1", "s.json:step 2"])
        #expect(points.contains { $0.scenario == .online(rate: 4, requests: 100) })
    }

    @Test(arguments: [
        "target.accelerator_id", "target.stack_id", "target.catalog_model_id", "target.precision",
        "target.accelerator_count", "target.tensor_parallel",
    ])
    func missingTargetFieldIsNamed(_ field: String) {
        let load = BenchLoad(mode: "concurrency", concurrency: 1, requests: 1, dataset: "x")
        var target = Self.result(load: load).target
        switch field {
        case "target.accelerator_id": target.acceleratorID = nil
        case "target.stack_id": target.stackID = nil
        case "target.catalog_model_id": target.catalogModelID = nil
        case "target.precision": target.precision = nil
        case "target.accelerator_count": target.acceleratorCount = nil
        default: target.tensorParallel = nil
        }
        let result = Self.result(load: load, target: target)
        #expect {
            try result.calibrationPoints(origin: "f.json")
        } throws: { error in
            (error as? HeadroomError)?.field == field && (error as? HeadroomError)?.file == "f.json"
        }
    }

    @Test func rampIsRefused() {
        let result = Self.result(load: BenchLoad(mode: "ramp", rateRequestsPerSecond: 4, requests: 10, dataset: "x"))
        #expect(throws: HeadroomError.self) { try result.calibrationPoints(origin: "f.json") }
    }

    /// Results the model itself produced at a perturbed efficiency: fitting on them must reduce the error.
    @Test func calibrationRecoversAPerturbedEfficiency() throws {
        let catalog = try CatalogLoader.bundled()
        let start = try #require(catalog.efficiency(stack: "vllm", accelerator: "h100-sxm")?.profile)
        var truth = start
        truth.compute = max(start.compute * 0.7, 0.25)
        truth.memory = max(start.memory * 0.85, 0.55)
        let validator = Validator(catalog: catalog, simulateOnlineRows: false)
        var results: [BenchResult] = []
        // Small runs (16 requests each): a closed-loop row is predicted by simulating the run, in every fit step.
        for (input, output) in [(512, 64), (2048, 96)] {
            for n in [1, 8] {
                var probe = CalibrationPoint(
                    origin: "", source: "", acceleratorID: "h100-sxm", modelID: Self.model, stackID: "vllm",
                    precision: .bf16, kvPrecision: .bf16, count: 1, tensorParallel: 1,
                    scenario: .closedLoop(clients: n, requests: 16),
                    inputTokens: input, outputTokens: output, metric: .outputThroughput, value: 1)
                func predict(_ metric: CalibrationPoint.Metric) throws -> Double {
                    probe.metric = metric
                    return try validator.predict(probe, efficiency: truth)
                }
                func distribution(mean: Double, p50: Double, p99: Double) -> BenchDistribution {
                    BenchDistribution(mean: mean, p50: p50, p90: p99, p95: p99, p99: p99, max: p99, count: 16)
                }
                var result = Self.result(
                    load: BenchLoad(mode: "concurrency", concurrency: n, requests: 16, dataset: "synthetic"),
                    input: Double(input), outputTokens: Double(output))
                result.aggregates.completed = 16
                result.aggregates.outputTokensPerSecond = try predict(.outputThroughput)
                result.aggregates.ttftSeconds = distribution(
                    mean: try predict(.meanTTFT), p50: try predict(.medianTTFT), p99: try predict(.p99TTFT))
                result.aggregates.tpotSeconds = distribution(
                    mean: try predict(.meanTPOT), p50: try predict(.medianTPOT), p99: try predict(.p99TPOT))
                results.append(result)
            }
        }
        let points = try results.enumerated().flatMap { try $1.calibrationPoints(origin: "synthetic-\($0).json") }
        #expect(points.count == 28)
        let fitter = EfficiencyFitter(catalog: catalog, iterations: 200)
        let before = fitter.loss(start, points: points)
        let (fitted, after) = fitter.fit(points, start: start, parameters: ["compute", "memory"])
        #expect(after < before / 4)
        func medianError(_ profile: EfficiencyProfile) throws -> Double {
            let errors = try points.map { abs(try validator.predict($0, efficiency: profile) / $0.value - 1) }.sorted()
            return errors[errors.count / 2]
        }
        #expect(try medianError(fitted) < medianError(start))
        #expect(abs(fitted.memory - truth.memory) < abs(start.memory - truth.memory))
    }
}
