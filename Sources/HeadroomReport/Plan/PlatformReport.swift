import HeadroomCore

/// `headroom plan` of a platform file as text: a table, Markdown or HTML of each model's fleet and the totals.
public enum PlatformReport {
    static let header = [
        "model", "accelerators", "layout", "precision", "stack", "replicas", "cost/h", "SLO", "simulated",
    ]

    static func rows(_ doc: PlatformDocument) -> [[String]] {
        doc.models.map { m in
            let c = m.fleet
            let billed = c.billedAccelerators ?? c.accelerators
            return [
                m.name + (m.ownRecommendation ? "" : " (budget: #\(c.rank))"),
                "\(billed) × \(c.accelerator)", PlanText.layout(c), PlanText.precision(c), c.stack,
                PlanText.replicas(c), PlanText.money(c.costPerHour, currency: c.currency),
                (PlanText.slo(m.workload) ?? "none") + (m.simulated ? " met" : " met (estimate)"),
                m.simulated ? "yes" : "no",
            ]
        }
    }

    static func totalLines(_ doc: PlatformDocument) -> [String] {
        let t = doc.totals
        let mix = t.byAccelerator.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", ")
        var lines = [
            "total: \(t.accelerators) accelerators (\(mix)), \(PlanText.money(t.costPerHour, currency: t.currency))/h, "
                + "\(PlanText.money(t.costPerMonth, currency: t.currency))/month (730 h), "
                + "\(PlanText.number(t.powerKw)) kW at full load"
        ]
        if let b = doc.budget {
            var caps: [String] = []
            if let a = b.maxAccelerators { caps.append("at most \(a) accelerators") }
            if let m = b.perMonth { caps.append("at most \(PlanText.money(m, currency: t.currency))/month") }
            lines.append(
                "fleet budget: " + caps.joined(separator: ", ")
                    + (b.binding
                        ? " — binding: it changed a model's choice" : " — met by every model's own recommendation"))
        }
        return lines
    }

    /// The table `headroom plan` prints for a platform file.
    public static func table(_ doc: PlatformDocument) -> String {
        var table = TextTable(header: header)
        table.rows = rows(doc)
        var out = ["platform plan: \(doc.models.count) models", table.render()] + totalLines(doc)
        if !doc.notes.isEmpty { out += ["", "notes:"] + doc.notes.map { "  - " + $0 } }
        out += [
            "", "each model's own plan (`headroom plan` of its entry alone) is in --format json under models[].plan",
        ]
        return out.joined(separator: "\n")
    }

    /// The platform plan as Markdown: the fleet table, totals, notes, then each model's recommendation.
    public static func markdown(_ doc: PlatformDocument) -> String {
        var out = ["# Platform capacity plan: \(doc.models.count) models", ""]
        out += PlanMarkdown.table(header, rows(doc), numeric: header.map { $0 == "cost/h" })
        out += [""] + totalLines(doc).map { "**" + PlanMarkdown.text($0) + "**  " }
        if !doc.notes.isEmpty { out += ["", "## Notes", ""] + doc.notes.map { "- " + PlanMarkdown.text($0) } }
        for m in doc.models {
            out += [
                "", "## \(PlanMarkdown.text(m.name))", "",
                "**Workload:** " + PlanMarkdown.text(PlanText.workload(m.workload)),
            ]
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The platform plan as a self-contained HTML page.
    public static func html(_ doc: PlatformDocument) -> String {
        func e(_ s: String) -> String { SVGChart.escape(s) }
        var out = [
            "<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<title>Platform capacity plan</title>",
            "<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head><body>",
            "<h1>Platform capacity plan: \(doc.models.count) models</h1>", "<table><thead><tr>",
        ]
        out.append(header.map { "<th>\(e($0))</th>" }.joined())
        out.append("</tr></thead><tbody>")
        for row in rows(doc) { out.append("<tr>" + row.map { "<td>\(e($0))</td>" }.joined() + "</tr>") }
        out.append("</tbody></table>")
        out += totalLines(doc).map { "<p><strong>\(e($0))</strong></p>" }
        if !doc.notes.isEmpty { out.append("<ul>" + doc.notes.map { "<li>\(e($0))</li>" }.joined() + "</ul>") }
        for m in doc.models {
            out.append("<h2>\(e(m.name))</h2><p>\(e(PlanText.workload(m.workload)))</p>")
        }
        out.append("</body></html>")
        return out.joined(separator: "\n") + "\n"
    }
}
