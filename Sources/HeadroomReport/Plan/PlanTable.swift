import HeadroomCore

/// `headroom plan` for terminals: the recommendation, the ranked candidates, advisories, integration sizing,
/// the search and its assumptions.
public enum PlanTable {
    /// Renders `doc` as plain text.
    /// - Parameters:
    ///   - doc: The plan.
    ///   - top: How many candidates the ranked table lists.
    /// - Returns: Lines of text, without a trailing newline.
    public static func render(_ doc: PlanDocument, top: Int = 10) -> String {
        var lines = PlanText.wrap("Plan for " + PlanText.workload(doc.workload), indent: "", hanging: "  ") + [""]
        lines.append("Recommendation")
        if let c = doc.chosen {
            lines += PlanText.recommendation(c, workload: doc.workload).map { "  " + $0 }
            for note in c.notes { lines += PlanText.wrap("note: " + note, indent: "  ", hanging: "        ") }
        } else {
            lines.append("  No deployment meets the objectives under the constraints; see the advisories.")
        }
        if !doc.candidates.isEmpty {
            let table = PlanText.candidateTable(doc, top: top)
            let shown = min(max(top, 0), doc.candidates.count)
            lines += [
                "",
                "Top \(shown) of \(max(doc.search.meetingSlo, doc.candidates.count)) candidates that meet the SLO analytically",
            ]
            lines += PlanText.wrap(PlanText.rankingRule(doc), indent: "  ", hanging: "  ")
            lines.append(TextTable(header: table.header, rows: table.rows).render())
        }
        if !doc.advisories.isEmpty {
            lines += ["", "Advisories"]
            for (severity, entries) in PlanText.advisoriesBySeverity(doc.advisories) {
                lines.append("  \(severity) (\(entries.count))")
                for a in entries {
                    lines += PlanText.wrap("[\(a.code)] \(a.title)", indent: "    ", hanging: "      ")
                    lines += PlanText.wrap(a.detail, indent: "      ", hanging: "      ")
                }
            }
        }
        if let integration = doc.integration {
            lines += ["", "Integration sizing"]
            let rows = PlanText.integrationRows(integration)
            let width = rows.map(\.0.count).max() ?? 0
            for (item, size) in rows {
                lines.append("  " + item + String(repeating: " ", count: width - item.count) + "  " + size)
            }
            if !integration.tenants.isEmpty {
                let tenants = PlanText.tenantTable(integration)
                lines += ["", "  Tenants"]
                lines.append(indented(TextTable(header: tenants.header, rows: tenants.rows).render()))
            }
            if !integration.checklist.isEmpty {
                lines += ["", "Checklist"]
                for item in integration.checklist {
                    lines += PlanText.wrap("[ ] " + item, indent: "  ", hanging: "      ")
                }
            }
        }
        lines += ["", "Search"]
        lines += PlanText.wrap(PlanText.searchSummary(doc.search), indent: "  ", hanging: "  ")
        for (reason, count) in PlanText.rejections(doc.search) {
            lines += PlanText.wrap("rejected ×\(count): \(reason)", indent: "    ", hanging: "      ")
        }
        let assumptions = doc.assumptions + (doc.integration?.assumptions ?? [])
        if !assumptions.isEmpty {
            lines += ["", "Assumptions"]
            for a in assumptions { lines += PlanText.wrap("- " + a, indent: "  ", hanging: "    ") }
        }
        return lines.joined(separator: "\n")
    }

    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}

/// Wording and numbers the plan reports share, so the table, Markdown and HTML say the same things.
enum PlanText {
    /// `p99`, or `p99.9`.
    static func percentileName(_ p: Double) -> String {
        p == p.rounded() && abs(p) < 1e6 ? "p\(Int(p))" : "p\(SVGChart.trimmed(SVGChart.fixed(p, 2)))"
    }

    /// The value at the workload's percentile (p90 and p99 bracket p95).
    static func value(_ l: PlanDocument.Latency, at percentile: Double) -> Double {
        switch percentile {
        case ...50: l.p50
        case ...90: l.p90
        case ..<99: l.p90 + (l.p99 - l.p90) * (percentile - 90) / (99 - 90)
        default: l.p99
        }
    }

    /// A plain number: up to three significant digits, k/M/G past ten thousand.
    static func number(_ v: Double) -> String { SVGChart.axisValue(v) }

