#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `guidellm benchmark --output-path benchmarks.json` reports: a top-level `benchmarks` array, each benchmark with
/// its strategy (`args.strategy`, later `config.strategy`), timing and `metrics` whose entries are status
/// distribution summaries (`successful`/`errored`/`incomplete`/`total`, each with `mean`, `median`, `max`, `count`
/// and `percentiles` p50…p99), and optionally `requests` {successful, errored, incomplete}. Schema:
/// vllm-project/guidellm `src/guidellm/benchmark/benchmark.py` and `src/guidellm/utils/statistics.py` (v0.2–0.3),
/// `src/guidellm/benchmark/schemas/generative/{benchmark,metrics}.py` (later).
///
/// GuideLLM's `time_per_output_token_ms` divides the whole response time (first token included) by the output
/// tokens; its `inter_token_latency_ms` is (last token − first token) / (output tokens − 1), which is Headroom's
/// TPOT. So Headroom's TPOT and ITL both come from `inter_token_latency_ms` (a token-weighted per-request mean, not
/// a per-gap sample).
enum GuideLLMImport {
    static let tool = "GuideLLM"

    static func results(from data: Data, file: String) throws(HeadroomError) -> [BenchResult] {
        let report = try ImportSupport.decode(GuideLLMReport.self, from: data, file: file, tool: tool)
        guard !report.benchmarks.isEmpty else {
            throw HeadroomError(.invalidFile, "the report holds no benchmarks", file: file, field: "benchmarks")
        }
        var results: [BenchResult] = []
        for (index, benchmark) in report.benchmarks.enumerated() {
            results.append(try convert(benchmark, index: index, file: file))
        }
        return results
    }

