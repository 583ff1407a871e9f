import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomOperations
import HeadroomReport

/// The `catalog_search` tool: catalog entries and prices whose ids, names, aliases, vendors, providers or regions
/// contain every word of the query.
enum CatalogSearch {
    struct Document<Entry: Encodable>: Encodable {
        var kind: String
        var query: String?
        var matched: Int
        var entries: [Entry]
    }

    static func run(
        _ body: CatalogSearchBody, env: any OperationEnvironment, caller: Caller
    ) async throws -> ToolOutcome {
        let words = (body.query ?? "").lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        let limit = body.limit ?? 20
        func matches(_ fields: [String]) -> Bool {
            let text = fields.joined(separator: " ").lowercased()
            return words.allSatisfy { text.contains($0) }
        }
        let catalog = env.catalog
        switch body.kind {
        case .accelerators:
            let found = catalog.accelerators.filter { matches([$0.id, $0.name, $0.vendor] + $0.aliases) }
                .sorted { $0.id < $1.id }
            let lines = found.prefix(limit).map {
                "- `\($0.id)` \($0.name): \(humanNumber($0.memoryGiB)) GiB at \(humanNumber($0.memoryBandwidthGBps)) GB/s"
                    + ($0.tdpWatts.map { ", \(humanNumber($0)) W" } ?? "")
                    + " (source: \($0.provenance.source), \($0.provenance.asOf))"
            }
            return try outcome(body, Array(found.prefix(limit)), matched: found.count, lines: lines)
        case .models:
            let found = catalog.models.filter { matches([$0.id, $0.name] + $0.aliases) }.sorted { $0.id < $1.id }
            let lines = found.prefix(limit).map {
                "- `\($0.id)` \($0.name): \(humanNumber($0.totalParams / 1e9))B parameters"
                    + ($0.activeParams < $0.totalParams ? " (\(humanNumber($0.activeParams / 1e9))B active)" : "")
                    + ", context \($0.maxContext), aliases \($0.aliases.joined(separator: ", "))"
            }
            return try outcome(body, Array(found.prefix(limit)), matched: found.count, lines: lines)
        case .stacks:
            let found = catalog.stacks.filter { matches([$0.id, $0.name]) }.sorted { $0.id < $1.id }
            let lines = found.prefix(limit).map { "- `\($0.id)` \($0.name) (source: \($0.provenance.source))" }
            return try outcome(body, Array(found.prefix(limit)), matched: found.count, lines: lines)
        case .prices:
            guard let book = try await env.priceBooks(named: nil, caller: caller).first else {
                throw OperationError(.invalid, "no price book", field: "kind")
            }
            let found = book.instances.filter {
                matches([$0.accelerator, $0.provider, $0.region, $0.jurisdiction, $0.sku ?? ""])
            }
            let lines = found.prefix(limit).map { entry in
                let rate = entry.perAccelerator.onDemand.map { "\(humanNumber($0)) \(book.currency)/h on demand" }
                return "- \(entry.accelerator) at \(entry.provider) \(entry.region) (\(entry.jurisdiction)): "
                    + (rate ?? "no on-demand rate") + (entry.excludesHost ? ", accelerator only (no host)" : "")
                    + " (source: \(entry.provenance.source), \(entry.provenance.asOf))"
            }
            return try outcome(body, Array(found.prefix(limit)), matched: found.count, lines: lines)
        }
    }

    private static func outcome<Entry: Encodable>(
        _ body: CatalogSearchBody, _ entries: [Entry], matched: Int, lines: [String]
    ) throws -> ToolOutcome {
        let document = Document(kind: body.kind.rawValue, query: body.query, matched: matched, entries: entries)
        var report = "\(matched) \(body.kind.rawValue)" + (body.query.map { " matching '\($0)'" } ?? "")
        if matched > entries.count { report += " (first \(entries.count))" }
        report += ":\n" + lines.joined(separator: "\n") + "\n"
        if matched == 0 {
            report += "Nothing matched: try fewer words, or list everything by leaving query out.\n"
        }
        return ToolOutcome(
            tool: "catalog_search", isError: false, text: try JSONRendering.render(document), report: report)
    }
}
