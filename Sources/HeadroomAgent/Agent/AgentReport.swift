import Foundation
import HeadroomCore

/// The agent's final Markdown: push-back, assumptions, questions, the plan tool's report (and the cost tool's), and
/// the model's narrative after the number guard. Every figure in it comes from a tool, the brief or an answer.
enum AgentReport {
    /// The pieces a report is made of.
    struct Parts {
        var status: String?
        var plan: ToolOutcome?
        var cost: ToolOutcome?
        var pushback: [String] = []
        var assumptions: [String] = []
        var questions: [AgentQuestion] = []
        var narrative: NumberGuard.Filtered?
        /// Shown when there is no plan: what the tools did produce.
        var otherOutcomes: [ToolOutcome] = []
    }

    static func render(_ parts: Parts) -> String {
        var out: [String] = ["# Headroom agent"]
        if let status = parts.status { out += ["", "> " + status] }
        if !parts.pushback.isEmpty {
            out += ["", "## Push-back"] + parts.pushback.map { "- " + $0 }
        }
        if !parts.assumptions.isEmpty {
            out += ["", "## Assumptions"] + parts.assumptions.map { "- " + $0 }
        }
        if !parts.questions.isEmpty {
            out += ["", "## Questions"]
            out += parts.questions.map { q in
                "- " + q.question + (q.answer.map { " — answer: \($0)" } ?? " — unanswered")
            }
        }
        if let plan = parts.plan {
            out += ["", plan.report ?? fenced(plan.text)]
        }
        if let cost = parts.cost {
            out += ["", cost.report ?? fenced(cost.text)]
        }
        if parts.plan == nil, !parts.otherOutcomes.isEmpty {
            out += ["", "## What the tools produced"]
            for outcome in parts.otherOutcomes {
                out += ["", "### \(outcome.tool)", outcome.report ?? fenced(outcome.text)]
            }
        }
        if let narrative = parts.narrative {
            let text = narrative.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty || !narrative.removed.isEmpty { out += ["", "## Summary"] }
            if !text.isEmpty { out += ["", text] }
            let count = narrative.removed.count
            if count > 0 {
                out += [
                    "",
                    "_\(count) sentence\(count == 1 ? "" : "s") with figures no tool produced \(count == 1 ? "was" : "were") left out._",
                ]
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func fenced(_ text: String, limit: Int = 4000) -> String {
        let cut = text.count > limit ? String(text.prefix(limit)) + "\n… (cut; the transcript has all of it)" : text
        return "```json\n" + cut + "\n```"
    }

    /// The plan document inside a plan tool's JSON (`{plan, cost}` with `with_cost`, else the document itself).
    static func planDocument(_ json: JSONValue?) -> JSONValue? {
        guard let json else { return nil }
        if let inner = json["plan"], inner["candidates"] != nil { return inner }
        return json
    }

    /// Where the agent pushes back: the plan's critical and warning advisories (with their codes), no feasible
    /// deployment, a budget the recommendation exceeds.
    static func pushback(plan json: JSONValue?, budgetPerHour: Double?) -> [String] {
        guard let document = planDocument(json) else { return [] }
        var lines: [String] = []
        if case .array(let advisories)? = document["advisories"] {
            for advisory in advisories {
                guard let severity = advisory["severity"]?.stringValue, severity == "critical" || severity == "warning"
                else { continue }
                let title = advisory["title"]?.stringValue ?? ""
                let code = advisory["code"]?.stringValue ?? ""
                lines.append("\(severity): \(title) (\(code))")
            }
        }
        let chosen: JSONValue? = {
            if case .array(let candidates)? = document["candidates"] { return candidates.first }
            return nil
        }()
        if chosen == nil {
            lines.append("No deployment meets the workload under its constraints: relax the SLO or the constraints.")
        }
        if let budgetPerHour, case .number(let cost)? = chosen?["cost_per_hour"], cost > budgetPerHour {
            lines.append(
                "The recommendation costs \(money(cost)) per hour, over the budget of \(money(budgetPerHour)) per hour."
            )
        }
        return lines
    }

    static func money(_ value: Double) -> String {
        String(format: "$%.2f", value)
    }
}
