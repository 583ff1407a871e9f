public import Foundation
public import HeadroomCore
internal import SwiftCSV

/// Reads calibration CSVs (the `shared/calibration/measured_inference.csv` format) into ``CalibrationPoint``s.
///
/// Names in the rows (`NVIDIA H100 80GB HBM3`, `Llama-3.1 70B`, `FP8 (weights+KV)`, `TensorRT-LLM v0.17 …`) are
/// mapped to catalog ids by the rules below; a row that cannot be mapped is returned as skipped with the reason,
/// never guessed.
public enum CalibrationLoader {
    public struct Loaded: Sendable {
        public var measurements: [CalibrationPoint]
        public var skipped: [(origin: String, reason: String)]

        public init(measurements: [CalibrationPoint] = [], skipped: [(origin: String, reason: String)] = []) {
            self.measurements = measurements
            self.skipped = skipped
        }
    }

    /// Which bundled rows to read: files named `*_holdout.csv` hold whole runs set aside from every fit, so that
    /// `headroom validate` can score the model on rows it never saw.
    public enum Holdout: String, Sendable, CaseIterable {
        /// Every row (validation).
        case include
        /// Only rows a fit may use (`headroom calibrate`).
        case exclude
        /// Only the held-out rows.
        case only

        func admits(_ file: String) -> Bool {
            let heldOut = file.hasSuffix("_holdout.csv")
            switch self {
            case .include: return true
            case .exclude: return !heldOut
            case .only: return heldOut
            }
        }
    }

