#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// inference-perf (kubernetes-sigs/inference-perf) lifecycle reports: `summary_lifecycle_metrics.json` (the whole
/// run) and `stage_N_lifecycle_metrics.json` (one load stage), as `inference_perf/reportgen/base.py`'s
/// `summarize_requests` writes them: `load_summary` {count, schedule_delay, and for a stage send_duration,
/// requested_rate, achieved_rate, concurrency}, `successes` {count, latency {request_latency, time_to_first_token,
/// time_per_output_token, inter_token_latency, normalized_time_per_output_token}, throughput {requests_per_sec,
/// output_tokens_per_sec, total_tokens_per_sec, …}, prompt_len, output_len, prompt_tokens, output_tokens} and
/// `failures` {count, …}. Times are seconds; percentiles are `median` and `pNN` (default 0.1 … 99.9).
///
/// inference-perf's `time_per_output_token` is (last token − first token) / (output tokens − 1), Headroom's TPOT;
/// its `inter_token_latency` is every gap between streamed tokens, Headroom's ITL. The whole-run summary holds no
/// load (inference-perf writes the rate only into the stage files), so its load is recorded as unknown.
enum InferencePerfImport {
    static let tool = "inference-perf"

    static func result(from data: Data, file: String) throws(HeadroomError) -> BenchResult {
        let report = try ImportSupport.decode(InferencePerfReport.self, from: data, file: file, tool: tool)
        func fail(_ message: String, _ field: String) -> HeadroomError {
            HeadroomError(.invalidFile, message, file: file, field: field)
        }
        let successes = report.successes
        let completed = successes.count
        let failed = report.failures?.count ?? 0
        guard completed > 0 else { throw fail("no request succeeded", "successes.count") }
        guard let throughput = successes.throughput else {
            throw fail("missing from this inference-perf report", "successes.throughput")
        }
        guard let requestsPerSecond = throughput.requestsPerSecond, requestsPerSecond > 0 else {
            throw fail("missing or zero", "successes.throughput.requests_per_sec")
        }
        guard let outputPerSecond = throughput.outputTokensPerSecond else {
            throw fail("missing", "successes.throughput.output_tokens_per_sec")
        }
        var filled: [String] = []
        func distribution(_ summary: InferencePerfReport.Summary?, name: String, count: Int) -> BenchDistribution? {
            guard let summary else { return nil }
            return ImportSupport.distribution(
                mean: summary.mean, percentiles: summary.percentiles, max: summary.max, count: count, name: name,
                filled: &filled)
        }
        let latency = successes.latency
        let ttft = distribution(latency?.timeToFirstToken, name: "time_to_first_token", count: completed)
        let tpot = distribution(latency?.timePerOutputToken, name: "time_per_output_token", count: completed)
        let itl = distribution(latency?.interTokenLatency, name: "inter_token_latency", count: completed)
        let e2e = distribution(latency?.requestLatency, name: "request_latency", count: completed)
        var warnings = ImportSupport.interpolationWarning(filled, tool: tool)
        let meanInput =
            successes.promptLength?.mean ?? successes.promptTokens?.mean
            ?? successes.promptTokens?.total.map { $0 / Double(completed) } ?? 0
        let meanOutput =
            successes.outputLength?.mean ?? successes.outputTokens?.mean
            ?? successes.outputTokens?.total.map { $0 / Double(completed) } ?? outputPerSecond / requestsPerSecond
        let load = report.loadSummary
        var benchLoad = BenchLoad(
            mode: BenchLoad.unknownMode, requests: load?.count ?? (completed + failed), dataset: tool)
        if let rate = load?.requestedRate, rate > 0 {
            // inference-perf's stage types: constant (evenly spaced) or poisson; the report does not say which, and
            // a concurrency stage records its concurrency besides the rate it was given.
            if let concurrency = load?.concurrency, concurrency > 0 {
                benchLoad.mode = "concurrency"
                benchLoad.concurrency = concurrency
            } else {
                // inference-perf's default load type (LoadType.CONSTANT: evenly spaced sends).
                benchLoad.mode = "constant"
                benchLoad.rateRequestsPerSecond = rate
                warnings.append(
                    "inference-perf's stage report does not say whether its arrivals were constant or Poisson "
                        + "(its config.yaml's load.type does); recorded as constant, inference-perf's default")
            }
        } else if let concurrency = load?.concurrency, concurrency > 0 {
            benchLoad.mode = "concurrency"
            benchLoad.concurrency = concurrency
        } else {
            warnings.append(
                "this inference-perf report holds no load (load_summary.requested_rate and .concurrency are absent: "
                    + "the whole-run summary never has them); the load is recorded as unknown, import a "
                    + "stage_N_lifecycle_metrics.json for the stage's rate")
        }
        benchLoad.meanInputTokens = meanInput
        benchLoad.meanOutputTokens = meanOutput
        var outcomes = ["success": completed]
        if failed > 0 { outcomes[BenchOutcome.httpError.rawValue] = failed }
        let duration = report.benchmarkTimeSeconds ?? Double(completed) / requestsPerSecond
        let aggregates = BenchAggregates(
            durationSeconds: duration, completed: completed, outcomes: outcomes, requestsPerSecond: requestsPerSecond,
            outputTokensPerSecond: outputPerSecond,
            totalTokensPerSecond: throughput.totalTokensPerSecond ?? requestsPerSecond * (meanInput + meanOutput),
            ttftSeconds: ttft, tpotSeconds: tpot, itlSeconds: itl, e2eSeconds: e2e, meanInputTokens: meanInput,
            meanOutputTokens: meanOutput, outputTokensFromUsage: false, clientBottleneck: false)
        let target = BenchTarget(
            url: "unknown", api: "unknown", model: "unknown",
            notes: "inference-perf lifecycle report (it does not record the server or model; give them on import)")
        return BenchResult(
            tool: "import:inference-perf", startedAt: "", target: target, load: benchLoad,
            definitions: ImportSupport.definitions(
                source: "inference-perf lifecycle metrics JSON; seconds",
                overrides: [
                    "tpot": "inference-perf's time_per_output_token: (last token − first token) / (output tokens − 1)",
                    "itl": "inference-perf's inter_token_latency: every gap between streamed tokens",
                ]),
            requests: [], aggregates: aggregates, warnings: warnings)
    }
}

