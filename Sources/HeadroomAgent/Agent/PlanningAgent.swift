import Foundation
import HeadroomCore

/// The brief-driven planning agent: a language model, behind an OpenAI-compatible chat endpoint, extracts a workload
/// from a brief, asks for or assumes what is missing, and calls the planning tools; the agent prints the plan tool's
/// report and the model's summary with every figure no tool produced left out.
///
/// The agent always finishes: within ``maxSteps`` model turns, after one nudge to a model that answers without
/// calling the plan tool, and with what the tools produced when no plan came. Keep the value for follow-ups
/// (``respond(to:)`` continues the conversation).
package struct PlanningAgent: Sendable {
    package let chat: any ChatCompleting
    package let toolbox: PlanningToolbox
    package let answers: any AgentAnswering
    /// Model turns per user message.
    package let maxSteps: Int
    /// Characters of a tool result the model reads.
    package var toolResultLimit = 6000
    /// The longest reply asked of the model per turn (`max_tokens`): a model that rambles is cut off here.
    package var maxReplyTokens = 1024

    /// The conversation so far.
    package private(set) var messages: [ChatMessage] = []
    /// Everything the run did.
    package private(set) var transcript: AgentTranscript
    /// Every tool outcome, successful or not, in order.
    package private(set) var outcomes: [ToolOutcome] = []
    var sources: [String] = []
    var lastPlan: ToolOutcome?
    var lastCost: ToolOutcome?

    /// - Parameters:
    ///   - chat: the chat endpoint.
    ///   - toolbox: the planning tools.
    ///   - answers: who answers `ask_user` (``NoAnswers`` when nobody can).
    ///   - maxSteps: model turns allowed per user message.
    ///   - endpoint: recorded in the transcript (never the key).
    package init(
        chat: any ChatCompleting, toolbox: PlanningToolbox, answers: any AgentAnswering = NoAnswers(),
        maxSteps: Int = 8, endpoint: AgentTranscript.Endpoint?
    ) {
        self.chat = chat
        self.toolbox = toolbox
        self.answers = answers
        self.maxSteps = max(maxSteps, 1)
        transcript = AgentTranscript(mode: "chat", endpoint: endpoint, brief: "", maxSteps: maxSteps)
    }

    /// Plans from `brief` (the first message) or answers a follow-up, within ``maxSteps`` model turns.
    /// - Returns: the result; a failing endpoint is a result with ``AgentResult/Finish/endpointError``.
    package mutating func respond(to text: String) async -> AgentResult {
        if messages.isEmpty {
            messages = [.system(AgentPrompt.system), .user(text)]
            transcript.brief = text
            transcript.opening = messages
        } else {
            messages.append(.user(text))
            transcript.steps.append(
                .init(
                    index: transcript.steps.count + 1, kind: "user", messages: [.user(text)], toolCalls: [],
                    durationMs: 0))
        }
        sources.append(text)
        let tools = AgentTools.chatTools(toolbox.descriptors)
        var nudged = false
        var steps = 0
        var narrative: String?
        var finish = AgentResult.Finish.budgetExhausted
        var failure: String?
        while steps < maxSteps {
            steps += 1
            let started = ContinuousClock.now
            let reply: ChatReply
            do {
                reply = try await chat.complete(
                    ChatRequest(model: "", messages: messages, tools: tools, maxTokens: maxReplyTokens))
            } catch {
                failure = "\(error)"
                finish = .endpointError
                break
            }
            var step = AgentTranscript.Step(
                index: transcript.steps.count + 1, kind: "model", messages: [reply.message], toolCalls: [],
                finishReason: reply.finishReason, durationMs: 0)
            messages.append(reply.message)
            if let calls = reply.message.toolCalls, !calls.isEmpty {
                for call in calls {
                    let (record, message) = await perform(call)
                    step.toolCalls.append(record)
                    step.messages.append(message)
                    messages.append(message)
                }
                step.durationMs = milliseconds(since: started)
                transcript.steps.append(step)
                continue
            }
            step.durationMs = milliseconds(since: started)
            transcript.steps.append(step)
            if lastPlan == nil, !nudged, steps < maxSteps {
                nudged = true
                messages.append(.user(AgentPrompt.nudge))
                transcript.steps.append(
                    .init(
                        index: transcript.steps.count + 1, kind: "nudge", messages: [.user(AgentPrompt.nudge)],
                        toolCalls: [], durationMs: 0))
                continue
            }
            narrative = reply.message.content ?? ""
            finish = lastPlan == nil ? .noPlan : .planned
            break
        }
        return finishRun(finish, narrative: narrative, failure: failure, steps: steps)
    }

    /// Runs one tool call: an agent tool or the toolbox's.
    mutating func perform(_ call: ChatToolCall) async -> (AgentTranscript.ToolCallRecord, ChatMessage) {
        let started = ContinuousClock.now
        let outcome: ToolOutcome
        switch call.name {
        case AgentTools.askUser:
            if let question = AgentTools.stringArgument("question", of: call) {
                let answer = await answers.answer(question)
                transcript.questions.append(AgentQuestion(question: question, answer: answer))
                if let answer { sources.append(answer) }
                outcome = ToolOutcome(tool: call.name, isError: false, text: answer ?? AgentTools.noAnswer)
            } else {
                outcome = .failure(call.name, "give {\"question\": \"…\"} (field: question)")
            }
        case AgentTools.stateAssumption:
            if let assumption = AgentTools.stringArgument("assumption", of: call) {
                transcript.assumptions.append(assumption)
                outcome = ToolOutcome(tool: call.name, isError: false, text: "noted; go on")
            } else {
                outcome = .failure(call.name, "give {\"assumption\": \"…\"} (field: assumption)")
            }
        default:
            if let data = call.argumentsObject {
                outcome = await toolbox.call(call.name, arguments: data)
            } else {
                outcome = .failure(
                    call.name,
                    "the arguments are not a JSON object: \(call.arguments.prefix(200)); send an object that matches the tool's schema"
                )
            }
            outcomes.append(outcome)
            sources.append(outcome.text)
            if let report = outcome.report { sources.append(report) }
            if !outcome.isError, call.name == "plan" { lastPlan = outcome }
            if !outcome.isError, call.name == "cost" { lastCost = outcome }
        }
        let record = AgentTranscript.ToolCallRecord(
            id: call.id, tool: call.name, arguments: call.arguments, isError: outcome.isError, text: outcome.text,
            report: outcome.report, durationMs: milliseconds(since: started))
        return (record, .tool(AgentTools.digest(outcome, limit: toolResultLimit), answering: call))
    }

    mutating func finishRun(
        _ finish: AgentResult.Finish, narrative: String?, failure: String?, steps: Int
    )
        -> AgentResult
    {
        let guardian = NumberGuard(sources: sources)
        let filtered = narrative.map { guardian.filter($0) }
        let planJSON = lastPlan.flatMap { try? JSONValue(json: $0.text) }
        let status: String? =
            switch finish {
            case .planned: nil
            case .noPlan: "The model answered without a plan from the plan tool; below is what the tools produced."
            case .budgetExhausted:
                "The step budget (\(maxSteps) model turns) ran out"
                    + (lastPlan == nil ? " before a plan; below is what the tools produced." : ".")
            case .endpointError: "The chat endpoint failed: \(failure ?? "unknown error")."
            case .questionsUnanswered: "Facts the plan needs are missing."
            }
        let pushback = AgentReport.pushback(plan: planJSON, budgetPerHour: nil)
        // Assumptions are the model's words too: one with a figure no tool or answer holds is left out.
        let assumptions = transcript.assumptions.filter { guardian.unsupported(in: $0).isEmpty }
        let dropped = transcript.assumptions.filter { !assumptions.contains($0) }
        let parts = AgentReport.Parts(
            status: status, plan: lastPlan, cost: lastCost, pushback: pushback, assumptions: assumptions,
            questions: transcript.questions, narrative: filtered,
            otherOutcomes: outcomes.filter { !$0.isError })
        let report = AgentReport.render(parts)
        transcript.guardRemovals += dropped + (filtered?.removed ?? [])
        transcript.finish = finish.rawValue
        transcript.report = report
        return AgentResult(
            finish: finish, status: status ?? "planned", report: report, plan: planJSON,
            assumptions: assumptions, questions: transcript.questions, pushback: pushback,
            narrative: filtered?.text, removedSentences: dropped + (filtered?.removed ?? []), steps: steps)
    }
}

/// Milliseconds from `start` to now.
func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
}
