import Foundation
import HeadroomAgent
import HeadroomCore
import HeadroomServer
import Testing

/// The agent loop against a scripted OpenAI-compatible chat server replaying recorded tool-calling exchanges.
@Suite(.serialized)
struct AgentLoopTests {
    @Test(.timeLimit(.minutes(3)))
    func searchesPlansAndSummarisesWithToolFiguresOnly() async throws {
        let turns: [ScriptedTurn] = [
            .calls([("catalog_search", #"{"kind":"models","query":"llama 8b"}"#)]),
            .calls([("plan", AgentFixtures.planArguments)]),
            .text { request in
                "The cheapest fleet costs $\(AgentFixtures.quotedCost(request)) per hour. It also needs 12345 spare widgets."
            },
        ]
        try await withScriptedChat(turns) { url, script in
            let (result, agent) = try await runAgent(url: url, brief: AgentFixtures.brief)
            #expect(result.finish == .planned, "\(result.status)")
            #expect(result.steps == 3)
            let plan = try #require(result.plan)
            #expect(AgentFixturesCheck.hasCandidates(plan))
            #expect(result.report.contains("## Advisories") || result.report.contains("Recommendation"))
            #expect(result.removedSentences.count == 1)
            #expect(!result.report.contains("12345"))
            #expect(result.report.contains("1 sentence with figures no tool produced was left out"))
            #expect(result.narrative?.contains("per hour") == true)
            // The tool results went back to the model, answering the calls by id.
            let second = await script.messages(1)
            #expect(second.last?["role"]?.stringValue == "tool")
            #expect(second.last?["tool_call_id"]?.stringValue == "call_0")
            let first = await script.requests.first
            #expect(first?["tool_choice"]?.stringValue == "auto")
            #expect(await script.requests.count == 3)
            let calls = agent.transcript.steps.flatMap(\.toolCalls)
            #expect(calls.map(\.tool) == ["catalog_search", "plan"])
            #expect(calls.allSatisfy { !$0.isError })
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func badArgumentsGoBackAsTheToolErrorAndTheModelFixesTheCall() async throws {
        let bad = #"{"workload":\#(AgentFixtures.workload),"with_cost":true,"colour":"blue"}"#
        let turns: [ScriptedTurn] = [
            .calls([("plan", bad)]),
            .calls([("plan", AgentFixtures.planArguments)], argumentsAsObject: true),
            .text("The plan above is the recommendation."),
        ]
        try await withScriptedChat(turns) { url, script in
            let (result, agent) = try await runAgent(url: url, brief: AgentFixtures.brief)
            #expect(result.finish == .planned, "\(result.status)")
            let error = try #require(await script.messages(1).last?["content"]?.stringValue)
            #expect(error.hasPrefix("error:"))
            #expect(error.contains("colour"), "the error names the field: \(error)")
            let calls = agent.transcript.steps.flatMap(\.toolCalls)
            #expect(calls.map(\.isError) == [true, false])
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aModelThatNeverCallsToolsIsNudgedOnceThenTheAgentStops() async throws {
        let turns: [ScriptedTurn] = [.text("You need 42 GPUs."), .text("Trust me: 42 GPUs at $99 an hour.")]
        try await withScriptedChat(turns) { url, script in
            let (result, agent) = try await runAgent(url: url, brief: "Plan something for a chatbot.")
            #expect(result.finish == .noPlan)
            #expect(result.steps == 2)
            #expect(!result.report.contains("42"))
            #expect(!result.report.contains("99"))
            #expect(agent.transcript.steps.map(\.kind) == ["model", "nudge", "model"])
            let nudge = await script.messages(1).last
            #expect(nudge?["role"]?.stringValue == "user")
            #expect(nudge?["content"]?.stringValue?.contains("plan tool") == true)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func theStepBudgetEndsARunCleanlyWithWhatTheToolsProduced() async throws {
        let turns: [ScriptedTurn] = [.calls([("catalog_search", #"{"kind":"accelerators","query":"h100"}"#)])]
        try await withScriptedChat(turns) { url, script in
            let (result, _) = try await runAgent(url: url, brief: AgentFixtures.brief, maxSteps: 3)
            #expect(result.finish == .budgetExhausted)
            #expect(result.steps == 3)
            #expect(await script.requests.count == 3)
            #expect(result.report.contains("step budget (3 model turns) ran out"))
            #expect(result.report.contains("What the tools produced"))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func anEndpointErrorIsReportedWithTheServersMessage() async throws {
        try await withScriptedChat([.http(503, #"{"error":{"message":"model is loading"}}"#)]) { url, _ in
            let (result, _) = try await runAgent(url: url, brief: AgentFixtures.brief)
            #expect(result.finish == .endpointError)
            #expect(result.status.contains("HTTP 503"))
            #expect(result.status.contains("model is loading"))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func unansweredQuestionsTellTheModelToAssume() async throws {
        let turns: [ScriptedTurn] = [
            .calls([("ask_user", #"{"question":"Which model?"}"#)]),
            .calls([("state_assumption", #"{"assumption":"No model named: llama-3.1-8b assumed."}"#)]),
            .text("Done."),
        ]
        try await withScriptedChat(turns) { url, script in
            let (result, _) = try await runAgent(url: url, brief: "A chatbot.", maxSteps: 4)
            let answer = await script.messages(1).last?["content"]?.stringValue
            #expect(answer?.contains("no answer available") == true)
            #expect(result.questions == [AgentQuestion(question: "Which model?", answer: nil)])
            #expect(result.report.contains("## Questions"))
        }
    }
}

enum AgentFixturesCheck {
    static func hasCandidates(_ plan: JSONValue) -> Bool {
        let document = plan["plan"] ?? plan
        if case .array(let candidates)? = document["candidates"] { return !candidates.isEmpty }
        return false
    }
}