    static func convert(
        _ b: GuideLLMReport.Benchmark, index: Int, file: String
    ) throws(HeadroomError)
        -> BenchResult
    {
        let field = "benchmarks[\(index)]"
        func fail(_ message: String, _ path: String) -> HeadroomError {
            HeadroomError(.invalidFile, message, file: file, field: "\(field).\(path)")
        }
        let m = b.metrics
        guard let rps = m.requestsPerSecond.successful else {
            throw fail("no successful distribution", "metrics.requests_per_second.successful")
        }
        guard let outputRate = m.outputTokensPerSecond?.successful else {
            throw fail("missing", "metrics.output_tokens_per_second.successful")
        }
        let totals = b.requestTotals ?? m.requestTotals
        let completed = totals?.successful ?? rps.count
        let duration =
            b.duration ?? b.endTime.flatMap { end in b.startTime.map { end - $0 } }
            ?? Double(completed) / max(rps.mean, 1e-12)
        var warnings: [String] = []
        var filled: [String] = []
        func latency(_ summary: GuideLLMReport.Summary?, scale: Double, name: String) -> BenchDistribution? {
            guard let d = summary?.successful, d.count > 0 else { return nil }
            var percentiles: [Double: Double] = [0.5: (d.percentiles?.p50 ?? d.median) * scale]
            if let p = d.percentiles {
                if let v = p.p90 { percentiles[0.9] = v * scale }
                if let v = p.p95 { percentiles[0.95] = v * scale }
                if let v = p.p99 { percentiles[0.99] = v * scale }
            }
            return ImportSupport.distribution(
                mean: d.mean * scale, percentiles: percentiles, max: d.max.map { $0 * scale }, count: d.count,
                name: name, filled: &filled)
        }
        let ttft = latency(m.timeToFirstTokenMs, scale: 1e-3, name: "ttft")
        let itl = latency(m.interTokenLatencyMs, scale: 1e-3, name: "inter_token_latency")
        let e2e = latency(m.requestLatency, scale: 1, name: "request_latency")
        warnings += ImportSupport.interpolationWarning(filled, tool: tool)
        let meanInput = m.promptTokenCount?.successful?.mean ?? 0
        let meanOutput = m.outputTokenCount?.successful?.mean ?? 0
        let strategy = (b.args ?? b.config)?.strategy
        var load = BenchLoad(mode: "constant", requests: completed, dataset: "guidellm")
        switch strategy?.type {
        case "synchronous":
            load.mode = "concurrency"
            load.concurrency = 1
        case "concurrent":
            load.mode = "concurrency"
            load.concurrency = strategy?.streams
        case "constant", "poisson":
            load.mode = strategy?.type ?? "constant"
            load.rateRequestsPerSecond = strategy?.rate
        case "throughput":
            load.concurrency = strategy?.maxConcurrency
            warnings.append("GuideLLM throughput strategy: every request sent at once (offline)")
        default:
            warnings.append("GuideLLM strategy '\(strategy?.type ?? "none")' not recognised; load recorded as offline")
        }
        load.warmupRequests = (b.args ?? b.config)?.warmupNumber ?? 0
        load.meanInputTokens = meanInput
        load.meanOutputTokens = meanOutput
        var outcomes = ["success": completed]
        if let errored = totals?.errored, errored > 0 { outcomes[BenchOutcome.httpError.rawValue] = errored }
        if let incomplete = totals?.incomplete, incomplete > 0 {
            outcomes[BenchOutcome.cancelled.rawValue] = incomplete
        }
        let start = b.startTime ?? 0
        var records: [BenchRequestRecord] = []
        if let requests = b.requests {
            let groups: [(BenchOutcome, [GuideLLMReport.Request])] = [
                (.success, requests.successful), (.httpError, requests.errored), (.cancelled, requests.incomplete),
            ]
            for (outcome, list) in groups {
                for r in list {
                    guard let rs = r.startTime, let re = r.endTime else { continue }
                    let ok = outcome == .success
                    let ttft = r.firstTokenTime.map { $0 - rs }
                    records.append(
                        BenchRequestRecord(
                            index: records.count, intendedSendSeconds: rs - start, actualSendSeconds: rs - start,
                            inputTokens: r.promptTokens ?? 0, requestedOutputTokens: r.outputTokens ?? 0,
                            outcome: outcome, error: r.error, ttftSeconds: ok ? ttft : nil,
                            e2eSeconds: ok ? re - rs : nil,
                            outputTokens: r.outputTokens ?? 0, outputTokensSource: "usage",
                            contentChunks: r.outputTokens ?? 0))
                }
            }
            if records.count < (totals?.total ?? completed) {
                warnings.append(
                    "GuideLLM saved \(records.count) of the requests (sampled); the aggregates cover all of them")
            }
        }
        let aggregates = BenchAggregates(
            durationSeconds: duration, completed: completed, outcomes: outcomes, requestsPerSecond: rps.mean,
            outputTokensPerSecond: outputRate.mean,
            totalTokensPerSecond: m.tokensPerSecond?.successful?.mean ?? (rps.mean * (meanInput + meanOutput)),
            ttftSeconds: ttft, tpotSeconds: itl, itlSeconds: itl, e2eSeconds: e2e, meanInputTokens: meanInput,
            meanOutputTokens: meanOutput, outputTokensFromUsage: true, clientBottleneck: false)
        let target = BenchTarget(
            url: b.worker?.backendTarget ?? "unknown", api: "completions", model: b.worker?.backendModel ?? "unknown",
            notes: "guidellm benchmark \(index + 1), strategy \(strategy?.type ?? "unknown")")
        return BenchResult(
            tool: "import:guidellm", startedAt: ImportSupport.isoDate(epochSeconds: start), target: target, load: load,
            definitions: ImportSupport.definitions(
                source: "guidellm benchmark --output-path (benchmarks[\(index)]); ms converted to s",
                overrides: [
                    "tpot": "GuideLLM's inter_token_latency_ms: (last token − first token) / (output tokens − 1), "
                        + "token-weighted over requests",
                    "itl": "GuideLLM's inter_token_latency_ms (per-request mean gap, token-weighted), not per-gap",
                ]),
            requests: records, aggregates: aggregates, warnings: warnings)
    }
}

