import HeadroomCore

/// `headroom plan --format markdown`: the plan as GitHub-flavoured Markdown, for a pull request or a wiki page.
public enum PlanMarkdown {
    /// Renders `doc` as Markdown with tables; all candidates are listed.
    /// - Parameter doc: The plan.
    /// - Returns: The Markdown text, ending with a newline.
    public static func render(_ doc: PlanDocument) -> String {
        var out = ["# Capacity plan: \(text(doc.workload.modelName))", ""]
        out.append("**Workload:** " + text(PlanText.workload(doc.workload)))
        out += ["", "## Recommendation", ""]
        if let c = doc.chosen {
            out.append(
                "**\(text(PlanText.fleet(c)))** — \(text(PlanText.replicas(c))) of `\(PlanText.layout(c))`, "
                    + (c.verifiedBySimulation ? "verified by simulation" : "**not verified by simulation**"))
            out.append("")
            let p = PlanText.percentileName(doc.workload.percentile)
            let pct = doc.workload.percentile
            out += table(
                ["Item", "Value"],
                [
                    ["Accelerators", PlanText.fleet(c)],
                    ["Layout", PlanText.layout(c)],
                    ["Replicas", PlanText.replicas(c)],
                    ["Precision", "\(PlanText.weights(c)), \(c.kvCachePrecision) KV cache"],
                    [
                        "Stack",
                        c.stack + (c.maxNumSeqs.map { ", max_num_seqs \($0)" } ?? "")
                            + ", max_num_batched_tokens \(c.maxBatchedTokens)",
                    ],
                    [
                        "Where",
                        PlanText.site(c)
                            + (c.pricePerAcceleratorHour.map {
                                " at \(PlanText.money($0, currency: c.currency))/accelerator-hour"
                            } ?? ""),
                    ],
                    ["Cost per hour", PlanText.money(c.costPerHour, currency: c.currency)],
                    ["Cost per 1M output tokens", PlanText.money(c.costPerMillionOutputTokens, currency: c.currency)],
                    ["\(p) TTFT at peak", PlanText.ms(PlanText.value(c.ttftMs, at: pct))],
                    ["\(p) TPOT at peak", PlanText.ms(PlanText.value(c.tpotMs, at: pct))],
                    ["\(p) E2E at peak", PlanText.ms(PlanText.value(c.e2eMs, at: pct))],
                    ["Latency source", PlanText.source(c)],
                    [
                        "Utilisation",
                        "\(PlanText.percent(c.peakUtilisation)) at peak, \(PlanText.percent(c.averageUtilisation)) on average",
                    ],
                ],
                numeric: [false, false])
            if !c.notes.isEmpty {
                out.append("")
                out += c.notes.map { "- " + text($0) }
            }
        } else {
            out.append("No deployment meets the objectives under the constraints; see the advisories.")
        }
        if !doc.candidates.isEmpty {
            let t = PlanText.candidateTable(doc, top: doc.candidates.count)
            out += [
                "", "## Candidates", "",
                PlanText.rankingRule(doc, marker: "`*`"), "",
            ]
            out += table(t.header, t.rows, numeric: t.numeric)
        }
        if !doc.advisories.isEmpty {
            out += ["", "## Advisories"]
            for (severity, entries) in PlanText.advisoriesBySeverity(doc.advisories) {
                out += ["", "### \(severity.prefix(1).uppercased() + severity.dropFirst())", ""]
                for a in entries { out.append("- **\(text(a.title))** (`\(code(a.code))`): \(text(a.detail))") }
            }
        }
        if let integration = doc.integration {
            out += ["", "## Integration sizing", ""]
            out += table(
                ["Item", "Size"], PlanText.integrationRows(integration).map { [$0.0, $0.1] }, numeric: [false, false])
            if !integration.tenants.isEmpty {
                let t = PlanText.tenantTable(integration)
                out += ["", "### Tenants", ""]
                out += table(t.header, t.rows, numeric: [false, true, true, true])
            }
            if !integration.checklist.isEmpty {
                out += ["", "### Checklist", ""]
                out += integration.checklist.map { "- [ ] " + text($0) }
            }
        }
        out += ["", "## Search", "", text(PlanText.searchSummary(doc.search)) + "."]
        let rejected = PlanText.rejections(doc.search)
        if !rejected.isEmpty {
            out.append("")
            out += table(
                ["Rejected because", "Configurations"], rejected.map { [$0.0, String($0.1)] }, numeric: [false, true])
        }
        let assumptions = doc.assumptions + (doc.integration?.assumptions ?? [])
        if !assumptions.isEmpty {
            out += ["", "## Assumptions", ""]
            out += assumptions.map { "- " + text($0) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A GFM table; numeric columns right-aligned.
    static func table(_ header: [String], _ rows: [[String]], numeric: [Bool]) -> [String] {
        let align = header.indices.map { $0 < numeric.count && numeric[$0] ? "--:" : "---" }
        return ["| " + header.map(cell).joined(separator: " | ") + " |", "| " + align.joined(separator: " | ") + " |"]
            + rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
    }

    /// Prose with raw HTML neutralised (`&`, `<`, `>` as entities).
    static func text(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\n", "\r": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    /// A table cell: prose that cannot end the cell early.
    static func cell(_ s: String) -> String {
        text(s).replacingPipes()
    }

    /// Text for inline code, which cannot contain a backtick.
    static func code(_ s: String) -> String {
        String(s.map { $0 == "`" ? "'" : $0 })
    }
}

extension String {
    func replacingPipes() -> String {
        var out = ""
        for ch in self {
            if ch == "|" { out += "\\|" } else { out.append(ch) }
        }
        return out
    }
}
