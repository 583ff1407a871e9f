import Foundation
import HeadroomAgent
import Testing

/// What the chat client sends and how it reads what servers answer.
struct AgentChatClientTests {
    @Test(arguments: [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1/chat/completions"),
        ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1/chat/completions"),
        ("http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080/v1/chat/completions"),
        ("https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions"),
    ])
    func baseURLsWithOrWithoutV1(url: String, expected: String) {
        #expect(ChatClient.normalise(url) + "/v1/chat/completions" == expected)
    }

    @Test func argumentsAsAStringOrAnObjectAndNullContentAreRead() throws {
        let body = """
            {"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[
              {"id":"a","type":"function","function":{"name":"plan","arguments":"{\\"top\\":3}"}},
              {"type":"function","function":{"name":"plan","arguments":{"top":4}}}]},"finish_reason":"tool_calls"}]}
            """
        let reply = try ChatClient.decodeReply(Data(body.utf8), from: "test")
        #expect(reply.message.content == nil)
        let calls = try #require(reply.message.toolCalls)
        #expect(calls.map(\.arguments) == [#"{"top":3}"#, #"{"top":4}"#])
        #expect(calls[1].id.isEmpty == false)
        #expect(calls.allSatisfy { $0.argumentsObject != nil })
    }

    @Test(arguments: [
        (#"{"choices":[]}"#, ChatClientError.Code.noChoices),
        ("<html>bad gateway</html>", ChatClientError.Code.malformed),
        (#"{"error":{"message":"context too long"}}"#, ChatClientError.Code.http),
    ])
    func unusableAnswersAreClearErrors(body: String, code: ChatClientError.Code) {
        #expect {
            _ = try ChatClient.decodeReply(Data(body.utf8), from: "test")
        } throws: { error in
            (error as? ChatClientError)?.code == code
        }
    }

    @Test func assistantToolCallsAreSentAsOpenAIFunctions() throws {
        let message = ChatMessage(
            role: .assistant, content: nil, toolCalls: [ChatToolCall(id: "c1", name: "plan", arguments: "{}")])
        let json = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
        #expect(json.contains(#""content":null"#))
        #expect(json.contains(#""type":"function""#))
        #expect(json.contains(#""arguments":"{}""#))
    }
}
