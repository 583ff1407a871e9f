import HeadroomCore

/// `headroom compare` for a terminal, and the cells the Markdown and HTML renderings share.
public enum ComparisonTable {
    static let header = [
        "result", "load", "out tok/s", "tok/s/acc", "TTFT p50/p99 ms", "TPOT p50/p99 ms", "max req/s in SLO",
        "$/1M out", "tok/s/W (TDP)",
    ]

    static func cells(_ row: ComparisonDocument.Row) -> [String] {
        func pair(_ a: Double?, _ b: Double?) -> String {
            guard a != nil || b != nil else { return "-" }
            return "\(a.map(humanNumber) ?? "-") / \(b.map(humanNumber) ?? "-")"
        }
        return [
            row.label, row.load, humanNumber(row.outputTokensPerSecond),
            row.outputTokensPerSecondPerAccelerator.map(humanNumber) ?? "-", pair(row.ttftP50Ms, row.ttftP99Ms),
            pair(row.tpotP50Ms, row.tpotP99Ms), row.maxRateUnderSLO.map(humanNumber) ?? "-",
            row.costPerMillionOutputTokens.map(humanNumber) ?? "-",
            row.outputTokensPerSecondPerWatt.map(humanNumber) ?? "-",
        ]
    }

    static func loadHeader() -> [String] {
        ["load", "result", "out tok/s", "TTFT p50 ms", "TTFT p99 ms", "TPOT p50 ms", "TPOT p99 ms"]
    }

    static func loadCells(_ group: ComparisonDocument.LoadGroup) -> [[String]] {
        group.entries.map { e in
            [
                group.title, e.label, humanNumber(e.outputTokensPerSecond), e.ttftP50Ms.map(humanNumber) ?? "-",
                e.ttftP99Ms.map(humanNumber) ?? "-", e.tpotP50Ms.map(humanNumber) ?? "-",
                e.tpotP99Ms.map(humanNumber) ?? "-",
            ]
        }
    }

    /// Groups measured by more than one result: the loads worth reading side by side.
    static func sharedLoads(_ doc: ComparisonDocument) -> [ComparisonDocument.LoadGroup] {
        doc.latencyByLoad.filter { $0.entries.count > 1 }
    }

    /// Renders the comparison as plain text.
    public static func render(_ doc: ComparisonDocument) -> String {
        var out = [TextTable(header: header, rows: doc.rows.map(cells)).render()]
        let shared = sharedLoads(doc)
        if !shared.isEmpty {
            out.append("\nLatency at equal load")
            out.append(TextTable(header: loadHeader(), rows: shared.flatMap(loadCells)).render())
        }
        let priced = doc.rows.compactMap { row in row.priceRow.map { "\(row.label): \($0)" } }
        if !priced.isEmpty { out.append("\nPrices\n" + priced.map { "  " + $0 }.joined(separator: "\n")) }
        let rates = doc.rows.compactMap { row in row.maxRateBasis.map { "\(row.label): \($0)" } }
        if !rates.isEmpty { out.append("\nSLO\n" + rates.map { "  " + $0 }.joined(separator: "\n")) }
        let warnings = doc.rows.flatMap { row in row.warnings.map { "\(row.label): \($0)" } }
        if !warnings.isEmpty { out.append("\nWarnings\n" + warnings.map { "  " + $0 }.joined(separator: "\n")) }
        out.append("\nNotes\n" + doc.notes.map { "  " + $0 }.joined(separator: "\n"))
        return out.joined(separator: "\n")
    }
}
