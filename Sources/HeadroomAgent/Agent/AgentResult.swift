package import HeadroomCore

/// What an agent run ends with: how it finished, the report to print, and the pieces it was made from.
package struct AgentResult: Codable, Sendable {
    /// How the run ended.
    package enum Finish: String, Codable, Sendable {
        /// A plan was made and the model summarised it.
        case planned
        /// The model answered without ever getting a plan from the plan tool.
        case noPlan = "no-plan"
        /// The step budget ran out.
        case budgetExhausted = "budget-exhausted"
        /// The chat endpoint failed.
        case endpointError = "endpoint-error"
        /// Facts no plan can do without are missing and nobody answered (brief files).
        case questionsUnanswered = "questions-unanswered"
    }

    package var finish: Finish
    /// One sentence saying how the run ended.
    package var status: String
    /// The Markdown report: plan, cost, push-back, assumptions, questions, the checked narrative.
    package var report: String
    /// The last successful plan tool's JSON.
    package var plan: JSONValue?
    package var assumptions: [String]
    package var questions: [AgentQuestion]
    /// Where the agent pushes back: critical and warning advisories, a budget the plan exceeds.
    package var pushback: [String]
    /// The model's narrative after the number guard.
    package var narrative: String?
    package var removedSentences: [String]
    /// Model turns used (0 for brief files).
    package var steps: Int

    enum CodingKeys: String, CodingKey {
        case finish, status, report, plan, assumptions, questions, pushback, narrative, steps
        case removedSentences = "removed_sentences"
    }
}
