import Foundation
import HeadroomAgent
import Testing

/// The llama.cpp server scripts/test starts (model alias `smollm2-135m`, whose tool calling is unreliable): the agent
/// must still finish within its budget, print no figure no tool produced, and write a transcript.
@Suite(.enabled(if: AgentLlamaServer.available), .serialized)
struct AgentLlamaTests {
    @Test(.timeLimit(.minutes(5)))
    func theAgentFinishesAgainstASmallRealModel() async throws {
        let url = try #require(AgentLlamaServer.url, "scripts/test starts llama-server and sets HEADROOM_LLAMA_URL")
        let client = ChatClient(url: url, model: "smollm2-135m", apiKey: nil, timeout: 120)
        var agent = PlanningAgent(
            chat: client, toolbox: try await AgentFixtures.toolbox(), maxSteps: 4,
            endpoint: .init(url: client.completionsURL, model: "smollm2-135m"))
        agent.toolResultLimit = 1500
        agent.maxReplyTokens = 300
        let result = await agent.respond(to: AgentFixtures.brief)
        try await client.shutdown()
        #expect(result.finish != .endpointError, "\(result.status)")
        #expect(result.steps <= 4)
        // Every figure in the narrative is one a tool produced or the brief gave.
        var sources = [AgentFixtures.brief]
        for call in agent.transcript.steps.flatMap(\.toolCalls) {
            sources.append(call.text)
            if let report = call.report { sources.append(report) }
        }
        let guardian = NumberGuard(sources: sources)
        #expect(guardian.unsupported(in: result.narrative ?? "").isEmpty)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("agent-llama-\(UUID()).json")
        try agent.transcript.json().write(to: path)
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any]
        #expect(written?["endpoint"] != nil)
        #expect((written?["steps"] as? [Any])?.isEmpty == false)
        try? FileManager.default.removeItem(at: path)
    }
}

/// The local llama.cpp server that `scripts/test` installs and starts.
enum AgentLlamaServer {
    static var url: String? { ProcessInfo.processInfo.environment["HEADROOM_LLAMA_URL"] }
    /// Set by scripts/test: a missing server is then a failure, not a skip.
    static var required: Bool { ProcessInfo.processInfo.environment["HEADROOM_REQUIRE_LLAMA"] == "1" }
    static var available: Bool { url != nil || required }
}