/// The parts of an inference-perf lifecycle report Headroom reads; unknown keys are ignored.
struct InferencePerfReport: Decodable {
    var benchmarkTimeSeconds: Double?
    var loadSummary: Load?
    var successes: Successes
    var failures: Failures?

    enum CodingKeys: String, CodingKey {
        case benchmarkTimeSeconds = "benchmark_time_seconds"
        case loadSummary = "load_summary"
        case successes, failures
    }

    struct Load: Decodable {
        var count: Int?
        var requestedRate: Double?
        var achievedRate: Double?
        var concurrency: Int?

        enum CodingKeys: String, CodingKey {
            case count, concurrency
            case requestedRate = "requested_rate"
            case achievedRate = "achieved_rate"
        }
    }

    struct Successes: Decodable {
        var count: Int
        var latency: Latency?
        var throughput: Throughput?
        var promptLength: Summary?
        var outputLength: Summary?
        var promptTokens: Summary?
        var outputTokens: Summary?

        enum CodingKeys: String, CodingKey {
            case count, latency, throughput
            case promptLength = "prompt_len"
            case outputLength = "output_len"
            case promptTokens = "prompt_tokens"
            case outputTokens = "output_tokens"
        }
    }

    struct Failures: Decodable {
        var count: Int
    }

    struct Latency: Decodable {
        var requestLatency: Summary?
        var timeToFirstToken: Summary?
        var timePerOutputToken: Summary?
        var interTokenLatency: Summary?

        enum CodingKeys: String, CodingKey {
            case requestLatency = "request_latency"
            case timeToFirstToken = "time_to_first_token"
            case timePerOutputToken = "time_per_output_token"
            case interTokenLatency = "inter_token_latency"
        }
    }

    struct Throughput: Decodable {
        var requestsPerSecond: Double?
        var outputTokensPerSecond: Double?
        var totalTokensPerSecond: Double?

        enum CodingKeys: String, CodingKey {
            case requestsPerSecond = "requests_per_sec"
            case outputTokensPerSecond = "output_tokens_per_sec"
            case totalTokensPerSecond = "total_tokens_per_sec"
        }
    }

