import HeadroomCore

/// `headroom cost` as a terminal table, Markdown or one self-contained HTML page with charts.
public enum CostReport {
    static func money(_ value: Double, _ currency: String) -> String { "\(humanNumber(value)) \(currency)" }

    static func headline(_ d: CostDocument) -> [String] {
        let days = Double(d.horizonHours) / 24
        var lines = [
            "How to buy \(d.deployment) over \(humanNumber(days)) days (\(d.horizonHours) hours)",
            decisionHeadline(d),
            "demand: \(d.peakReplicas) replicas at peak, \(d.replicaHours) replica-hours, \(humanNumber(d.perReplicaCapacityRps)) req/s per replica at the SLO",
            "recommended mix: \(money(d.totalCost, d.currency)) (\(money(d.costPerMillionOutputTokens, d.currency)) per 1M output tokens) — \(humanNumber(d.savingsFraction * 100))% below all on-demand (\(money(d.allOnDemandCost, d.currency))); load-duration rule: \(money(d.loadDurationRuleCost, d.currency)); uncovered hours: \(d.uncoveredHours)",
        ]
        if let best = d.balancedPolicy, let p = d.autoscaling.first(where: { $0.id == best }) {
            lines.append(
                "autoscaling: \(p.name) balances over-provisioning (\(humanNumber(p.overProvisionedReplicaHours)) replica-hours/week) against starvation (\(p.starvedMinutes) minutes/week); keep a buffer of \(d.recommendedBufferReplicas) replica\(d.recommendedBufferReplicas == 1 ? "" : "s") (replica bring-up \(humanNumber(d.bringUpSeconds["total"] ?? 0)) s)"
            )
        }
        if let t = d.tco {
            lines.append(
                "build vs rent: owning costs \(money(t.ownPerUsedHour, d.currency)) per used accelerator-hour\(d.ownCostPerMillionOutputTokens.map { " (\(money($0, d.currency)) per 1M output tokens)" } ?? "") against \(money(t.rentPerUsedHour, d.currency)) renting; break-even at \(humanNumber(t.breakEvenUtilisation * 100))% utilisation"
                    + (t.breakEvenMonth.map { ", month \($0)" } ?? ", not within the horizon"))
        }
        return lines
    }

    static func tables(_ d: CostDocument) -> [(String, TextTable)] {
        var out: [(String, TextTable)] = []
        var options = TextTable(header: ["option", "per replica-hour", "where", "term"])
        options.rows = d.options.map {
            [
                $0.kind, money($0.ratePerReplicaHour, d.currency), "\($0.provider) \($0.region)",
                $0.termHours.map { "\($0 / 8760) y" } ?? "—",
            ]
        }
        out.append(("Prices (per replica of the plan)", options))
        var mix = TextTable(header: ["bought as", "replicas", "replica-hours", "cost", "break-even u*", "utilisation"])
        mix.rows = d.lines.map {
            [
                $0.option, String($0.replicas), humanNumber($0.replicaHours), money($0.cost, d.currency),
                $0.breakEvenUtilisation.map { humanNumber($0 * 100) + "%" } ?? "—",
                $0.utilisation.map { humanNumber($0 * 100) + "%" } ?? "—",
            ]
        }
        out.append(("Procurement mix", mix))
        var levels = TextTable(header: ["replica", "needed in % of hours", "commit if priced below"])
        let onDemandRate = d.options.first { $0.kind == ProcurementOption.Kind.onDemand.rawValue }?.ratePerReplicaHour
        levels.rows = d.levelUtilisation.enumerated().map { index, share in
            [
                "#\(index + 1)", humanNumber(share * 100) + "%",
                (onDemandRate.map { money($0 * share, d.currency) + " per replica-hour" } ?? "—")
                    + " (\(humanNumber(share * 100))% of on-demand)",
            ]
        }
        out.append(
            (
                "When a commitment pays: each replica's share of hours is its break-even price (load-duration curve)",
                levels
            ))
        var scaling = TextTable(header: [
            "autoscaling policy", "replica-hours", "over-provisioned", "starved min", "violating requests", "cost",
        ])
        scaling.rows = d.autoscaling.map {
            [
                ($0.id == d.balancedPolicy ? "* " : "") + $0.name, humanNumber($0.replicaHours),
                humanNumber($0.overProvisionedReplicaHours), String($0.starvedMinutes),
                humanNumber($0.sloViolatingRequests), money($0.cost, d.currency),
            ]
        }
        out.append(("Autoscaling over one week (* balances the two failure modes)", scaling))
        if let t = d.tco {
            var tco = TextTable(header: ["owning, per year", "cost", "source"])
            tco.rows = t.lines.map {
                [
                    $0["item"] ?? "", money(Double($0["per_year"] ?? "0") ?? 0, d.currency),
                    String(($0["source"] ?? "").prefix(60)),
                ]
            }
            tco.rows.append(["total owning", money(t.ownPerYear, d.currency), ""])
            tco.rows.append([
                "renting the same used hours", money(t.rentPerYear, d.currency), "on-demand + cloud overhead",
            ])
            out.append(("Build versus rent", tco))
        }
        var api = TextTable(header: ["serve it with", "per month", "per 1M output tokens", "source"])
        api.rows = d.api.map {
            [
                $0["option"] ?? "", ($0["cost_per_month"] ?? "") + " " + d.currency,
                $0["cost_per_million_output"] ?? "", String(($0["source"] ?? "").prefix(50)),
            ]
        }
        out.append(("Managed API versus self-hosted at the average monthly volume over the horizon", api))
        var facility = TextTable(header: ["facility", "value"])
        let f = d.facility
        facility.rows = [
            ["IT power", "\(humanNumber(f["it_kw"] ?? 0)) kW"],
            ["facility power (PUE)", "\(humanNumber(f["facility_kw"] ?? 0)) kW"],
            ["racks", "\(Int(f["racks"] ?? 0)) × \(humanNumber(f["rack_kw"] ?? 0)) kW, \(d.facilityCooling) cooling"],
            [
                "energy",
                "\(humanNumber(f["annual_mwh"] ?? 0)) MWh/year, \(money(f["annual_energy_cost"] ?? 0, d.currency))/year",
            ],
        ]
        if let co2 = f["annual_tonnes_co2e"] { facility.rows.append(["emissions", "\(humanNumber(co2)) t CO2e/year"]) }
        out.append(("Facility (if built)", facility))
        return out
    }

