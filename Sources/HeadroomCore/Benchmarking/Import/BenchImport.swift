#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Reads other benchmark tools' result files into Headroom's ``BenchResult`` schema. Pure: takes the file's bytes
/// and its name (for errors), reads nothing from disk.
///
/// Formats and the schemas they follow:
/// - ``Format/vllm``: `vllm bench serve --save-result [--save-detailed]` (vllm-project/vllm
///   `vllm/benchmarks/serve.py`); per-request records when the detailed arrays are present.
/// - ``Format/guidellm``: `guidellm benchmark --output-path benchmarks.json` (vllm-project/guidellm
///   `src/guidellm/benchmark/benchmark.py`, and the later `schemas/generative/*.py` where `args` became `config`).
///   **Each benchmark in the report becomes its own result**: each ran one strategy (synchronous, concurrent,
///   throughput, constant or Poisson) whose offered load is exact, which a rate-indexed sweep cannot hold.
/// - ``Format/aiperf``: AIPerf `profile_export_aiperf.json` (ai-dynamo/aiperf `aiperf/exporters/json_exporter.py`,
///   metrics at the top level or under `records`) and GenAI-Perf `profile_export_genai_perf.json`
///   (triton-inference-server/perf_analyzer `genai_perf/export_data/json_exporter.py`); aggregates only.
/// - ``Format/inferencePerf``: inference-perf's `summary_lifecycle_metrics.json` and `stage_N_lifecycle_metrics.json`
///   (kubernetes-sigs/inference-perf `inference_perf/reportgen/base.py`); aggregates only.
/// - ``Format/headroom``: Headroom's own result file.
///
/// Times are converted to seconds from the unit each tool writes (ms for latencies); where a tool does not report
/// a percentile Headroom's schema holds, it is interpolated between the reported ones and the result says so in
/// its ``BenchResult/warnings``.
public enum BenchImport {
    /// A result file format.
    public enum Format: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case headroom
        case vllm
        case guidellm
        /// AIPerf or GenAI-Perf (the same export layout).
        case aiperf
        /// inference-perf's lifecycle reports (`summary_lifecycle_metrics.json`, `stage_N_lifecycle_metrics.json`).
        case inferencePerf = "inference-perf"

        public var description: String { rawValue }
    }

    /// The format of a result file, judged from its top-level keys; `nil` when it is none Headroom reads.
    /// - Parameter data: the file's bytes.
    /// - Returns: the format, or `nil`.
    public static func detect(data: Data) -> Format? {
        guard let keys = try? JSONDecoder().decode(TopLevelKeys.self, from: data) else { return nil }
        let k = keys.keys
        if let version = keys.schemaVersion, version.hasPrefix("headroom.bench") { return .headroom }
        if k.contains("benchmarks") { return .guidellm }
        if k.contains("successes"), k.contains("load_summary") || k.contains("failures") { return .inferencePerf }
        if k.contains("output_throughput"), k.contains("request_throughput"),
            k.contains("completed") || k.contains("duration")
        {
            return .vllm
        }
        let aiperfMetrics = ["time_to_first_token", "request_throughput", "output_token_throughput", "request_latency"]
        if k.contains("records") || k.contains("input_config") || aiperfMetrics.contains(where: k.contains) {
            return .aiperf
        }
        return nil
    }

    /// Reads a result file.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - file: its name, for errors.
    ///   - format: the format, or `nil` to detect it.
    /// - Returns: one result per run the file holds (a GuideLLM report holds one per benchmark).
    /// - Throws: ``HeadroomError`` naming the file and the field when the file is not what the format says.
    public static func results(
        from data: Data, file: String, format: Format? = nil
    ) throws(HeadroomError)
        -> [BenchResult]
    {
        guard let format = format ?? detect(data: data) else {
            throw HeadroomError(
                .invalidFile,
                "not a result file Headroom reads (Headroom, vllm bench serve, GuideLLM, AIPerf, GenAI-Perf or "
                    + "inference-perf JSON); "
                    + "name the format with `format`", file: file, field: "format")
        }
        switch format {
        case .headroom:
            return [try BenchResult.decode(data, file: file)]
        case .vllm: return [try VLLMImport.result(from: data, file: file)]
        case .guidellm: return try GuideLLMImport.results(from: data, file: file)
        case .aiperf: return [try AIPerfImport.result(from: data, file: file)]
        case .inferencePerf: return [try InferencePerfImport.result(from: data, file: file)]
        }
    }
}

extension BenchImport {
    /// Adds AIPerf's per-request records (`profile_export.jsonl`, written beside `profile_export_aiperf.json`) to a
    /// result imported from the aggregate export; the aggregates stay AIPerf's own.
    /// - Parameters:
    ///   - result: an AIPerf import.
    ///   - jsonl: the records file's bytes.
    ///   - file: its name, for errors.
    /// - Throws: ``HeadroomError`` naming the line of a record that is not AIPerf's.
    public static func attachAIPerfRecords(
        to result: inout BenchResult, jsonl: Data, file: String
    ) throws(HeadroomError) {
        let records = try AIPerfImport.records(fromJSONL: jsonl, file: file)
        result.requests = records
        let measured = records.filter { !$0.warmup }.count
        if measured != result.load.requests {
            result.warnings.append(
                "\(file) holds \(measured) measured requests where the export counts \(result.load.requests)")
        }
    }
}

extension BenchImport {
    /// Adds inference-perf's per-request records (`per_request_lifecycle_metrics.json`, beside the summary) to a
    /// result imported from its summary or stage report, when the record count is the report's request count (a
    /// stage of a multi-stage run holds only some of them: then the records are left out, with a warning).
    /// - Throws: ``HeadroomError`` naming the entry and field that is not inference-perf's.
    public static func attachInferencePerfRecords(
        to result: inout BenchResult, perRequest: Data, file: String
    ) throws(HeadroomError) {
        let records = try InferencePerfImport.records(fromPerRequest: perRequest, file: file)
        guard records.count == result.load.requests else {
            result.warnings.append(
                "\(file) holds \(records.count) requests where this report counts \(result.load.requests); "
                    + "its records are left out")
            return
        }
        result.requests = records
    }
}

/// The top-level keys of a JSON object, for format detection.
private struct TopLevelKeys: Decodable {
    var keys: Set<String>
    var schemaVersion: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ImportKey.self)
        keys = Set(container.allKeys.map(\.stringValue))
        schemaVersion = try? container.decodeIfPresent(String.self, forKey: ImportKey("schema_version"))
    }
}
