public import Foundation
public import HeadroomCore
internal import SwiftCSV

/// Reads the bundled training calibration (`Resources/calibration/training/`): published runs for
/// `headroom validate --training`, and measured throughput for fitting the MFU model.
public enum TrainingCalibrationLoader {
    /// The folder of the bundled training calibration files.
    public static var folder: URL {
        get throws { try CatalogLoader.resourcesURL.appendingPathComponent("calibration/training") }
    }

    /// Published runs from `published_runs.csv` (or `url`), with catalog models and accelerators resolved.
    /// - Throws: ``HeadroomError`` naming the file, row and column of a malformed row.
    public static func publishedRuns(catalog: Catalog, url: URL? = nil) throws -> [PublishedTrainingRun] {
        let file = try url ?? folder.appendingPathComponent("published_runs.csv")
        let rows = try table(file)
        var runs: [PublishedTrainingRun] = []
        for (index, row) in rows.enumerated() {
            let origin = "\(file.lastPathComponent):\(index + 2)"
            func field(_ name: String) -> String { row[name]?.trimmingCharacters(in: .whitespaces) ?? "" }
            func number(_ name: String) throws -> Double? {
                let text = field(name)
                guard !text.isEmpty else { return nil }
                guard let value = Double(text), value > 0, value.isFinite else {
                    throw HeadroomError(
                        .invalidFile, "'\(text)' is not a positive number", file: file.path, line: index + 2,
                        field: name)
                }
                return value
            }
            let model: TrainingModel
            if !field("model_id").isEmpty {
                model = TrainingModel(architecture: try catalog.model(field("model_id")))
            } else {
                guard let total = try number("params_total"), let layers = try number("layers"),
                    let hidden = try number("hidden"), let heads = try number("heads"),
                    let kv = try number("kv_heads"), let headDim = try number("head_dim"), let ffn = try number("ffn"),
                    let vocab = try number("vocab")
                else {
                    throw HeadroomError(
                        .invalidFile, "give model_id or the whole shape (params_total … vocab)", file: file.path,
                        line: index + 2, field: "model_id")
                }
                let tied = field("tied") == "yes"
                let embedding = tied ? 0 : vocab * hidden
                let shape = TrainingModel.Shape(
                    layers: Int(layers), hiddenSize: Int(hidden), attentionHeads: Int(heads), kvHeads: Int(kv),
                    qkHeadDim: Int(headDim), vHeadDim: Int(headDim), mlpWidth: Int(ffn),
                    gatedMLP: field("gated") == "yes",
                    vocabSize: Int(vocab))
                model = TrainingModel(
                    name: field("run"), totalParams: total,
                    computeParams: (try number("params_active") ?? total) - embedding,
                    shape: shape)
            }
            let accelerator = field("accelerator").isEmpty ? nil : try catalog.accelerator(field("accelerator"))
            var throughput: PublishedTrainingRun.Throughput?
            if let value = try number("throughput_value") {
                switch field("throughput_kind") {
                case "palm_mfu": throughput = .palmMFU(value)
                case "mfu": throughput = .mfu(value)
                case "hardware_tflops": throughput = .hardwareTFLOPS(value)
                case "tokens_per_s": throughput = .tokensPerSecond(value)
                default:
                    throw HeadroomError(
                        .invalidFile, "throughput_kind must be palm_mfu, mfu, hardware_tflops or tokens_per_s",
                        file: file.path, line: index + 2, field: "throughput_kind")
                }
            }
            guard let tokens = try number("tokens"), let sequence = try number("seq_len") else {
                throw HeadroomError(
                    .invalidFile, "tokens and seq_len are required", file: file.path, line: index + 2, field: "tokens")
            }
            runs.append(
                PublishedTrainingRun(
                    name: field("run"), origin: origin, source: field("source"), sourceDate: field("source_date"),
                    model: model, tokens: tokens, sequenceLength: Int(sequence), accelerator: accelerator,
                    count: try number("count").map { Int($0) }, throughput: throughput,
                    checkpointing: ParallelismPlan.Checkpointing(rawValue: field("checkpointing")) ?? .none,
                    publishedAcceleratorHours: try number("published_gpu_hours"),
                    hoursBasis: PublishedTrainingRun.HoursBasis(rawValue: field("gpu_hours_basis")) ?? .wall,
                    publishedFLOPs: try number("published_flops"),
                    flopsBasis: PublishedTrainingRun.FLOPsBasis(rawValue: field("flops_basis")) ?? .model,
                    enforced: field("enforce") == "yes", notes: field("notes")))
        }
        return runs
    }

    /// Published failure rates per 1,000 node-days (`failure_rates.csv`), by cluster name.
    public static func failureRates() throws -> [(cluster: String, model: FailureModel)] {
        let file = try folder.appendingPathComponent("failure_rates.csv")
        return try table(file).compactMap { row in
            guard let rate = Double(row["failures_per_1000_node_days"] ?? ""),
                let size = Int(row["gpus_per_node"] ?? "")
            else { return nil }
            let model = FailureModel(
                perThousandNodeDays: rate, nodeSize: size,
                provenance: Provenance(source: row["source"] ?? "", asOf: row["source_date"] ?? ""))
            return (row["cluster"] ?? "", model)
        }
    }

    static func table(_ url: URL) throws -> [[String: String]] {
        let text = try readText(url)
        do {
            return try CSV<Named>(string: text, delimiter: .comma, loadColumns: false).rows
        } catch {
            throw HeadroomError(.invalidFile, "not valid CSV: \(error)", file: url.path)
        }
    }
}
