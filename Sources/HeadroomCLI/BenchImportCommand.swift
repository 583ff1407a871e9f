import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomReport
import HeadroomServer

/// `headroom bench import`: converts another tool's result file into Headroom's bench result schema.
struct BenchImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Convert a vLLM, GuideLLM, AIPerf, GenAI-Perf or inference-perf result file into a Headroom bench result.",
        discussion: """
            Formats: vllm (`vllm bench serve --save-result`, per-request records with --save-detailed), guidellm \
            (`guidellm benchmark --output-path benchmarks.json`; each benchmark becomes its own result), aiperf \
            (AIPerf profile_export_aiperf.json, with the per-request records of profile_export.jsonl beside it, or \
            GenAI-Perf profile_export_genai_perf.json), inference-perf \
            (summary_lifecycle_metrics.json or stage_N_lifecycle_metrics.json; a stage file carries the load). Latencies are \
            converted to seconds. A file holding several results is written as <output>-1.json, <output>-2.json, … \
            (or printed as a JSON array).
            """
    )

    @Argument(help: "The result file.") var file: String
    @Option(help: "auto, headroom, vllm, guidellm, aiperf or inference-perf.") var format: String = "auto"
    @Option(help: "Write the result here instead of standard output.") var output: String?
    @Option(help: "The accelerator that ran it (catalog id), recorded in the target.") var accelerator: String?
    @Option(help: "Accelerators behind the endpoint.") var count: Int?
    @Option(help: "The serving stack (catalog id).") var stack: String?
    @Option(help: "The catalog model id.") var model: String?
    @Option(help: "Weight precision (bf16, fp8, …).") var precision: String?
    @Option(help: "Tensor-parallel degree.") var tp: Int?
    @Option(help: "Also store the result(s) in the database under this name (NAME-1, NAME-2, … for several).")
    var save: String?
    @OptionGroup var store: ServeCommand.StoreOptions

    func validate() throws {
        if let save, !PlansCommand.isValidName(save) {
            throw ValidationError("--save takes letters, digits, '-', '_' and '.' (at most 128), not '\(save)'")
        }
    }

    func run() async throws {
        try await reportingErrors {
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
            if let save {
                for (index, text) in texts.enumerated() {
                    let name = texts.count == 1 ? save : "\(save)-\(index + 1)"
                    try await PlansCommand.saveBenchRun(
                        name: name, document: text, action: "headroom bench import --save", url: store.resolved)
                    FileHandle.standardError.write(Data("saved bench run '\(name)'\n".utf8))
                }
            }
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
        var results = try BenchImport.results(from: data, file: path, format: format)
        // AIPerf writes its per-request records beside the aggregate export, as profile_export.jsonl.
        let records = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(
            "profile_export.jsonl")
        if results.count == 1, results[0].tool == "import:aiperf",
            let jsonl = try? Data(contentsOf: records)
        {
            try BenchImport.attachAIPerfRecords(to: &results[0], jsonl: jsonl, file: records.path)
        }
        // inference-perf writes them beside its summary as per_request_lifecycle_metrics.json.
        let perRequest = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(
            "per_request_lifecycle_metrics.json")
        if results.count == 1, results[0].tool == "import:inference-perf",
            let data = try? Data(contentsOf: perRequest)
        {
            try BenchImport.attachInferencePerfRecords(to: &results[0], perRequest: data, file: perRequest.path)
        }
        return results
    }
}

/// `headroom bench list`: the bench runs stored with `--save` (or through `POST /v1/bench-runs`).
struct BenchListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the bench runs stored in the database.")

    @Option(help: "table or json.") var format: OutputFormat = .table
    @Option(help: "Print this stored run's result JSON instead of the list.") var show: String?
    @OptionGroup var store: ServeCommand.StoreOptions

    struct Row: Encodable {
        var name: String
        var author: String
        var savedAt: String
        var url: String?
        var model: String?
        var accelerator: String?
        var completed: Int?
        var outputTokensPerSecond: Double?
    }

    func run() async throws {
        try await reportingErrors {
            let documents = try await withStore(url: store.resolved, auditKeyFile: store.auditKeyPath) {
                try await $0.listDocuments(.benchRun)
            }
            if let show {
                guard let stored = documents.first(where: { $0.name == show }) else {
                    throw failure("no stored bench run '\(show)'")
                }
                emit(stored.document)
                return
            }
            let rows = documents.map { stored in
                // Runs stored over the API need not be Headroom results; list them with what can be read.
                let result = try? BenchResult.decode(Data(stored.document.utf8), file: "bench run \(stored.name)")
                return Row(
                    name: stored.name, author: stored.author,
                    savedAt: ISO8601DateFormatter().string(from: stored.createdAt), url: result?.target.url,
                    model: result?.target.model, accelerator: result?.target.acceleratorID,
                    completed: result?.aggregates.completed,
                    outputTokensPerSecond: result?.aggregates.outputTokensPerSecond)
            }
            switch format {
            case .json:
                emit(try render(rows))
            case .table:
                var table = TextTable(header: [
                    "name", "model", "accelerator", "requests", "output tok/s", "saved", "by",
                ])
                table.rows = rows.map {
                    [
                        $0.name, $0.model ?? "-", $0.accelerator ?? "-", $0.completed.map(String.init) ?? "-",
                        $0.outputTokensPerSecond.map { String(format: "%.1f", $0) } ?? "-", $0.savedAt, $0.author,
                    ]
                }
                emit(rows.isEmpty ? "no stored bench runs" : table.render())
            }
        }
    }
}
