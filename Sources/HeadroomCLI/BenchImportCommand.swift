import ArgumentParser
import Foundation
import HeadroomCore

/// `headroom bench import`: converts another tool's result file into Headroom's bench result schema.
struct BenchImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a vLLM, GuideLLM, AIPerf or GenAI-Perf result file into a Headroom bench result.",
        discussion: """
            Formats: vllm (`vllm bench serve --save-result`, per-request records with --save-detailed), guidellm \
            (`guidellm benchmark --output-path benchmarks.json`; each benchmark becomes its own result), aiperf \
            (AIPerf profile_export_aiperf.json or GenAI-Perf profile_export_genai_perf.json). Latencies are \
            converted to seconds. A file holding several results is written as <output>-1.json, <output>-2.json, … \
            (or printed as a JSON array).
            """
    )

    @Argument(help: "The result file.") var file: String
    @Option(help: "auto, headroom, vllm, guidellm or aiperf.") var format: String = "auto"
    @Option(help: "Write the result here instead of standard output.") var output: String?
    @Option(help: "The accelerator that ran it (catalog id), recorded in the target.") var accelerator: String?
    @Option(help: "Accelerators behind the endpoint.") var count: Int?
    @Option(help: "The serving stack (catalog id).") var stack: String?
    @Option(help: "The catalog model id.") var model: String?
    @Option(help: "Weight precision (bf16, fp8, …).") var precision: String?
    @Option(help: "Tensor-parallel degree.") var tp: Int?

    func run() throws {
        try reportingErrors {
            var results = try Self.load(file, format: Self.format(format))
            for index in results.indices {
                var target = results[index].target
                target.acceleratorID = accelerator ?? target.acceleratorID
                target.acceleratorCount = count ?? target.acceleratorCount
                target.stackID = stack ?? target.stackID
                target.catalogModelID = model ?? target.catalogModelID
                target.precision = precision ?? target.precision
                target.tensorParallel = tp ?? target.tensorParallel
                results[index].target = target
            }
            let texts = results.map { String(decoding: $0.encoded(), as: UTF8.self) }
            guard let output else {
                emit(texts.count == 1 ? texts[0] : "[\n" + texts.joined(separator: ",\n") + "\n]")
                return
            }
            let paths =
                texts.count == 1
                ? [output]
                : texts.indices.map { index in
                    let url = URL(fileURLWithPath: output)
                    let stem = url.deletingPathExtension().path
                    let ext = url.pathExtension.isEmpty ? "json" : url.pathExtension
                    return "\(stem)-\(index + 1).\(ext)"
                }
            for (path, text) in zip(paths, texts) {
                do {
                    try text.write(toFile: path, atomically: true, encoding: .utf8)
                } catch {
                    throw HeadroomError(.invalidFile, "cannot write: \(error.localizedDescription)", file: path)
                }
                emit("wrote \(path)")
            }
        }
    }

    /// The format a `--format` names; nil for auto.
    static func format(_ text: String) throws(HeadroomError) -> BenchImport.Format? {
        let key = text.lowercased()
        if key == "auto" { return nil }
        if key == "genai-perf" || key == "genaiperf" { return .aiperf }
        guard let format = BenchImport.Format(rawValue: key) else {
            throw HeadroomError(
                .invalidInput,
                "unknown format '\(text)'; known: auto, \(BenchImport.Format.allCases.map(\.rawValue).joined(separator: ", "))",
                field: "format")
        }
        return format
    }

    /// Reads a result file of any importable format.
    static func load(_ path: String, format: BenchImport.Format?) throws(HeadroomError) -> [BenchResult] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw HeadroomError(.invalidFile, "cannot read: \(error.localizedDescription)", file: path)
        }
        return try BenchImport.results(from: data, file: path, format: format)
    }
}
