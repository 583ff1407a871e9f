#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// AIPerf `profile_export_aiperf.json` and GenAI-Perf `profile_export_genai_perf.json`: one object per metric tag
/// (`time_to_first_token`, `inter_token_latency`, `request_latency`, `output_token_throughput`,
/// `request_throughput`, `input_sequence_length`, `output_sequence_length`, `benchmark_duration`, `request_count`,
/// …) with its `unit` and `avg`, `p50`…`p99`, `min`, `max`, `std`; at the top level or, in some AIPerf versions,
/// under `records`; plus the run's `input_config`. Schemas: ai-dynamo/aiperf `aiperf/exporters/json_exporter.py`
/// and `docs/tutorials/working-with-profile-exports.md`; triton-inference-server/perf_analyzer
/// `genai-perf/genai_perf/export_data/json_exporter.py`. Both tools define inter-token latency as
/// (request latency − TTFT) / (output tokens − 1): Headroom's TPOT.
enum AIPerfImport {
    static func result(from data: Data, file: String) throws(HeadroomError) -> BenchResult {
        let export = try ImportSupport.decode(AIPerfExport.self, from: data, file: file, tool: "AIPerf/GenAI-Perf")
        let tool = export.isAIPerf ? "AIPerf" : "GenAI-Perf"
        let version = ImportSupport.version(of: data).map { " \($0)" } ?? ""
        let prefix = export.recordsWrapped ? "records." : ""
        func fail(_ message: String, _ name: String) -> HeadroomError {
            HeadroomError(
                .invalidFile, "\(message) (\(tool)\(version) export, a layout Headroom does not read)", file: file,
                field: prefix + name)
        }
        func metric(_ name: String) -> AIPerfExport.Metric? { export.metrics[name] }
        func rate(_ name: String) throws(HeadroomError) -> Double {
            guard let m = metric(name) else { throw fail("missing from this \(tool) export", name) }
            guard let avg = m.avg, avg.isFinite else { throw fail("has no avg", name) }
            return avg
        }
        let requestsPerSecond = try rate("request_throughput")
        let outputPerSecond = try rate("output_token_throughput")
        var filled: [String] = []
        func latency(_ name: String) throws(HeadroomError) -> BenchDistribution? {
            guard let m = metric(name) else { return nil }
            guard let scale = ImportSupport.secondsPer(unit: m.unit) else {
                throw fail("unit '\(m.unit ?? "none")' is not a time unit", "\(name).unit")
            }
            var percentiles: [Double: Double] = [:]
            for (q, v) in [(0.5, m.p50), (0.9, m.p90), (0.95, m.p95), (0.99, m.p99)] {
                if let v { percentiles[q] = v * scale }
            }
            return ImportSupport.distribution(
                mean: m.avg.map { $0 * scale }, percentiles: percentiles, max: m.max.map { $0 * scale },
                count: m.count ?? export.requestCount ?? 0, name: name, filled: &filled)
        }
        let ttft = try latency("time_to_first_token")
        let tpot = try latency("inter_token_latency")
        let itl = try latency("inter_chunk_latency") ?? tpot
        let e2e = try latency("request_latency")
        var warnings = ImportSupport.interpolationWarning(filled, tool: tool)
        let meanInput = metric("input_sequence_length")?.avg ?? 0
        let meanOutput = metric("output_sequence_length")?.avg ?? outputPerSecond / max(requestsPerSecond, 1e-12)
        let durationScale = ImportSupport.secondsPer(unit: metric("benchmark_duration")?.unit) ?? 1
        let errors = ImportSupport.count(metric("error_request_count")?.avg) ?? 0
        let completed = export.requestCount ?? 0
        let duration =
            metric("benchmark_duration")?.avg.map { $0 * durationScale }
            ?? Double(completed) / max(requestsPerSecond, 1e-12)
        let config = export.config
        var load = BenchLoad(mode: BenchLoad.unknownMode, requests: completed + errors, dataset: tool.lowercased())
        switch config.phaseType {
        case "concurrency"?:
            if let concurrency = config.concurrency {
                load.mode = "concurrency"
                load.concurrency = concurrency
            }
        case let type? where ["constant", "poisson", "gamma"].contains(type):
            if let rate = config.requestRate {
                load.mode = type
                load.rateRequestsPerSecond = rate
                load.concurrency = config.concurrency
                if type == "gamma" {
                    load.burstiness = config.smoothness.flatMap(VLLMImport.coefficientOfVariation(gammaShape:))
                }
            }
        case let type?:
            warnings.append(
                "\(tool) phase type '\(type)' (input_config.phases[].type) is not one Headroom knows; the load is "
                    + "recorded as unknown")
        case nil:
            if let concurrency = config.concurrency, config.requestRate == nil {
                load.mode = "concurrency"
                load.concurrency = concurrency
            } else if let rate = config.requestRate {
                load.mode = "poisson"
                load.rateRequestsPerSecond = rate
                load.concurrency = config.concurrency
            }
        }
        if load.mode == BenchLoad.unknownMode,
            config.phaseType.map({ ["concurrency", "constant", "poisson", "gamma"].contains($0) }) ?? true
        {
            warnings.append(
                "\(tool) input_config names no concurrency or request rate (input_config.phases[].concurrency, "
                    + ".rate, or loadgen); the load is recorded as unknown")
        }
        load.warmupRequests = config.warmupRequestCount ?? 0
        load.meanInputTokens = meanInput
        load.meanOutputTokens = meanOutput
        var outcomes = ["success": completed]
        if errors > 0 { outcomes[BenchOutcome.httpError.rawValue] = errors }
        let aggregates = BenchAggregates(
            durationSeconds: duration, completed: completed, outcomes: outcomes,
            requestsPerSecond: requestsPerSecond, outputTokensPerSecond: outputPerSecond,
            totalTokensPerSecond: metric("total_token_throughput")?.avg
                ?? requestsPerSecond * (meanInput + meanOutput),
            ttftSeconds: ttft, tpotSeconds: tpot, itlSeconds: itl, e2eSeconds: e2e, meanInputTokens: meanInput,
            meanOutputTokens: meanOutput, outputTokensFromUsage: false, clientBottleneck: false)
        let target = BenchTarget(
            url: config.url ?? "unknown", api: config.endpointType == "chat" ? "chat" : "completions",
            model: config.model ?? "unknown", notes: "\(tool) profile export")
        // AIPerf writes its start time in the local time of the machine that ran it, with no zone.
        let startedAt = export.startTime ?? ""
        if !startedAt.isEmpty, !Self.hasZone(startedAt) {
            warnings.append(
                "\(tool)'s start_time (\(startedAt)) has no time zone: it is the local time of the machine that ran it")
        }
        return BenchResult(
            tool: export.isAIPerf ? "import:aiperf" : "import:genai-perf", startedAt: startedAt,
            target: target, load: load,
            definitions: ImportSupport.definitions(
                source: "\(tool) profile export JSON; times converted to s from each metric's unit",
                overrides: [
                    "tpot": "\(tool)'s inter_token_latency: (request latency − TTFT) / (output tokens − 1)"
                ]),
            requests: [], aggregates: aggregates, warnings: warnings)
    }
}

