import HeadroomCore

/// The headline decision across managed API, dedicated cloud and on-prem, as every cost report prints it.
extension CostReport {
    static let decisionTitle = "Managed API, dedicated cloud or on-prem, at the workload's monthly volume"

    static func label(_ option: String) -> String {
        ServingDecision.Option(rawValue: option)?.label ?? option
    }

    /// One line: the winner and the three monthly costs.
    static func decisionHeadline(_ d: CostDocument) -> String {
        let x = d.decision
        let volume =
            "\(ServingDecision.count(x.requestsPerMonth)) requests a month (\(ServingDecision.count(x.outputTokensPerMonth)) output tokens)"
        let costs = x.options.map { o in
            "\(label(o.option)) " + (o.costPerMonth.map { money($0, d.currency) + " a month" } ?? "not costed")
        }
        let lead = x.winner.map { "\(label($0)) wins" } ?? "no option could be costed"
        return "decision: \(lead) at \(volume): " + costs.joined(separator: ", ")
    }

    /// The three options' costs a month and per 1M output tokens.
    static func decisionTable(_ d: CostDocument) -> TextTable {
        var table = TextTable(header: ["serve it with", "per month", "per 1M output tokens", "what", "source"])
        table.rows = d.decision.options.map { o in
            [
                (o.option == d.decision.winner ? "* " : "") + label(o.option),
                o.costPerMonth.map { money($0, d.currency) } ?? "—",
                o.costPerMillionOutputTokens.map { money($0, d.currency) } ?? "—",
                o.notComputed == nil ? o.basis : "not costed (see the reasons below)", String(o.source.prefix(60)),
            ]
        }
        return table
    }

    /// Break-evens, reasons and assumptions, each a sentence.
    static func decisionLines(_ d: CostDocument) -> [String] {
        d.decision.breakEvens.map { "break-even, \(label($0.pair[0])) vs \(label($0.pair[1])): \($0.summary)" }
            + d.decision.reasons.map { "reason: \($0)" }
            + d.decision.assumptions.map { "assumption: \($0)" }
    }
}
