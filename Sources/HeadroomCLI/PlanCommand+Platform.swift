import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomReport

extension PlanCommand {
    /// Whether the workload file lists several models (`models:`): a platform plan.
    static func isPlatformFile(_ path: String) -> Bool {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
        return PlatformLoader.listsModels(text)
    }

    /// `headroom plan platform.yaml`: every model planned, one fleet per model within the shared budget, the totals.
    func runPlatform() async throws {
        for (given, flag) in [(withCost, "--with-cost"), (explain, "--explain"), (save != nil, "--save")] where given {
            throw failure(
                "\(flag) takes a workload file with one model; a platform file (models:) is planned without it "
                    + "(plan each entry alone for it)")
        }
        guard emit.isEmpty else {
            throw failure("--emit takes a workload file with one model; plan each entry of a platform file alone")
        }
        let document: PlatformDocument
        do {
            let catalog = try catalogOptions.load()
            let platform = try PlatformLoader.load(url: URL(fileURLWithPath: workload))
            let books =
                try priceBook.map { try PriceBookLoader.load(url: URL(fileURLWithPath: $0)) }
                ?? PriceBookLoader.bundled()
            let planned = try await PlatformPlanning.plan(
                platform, modelBase: URL(fileURLWithPath: workload).deletingLastPathComponent(), catalog: catalog,
                books: books, requests: requests, seed: seed, today: today())
            document = PlatformDocument(
                planned.entries.map {
                    .init(
                        name: $0.name, plan: $0.planning.plan, chosen: $0.candidate, rank: $0.rank,
                        assumptions: $0.planning.notes)
                }, budget: planned.budget, notes: planned.notes, limit: top)
        } catch let error as HeadroomError {
            throw failure(error)
        }
        let text: String
        switch format {
        case .table: text = PlatformReport.table(document)
        case .json: text = try reportingErrors { try JSONRendering.render(document) }
        case .markdown: text = PlatformReport.markdown(document)
        case .html: text = PlatformReport.html(document)
        }
        if let output {
            try reportingErrors { try Self.write(text, to: output) }
            HeadroomCLI.emit("wrote \(output)")
        } else {
            HeadroomCLI.emit(text)
        }
    }
}