extension AIPerfImport {
    /// Whether an ISO 8601 date-time ends in a zone (`Z` or `±hh:mm`).
    static func hasZone(_ text: String) -> Bool {
        guard let t = text.firstIndex(of: "T") else { return false }
        let time = text[text.index(after: t)...]
        return time.hasSuffix("Z") || time.contains("+") || time.contains("-")
    }
}

/// The parts of an AIPerf or GenAI-Perf export Headroom reads.
struct AIPerfExport: Decodable {
    var metrics: [String: Metric]
    var recordsWrapped: Bool
    var isAIPerf: Bool
    var startTime: String?
    var config: Config
    var requestCount: Int? { ImportSupport.count(metrics["request_count"]?.avg) }

    struct Metric: Decodable {
        var unit: String?
        var avg: Double?
        var p50: Double?
        var p90: Double?
        var p95: Double?
        var p99: Double?
        var max: Double?
        var count: Int?
    }

    /// The load settings, from AIPerf's nested `input_config` (`endpoint`, `loadgen`) or GenAI-Perf's flat one
    /// (or its config-file layout under `perf_analyzer.stimulus`). Read leniently: the layout is not stable.
    struct Config: Decodable {
        var model: String?
        var url: String?
        var endpointType: String?
        var concurrency: Int?
        var requestRate: Double?
        var warmupRequestCount: Int?
        /// AIPerf 0.13's measured phase type (`concurrency`, `constant`, `poisson`, `gamma`, …), when it has phases.
        var phaseType: String?
        /// The gamma phase's `smoothness` (its shape k).
        var smoothness: Double?
        var nested = false

        init() {}

        struct Phase {
            var type: String?
            var concurrency: Double?
            var rate: Double?
            var smoothness: Double?
            var requests: Double?
            var excluded: Bool
        }