    public static func table(_ d: CostDocument) -> String {
        var text = headline(d).joined(separator: "\n")
        text +=
            "\n\n\(decisionTitle) (* cheapest)\n" + decisionTable(d).render() + "\n"
            + decisionLines(d).map { "  - \($0)" }.joined(separator: "\n")
        for (title, table) in tables(d) { text += "\n\n\(title)\n" + table.render() }
        let warnings = Set(d.autoscaling.flatMap(\.warnings))
        if !warnings.isEmpty {
            text += "\n\nwarnings:\n" + warnings.sorted().map { "  - \($0)" }.joined(separator: "\n")
        }
        text +=
            "\n\nnotes:\n"
            + d.printedNotes.map { "  - \($0)" }.joined(separator: "\n")
        return text
    }

    public static func markdown(_ d: CostDocument) -> String {
        var lines = ["# " + headline(d)[0], ""] + headline(d).dropFirst().map { "- \($0)" }
        let decision = decisionTable(d)
        lines += [
            "", "## \(decisionTitle)", "", "| " + decision.header.joined(separator: " | ") + " |",
            "|" + decision.header.map { _ in "---" }.joined(separator: "|") + "|",
        ]
        lines += decision.rows.map { "| " + $0.map { $0.replacingPipes() }.joined(separator: " | ") + " |" }
        lines += [""] + decisionLines(d).map { "- \($0)" }
        for (title, table) in tables(d) {
            lines += [
                "", "## \(title)", "", "| " + table.header.joined(separator: " | ") + " |",
                "|" + table.header.map { _ in "---" }.joined(separator: "|") + "|",
            ]
            lines += table.rows.map { "| " + $0.map { $0.replacingPipes() }.joined(separator: " | ") + " |" }
        }
        lines += ["", "## Notes", ""] + d.printedNotes.map { "- \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func html(_ d: CostDocument) -> String {
        let e = SVGChart.escape
        let x = d.demand.map { $0[0] / 24 }
        // Capacity bought, cumulatively by source (only the sources used), with the need drawn last, on top.
        var layers: [SVGChart.Series] = []
        let committed = d.demand.map { $0[2] + $0[3] }
        if committed.contains(where: { $0 > 0 }) { layers.append(.init("committed (1- and 3-year)", committed)) }
        if d.demand.contains(where: { $0[5] > 0 }) {
            layers.append(.init("+ on-demand", d.demand.map { $0[2] + $0[3] + $0[4] }))
        }
        layers.append(
            .init(
                d.demand.contains(where: { $0[5] > 0 }) ? "+ spot = capacity" : "capacity bought",
                d.demand.map { $0[2] + $0[3] + $0[4] + $0[5] }))
        layers.append(
            .init(d.horizonHours > 24 * 21 ? "replicas needed (daily peak)" : "replicas needed", d.demand.map { $0[1] })
        )
        let demand = SVGChart.lines(
            title: "Demand against capacity bought", x: x, series: layers,
            xAxis: .init("day of the horizon"), yAxis: .init("replicas")
        )
        var levelChart = ""
        if !d.levelUtilisation.isEmpty {
            levelChart = SVGChart.bars(
                title: "Hours each replica is needed = its break-even price",
                categories: d.levelUtilisation.indices.map { "replica \($0 + 1)" },
                series: [.init("% of hours", d.levelUtilisation.map { $0 * 100 })],
                valueAxis: .init("% of hours", range: 0...100)
            )
        }
        let cost = SVGChart.bars(
            title: "Cost over the horizon by way of buying",
            categories: ["all on-demand", "load-duration rule", "recommended mix"],
            series: [.init(d.currency, [d.allOnDemandCost, d.loadDurationRuleCost, d.totalCost])],
            valueAxis: .init("cost (\(d.currency))")
        )
        var charts: [(svg: String, caption: String)] = [
            (
                demand,
                "Replicas needed hour by hour (daily peaks for long horizons) and the capacity the recommended mix buys."
            ),
            (
                cost,
                "What the horizon costs bought all on demand, by the load-duration rule, and by the recommended mix."
            ),
        ]
        if !levelChart.isEmpty {
            charts.append(
                (
                    levelChart,
                    "A commitment for replica k pays when its price is below this share of the on-demand rate."
                ))
        }
        if !d.autoscalingWeek.isEmpty {
            charts.append(
                (
                    SVGChart.lines(
                        title: "Autoscaling with \(d.balancedPolicy ?? "the balanced policy"), one week",
                        x: d.autoscalingWeek.map { $0[0] / 24 },
                        series: [
                            .init("replicas needed", d.autoscalingWeek.map { $0[1] }),
                            .init("replicas ready", d.autoscalingWeek.map { $0[2] }),
                        ],
                        xAxis: .init("day"), yAxis: .init("replicas")
                    ),
                    "Ready above needed is over-provisioning; below is starvation (requests queue past the SLO)."
                ))
        }
        if let t = d.tco {
            charts.append(
                (
                    SVGChart.lines(
                        title: "Cumulative cost: owning against renting", x: t.cumulative.map { $0[0] },
                        series: [.init("own", t.cumulative.map { $0[1] }), .init("rent", t.cumulative.map { $0[2] })],
                        xAxis: .init("month"), yAxis: .init("cumulative cost (\(d.currency))")
                    ),
                    "Cumulative cost of owning (capex up front, then running costs) against renting the same used hours."
                ))
        }
        var body =
            "<h1>\(e(headline(d)[0]))</h1><ul>" + headline(d).dropFirst().map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        let decision = decisionTable(d)
        body +=
            "<h2>\(e(decisionTitle))</h2><table><thead><tr>" + decision.header.map { "<th>\(e($0))</th>" }.joined()
            + "</tr></thead><tbody>"
            + decision.rows.map { "<tr>" + $0.map { "<td>\(e($0))</td>" }.joined() + "</tr>" }.joined()
            + "</tbody></table><ul>" + decisionLines(d).map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        body += charts.map { "<figure>\($0.svg)<figcaption>\(e($0.caption))</figcaption></figure>" }.joined()
        for (title, table) in tables(d) {
            body +=
                "<h2>\(e(title))</h2><table><thead><tr>" + table.header.map { "<th>\(e($0))</th>" }.joined()
                + "</tr></thead><tbody>"
            body +=
                table.rows.map { "<tr>" + $0.map { "<td>\(e($0))</td>" }.joined() + "</tr>" }.joined()
                + "</tbody></table>"
        }
        body +=
            "<h2>Notes</h2><ul>"
            + d.printedNotes.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"/><title>\(e(headline(d)[0]))</title>
            <style>
            body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1f2933}
            h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}figure{margin:1.5rem 0}svg{max-width:100%;height:auto}
            table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #e4e7eb;padding:.35rem .5rem;text-align:left}
            th{background:#f5f7fa}li{margin:.2rem 0}
            </style></head><body>\(body)</body></html>
            """
    }
}