/// The parts of a GuideLLM report Headroom reads; unknown keys are ignored.
struct GuideLLMReport: Decodable {
    var benchmarks: [Benchmark]

    struct Benchmark: Decodable {
        var args: Args?
        var config: Args?
        var startTime: Double?
        var endTime: Double?
        var duration: Double?
        var worker: Worker?
        var metrics: Metrics
        var requestTotals: Counts?
        var requests: Requests?

        enum CodingKeys: String, CodingKey {
            case args, config, duration, worker, metrics, requests
            case startTime = "start_time"
            case endTime = "end_time"
            case requestTotals = "request_totals"
        }
    }

    struct Args: Decodable {
        var strategy: Strategy?
        var warmupNumber: Int?

        enum CodingKeys: String, CodingKey {
            case strategy
            case warmupNumber = "warmup_number"
        }
    }

    struct Strategy: Decodable {
        var type: String
        var streams: Int?
        var rate: Double?
        var maxConcurrency: Int?

        enum CodingKeys: String, CodingKey {
            case type = "type_"
            case streams, rate
            case maxConcurrency = "max_concurrency"
        }
    }

    struct Worker: Decodable {
        var backendTarget: String?
        var backendModel: String?

        enum CodingKeys: String, CodingKey {
            case backendTarget = "backend_target"
            case backendModel = "backend_model"
        }
    }

    struct Counts: Decodable {
        var successful: Int?
        var errored: Int?
        var incomplete: Int?
        var total: Int?
    }

    struct Metrics: Decodable {
        var requestTotals: Counts?
        var requestsPerSecond: Summary
        var requestLatency: Summary?
        var promptTokenCount: Summary?
        var outputTokenCount: Summary?
        var timeToFirstTokenMs: Summary?
        var timePerOutputTokenMs: Summary?
        var interTokenLatencyMs: Summary?
        var outputTokensPerSecond: Summary?
        var tokensPerSecond: Summary?

        enum CodingKeys: String, CodingKey {
            case requestTotals = "request_totals"
            case requestsPerSecond = "requests_per_second"
            case requestLatency = "request_latency"
            case promptTokenCount = "prompt_token_count"
            case outputTokenCount = "output_token_count"
            case timeToFirstTokenMs = "time_to_first_token_ms"
            case timePerOutputTokenMs = "time_per_output_token_ms"
            case interTokenLatencyMs = "inter_token_latency_ms"
            case outputTokensPerSecond = "output_tokens_per_second"
            case tokensPerSecond = "tokens_per_second"
        }
    }

    /// A status distribution summary.
    struct Summary: Decodable {
        var successful: Distribution?
        var errored: Distribution?
        var incomplete: Distribution?
        var total: Distribution?
    }

    struct Distribution: Decodable {
        var mean: Double
        var median: Double
        var max: Double?
        var count: Int
        var percentiles: Percentiles?
    }

    struct Percentiles: Decodable {
        var p50: Double?
        var p90: Double?
        var p95: Double?
        var p99: Double?
    }

    struct Requests: Decodable {
        var successful: [Request]
        var errored: [Request]
        var incomplete: [Request]

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: ImportKey.self)
            successful = try c.decodeIfPresent([Request].self, forKey: ImportKey("successful")) ?? []
            errored = try c.decodeIfPresent([Request].self, forKey: ImportKey("errored")) ?? []
            incomplete = try c.decodeIfPresent([Request].self, forKey: ImportKey("incomplete")) ?? []
        }
    }

    /// One request (v0.2–0.3 layout: epoch-second times at the top level); other layouts leave the times nil and
    /// are skipped.
    struct Request: Decodable {
        var promptTokens: Int?
        var outputTokens: Int?
        var startTime: Double?
        var endTime: Double?
        var firstTokenTime: Double?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case outputTokens = "output_tokens"
            case startTime = "start_time"
            case endTime = "end_time"
            case firstTokenTime = "first_token_time"
            case error
        }
    }
}
