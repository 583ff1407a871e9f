import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomReport

/// `headroom compare`: benchmark results side by side.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            "Compare benchmark results: throughput, latency at equal load, max rate under an SLO, $/1M tokens, tok/s/W.",
        discussion: """
            Result files may be Headroom results or any format `headroom bench import` reads (vLLM, GuideLLM, \
            AIPerf, GenAI-Perf, inference-perf). Cost and power need the accelerator and its count in the result's \
            target (`headroom bench import --accelerator … --count …` records them).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, markdown, html
    }

    @Argument(help: "Result files.") var results: [String]
    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "table, json, markdown or html.") var format: Format = .table
    @Option(help: "Write the report here instead of standard output.") var output: String?
    @Option(help: "A price book file (YAML or CSV) replacing the bundled one.") var priceBook: String?
    @Option(help: "Judge every run by this TTFT limit (ms).") var sloTtftMs: Double?
    @Option(help: "Judge every run by this TPOT limit (ms).") var sloTpotMs: Double?
    @Option(help: "Fraction of requests that must meet the SLO.") var sloAttainment: Double = 0.99
    @Option(help: "Format of non-Headroom files: auto, headroom, vllm, guidellm, aiperf.") var importFormat: String =
        "auto"

    func validate() throws {
        guard !results.isEmpty else { throw ValidationError("give at least one result file") }
        guard sloAttainment > 0, sloAttainment <= 1 else { throw ValidationError("--slo-attainment must be in (0, 1]") }
    }

    func run() throws {
        try reportingErrors {
            let catalog = try catalogOptions.load()
            let importFormat = try BenchImportCommand.format(importFormat)
            var inputs: [ComparisonDocument.Input] = []
            for path in results {
                let loaded = try BenchImportCommand.load(path, format: importFormat)
                let name = URL(fileURLWithPath: path).lastPathComponent
                for (index, result) in loaded.enumerated() {
                    inputs.append(.init(file: loaded.count > 1 ? "\(name)#\(index + 1)" : name, result: result))
                }
            }
            let books =
                try priceBook.map { try PriceBookLoader.load(url: URL(fileURLWithPath: $0)) }
                ?? PriceBookLoader.bundled()
            let slo: BenchSLO? =
                sloTtftMs == nil && sloTpotMs == nil
                ? nil
                : BenchSLO(
                    ttftSeconds: sloTtftMs.map { $0 / 1000 }, tpotSeconds: sloTpotMs.map { $0 / 1000 },
                    attainment: sloAttainment)
            let document = ComparisonDocument.make(inputs, catalog: catalog, priceBook: books.first, slo: slo)
            let text: String
            switch format {
            case .table: text = ComparisonTable.render(document)
            case .json: text = try JSONRendering.render(document)
            case .markdown: text = ComparisonMarkdown.render(document)
            case .html: text = ComparisonHTML.render(document)
            }
            if let output {
                try PlanCommand.write(text, to: output)
                emit("wrote \(output)")
            } else {
                emit(text)
            }
        }
    }
}