    /// Milliseconds, or seconds from ten seconds up: `44 ms`, `690 ms`, `13.9 s`.
    static func ms(_ v: Double) -> String { abs(v) >= 10_000 ? number(v / 1000) + " s" : number(v) + " ms" }

    /// `80%`, `4.5%`.
    static func percent(_ fraction: Double) -> String {
        let v = fraction * 100
        return (abs(v) >= 10 ? SVGChart.fixed(v, 0) : SVGChart.trimmed(SVGChart.fixed(v, 1))) + "%"
    }

    /// An amount with its currency: `$65.60`, `€1.20`, `12.00 CHF`; two decimals below 10,000.
    static func money(_ v: Double, currency: String?) -> String {
        let amount = abs(v) >= 10_000 ? grouped(v) : SVGChart.fixed(v, abs(v) < 0.1 && v != 0 ? 3 : 2)
        switch currency?.uppercased() {
        case "USD": return "$" + amount
        case "EUR": return "€" + amount
        case "GBP": return "£" + amount
        case nil: return amount
        case let code?: return amount + " " + code
        }
    }

    /// An integer with thousands separators: `1,036,800`.
    static func grouped(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        let digits = SVGChart.fixed(abs(v), 0)
        var out = ""
        for (index, ch) in digits.reversed().enumerated() {
            if index > 0, index % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (v < 0 && digits != "0" ? "-" : "") + String(out.reversed())
    }

    static func currencyLabel(_ doc: PlanDocument) -> String {
        doc.chosen?.currency ?? doc.candidates.lazy.compactMap(\.currency).first ?? "cost"
    }

    static func workload(_ w: PlanDocument.Workload) -> String {
        var parts = [
            "\(w.modelName) (\(w.model))",
            "peak \(number(w.peakRps)) req/s, average \(number(w.averageRps)) req/s",
            "\(number(w.meanInputTokens)) tokens in → \(number(w.meanOutputTokens)) out on average",
        ]
        if let slo = slo(w) { parts.append("SLO " + slo) }
        if let a = w.availability { parts.append("availability \(availability(a))") }
        return parts.joined(separator: "; ")
    }

    static func availability(_ a: Double) -> String {
        SVGChart.trimmed(SVGChart.fixed(a * 100, 3)) + "%"
    }

    /// `p99 TTFT ≤ 500 ms, TPOT ≤ 50 ms`, or nil without objectives.
    static func slo(_ w: PlanDocument.Workload) -> String? {
        let terms = [("TTFT", "ttft_ms"), ("TPOT", "tpot_ms"), ("E2E", "e2e_ms")].compactMap { name, key in
            w.slo[key].map { "\(name) ≤ \(ms($0))" }
        }
        return terms.isEmpty ? nil : percentileName(w.percentile) + " " + terms.joined(separator: ", ")
    }

    /// `16 × NVIDIA H100 SXM (h100)`.
    static func fleet(_ c: PlanDocument.Candidate) -> String {
        "\(c.accelerators) × \(c.acceleratorName) (\(c.accelerator))"
    }

    static func layout(_ c: PlanDocument.Candidate) -> String {
        "tp=\(c.tp) pp=\(c.pp) ep=\(c.ep)" + (c.attentionDP ? " dp-attention" : "")
    }

    /// `8 replicas incl. 1 spare (3 prefill + 5 decode)`.
    static func replicas(_ c: PlanDocument.Candidate) -> String {
        var text = "\(c.replicas) replica\(c.replicas == 1 ? "" : "s")"
        if c.spareReplicas > 0 { text += " incl. \(c.spareReplicas) spare\(c.spareReplicas == 1 ? "" : "s")" }
        if let p = c.prefillReplicas, let d = c.decodeReplicas { text += " (\(p) prefill + \(d) decode)" }
        return text
    }

    static func site(_ c: PlanDocument.Candidate) -> String {
        switch (c.provider, c.region) {
        case (let p?, let r?): "\(p) \(r)"
        case (let p?, nil): p
        case (nil, let r?): r
        case (nil, nil): "owned hardware"
        }
    }

    static func precision(_ c: PlanDocument.Candidate) -> String {
        let weights = c.weightOnly ? "\(c.precision) w-only" : c.precision
        return c.precision == c.kvCachePrecision && !c.weightOnly ? weights : "\(weights)/\(c.kvCachePrecision) KV"
    }

    /// The weights' format, saying when it is weight-only (dequantised for the matrix products on this part).
    static func weights(_ c: PlanDocument.Candidate) -> String {
        c.weightOnly
            ? "\(c.precision) weights (weight-only: \(c.accelerator) has no \(c.precision) matrix units; "
                + "dequantised for the matrix products, saving memory and bandwidth, not compute)"
            : "\(c.precision) weights"
    }

    static func source(_ c: PlanDocument.Candidate) -> String {
        c.verifiedBySimulation ? "verified by simulation" : "analytic estimate, not simulated"
    }

    /// The recommendation as short lines.
    static func recommendation(_ c: PlanDocument.Candidate, workload w: PlanDocument.Workload) -> [String] {
        let p = percentileName(w.percentile)
        var lines = [
            "\(fleet(c)): \(replicas(c)) of \(layout(c))",
            "\(weights(c)), \(c.kvCachePrecision) KV cache, \(c.stack)"
                + (c.maxNumSeqs.map { ", max_num_seqs \($0)" } ?? "")
                + ", max_num_batched_tokens \(c.maxBatchedTokens)",
        ]
        var place = site(c)
        if let price = c.pricePerAcceleratorHour {
            place += " at \(money(price, currency: c.currency)) per accelerator-hour"
        }
        lines.append(place)
        if let billed = c.billedAccelerators, c.purchaseUnitAccelerators > 1 {
            lines.append(purchase(c, billed: billed))
        }
        lines.append(
            "\(money(c.costPerHour, currency: c.currency))/h, \(money(c.costPerMillionOutputTokens, currency: c.currency)) per 1M output tokens"
        )
        lines.append(
            "\(p) at peak: TTFT \(ms(value(c.ttftMs, at: w.percentile))), TPOT \(ms(value(c.tpotMs, at: w.percentile))), "
                + "E2E \(ms(value(c.e2eMs, at: w.percentile))) (\(source(c)))"
        )
        lines.append(
            "utilisation \(percent(c.peakUtilisation)) at peak, \(percent(c.averageUtilisation)) on average; "
                + "\(number(c.perReplicaCapacityRps)) req/s per replica within the SLO"
        )
        return lines
    }

    /// How the fleet is bought in whole units: `bought as 2 × trn2.48xlarge (16 each): 32 for the 24 used, 8 idle`.
    static func purchase(_ c: PlanDocument.Candidate, billed: Int) -> String {
        let units = billed / max(c.purchaseUnitAccelerators, 1)
        var text =
            "bought as \(units) × \(c.purchaseUnit ?? "unit") (\(c.purchaseUnitAccelerators) accelerators each): "
            + "\(billed) paid for"
        text +=
            billed > c.accelerators
            ? ", \(billed - c.accelerators) idle beyond the \(c.accelerators) used (rounded up to whole units; the cost counts them)"
            : ", all used"
        return text
    }

    /// The replicas column: the total with its spares inside it, as the summary counts them (`6 incl. 1 spare`).
    static func replicaCount(_ c: PlanDocument.Candidate) -> String {
        c.spareReplicas > 0 ? "\(c.replicas) incl. \(c.spareReplicas) spare" : String(c.replicas)
    }

    /// How the candidate table is ordered, in a sentence: simulated rows first, cheapest first, then the analytic
    /// ones, never ranked against them; the Pareto front is drawn from the simulated figures.
    static func rankingRule(_ doc: PlanDocument, marker: String = "*") -> String {
        let simulated = doc.candidates.filter(\.verifiedBySimulation).count
        let analytic = doc.candidates.count - simulated
        switch (simulated, analytic) {
        case (_, 0):
            return
                "Every row confirmed by simulation at peak, cheapest first; \(marker) marks the Pareto front (no other is "
                + "both cheaper and faster)."
        case (0, _):
            return
                "No row was confirmed by simulation: every figure is an analytic estimate, cheapest first; \(marker) marks "
                + "their Pareto front."
        default:
            let one = analytic == 1
            return
                "The \(simulated) row\(simulated == 1 ? "" : "s") confirmed by simulation at peak come\(simulated == 1 ? "s" : "") "
                + "first, cheapest first; \(marker) marks their Pareto front (no other is both cheaper and faster). The "
                + "\(analytic) analytic row\(one ? " that follows was" : "s that follow were") not simulated: "
                + "\(one ? "it is" : "they are") listed by cost, not ranked against the simulated ones."
        }
    }

    /// The ranked candidates: header, rows, and which columns hold numbers.
    static func candidateTable(_ doc: PlanDocument, top: Int) -> (header: [String], rows: [[String]], numeric: [Bool]) {
        let p = percentileName(doc.workload.percentile)
        let currency = currencyLabel(doc)
        let header = [
            "#", "accelerator", "count", "tp/pp/ep", "replicas", "precision", "stack", "where", "\(currency)/h",
            "\(currency)/1M out", "\(p) TTFT ms", "\(p) TPOT ms", "peak util", "latency",
        ]
        let numeric = [true, false, true, false, true, false, false, false, true, true, true, true, true, false]
        let rows = doc.candidates.prefix(max(top, 0)).map { c -> [String] in
            [
                "\(c.rank)\(c.pareto ? "*" : "")", c.accelerator, String(c.accelerators), "\(c.tp)/\(c.pp)/\(c.ep)",
                replicaCount(c), precision(c), c.stack,
                site(c), SVGChart.fixed(c.costPerHour, 2), SVGChart.fixed(c.costPerMillionOutputTokens, 2),
                number(value(c.ttftMs, at: doc.workload.percentile)),
                number(value(c.tpotMs, at: doc.workload.percentile)), percent(c.peakUtilisation),
                c.verifiedBySimulation ? "simulated" : "analytic",
            ]
        }
        return (header, rows, numeric)
    }

    /// Advisories from the most to the least severe, each group in the document's order.
    static func advisoriesBySeverity(
        _ advisories: [PlanDocument.AdvisoryEntry]
    ) -> [(
        String, [PlanDocument.AdvisoryEntry]
    )] {
        let known = ["critical", "warning", "info"]
        let others = advisories.map(\.severity).filter { !known.contains($0) }
        var seen = Set<String>()
        let order = (known + others).filter { seen.insert($0).inserted }
        return order.compactMap { severity in
            let entries = advisories.filter { $0.severity == severity }
            return entries.isEmpty ? nil : (severity, entries)
        }
    }

    static func integrationRows(_ i: PlanDocument.Integration) -> [(String, String)] {
        [
            ("requests per day", grouped(i.requestsPerDay)),
            ("audit log", "\(number(i.auditGbPerDay)) GB/day, \(number(i.auditTbRetained)) TB retained"),
            ("audit writes at peak", "\(number(i.auditWritesPerSecondPeak)) writes/s"),
            (
                "streamed egress",
                "\(number(i.peakEgressGbps)) Gbps at peak, \(grouped(i.egressGbPerMonth)) GB/month "
                    + "(\(number(i.bytesPerStreamedToken)) B per token)"
            ),
            ("PII scanning", "\(number(i.piiScanCores)) cores at peak"),
            ("concurrent streams at peak", grouped(i.concurrentStreamsPeak)),
            ("gateway replicas", String(i.gatewayReplicas)),
            ("tenants", i.tenants.isEmpty ? "none declared" : String(i.tenants.count)),
        ]
    }

    static func tenantTable(_ i: PlanDocument.Integration) -> (header: [String], rows: [[String]]) {
        (
            ["tenant", "tokens/min", "share of fleet", "accelerators"],
            i.tenants.map { [$0.name, grouped($0.tokensPerMinute), percent($0.shareOfFleet), number($0.accelerators)] }
        )
    }

    static func searchSummary(_ s: PlanDocument.Search) -> String {
        "\(s.configurations) configurations searched, \(s.fitting) fit in memory, \(s.meetingSlo) meet the SLO "
            + "analytically, \(s.simulated) simulated"
    }

    /// Rejection reasons, most frequent first.
    static func rejections(_ s: PlanDocument.Search) -> [(String, Int)] {
        s.rejected.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
    }

    /// `text` broken into lines of at most `width` columns; the first starts with `indent`, the rest with `hanging`.
    static func wrap(_ text: String, width: Int = 100, indent: String, hanging: String) -> [String] {
        var lines: [String] = []
        var current = indent
        var empty = true
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if !empty, current.count + 1 + word.count > width {
                lines.append(current)
                current = hanging
                empty = true
            }
            current += (empty ? "" : " ") + word
            empty = false
        }
        if !empty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