        /// The `phases` array of AIPerf 0.13's config (snake_case or camelCase keys), empty when there is none.
        static func phases(_ c: KeyedDecodingContainer<ImportKey>) -> [Phase] {
            guard var list = try? c.nestedUnkeyedContainer(forKey: ImportKey("phases")) else { return [] }
            var phases: [Phase] = []
            while !list.isAtEnd {
                guard let p = try? list.nestedContainer(keyedBy: ImportKey.self) else { break }
                func number(_ keys: String...) -> Double? {
                    for key in keys {
                        if let v = try? p.decodeIfPresent(Double.self, forKey: ImportKey(key)) { return v }
                    }
                    return nil
                }
                let excluded =
                    (try? p.decodeIfPresent(Bool.self, forKey: ImportKey("exclude_from_results")))
                    ?? (try? p.decodeIfPresent(Bool.self, forKey: ImportKey("excludeFromResults"))) ?? nil
                let kind = (try? p.decodeIfPresent(String.self, forKey: ImportKey("kind"))) ?? nil
                phases.append(
                    Phase(
                        type: (try? p.decodeIfPresent(String.self, forKey: ImportKey("type"))) ?? nil,
                        concurrency: number("concurrency"), rate: number("rate"), smoothness: number("smoothness"),
                        requests: number("requests"), excluded: excluded ?? (kind == "warmup")))
            }
            return phases
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: ImportKey.self)
            func string(_ container: KeyedDecodingContainer<ImportKey>?, _ key: String) -> String? {
                if let s = try? container?.decodeIfPresent(String.self, forKey: ImportKey(key)) { return s }
                return (try? container?.decodeIfPresent([String].self, forKey: ImportKey(key)))?.first
            }
            func number(_ container: KeyedDecodingContainer<ImportKey>?, _ key: String) -> Double? {
                (try? container?.decodeIfPresent(Double.self, forKey: ImportKey(key))) ?? nil
            }
            func nested(
                _ container: KeyedDecodingContainer<ImportKey>?, _ key: String
            )
                -> KeyedDecodingContainer<ImportKey>?
            {
                try? container?.nestedContainer(keyedBy: ImportKey.self, forKey: ImportKey(key))
            }
            let endpoint = nested(c, "endpoint")
            let loadgen = nested(c, "loadgen")
            let stimulus = nested(nested(c, "perf_analyzer"), "stimulus")
            // AIPerf 0.13: `models.items[].name`, `endpoint.urls[]` and the load as `phases[]` of
            // {type: concurrency|constant|poisson|gamma, concurrency, rate, smoothness, exclude_from_results}.
            var modelItems = try? nested(c, "models")?.nestedUnkeyedContainer(forKey: ImportKey("items"))
            let firstModel = try? modelItems?.nestedContainer(keyedBy: ImportKey.self)
            let phases = Self.phases(c)
            self.nested = endpoint != nil || loadgen != nil || !phases.isEmpty
            model =
                string(firstModel, "name") ?? string(endpoint, "model_names") ?? string(c, "model")
                ?? string(c, "model_names")
            url = string(endpoint, "urls") ?? string(endpoint, "url") ?? string(c, "url")
            endpointType = string(endpoint, "type") ?? string(c, "endpoint_type")
            if let phase = phases.last(where: { !$0.excluded }) {
                phaseType = phase.type
                concurrency = ImportSupport.count(phase.concurrency)
                requestRate = phase.rate
                smoothness = phase.smoothness
                warmupRequestCount = phases.filter(\.excluded).compactMap { ImportSupport.count($0.requests) }.first
            } else {
                concurrency = ImportSupport.count(
                    number(loadgen, "concurrency") ?? number(c, "concurrency") ?? number(stimulus, "concurrency"))
                requestRate =
                    number(loadgen, "request_rate") ?? number(c, "request_rate") ?? number(stimulus, "request_rate")
                warmupRequestCount = ImportSupport.count(
                    number(loadgen, "warmup_request_count") ?? number(c, "warmup_request_count"))
            }
        }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ImportKey.self)
        let source: KeyedDecodingContainer<ImportKey>
        if c.contains(ImportKey("records")) {
            source = try c.nestedContainer(keyedBy: ImportKey.self, forKey: ImportKey("records"))
            recordsWrapped = true
        } else {
            source = c
            recordsWrapped = false
        }
        metrics = [:]
        for key in source.allKeys where key.stringValue != "input_config" {
            // Only objects with a unit are metrics; other entries (error_summary, telemetry_data, …) are skipped.
            guard let nested = try? source.nestedContainer(keyedBy: ImportKey.self, forKey: key),
                nested.contains(ImportKey("unit"))
            else { continue }
            metrics[key.stringValue] = try source.decode(Metric.self, forKey: key)
        }
        config = try c.decodeIfPresent(Config.self, forKey: ImportKey("input_config")) ?? Config()
        startTime = try? c.decodeIfPresent(String.self, forKey: ImportKey("start_time"))
        isAIPerf =
            recordsWrapped || config.nested || c.contains(ImportKey("error_summary"))
            || c.contains(ImportKey("was_cancelled"))
        if metrics.isEmpty {
            throw ImportFieldError(field: "request_throughput", message: "no metrics found in this export")
        }
    }
}