    /// `summarize()`'s output: mean, min, max, `median` and `pNN` keys (any of them may be missing), or for token
    /// usage also `total`.
    struct Summary: Decodable {
        var mean: Double?
        var max: Double?
        var total: Double?
        var percentiles: [Double: Double]

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: ImportKey.self)
            func number(_ key: String) -> Double? {
                (try? c.decodeIfPresent(Double.self, forKey: ImportKey(key))) ?? nil
            }
            mean = number("mean")
            max = number("max")
            total = number("total")
            percentiles = [:]
            for key in c.allKeys {
                let name = key.stringValue
                let q: Double?
                if name == "median" {
                    q = 0.5
                } else if name.hasPrefix("p"), let value = Double(name.dropFirst()), value > 0, value < 100 {
                    q = value / 100
                } else {
                    q = nil
                }
                if let q, let value = number(name) { percentiles[q] = value }
            }
        }
    }
}

extension InferencePerfImport {
    /// inference-perf's per-request report (`per_request_lifecycle_metrics.json`, written beside the summary when
    /// `report.request_lifecycle.per_request` is on): a JSON array of {start_time, end_time (seconds),
    /// computed_metrics {request_latency, time_to_first_token, inter_token_latencies, input_tokens, output_tokens}
    /// for a success, error for a failure}.
    /// - Returns: the records in send order, times in seconds from the first send.
    /// - Throws: ``HeadroomError`` naming the entry and field that is not inference-perf's.
    static func records(fromPerRequest data: Data, file: String) throws(HeadroomError) -> [BenchRequestRecord] {
        let entries = try ImportSupport.decode([InferencePerfRequest].self, from: data, file: file, tool: tool)
        guard let origin = entries.map(\.startTime).min() else { return [] }
        var records: [BenchRequestRecord] = []
        for entry in entries.sorted(by: { $0.startTime < $1.startTime }) {
            let m = entry.computedMetrics
            let failed = entry.error != nil
            records.append(
                BenchRequestRecord(
                    index: records.count, intendedSendSeconds: entry.startTime - origin,
                    actualSendSeconds: entry.startTime - origin,
                    inputTokens: ImportSupport.count(m?.inputTokens) ?? 0,
                    requestedOutputTokens: ImportSupport.count(m?.outputTokens) ?? 0,
                    outcome: failed ? .httpError : .success, error: entry.error.map { "\($0)" },
                    ttftSeconds: failed ? nil : m?.timeToFirstToken,
                    e2eSeconds: failed ? nil : (m?.requestLatency ?? entry.endTime - entry.startTime),
                    itlSeconds: m?.interTokenLatencies ?? [], outputTokens: ImportSupport.count(m?.outputTokens) ?? 0,
                    outputTokensSource: "usage", contentChunks: (m?.interTokenLatencies?.count).map { $0 + 1 } ?? 0))
        }
        return records
    }
}

/// One entry of inference-perf's `per_request_lifecycle_metrics.json`.
struct InferencePerfRequest: Decodable {
    struct Computed: Decodable {
        var requestLatency: Double?
        var timeToFirstToken: Double?
        var interTokenLatencies: [Double]?
        var inputTokens: Double?
        var outputTokens: Double?

        enum CodingKeys: String, CodingKey {
            case requestLatency = "request_latency"
            case timeToFirstToken = "time_to_first_token"
            case interTokenLatencies = "inter_token_latencies"
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
        }
    }

    var startTime: Double
    var endTime: Double
    var computedMetrics: Computed?
    /// The failure as inference-perf wrote it (an object); only its presence and text matter here.
    var error: String?

    enum CodingKeys: String, CodingKey {
        case startTime = "start_time"
        case endTime = "end_time"
        case computedMetrics = "computed_metrics"
        case error
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        startTime = try c.decode(Double.self, forKey: .startTime)
        endTime = try c.decode(Double.self, forKey: .endTime)
        computedMetrics = try c.decodeIfPresent(Computed.self, forKey: .computedMetrics)
        if (try? c.decodeNil(forKey: .error)) ?? true {
            error = nil
        } else if let text = try? c.decode(String.self, forKey: .error) {
            error = text
        } else {
            let e = try c.nestedContainer(keyedBy: ImportKey.self, forKey: .error)
            let parts = ["error_type", "error_msg"].compactMap {
                (try? e.decodeIfPresent(String.self, forKey: ImportKey($0))) ?? nil
            }
            error = parts.isEmpty ? "error" : parts.joined(separator: ": ")
        }
    }
}
