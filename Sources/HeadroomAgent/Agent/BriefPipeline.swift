import Foundation
import HeadroomCatalog
import HeadroomCore

/// The agent without a language model: a structured brief goes through the same steps — ask for what no plan can do
/// without, state an assumption for what has a sensible default, call the plan tool, push back, report — in a fixed
/// order, with the same transcript.
package struct BriefPipeline: Sendable {
    package let toolbox: PlanningToolbox
    /// Who answers the questions (a person in `--interactive`); ``NoAnswers`` leaves them open.
    package let answers: any AgentAnswering

    package init(toolbox: PlanningToolbox, answers: any AgentAnswering = NoAnswers()) {
        self.toolbox = toolbox
        self.answers = answers
    }

    /// The facts no plan can do without, the question for each, and how an answer fills the workload.
    struct Requirement: Sendable {
        var field: String
        var question: String
        var present: @Sendable ([String: JSONValue]) -> Bool
        var apply: @Sendable (String, inout [String: JSONValue]) -> Bool
    }

    static let requirements: [Requirement] = [
        Requirement(
            field: "model",
            question: "Which model will you serve? Give a catalog id or alias such as llama-3.1-70b (field: model).",
            present: { $0["model"]?.stringValue?.isEmpty == false },
            apply: { answer, workload in
                let id = answer.trimmingCharacters(in: .whitespaces)
                guard !id.isEmpty else { return false }
                workload["model"] = .string(id)
                return true
            }),
        Requirement(
            field: "traffic",
            question:
                "How much traffic at the busiest hour, in requests per second? (field: traffic.peak_rps; or give traffic.requests_per_day)",
            present: { workload in
                ["peak_rps", "requests_per_day", "rate_rps"].contains { workload["traffic"]?[$0] != nil }
            },
            apply: { answer, workload in
                guard let rate = Double(answer.trimmingCharacters(in: .whitespaces)), rate > 0, rate.isFinite else {
                    return false
                }
                var traffic: [String: JSONValue] = [:]
                if case .object(let existing)? = workload["traffic"] { traffic = existing }
                traffic["peak_rps"] = .number(rate)
                workload["traffic"] = .object(traffic)
                return true
            }),
    ]

    /// Runs the pipeline on `brief`.
    /// - Returns: the result (``AgentResult/Finish/questionsUnanswered`` when a fact is missing and unanswered) and
    ///   the transcript.
    /// - Throws: ``HeadroomError`` naming the brief file, line and field when the brief's workload is invalid.
    package func run(_ brief: StructuredBrief) async throws -> (AgentResult, AgentTranscript) {
        var transcript = AgentTranscript(mode: "brief-file", endpoint: nil, brief: brief.text, maxSteps: nil)
        var workload = brief.workload

        // 1. Questions: facts no plan can do without.
        var questions: [AgentQuestion] = []
        for requirement in Self.requirements where !requirement.present(workload) {
            var answer = brief.answered[requirement.field].flatMap(Self.text)
            if answer == nil { answer = await answers.answer(requirement.question) }
            let accepted = answer.map { requirement.apply($0, &workload) } ?? false
            questions.append(AgentQuestion(field: requirement.field, question: requirement.question, answer: answer))
            if !accepted, let answer {
                questions[questions.count - 1].answer = "\(answer) (not usable)"
            }
        }
        transcript.questions = questions
        let open = questions.filter { q in !Self.requirements.contains { $0.field == q.field && $0.present(workload) } }
        if !open.isEmpty {
            let status =
                "Facts no plan can do without are missing: \(open.compactMap(\.field).joined(separator: ", "))."
            let report = AgentReport.render(.init(status: status, questions: questions))
            transcript.finish = AgentResult.Finish.questionsUnanswered.rawValue
            transcript.report = report
            return (
                AgentResult(
                    finish: .questionsUnanswered, status: status, report: report, plan: nil, assumptions: [],
                    questions: questions, pushback: [], narrative: nil, removedSentences: [], steps: 0),
                transcript
            )
        }

        // 2. Assumptions: facts with a sensible default, labelled.
        let assumptions = Self.assume(&workload)
        transcript.assumptions = assumptions

        // 3. Validate as a workload file, naming the brief's line and field.
        let workloadJSON = JSONValue.object(workload)
        do {
            _ = try WorkloadLoader.decode(yaml: try workloadJSON.jsonText(), file: brief.file)
        } catch let error as HeadroomError {
            let path = error.field.map { $0.split(separator: ".").map(String.init) } ?? []
            throw brief.error(path, error.message)
        }

        // 4. The plan tool, with cost.
        let arguments = JSONValue.object(["workload": workloadJSON, "with_cost": .bool(true), "top": .number(5)])
        let argumentText = try arguments.jsonText()
        let started = ContinuousClock.now
        let outcome = await toolbox.call("plan", arguments: Data(argumentText.utf8))
        let call = ChatToolCall(id: "pipeline-plan", name: "plan", arguments: argumentText)
        transcript.steps.append(
            .init(
                index: 1, kind: "pipeline",
                messages: [
                    ChatMessage(role: .assistant, content: nil, toolCalls: [call]),
                    .tool(outcome.text, answering: call),
                ],
                toolCalls: [
                    .init(
                        id: call.id, tool: "plan", arguments: argumentText, isError: outcome.isError,
                        text: outcome.text, report: outcome.report, durationMs: milliseconds(since: started))
                ], durationMs: milliseconds(since: started)))

        // 5. Push back and report.
        let planJSON = outcome.isError ? nil : try? JSONValue(json: outcome.text)
        let budget = brief.budgetPerHour ?? Self.number(workload["constraints"]?["budget_per_hour"])
        var pushback = AgentReport.pushback(plan: planJSON, budgetPerHour: budget)
        var status: String?
        if outcome.isError {
            status = "The plan tool refused the workload: \(outcome.text)"
            pushback = []
        }
        let report = AgentReport.render(
            .init(
                status: status, plan: outcome.isError ? nil : outcome, pushback: pushback, assumptions: assumptions,
                questions: questions))
        transcript.finish = (outcome.isError ? AgentResult.Finish.noPlan : .planned).rawValue
        transcript.report = report
        return (
            AgentResult(
                finish: outcome.isError ? .noPlan : .planned, status: status ?? "planned", report: report,
                plan: planJSON, assumptions: assumptions, questions: questions, pushback: pushback, narrative: nil,
                removedSentences: [], steps: 0),
            transcript
        )
    }

    /// Fills the facts with defaults the brief leaves out; returns the labelled assumptions.
    static func assume(_ workload: inout [String: JSONValue]) -> [String] {
        var assumptions: [String] = []
        if workload["lengths"] == nil, workload["traffic"]?["trace"] == nil {
            workload["lengths"] = .object(["preset": .string("chat")])
            assumptions.append("lengths: none given, so the chat preset's prompt and answer lengths are assumed.")
        }
        var slo: [String: JSONValue] = [:]
        if case .object(let given)? = workload["slo"] { slo = given }
        if slo["ttft_ms"] == nil, slo["tpot_ms"] == nil, slo["e2e_ms"] == nil {
            slo["ttft_ms"] = .number(1000)
            slo["tpot_ms"] = .number(100)
            assumptions.append(
                "slo: none given, so an interactive chat objective is assumed: p99 TTFT 1000 ms, TPOT 100 ms.")
        }
        if slo["availability"] == nil {
            assumptions.append(
                "slo.availability: none given, so no spare replica is planned; give 0.99 or more for N+1.")
        }
        workload["slo"] = .object(slo)
        return assumptions
    }

    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let number): number == number.rounded() ? String(Int(number)) : String(number)
        default: nil
        }
    }

    static func number(_ value: JSONValue?) -> Double? {
        if case .number(let number)? = value { return number }
        return nil
    }
}
