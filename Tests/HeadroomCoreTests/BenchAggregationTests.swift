import HeadroomCore
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct BenchAggregationTests {
    static func record(
        _ index: Int, outcome: BenchOutcome = .success, intended: Double, actual: Double? = nil, ttft: Double? = nil,
        e2e: Double?, input: Int = 100, output: Int = 0, source: String = "usage", itl: [Double] = [],
        warmup: Bool = false
    ) -> BenchRequestRecord {
        BenchRequestRecord(
            index: index, warmup: warmup, intendedSendSeconds: intended, actualSendSeconds: actual ?? intended,
            inputTokens: input, requestedOutputTokens: 64, outcome: outcome, httpStatus: 200, ttftSeconds: ttft,
            e2eSeconds: e2e, itlSeconds: itl, outputTokens: output, outputTokensSource: source,
            contentChunks: output
        )
    }

    /// Warm-up (excluded), two successes and a timeout.
    static let records = [
        record(0, intended: -5, ttft: 9, e2e: 9, output: 99, warmup: true),
        record(1, intended: 0, ttft: 0.1, e2e: 1.0, input: 100, output: 10, itl: [0.1, 0.2]),
        record(2, intended: 1.0, ttft: 0.3, e2e: 2.0, input: 50, output: 20, itl: [0.4]),
        record(3, outcome: .timeout, intended: 2.0, ttft: 0.2, e2e: 2.0, output: 3, source: "chunks"),
    ]

    @Test func aggregatesASmallRunByHand() throws {
        let slo = BenchSLO(ttftSeconds: 0.2, attainment: 0.9)
        let aggregates = BenchAggregation.aggregate(Self.records, slo: slo, clientCPUSeconds: 1.5)
        // Duration: first send 0 to the last end 2.0 + 2.0.
        #expect(aggregates.durationSeconds == 4)
        #expect(aggregates.completed == 2)
        #expect(aggregates.outcomes == ["success": 2, "timeout": 1])
        #expect(aggregates.requestsPerSecond == 0.5)
        #expect(aggregates.outputTokensPerSecond == 7.5)
        #expect(aggregates.totalTokensPerSecond == 45)
        // Only request 1 meets TTFT ≤ 0.2: goodput 1 / 4 s, attainment 1 of 3.
        #expect(aggregates.goodputRequestsPerSecond == 0.25)
        #expect(aggregates.sloAttainment == 1.0 / 3)
        let ttft = try #require(aggregates.ttftSeconds)
        #expect(ttft.count == 2)
        #expect(abs(ttft.mean - 0.2) < 1e-12)
        #expect(abs(ttft.p50 - 0.2) < 1e-12)
        #expect(ttft.max == 0.3)
        let tpot = try #require(aggregates.tpotSeconds)
        #expect(abs(tpot.mean - (0.9 / 9 + 1.7 / 19) / 2) < 1e-12)
        let itl = try #require(aggregates.itlSeconds)
        #expect(itl.count == 3 && itl.max == 0.4)
        #expect(aggregates.e2eSeconds?.p50 == 1.5)
        #expect(aggregates.sendLagSeconds?.max == 0)
        #expect(aggregates.sendLagSeconds?.count == 3)
        #expect(aggregates.meanInputTokens == 75)
        #expect(aggregates.meanOutputTokens == 15)
        #expect(aggregates.outputTokensFromUsage)
        #expect(!aggregates.clientBottleneck)
        #expect(aggregates.clientCPUSeconds == 1.5)
    }

    @Test func noFinishReasonIsCountedButNeverScoredAsSuccess() throws {
        var unfinished = Self.record(4, outcome: .noFinishReason, intended: 0.5, ttft: 0.05, e2e: 0.5, output: 30)
        unfinished.chunkCounts = ["content": 30, "done": 1]
        var records = Self.records
        records[1].chunkCounts = ["role_only": 1, "content": 10, "finish": 1, "usage_only": 1, "done": 1]
        records[2].chunkCounts = ["content": 20, "empty_delta": 2, "comment": 3, "finish": 1]
        records[3].chunkCounts = ["content": 3]
        records[0].chunkCounts = ["content": 99]  // warm-up: not counted
        records.append(unfinished)
        let slo = BenchSLO(ttftSeconds: 0.2, attainment: 0.9)
        let aggregates = BenchAggregation.aggregate(records, slo: slo)
        #expect(aggregates.outcomes == ["success": 2, "timeout": 1, "no_finish_reason": 1])
        #expect(aggregates.completed == 2)
        // Its 30 tokens and fast TTFT count nowhere: throughput, latency and goodput are the two successes'.
        #expect(aggregates.outputTokensPerSecond == 7.5)
        #expect(aggregates.ttftSeconds?.count == 2)
        #expect(aggregates.goodputRequestsPerSecond == 0.25)
        #expect(aggregates.sloAttainment == 1.0 / 4)
        #expect(!unfinished.meets(nil) && !unfinished.meets(slo))
        // Chunk kinds summed over every measured request, whatever its outcome.
        #expect(
            aggregates.chunkCounts == [
                "role_only": 1, "content": 63, "finish": 2, "usage_only": 1, "done": 2, "empty_delta": 2,
                "comment": 3,
            ])
    }

    @Test func cancelledRequestsAreLeftOutOfAttainment() {
        var records = Self.records
        records.append(Self.record(4, outcome: .cancelled, intended: 2.5, e2e: 0.1))
        records.append(Self.record(5, outcome: .cancelled, intended: 2.6, e2e: 0.1))
        let aggregates = BenchAggregation.aggregate(records, slo: BenchSLO(ttftSeconds: 0.2, attainment: 0.9))
        #expect(aggregates.outcomes["cancelled"] == 2)
        // One of the three requests the user did not cancel met the SLO.
        #expect(aggregates.sloAttainment == 1.0 / 3)
        let allCancelled = [Self.record(1, outcome: .cancelled, intended: 0, e2e: 0.1)]
        let slo = BenchSLO(e2eSeconds: 1, attainment: 0.9)
        #expect(BenchAggregation.aggregate(allCancelled, slo: slo).sloAttainment == nil)
    }

    @Test func aRequestThatWaitedForAConnectionFlagsTheClient() {
        var records = Array(Self.records[1...2])
        let calm = BenchAggregation.aggregate(records, slo: nil)
        #expect(!calm.clientBottleneck && calm.waitedForConnection == 0)
        records[1].waitedForConnection = true
        let waited = BenchAggregation.aggregate(records, slo: nil)
        #expect(waited.clientBottleneck, "a wait for a connection is hidden in TTFT, not in the send lag")
        #expect(waited.waitedForConnection == 1)
        #expect(waited.sendLagSeconds?.max == 0)
        // A warm-up request that waited does not count.
        var warmup = Self.records[0]
        warmup.waitedForConnection = true
        #expect(!BenchAggregation.aggregate([warmup] + Array(Self.records[1...2]), slo: nil).clientBottleneck)
    }

    @Test func noSLOLeavesGoodputNil() {
        let aggregates = BenchAggregation.aggregate(Self.records, slo: nil)
        #expect(aggregates.goodputRequestsPerSecond == nil)
        #expect(aggregates.sloAttainment == nil)
    }

    @Test func emptyRunHasZeroRatesAndNoDistributions() {
        for records in [[], [Self.records[0]]] {
            let aggregates = BenchAggregation.aggregate(records, slo: BenchSLO(e2eSeconds: 1, attainment: 0.9))
            #expect(aggregates.durationSeconds == 0)
            #expect(aggregates.completed == 0)
            #expect(aggregates.requestsPerSecond == 0 && aggregates.outputTokensPerSecond == 0)
            #expect(aggregates.goodputRequestsPerSecond == 0)
            #expect(aggregates.sloAttainment == nil)
            #expect(aggregates.ttftSeconds == nil && aggregates.sendLagSeconds == nil)
            #expect(aggregates.meanInputTokens == 0 && !aggregates.outputTokensFromUsage)
        }
    }

    @Test func chunkCountedTokensClearTheUsageFlag() {
        var records = Array(Self.records[1...2])
        records[1].outputTokensSource = "chunks"
        #expect(!BenchAggregation.aggregate(records, slo: nil).outputTokensFromUsage)
    }

    @Test(arguments: [
        (0.0, 1.0), (0.5, 2.5), (0.9, 3.7), (0.99, 3.97), (1.0, 4.0),
    ])
    func percentileInterpolatesBetweenOrderStatistics(_ p: Double, _ expected: Double) {
        #expect(abs(BenchAggregation.percentile(sorted: [1, 2, 3, 4], p) - expected) < 1e-12)
    }

    @Test func distributionDropsNonFiniteSamples() throws {
        let distribution = try #require(BenchAggregation.distribution([3, .nan, 1, .infinity, 2]))
        #expect(distribution.count == 3 && distribution.mean == 2 && distribution.p50 == 2 && distribution.max == 3)
        #expect(abs(distribution.p90 - 2.8) < 1e-12 && abs(distribution.p99 - 2.98) < 1e-12)
        #expect(BenchAggregation.distribution([.nan]) == nil)
    }

    struct LagCase: Sendable {
        var lags: [Double]
        var spacing: Double
        var bottleneck: Bool
    }

    @Test(arguments: [
        // Steady sub-millisecond lag: fine.
        LagCase(lags: [0.0002, 0.0004, 0.0001, 0.0003, 0.0002], spacing: 1, bottleneck: false),
        // p99 above 10 ms.
        LagCase(lags: [0, 0, 0, 0, 0.05], spacing: 1, bottleneck: true),
        // Growing 1.5 ms per second for 4 s (6 ms in all) while the p99 stays under 10 ms.
        LagCase(lags: [0, 0.0015, 0.003, 0.0045, 0.006], spacing: 1, bottleneck: true),
        // A steep but tiny trend within 40 ms is jitter.
        LagCase(lags: [0, 0.0002, 0.0004, 0.0006, 0.0008], spacing: 0.01, bottleneck: false),
    ])
    func clientBottleneckRule(_ lagCase: LagCase) {
        let records = lagCase.lags.enumerated().map { offset, lag in
            let intended = Double(offset) * lagCase.spacing
            return Self.record(offset, intended: intended, actual: intended + lag, ttft: 0.1, e2e: 0.5, output: 4)
        }
        #expect(BenchAggregation.aggregate(records, slo: nil).clientBottleneck == lagCase.bottleneck)
    }

    // MARK: - Wilson bound and sweep

    @Test(arguments: [
        (9, 10, 0.95, 0.595_850), (10, 10, 0.95, 0.722_467), (0, 10, 0.95, 0.0), (0, 0, 0.95, 0.0),
        (99, 100, 0.95, 0.945_514), (50, 100, 0.99, 0.375_280),
    ])
    func wilsonLowerBoundKnownValues(_ successes: Int, _ trials: Int, _ confidence: Double, _ expected: Double) {
        let bound = SweepSearch.wilsonLowerBound(successes: successes, trials: trials, confidence: confidence)
        #expect(abs(bound - expected) < 1e-5)
    }

    @Test(arguments: [(0.975, 1.959_963_985), (0.995, 2.575_829_304), (0.9995, 3.290_526_731), (0.9, 1.281_551_566)])
    func normalQuantileKnownValues(_ p: Double, _ expected: Double) {
        #expect(abs(SweepSearch.normalQuantile(p) - expected) < 1e-7)
        #expect(abs(SweepSearch.normalQuantile(1 - p) + expected) < 1e-7)
    }

    @Test(arguments: [0.7, 3.3, 7.3, 12.9])
    func sweepConvergesOnTheThreshold(_ threshold: Double) throws {
        var search = SweepSearch(
            low: 0.5, high: 16, tolerance: 0.02, maxSteps: 30, confidence: 0.95, attainmentTarget: 0.99)
        while let rate = search.nextRate() {
            search.record(rate: rate, attained: rate <= threshold ? 1000 : 600, of: 1000)
        }
        let best = try #require(search.best)
        #expect(best <= threshold && best >= threshold / 1.02)
        #expect(search.steps.count < 30)
        #expect(search.steps.first?.rate == 16)
    }

    @Test func sweepStopsAtHighWhenItPassesAndAtLowWhenNothingPasses() {
        var easy = SweepSearch(low: 1, high: 10, attainmentTarget: 0.9)
        let first = easy.nextRate()
        #expect(first == 10)
        easy.record(rate: 10, attained: 100, of: 100)
        #expect(easy.nextRate() == nil && easy.best == 10)

        var hopeless = SweepSearch(low: 1, high: 10, attainmentTarget: 0.9)
        #expect(hopeless.nextRate() == 10)
        hopeless.record(rate: 10, attained: 0, of: 100)
        #expect(hopeless.nextRate() == 1)
        hopeless.record(rate: 1, attained: 80, of: 100)
        #expect(hopeless.nextRate() == nil && hopeless.best == nil)
    }

    @Test func sweepStepNeedsTheLowerBoundNotJustTheRatio() {
        var search = SweepSearch(low: 1, high: 10, maxSteps: 3, attainmentTarget: 0.9)
        // 10 of 10 is 100%, but its 95% Wilson lower bound is 0.72: not enough evidence for 0.9.
        #expect(!search.record(rate: 10, attained: 10, of: 10).passed)
        #expect(search.record(rate: 1, attained: 100, of: 100).passed)
        #expect(search.nextRate() == 5.5)
        search.record(rate: 5.5, attained: 100, of: 100)
        #expect(search.nextRate() == nil)  // maxSteps
        #expect(search.best == 5.5)
    }

    // MARK: - JSON

    static func sampleResult() -> BenchResult {
        var requests = records
        requests[1].chunkCounts = ["role_only": 1, "content": 10, "usage_only": 1]
        requests[1].finishReason = "stop"
        requests[3].error = "the request timed out"
        requests[2].waitedForConnection = true
        let slo = BenchSLO(ttftSeconds: 0.2, tpotSeconds: 0.05, attainment: 0.9)
        let aggregates = BenchAggregation.aggregate(requests, slo: slo, clientCPUSeconds: 0.25)
        return BenchResult(
            tool: "headroom bench 0.1", startedAt: "2026-01-02T03:04:05Z",
            target: BenchTarget(
                url: "http://127.0.0.1:8000", api: "chat", model: "llama", acceleratorID: "h100-sxm",
                acceleratorCount: 1, stackID: "vllm", catalogModelID: "meta-llama/Llama-3.1-8B-Instruct"),
            load: BenchLoad(
                mode: "sweep", rateRequestsPerSecond: 4, requests: 3, warmupRequests: 1, dataset: "synthetic",
                seed: 42, timeoutSeconds: 60),
            slo: slo, requests: requests, aggregates: aggregates,
            sweep: [
                BenchSweepStep(
                    step: 0, rateRequestsPerSecond: 4, aggregates: aggregates, attainmentLowerBound: 0.2, passed: false)
            ], warnings: ["tokens counted from chunks for 1 request"]
        )
    }

    @Test func jsonRoundTripsWithSnakeCaseKeys() throws {
        let result = Self.sampleResult()
        let data = result.encoded()
        let text = String(decoding: data, as: UTF8.self)
        for key in [
            "\"schema_version\"", "\"accelerator_id\"", "\"catalog_model_id\"", "\"client_cpu_seconds\"",
            "\"chunk_counts\"", "\"role_only\"", "\"http_status\"", "\"ttft_seconds\"", "\"e2e_seconds\"",
            "\"attainment_lower_bound\"", "\"output_tokens_from_usage\"", "\"waited_for_connection\"",
        ] {
            #expect(text.contains(key), "missing \(key)")
        }
        #expect(!text.contains("acceleratorID") && !text.contains("clientCPU"))
        let decoded = try BenchResult.decode(data, file: "run.json")
        #expect(decoded == result)
    }

    @Test func nonFiniteNumbersAreNeverWritten() throws {
        var result = Self.sampleResult()
        result.aggregates.requestsPerSecond = .infinity
        result.aggregates.goodputRequestsPerSecond = .nan
        result.aggregates.ttftSeconds?.p99 = .nan
        result.requests[1].itlSeconds.append(.infinity)
        result.requests[2].ttftSeconds = -.infinity
        let text = String(decoding: result.encoded(), as: UTF8.self)
        #expect(!text.contains("NaN") && !text.contains("Infinity") && !text.contains("nan"))
        let decoded = try BenchResult.decode(result.encoded(), file: "run.json")
        #expect(decoded.aggregates.requestsPerSecond == 0)
        #expect(decoded.aggregates.goodputRequestsPerSecond == nil)
        #expect(decoded.aggregates.ttftSeconds == nil)
        #expect(decoded.requests[1].itlSeconds == [0.1, 0.2])
        #expect(decoded.requests[2].ttftSeconds == nil)
    }

    struct BadFile: Sendable, CustomTestStringConvertible {
        var name: String
        var edit: @Sendable (String) -> String
        var code: HeadroomError.Code
        var field: String?

        var testDescription: String { name }
    }

    @Test(arguments: [
        BadFile(
            name: "a mistyped request field",
            edit: { $0.replacing("\"ttft_seconds\" : 0.3", with: "\"ttft_seconds\" : \"fast\"") },
            code: .invalidFile, field: "requests[2].ttft_seconds"),
        BadFile(
            name: "a missing field",
            edit: { $0.replacing("\"tool\" : \"headroom bench 0.1\",", with: "") },
            code: .invalidFile, field: "tool"),
        BadFile(
            name: "a missing nested field",
            edit: { $0.replacing("\"url\" : \"http://127.0.0.1:8000\"", with: "\"uri\" : \"x\"") },
            code: .invalidFile, field: "target.url"),
        BadFile(
            name: "a newer major schema version",
            edit: { $0.replacing("headroom.bench/1", with: "headroom.bench/2") },
            code: .unsupported, field: "schema_version"),
        BadFile(
            name: "another tool's file",
            edit: { $0.replacing("headroom.bench/1", with: "guidellm/0.3") },
            code: .invalidFile, field: "schema_version"),
        BadFile(name: "not JSON", edit: { String($0.prefix(40)) }, code: .invalidFile, field: nil),
    ])
    func badFileErrorNamesTheFileAndField(_ bad: BadFile) throws {
        let text = String(decoding: Self.sampleResult().encoded(), as: UTF8.self)
        let edited = bad.edit(text)
        #expect(edited != text)
        let error = try #require(throws: HeadroomError.self) {
            try BenchResult.decode(Data(edited.utf8), file: "runs/bad.json")
        }
        #expect(error.code == bad.code)
        #expect(error.file == "runs/bad.json")
        #expect(error.field == bad.field)
        #expect(error.description.hasPrefix("runs/bad.json: "))
        if let field = bad.field {
            #expect(error.description.contains(field))
        }
    }

    @Test func olderMinorVersionsAreRead() throws {
        let text = String(decoding: Self.sampleResult().encoded(), as: UTF8.self)
            .replacing("headroom.bench/1", with: "headroom.bench/1.3")
        #expect(try BenchResult.decode(Data(text.utf8), file: "x.json").tool == "headroom bench 0.1")
    }
}
