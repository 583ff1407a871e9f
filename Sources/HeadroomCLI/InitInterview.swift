import Foundation
package import HeadroomCore

/// The interview behind `headroom init`: questions in a fixed order, each with a default, an explanation and a
/// validator.
package struct InitInterview {
    package var catalog: Catalog
    /// Jurisdictions with prices in the bundled book; residency answers must name one of them.
    package var jurisdictions: [String]

    package init(catalog: Catalog, jurisdictions: [String]) {
        self.catalog = catalog
        self.jurisdictions = jurisdictions
    }

    /// The workload fields in the order they are asked.
    package static let fieldOrder = [
        "model", "traffic.peak_rps", "traffic.diurnal", "traffic.growth_per_month", "traffic.horizon_months",
        "lengths", "prefix", "slo.ttft_ms", "slo.tpot_ms", "slo.percentile", "slo.availability",
        "constraints.accelerators", "constraints.stacks", "constraints.data_residency", "quality.lowest_precision",
        "constraints.budget_per_hour",
    ]

    /// Asks every question of `source`.
    ///
    /// An empty answer keeps the default; once `source` ends, every remaining default is kept without asking. A
    /// bad answer is asked again when the source is interactive.
    /// - Returns: the answers.
    /// - Throws: ``HeadroomError`` `.invalidInput` naming the question's field when a non-interactive answer is bad.
    package func run(_ source: inout some AnswerSource) throws(HeadroomError) -> WorkloadAnswers {
        var answers = WorkloadAnswers()
        var ended = false
        for question in questions() where !ended {
            var retry = false
            while true {
                // A question asked again shows only its title and default.
                let prompt =
                    "\n\(question.title) [\(question.current(answers))]\n"
                    + (retry ? "" : question.explanation.map { "  \($0)\n" }.joined())
                retry = true
                guard let raw = source.next(prompt: prompt) else {
                    ended = true
                    break
                }
                let text = raw.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { break }
                do {
                    try question.apply(text, &answers)
                    break
                } catch {
                    let message = (error as? AnswerProblem)?.message ?? "\(error)"
                    guard source.isInteractive else {
                        throw HeadroomError(
                            .invalidInput, "\(question.field): \(message) (answer '\(text)' to '\(question.title)')",
                            field: question.field
                        )
                    }
                    source.reject(message)
                }
            }
        }
        return answers
    }

    struct AnswerProblem: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    struct Question {
        var field: String
        var title: String
        var explanation: [String]
        var current: (WorkloadAnswers) -> String
        var apply: (String, inout WorkloadAnswers) throws -> Void
    }
}
