import HeadroomCore

/// `headroom compare --format markdown`.
public enum ComparisonMarkdown {
    /// Renders the comparison as GitHub-flavoured Markdown.
    public static func render(_ doc: ComparisonDocument) -> String {
        func table(_ header: [String], _ rows: [[String]]) -> String {
            func line(_ cells: [String]) -> String {
                "| " + cells.map { $0.replacingPipes() }.joined(separator: " | ") + " |"
            }
            let rule = "|" + header.indices.map { $0 == 0 ? " --- |" : " ---: |" }.joined()
            return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
        }
        var out = ["# Benchmark comparison", "", table(ComparisonTable.header, doc.rows.map(ComparisonTable.cells))]
        let shared = ComparisonTable.sharedLoads(doc)
        if !shared.isEmpty {
            out += [
                "", "## Latency at equal load", "",
                table(ComparisonTable.loadHeader(), shared.flatMap(ComparisonTable.loadCells)),
            ]
        }
        if let slo = doc.slo {
            var terms: [String] = []
            if let ttft = slo.ttftMs { terms.append("TTFT ≤ \(humanNumber(ttft)) ms") }
            if let tpot = slo.tpotMs { terms.append("TPOT ≤ \(humanNumber(tpot)) ms") }
            out += [
                "", "## SLO", "",
                "\(terms.joined(separator: ", ")) for \(humanNumber(slo.attainment * 100))% of requests", "",
            ]
            out += doc.rows.compactMap { row in row.maxRateBasis.map { "- \(row.label): \($0)" } }
        }
        let priced = doc.rows.compactMap { row in row.priceRow.map { "- \(row.label): \($0)" } }
        if !priced.isEmpty { out += ["", "## Prices", ""] + priced }
        let warnings = doc.rows.flatMap { row in row.warnings.map { "- \(row.label): \($0)" } }
        if !warnings.isEmpty { out += ["", "## Warnings", ""] + warnings }
        out += ["", "## Notes", ""] + doc.notes.map { "- \($0)" }
        return out.joined(separator: "\n") + "\n"
    }
}