    /// The bundled calibration files.
    public static func bundled(holdout: Holdout = .include) throws -> Loaded {
        let folder = try CatalogLoader.resourcesURL.appendingPathComponent("calibration")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".csv") && holdout.admits($0)
        }
        .sorted()
        var result = Loaded(measurements: [], skipped: [])
        for name in names {
            let loaded = try load(url: folder.appendingPathComponent(name))
            result.measurements += loaded.measurements
            result.skipped += loaded.skipped
        }
        return result
    }

    /// One calibration CSV.
    public static func load(url: URL) throws -> Loaded {
        let text = try readText(url)
        return try parse(csv: text, file: url.lastPathComponent)
    }

    /// Parses CSV text; `file` names rows in errors and origins.
    public static func parse(csv text: String, file: String) throws -> Loaded {
        let table: CSV<Named>
        do {
            table = try CSV<Named>(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            throw HeadroomError(.invalidFile, "not valid CSV: \(error)", file: file)
        }
        for column in [
            "accelerator", "n_accelerators", "model", "precision", "framework", "scenario", "input_len",
            "output_len", "concurrency_or_qps", "metric", "value", "unit", "source",
        ]
        where !table.header.contains(column) {
            throw HeadroomError(.invalidFile, "missing column '\(column)'", file: file, line: 1, field: column)
        }
        var result = Loaded(measurements: [], skipped: [])
        for (index, row) in table.rows.enumerated() {
            let origin = "\(file):\(index + 2)"
            switch measurement(from: row, origin: origin) {
            case .success(let value): result.measurements.append(value)
            case .failure(let reason): result.skipped.append((origin, reason.message))
            }
        }
        return result
    }

    struct Skip: Error {
        var message: String
    }

    static func measurement(from row: [String: String], origin: String) -> Result<CalibrationPoint, Skip> {
        func field(_ name: String) -> String { row[name]?.trimmingCharacters(in: .whitespaces) ?? "" }
        guard let accelerator = acceleratorID(field("accelerator")) else {
            return .failure(Skip(message: "accelerator '\(field("accelerator"))' is not in the catalog"))
        }
        guard let model = modelID(field("model")) else {
            return .failure(Skip(message: "model '\(field("model"))' is not in the catalog"))
        }
        guard let stack = stackID(field("framework")) else {
            return .failure(Skip(message: "framework '\(field("framework"))' is not a modelled stack"))
        }
        guard let (precision, kv) = precisions(field("precision")) else {
            return .failure(Skip(message: "precision '\(field("precision"))' not recognised"))
        }
        guard let count = Int(field("n_accelerators")), count > 0 else {
            return .failure(Skip(message: "n_accelerators '\(field("n_accelerators"))' is not a positive integer"))
        }
        guard let input = Int(field("input_len")), let output = Int(field("output_len")), input > 0, output > 0 else {
            return .failure(Skip(message: "input_len/output_len are not positive integers"))
        }
        guard let raw = Double(field("value")), raw > 0, raw.isFinite else {
            return .failure(Skip(message: "value '\(field("value"))' is not a positive number"))
        }
        let notes = field("notes")
        let tp = integer(after: "TP=", in: notes) ?? count
        let pp = integer(after: "PP=", in: notes) ?? 1
        let ep = integer(after: "EP=", in: notes) ?? 1
        let lowerNotes = notes.lowercased()
        // Speculative decoding changes tokens per step; the model has no acceptance-rate term, so such rows are not
        // predicted rather than mispredicted.
        for marker in ["mtp on", "mtp=on", "speculative decoding on", "eagle", "mtp enabled", "with mtp"]
        where lowerNotes.contains(marker) {
            return .failure(Skip(message: "speculative decoding (\(marker)) is not modelled"))
        }
        // The layout is read from the normaliser's tokens before " | " where a row has them: the free text after it
        // quotes the source, which may name data-parallel attention only to say it was off ("TP8 no DP-attention").
        let layoutNotes = lowerNotes.range(of: " | ").map { String(lowerNotes[..<$0.lowerBound]) } ?? lowerNotes
        let attentionDP = ["dp-attention", "dp attention", "attention dp", "attention_dp", "dp_attention"].contains {
            layoutNotes.contains($0)
        }
        guard let metric = metric(field("metric")) else {
            return .failure(Skip(message: "metric '\(field("metric"))' not modelled"))
        }
        let unit = field("unit").lowercased()
        var value = raw
        if unit == "ms" { value = raw / 1000 } else if unit == "s" { value = raw }
        // Throughput stated per accelerator: the model predicts the whole deployment's.
        let metricText = field("metric").lowercased()
        if metric.group == .throughput, metricText.contains("per gpu") || metricText.contains("per accelerator") {
            value *= Double(count)
        }
        let scenarioText = field("scenario").lowercased()
        let load = field("concurrency_or_qps")
        let lowerLoad = load.lowercased()
        let scenario: CalibrationPoint.Scenario
        if scenarioText.contains("offline") || lowerLoad.contains("offline") {
            scenario = .offline
        } else if let concurrency = integer(after: "concurrency=", in: lowerLoad)
            ?? integer(after: "concurrency ", in: lowerLoad) ?? integer(after: "concurrency: ", in: lowerLoad)
        {
            guard concurrency >= 1 else {
                return .failure(Skip(message: "concurrency '\(load)' is not a positive integer"))
            }
            scenario = .concurrency(concurrency)
        } else if load.uppercased().hasPrefix("QPS=") {
            guard let requests = integer(before: " requests", in: notes) else {
                return .failure(Skip(message: "online row without a request count in notes"))
            }
            let rateText = load.dropFirst(4).prefix { $0.isNumber || $0 == "." }
            scenario = .online(rate: Double(rateText), requests: requests)
        } else {
            return .failure(Skip(message: "scenario '\(field("scenario"))' not modelled"))
        }
        return .success(
            CalibrationPoint(
                origin: origin, source: field("source"), acceleratorID: accelerator, modelID: model, stackID: stack,
                precision: precision, kvPrecision: kv, count: count, tensorParallel: tp, pipelineParallel: pp,
                scenario: scenario, inputTokens: input, outputTokens: output, metric: metric, value: value,
                memoryFraction: memoryFraction(framework: field("framework"))
            ).with(
                expertParallel: ep, attentionDataParallel: attentionDP && tp > 1,
                maxNumSeqs: integer(after: "max_num_seqs=", in: notes),
                memoryFraction: decimal(after: "memory_fraction=", in: notes))
        )
    }

    /// TensorRT-LLM's published trtllm-bench runs raise the KV fraction: "we also use a higher KV cache percentage by
    /// setting `--kv_cache_free_gpu_mem_fraction 0.95`" (NVIDIA/TensorRT-LLM docs/source/performance/perf-overview.md).
    static func memoryFraction(framework: String) -> Double? {
        framework.lowercased().contains("trtllm-bench") ? 0.95 : nil
    }

    /// Catalog id for an accelerator as calibration sources name it.
    static func acceleratorID(_ name: String) -> String? {
        let text = name.uppercased()
        let rules: [(String, String)] = [
            ("GB200", "gb200"), ("GH200", "gh200"), ("B200", "b200"), ("H200", "h200"), ("H100 PCIE", "h100-pcie"),
            ("H100", "h100-sxm"), ("A100", "a100-80g"), ("L40S", "l40s"), ("MI325X", "mi325x"),
            ("MI300X", "mi300x"), ("GAUDI 3", "gaudi3"), ("GAUDI3", "gaudi3"), ("TRAINIUM2", "trn2"),
            ("TRN2", "trn2"), ("V5E", "tpu-v5e"), ("V5P", "tpu-v5p"), ("V6E", "tpu-v6e"), ("TRILLIUM", "tpu-v6e"),
        ]
        return rules.first { text.contains($0.0) }?.1
    }

    /// Catalog id for a model as calibration sources name it.
    static func modelID(_ name: String) -> String? {
        let text = name.lowercased().replacingOccurrences(of: "meta-", with: "")
        let compact = text.filter { !$0.isWhitespace && $0 != "-" && $0 != "_" }
        let rules: [(String, String)] = [
            ("llama3.18b", "llama-3.1-8b"), ("llama3.170b", "llama-3.1-70b"), ("llama3.1405b", "llama-3.1-405b"),
            ("llama3.370b", "llama-3.3-70b"), ("llama270b", "llama-2-70b"), ("llama27b", "llama-2-7b"),
            ("mixtral8x22b", "mixtral-8x22b"), ("mixtral8x7b", "mixtral-8x7b"), ("mistral7b", "mistral-7b"),
            ("deepseekr1", "deepseek-r1"), ("deepseekv3", "deepseek-v3"), ("gptoss120b", "gpt-oss-120b"),
            ("gptoss20b", "gpt-oss-20b"), ("qwen3235b", "qwen3-235b-a22b"), ("qwen332b", "qwen3-32b"),
            ("qwen2.572b", "qwen2.5-72b"), ("qwen2.57b", "qwen2.5-7b"),
        ]
        return rules.first { compact.contains($0.0) }?.1
    }

    static func stackID(_ framework: String) -> String? {
        let text = framework.lowercased()
        if text.contains("tensorrt") || text.contains("trt-llm") || text.contains("trtllm") { return "trtllm" }
        if text.contains("sglang") { return "sglang" }
        if text.contains("vllm") { return "vllm" }
        return nil
    }

    static func precisions(_ text: String) -> (Precision, Precision)? {
        let upper = text.uppercased()
        // "FP8 weights, BF16 KV (the source's words)": an explicit KV dtype before the parenthesis wins.
        let head = upper.components(separatedBy: " (").first ?? upper
        let statedKV: Precision? =
            head.contains("BF16 KV") ? .bf16 : head.contains("FP8 KV") ? .fp8 : nil
        if upper.hasPrefix("NVFP4") || upper.hasPrefix("FP4") { return (.fp4, statedKV ?? .fp8) }
        if upper.hasPrefix("MXFP4") { return (.mxfp4, statedKV ?? .bf16) }
        if upper.hasPrefix("FP8") {
            return (.fp8, statedKV ?? (upper.contains("KV") || upper.contains("+") ? .fp8 : .bf16))
        }
        if upper.hasPrefix("INT8") { return (.int8, .bf16) }
        if upper.hasPrefix("INT4") || upper.hasPrefix("AWQ") { return (.int4AWQ, .bf16) }
        if upper.hasPrefix("BF16") { return (.bf16, .bf16) }
        if upper.hasPrefix("FP16") { return (.fp16, .fp16) }
        return nil
    }

    static func metric(_ text: String) -> CalibrationPoint.Metric? {
        let lower = text.lowercased()
        if lower.hasPrefix("output throughput") || lower.hasPrefix("output token throughput") {
            return .outputThroughput
        }
        if lower.hasPrefix("total token throughput") { return .totalThroughput }
        if lower.hasPrefix("request throughput") { return .requestThroughput }
        let ttft = lower.contains("ttft")
        let tpot = lower.contains("tpot") || lower.contains("itl")
        guard ttft || tpot else { return nil }
        // "mean TTFT", "TTFT mean", "median TPOT", "TPOT p50", "p99 ITL"…
        let words = Set(lower.split { !$0.isLetter && !$0.isNumber }.map(String.init))
        if words.contains("mean") || words.contains("average") || words.contains("avg") {
            return ttft ? .meanTTFT : .meanTPOT
        }
        if words.contains("median") || words.contains("p50") { return ttft ? .medianTTFT : .medianTPOT }
        if words.contains("p99") { return ttft ? .p99TTFT : .p99TPOT }
        return nil
    }

    static func integer(after marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    static func decimal(after marker: String, in text: String) -> Double? {
        guard let range = text.range(of: marker) else { return nil }
        return Double(text[range.upperBound...].prefix { $0.isNumber || $0 == "." })
    }

    static func integer(before marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        let digits = text[..<range.lowerBound].reversed().prefix { $0.isNumber }
        return Int(String(digits.reversed()))
    }
}