extension AIPerfImport {
    /// AIPerf's per-request records, `profile_export.jsonl` beside the aggregate export: one JSON object per line
    /// with `metadata` (`request_start_ns`, `credit_issued_ns`, `benchmark_phase`, `was_cancelled`), `metrics`
    /// (`{value, unit}` each: `time_to_first_token`, `request_latency`, `input_sequence_length`,
    /// `output_sequence_length`, `inter_chunk_latency` as a list) and, for a failed request, `error`.
    /// - Returns: the records in send order, times in seconds from the first send; warm-up records marked as such.
    /// - Throws: ``HeadroomError`` naming the line and field of a record that is not AIPerf's.
    static func records(fromJSONL data: Data, file: String) throws(HeadroomError) -> [BenchRequestRecord] {
        var rows: [AIPerfRecord] = []
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() where line.contains(where: { $0 > 32 }) {
            do {
                rows.append(try JSONDecoder().decode(AIPerfRecord.self, from: Data(line)))
            } catch {
                throw HeadroomError(
                    .invalidFile, "line \(number + 1) is not an AIPerf record: \(error)", file: file,
                    line: number + 1, field: "metadata.request_start_ns")
            }
        }
        guard let origin = rows.map({ $0.metadata.creditIssuedNs ?? $0.metadata.requestStartNs }).min() else {
            return []
        }
        func seconds(_ ns: Int64) -> Double { (Double(ns) - Double(origin)) / 1e9 }
        var records: [BenchRequestRecord] = []
        for row in rows.sorted(by: { $0.metadata.requestStartNs < $1.metadata.requestStartNs }) {
            let m = row.metrics
            func value(_ name: String) -> Double? {
                guard let metric = m[name], let v = metric.value else { return nil }
                return v * (ImportSupport.secondsPer(unit: metric.unit) ?? 1)
            }
            let outcome: BenchOutcome =
                row.metadata.wasCancelled == true
                ? .cancelled : row.error.map { ImportSupport.outcome(forError: $0.text) } ?? .success
            let ok = outcome == .success
            let chunkGaps = m["inter_chunk_latency"]?.values ?? []
            let scale = ImportSupport.secondsPer(unit: m["inter_chunk_latency"]?.unit) ?? 1e-3
            let output = ImportSupport.count(value("output_sequence_length")) ?? 0
            records.append(
                BenchRequestRecord(
                    index: records.count, warmup: row.metadata.benchmarkPhase == "warmup",
                    intendedSendSeconds: seconds(row.metadata.creditIssuedNs ?? row.metadata.requestStartNs),
                    actualSendSeconds: seconds(row.metadata.requestStartNs),
                    inputTokens: ImportSupport.count(value("input_sequence_length") ?? value("error_isl")) ?? 0,
                    requestedOutputTokens: output, outcome: outcome, error: row.error?.text,
                    ttftSeconds: ok ? value("time_to_first_token") : nil,
                    e2eSeconds: ok ? value("request_latency") : nil, itlSeconds: chunkGaps.map { $0 * scale },
                    outputTokens: output, outputTokensSource: "usage", contentChunks: ok ? chunkGaps.count + 1 : 0))
        }
        return records
    }
}

/// One line of AIPerf's `profile_export.jsonl`.
struct AIPerfRecord: Decodable {
    struct Metadata: Decodable {
        var requestStartNs: Int64
        var creditIssuedNs: Int64?
        var benchmarkPhase: String?
        var wasCancelled: Bool?

        enum CodingKeys: String, CodingKey {
            case requestStartNs = "request_start_ns"
            case creditIssuedNs = "credit_issued_ns"
            case benchmarkPhase = "benchmark_phase"
            case wasCancelled = "was_cancelled"
        }
    }

    /// A metric: `value` is a number, or a list (per-chunk gaps).
    struct Metric: Decodable {
        var value: Double?
        var values: [Double]?
        var unit: String?

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: ImportKey.self)
            unit = try? c.decodeIfPresent(String.self, forKey: ImportKey("unit"))
            value = (try? c.decodeIfPresent(Double.self, forKey: ImportKey("value"))) ?? nil
            values = (try? c.decodeIfPresent([Double].self, forKey: ImportKey("value"))) ?? nil
        }
    }

    struct Failure: Decodable {
        var type: String?
        var message: String?
        var text: String { [type, message].compactMap(\.self).joined(separator: ": ") }
    }

    var metadata: Metadata
    var metrics: [String: Metric]
    var error: Failure?
}
