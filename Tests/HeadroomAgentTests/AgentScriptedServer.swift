import Foundation
import HeadroomAgent
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// One recorded turn of a chat endpoint: given the request the agent sent, the HTTP status and body to answer.
struct ScriptedTurn: Sendable {
    var respond: @Sendable (JSONValue) -> (Int, String)

    /// An assistant message calling tools: `(name, arguments JSON)`.
    static func calls(_ calls: [(String, String)], argumentsAsObject: Bool = false) -> ScriptedTurn {
        let encoded = calls.enumerated().map { index, call in
            let arguments = argumentsAsObject ? call.1 : quoted(call.1)
            return
                #"{"id":"call_\#(index)","type":"function","function":{"name":"\#(call.0)","arguments":\#(arguments)}}"#
        }
        let body = completion(
            #"{"role":"assistant","content":null,"tool_calls":[\#(encoded.joined(separator: ","))]}"#, "tool_calls")
        return ScriptedTurn { _ in (200, body) }
    }

    /// An assistant message with text only.
    static func text(_ text: String) -> ScriptedTurn {
        let body = completion(#"{"role":"assistant","content":\#(quoted(text))}"#, "stop")
        return ScriptedTurn { _ in (200, body) }
    }

    /// Text computed from the request (e.g. quoting a figure from the last tool result).
    static func text(_ make: @escaping @Sendable (JSONValue) -> String) -> ScriptedTurn {
        ScriptedTurn { request in
            (200, completion(#"{"role":"assistant","content":\#(quoted(make(request)))}"#, "stop"))
        }
    }

    /// A raw HTTP answer.
    static func http(_ status: Int, _ body: String) -> ScriptedTurn {
        ScriptedTurn { _ in (status, body) }
    }

    static func completion(_ message: String, _ finish: String) -> String {
        #"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"scripted","choices":[{"index":0,"message":\#(message),"finish_reason":"\#(finish)"}],"usage":{"prompt_tokens":10,"completion_tokens":5}}"#
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }
}

/// Replays turns by number and records every request the agent sent; past the script, the last turn repeats.
actor ChatScript {
    let turns: [ScriptedTurn]
    private(set) var requests: [JSONValue] = []

    init(_ turns: [ScriptedTurn]) {
        self.turns = turns
    }

    func answer(_ body: JSONValue) -> (Int, String) {
        requests.append(body)
        let turn = turns[min(requests.count, turns.count) - 1]
        return turn.respond(body)
    }

    /// The messages of request `index` (0-based).
    func messages(_ index: Int) -> [JSONValue] {
        guard index < requests.count, case .array(let messages)? = requests[index]["messages"] else { return [] }
        return messages
    }
}

/// Runs `body` with a live scripted OpenAI-compatible chat server on 127.0.0.1.
func withScriptedChat(
    _ turns: [ScriptedTurn], _ body: @escaping @Sendable (String, ChatScript) async throws -> Void
) async throws {
    let script = ChatScript(turns)
    let router = Router()
    router.post("/v1/chat/completions") { request, _ -> Response in
        let bytes = try await request.body.collect(upTo: 16 << 20)
        let json = (try? JSONValue(json: String(buffer: bytes))) ?? .null
        let (status, text) = await script.answer(json)
        return Response(
            status: .init(code: status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
        let port = try #require(client.port)
        try await body("http://127.0.0.1:\(port)/v1", script)
    }
}

/// Runs an agent against `url` for one brief and shuts its client down.
func runAgent(
    url: String, brief: String, maxSteps: Int = 8, answers: any AgentAnswering = NoAnswers()
) async throws -> (AgentResult, PlanningAgent) {
    let client = ChatClient(url: url, model: "scripted", apiKey: "sk-test", timeout: 60)
    var agent = PlanningAgent(
        chat: client, toolbox: try await AgentFixtures.toolbox(), answers: answers, maxSteps: maxSteps,
        endpoint: .init(url: client.completionsURL, model: "scripted"))
    let result = await agent.respond(to: brief)
    try await client.shutdown()
    return (result, agent)
}

/// Shared inputs of the agent tests.
enum AgentFixtures {
    static func toolbox() async throws -> PlanningToolbox {
        try await PlanningToolbox.local()
    }

    /// A small workload the planner handles in seconds.
    static let workload =
        #"{"model":"llama-3.1-8b","traffic":{"peak_rps":4,"requests":300},"lengths":{"preset":"chat"},"#
        + #""slo":{"ttft_ms":1000,"tpot_ms":100,"percentile":99},"constraints":{"accelerators":["h100-sxm"],"#
        + #""stacks":["vllm"]}}"#

    static let planArguments = #"{"workload":\#(workload),"with_cost":true,"top":3}"#

    static let brief =
        "A chat assistant on Llama 3.1 8B: 4 requests per second at peak, p99 TTFT under 1000 ms and TPOT under 100 ms, on H100s with vLLM."

    /// The first candidate's `cost_per_hour` in the last tool message of a request, as the model would quote it.
    static func quotedCost(_ request: JSONValue) -> String {
        guard case .array(let messages)? = request["messages"],
            let text = messages.last(where: { $0["role"]?.stringValue == "tool" })?["content"]?.stringValue,
            let json = try? JSONValue(json: text)
        else { return "?" }
        let plan = json["plan"] ?? json
        guard case .array(let candidates)? = plan["candidates"],
            case .number(let cost)? = candidates.first?["cost_per_hour"]
        else { return "?" }
        return String(format: "%.2f", cost)
    }
}
