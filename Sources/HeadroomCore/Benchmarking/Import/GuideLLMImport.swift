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
        let version = ImportSupport.version(of: data).map { " \($0)" } ?? ""
        var results: [BenchResult] = []
        for (index, benchmark) in report.benchmarks.enumerated() {
            results.append(try convert(benchmark, index: index, file: file, version: version))
        }
        return results
    }

    /// Headroom's API name for GuideLLM's `request_format` (`chat_completions`, `text_completions`, or a route such
    /// as `/v1/chat/completions`); GuideLLM's default, when the file does not say, is chat completions.
    static func api(requestFormat: String?) -> String {
        guard let format = requestFormat?.lowercased() else { return "chat" }
        if format.contains("chat") { return "chat" }
        if format.contains("completion") { return "completions" }
        return format
    }

    static func convert(
        _ b: GuideLLMReport.Benchmark, index: Int, file: String, version: String = ""
    ) throws(HeadroomError)
        -> BenchResult
    {
        let field = "benchmarks[\(index)]"
        func fail(_ message: String, _ path: String) -> HeadroomError {
            HeadroomError(
                .invalidFile, "\(message) in this GuideLLM\(version) file (a layout Headroom does not read)",
                file: file,
                field: "\(field).\(path)")
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
        var load = BenchLoad(mode: BenchLoad.unknownMode, requests: completed, dataset: "guidellm")
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
            load.mode = "constant"
            load.concurrency = strategy?.maxConcurrency
            warnings.append("GuideLLM throughput strategy: every request sent at once (offline)")
        default:
            warnings.append(
                "GuideLLM strategy '\(strategy?.type ?? "none")' (\(field).config.strategy.type_) is not one Headroom "
                    + "knows; the load is recorded as unknown")
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
            var unreadable = 0
            for (outcome, list) in groups {
                for r in list {
                    guard let rs = r.startTime, let re = r.endTime else {
                        unreadable += 1
                        continue
                    }
                    let ok = outcome == .success
                    let sent = rs - start
                    records.append(
                        BenchRequestRecord(
                            index: records.count, intendedSendSeconds: r.targetedStartTime.map { $0 - start } ?? sent,
                            actualSendSeconds: sent, inputTokens: r.promptTokens ?? 0,
                            requestedOutputTokens: r.outputTokens ?? 0, outcome: outcome, error: r.error,
                            ttftSeconds: ok ? r.ttftSeconds : nil, e2eSeconds: ok ? (r.latency ?? re - rs) : nil,
                            outputTokens: r.outputTokens ?? 0,
                            outputTokensSource: "usage", contentChunks: r.iterations ?? r.outputTokens ?? 0))
                }
            }
            records.sort { $0.actualSendSeconds < $1.actualSendSeconds }
            for index in records.indices { records[index].index = index }
            if unreadable > 0 {
                warnings.append(
                    "\(unreadable) GuideLLM request records have no start or end time and were left out")
            }
            let saved = requests.successful.count + requests.errored.count + requests.incomplete.count
            let total = (totals?.successful ?? completed) + (totals?.errored ?? 0) + (totals?.incomplete ?? 0)
            if saved < total {
                warnings.append(
                    "GuideLLM saved \(saved) of the \(total) requests (sampled); the aggregates cover all of them")
            }
        }
        let aggregates = BenchAggregates(
            durationSeconds: duration, completed: completed, outcomes: outcomes, requestsPerSecond: rps.mean,
            outputTokensPerSecond: outputRate.mean,
            totalTokensPerSecond: m.tokensPerSecond?.successful?.mean ?? (rps.mean * (meanInput + meanOutput)),
            ttftSeconds: ttft, tpotSeconds: itl, itlSeconds: itl, e2eSeconds: e2e, meanInputTokens: meanInput,
            meanOutputTokens: meanOutput, outputTokensFromUsage: true, clientBottleneck: false)
        let backend = b.config?.backend
        let target = BenchTarget(
            url: backend?.target ?? b.worker?.backendTarget ?? "unknown",
            api: Self.api(requestFormat: backend?.requestFormat),
            model: backend?.model ?? b.worker?.backendModel ?? "unknown",
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
        /// GuideLLM 0.4 and later: the backend's arguments (`target`, `model`, `request_format`, …).
        var backend: Backend?

        enum CodingKeys: String, CodingKey {
            case strategy, backend
            case warmupNumber = "warmup_number"
        }
    }

    struct Backend: Decodable {
        var target: String?
        var model: String?
        var requestFormat: String?

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: ImportKey.self)
            target = try? c.decodeIfPresent(String.self, forKey: ImportKey("target"))
            model = try? c.decodeIfPresent(String.self, forKey: ImportKey("model"))
            requestFormat =
                (try? c.decodeIfPresent(String.self, forKey: ImportKey("request_format")))
                ?? (try? c.decodeIfPresent(String.self, forKey: ImportKey("request_type")))
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

    /// One request, in either layout: v0.2–0.3 (`start_time`, `end_time`, `first_token_time`, epoch seconds) or
    /// v0.4 and later (`request_start_time`, `request_end_time`, `request_latency` in seconds,
    /// `time_to_first_token_ms`, `inter_token_latency_ms`, and `info.timings.targeted_start`). A record with
    /// neither pair of times is counted and left out.
    struct Request: Decodable {
        var promptTokens: Int?
        var outputTokens: Int?
        var startTime: Double?
        var endTime: Double?
        var targetedStartTime: Double?
        var latency: Double?
        var ttftSeconds: Double?
        var interTokenSeconds: Double?
        var iterations: Int?
        var error: String?

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: ImportKey.self)
            func number(_ key: String) throws -> Double? {
                try c.decodeIfPresent(Double.self, forKey: ImportKey(key))
            }
            promptTokens = try c.decodeIfPresent(Int.self, forKey: ImportKey("prompt_tokens"))
            outputTokens = try c.decodeIfPresent(Int.self, forKey: ImportKey("output_tokens"))
            if let start = try number("request_start_time") {
                startTime = start
                endTime = try number("request_end_time")
                latency = try number("request_latency")
                ttftSeconds = try number("time_to_first_token_ms").map { $0 / 1000 }
                interTokenSeconds = try number("inter_token_latency_ms").map { $0 / 1000 }
            } else {
                startTime = try number("start_time")
                endTime = try number("end_time")
                if let start = startTime, let first = try number("first_token_time") { ttftSeconds = first - start }
            }
            let info = try? c.nestedContainer(keyedBy: ImportKey.self, forKey: ImportKey("info"))
            let timings = try? info?.nestedContainer(keyedBy: ImportKey.self, forKey: ImportKey("timings"))
            targetedStartTime = (try? timings?.decodeIfPresent(Double.self, forKey: ImportKey("targeted_start"))) ?? nil
            iterations = (try? timings?.decodeIfPresent(Int.self, forKey: ImportKey("token_iterations"))) ?? nil
            let topError = try? c.decodeIfPresent(String.self, forKey: ImportKey("error"))
            let infoError = (try? info?.decodeIfPresent(String.self, forKey: ImportKey("error"))) ?? nil
            error = topError ?? infoError
        }
    }
}
