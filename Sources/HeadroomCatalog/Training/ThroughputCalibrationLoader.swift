public import Foundation
public import HeadroomCore
import Synchronization

/// Reads `training_throughput_benchmarks.csv` into ``TrainingThroughputPoint``s with the plan each row ran.
///
/// Rows are used where the plan can be reconstructed: llm-foundry's FSDP benchmark tables (MPT shapes from the
/// llm-foundry `scripts/train/yamls/pretrain/mpt-*.yaml` family, e.g. mpt-70b: d_model 8192, 64 heads, 80 layers,
/// expansion 4, vocabulary 50,368; each size's parameter count in the row matches 12·L·d² + V·d) and the Llama 3.1
/// 405B layouts (Table 4 of arXiv 2407.21783), which are reported but not fitted: the paper uses an interleaved
/// schedule without publishing its depth, so the bubble cannot be reconstructed. Megatron-LM rows without a GPU count or layout are skipped with the
/// reason. Measured MFU is recomputed under Headroom's FLOPs definition from the token rate where the row gives one.
public enum ThroughputCalibrationLoader {
    public struct Loaded: Sendable {
        public var points: [TrainingThroughputPoint]
        public var skipped: [(origin: String, reason: String)]
    }

    /// MPT family shapes: (d_model, heads, layers) by size name.
    static let mptShapes: [String: (Int, Int, Int)] = [
        "125m": (768, 12, 12), "350m": (1024, 16, 24), "760m": (1536, 12, 24), "1b": (2048, 16, 24),
        "3b": (2560, 20, 32), "7b": (4096, 32, 32), "13b": (5120, 40, 40), "30b": (7168, 64, 48),
        "70b": (8192, 64, 80),
    ]

    /// What a fitted calibration depends on in a catalog: the parts and the model its rows name.
    private struct CacheKey: Hashable {
        var accelerators: [Accelerator?]
        var model: String
    }

    private static let fitted = Mutex<[CacheKey: ThroughputCalibration]>([:])

    /// The calibration fitted on the bundled benchmarks with `catalog`'s specs, fitted once per process and set of
    /// specs: the fit costs hundreds of milliseconds, and `train` (CLI, API, MCP) asks for it on every plan.
    /// - Returns: nil when the rows cannot be read or fitted (the plan then uses its uncalibrated efficiencies).
    public static func calibration(catalog: Catalog) -> ThroughputCalibration? {
        let key = CacheKey(
            accelerators: ["h100-sxm", "a100-80g"].map { try? catalog.accelerator($0) },
            model: (try? catalog.model("llama-3.1-405b")).map { String(describing: $0) } ?? "")
        if let hit = fitted.withLock({ $0[key] }) { return hit }
        guard let points = try? bundled(catalog: catalog).points else { return nil }
        let calibration = ThroughputCalibration(points: points)
        fitted.withLock { $0[key] = calibration }
        return calibration
    }

    /// The bundled benchmark file.
    public static func bundled(catalog: Catalog) throws -> Loaded {
        try load(
            url: TrainingCalibrationLoader.folder.appendingPathComponent("training_throughput_benchmarks.csv"),
            catalog: catalog)
    }

    public static func load(url: URL, catalog: Catalog) throws -> Loaded {
        let rows = try TrainingCalibrationLoader.table(url)
        var result = Loaded(points: [], skipped: [])
        for (index, row) in rows.enumerated() {
            let origin = "\(url.lastPathComponent):\(index + 2)"
            func field(_ name: String) -> String { row[name]?.trimmingCharacters(in: .whitespaces) ?? "" }
            let name = field("model")
            do {
                if name.hasPrefix("MPT ") {
                    result.points.append(try foundry(row, origin: origin, catalog: catalog, field: field))
                } else if name.hasPrefix("Llama 3.1 405B") {
                    result.points.append(try llama(row, origin: origin, catalog: catalog, field: field))
                } else {
                    result.skipped.append((origin, "no GPU count or layout for \(name)"))
                }
            } catch let error as HeadroomError {
                result.skipped.append((origin, error.message))
            }
        }
        return result
    }

    static func foundry(
        _ row: [String: String], origin: String, catalog: Catalog, field: (String) -> String
    ) throws -> TrainingThroughputPoint {
        let size = String(field("model").dropFirst(4)).lowercased()
        guard let (d, heads, layers) = mptShapes[size], let params = Double(field("params")),
            let sequence = Int(field("seq_len")), let gpus = Int(field("n_gpus")),
            let rate = Double(field("tokens_per_s_per_gpu")), let batch = Double(field("global_batch_tokens"))
        else { throw HeadroomError(.invalidFile, "incomplete llm-foundry row") }
        let accelerator = try catalog.accelerator(field("gpu").hasPrefix("h100") ? "h100-sxm" : "a100-80g")
        let precision: Precision = field("precision").contains("fp8") ? .fp8 : .bf16
        let shape = TrainingModel.Shape(
            layers: layers, hiddenSize: d, attentionHeads: heads, kvHeads: heads, qkHeadDim: d / heads,
            vHeadDim: d / heads, mlpWidth: 4 * d, gatedMLP: false, vocabSize: 50_368)
        let model = TrainingModel(name: field("model"), totalParams: params, computeParams: params, shape: shape)
        let layout = field("parallelism")
        let plan = ParallelismPlan(
            data: gpus, zero: layout.contains("FULL_SHARD") ? .parameters : .gradients,
            checkpointing: field("activation_checkpointing") == "True" ? .full : .none,
            microBatch: integer(after: "micro-batch ", in: layout) ?? 1, sequenceLength: sequence,
            globalBatchTokens: batch)
        guard let peak = accelerator.peakFLOPS(for: precision) else {
            throw HeadroomError(.unsupported, "no \(precision) peak for \(accelerator.id)")
        }
        let mfu = TrainingThroughputPoint.mfu(tokensPerSecond: rate, model: model, sequenceLength: sequence, peak: peak)
        return TrainingThroughputPoint(
            origin: origin, source: field("source"), model: model, accelerator: accelerator, precision: precision,
            plan: plan, measuredMFU: mfu)
    }

    static func llama(
        _ row: [String: String], origin: String, catalog: Catalog, field: (String) -> String
    ) throws -> TrainingThroughputPoint {
        let layout = field("parallelism")
        guard let tp = integer(after: "TP", in: layout), let cp = integer(after: "CP", in: layout),
            let pp = integer(after: "PP", in: layout), let dp = integer(after: "DP", in: layout),
            let gpus = Int(field("n_gpus")), gpus == tp * cp * pp * dp, let mfu = Double(field("MFU_pct"))
        else { throw HeadroomError(.invalidFile, "incomplete Llama 3 row") }
        // The rows leave seq_len empty; Table 4 gives 8,192 for the CP1 stages and 131,072 for the CP16 one.
        let sequence = cp > 1 ? 131_072 : 8192
        let model = TrainingModel(architecture: try catalog.model("llama-3.1-405b"))
        let plan = ParallelismPlan(
            tensor: tp, pipeline: pp, context: cp, data: dp, zero: .gradients, checkpointing: .none,
            sequenceLength: sequence, globalBatchTokens: 16_777_216)
        return TrainingThroughputPoint(
            origin: origin, source: field("source"), model: model, accelerator: try catalog.accelerator("h100-sxm"),
            precision: .bf16, plan: plan,
            measuredMFU: TrainingThroughputPoint.mfu(palmMFU: mfu / 100, model: model, sequenceLength: sequence),
            fitted: false)
    }

    static func integer(after marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
