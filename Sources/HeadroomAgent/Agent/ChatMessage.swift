package import Foundation
import HeadroomCore

/// One message of an OpenAI-compatible chat conversation: system, user, assistant (possibly with tool calls) or tool.
///
/// Decoding is tolerant of what servers differ on: `content` may be `null`, absent or an array of text parts, and a
/// tool call's `arguments` may be a JSON string (OpenAI, vLLM) or an object (some llama.cpp builds).
package struct ChatMessage: Codable, Sendable, Hashable {
    /// Who speaks.
    package enum Role: String, Codable, Sendable, Hashable {
        case system, user, assistant, tool
    }

    package var role: Role
    /// The text; `nil` for an assistant turn that only calls tools.
    package var content: String?
    /// The assistant's tool calls.
    package var toolCalls: [ChatToolCall]?
    /// For a tool message: the call it answers.
    package var toolCallID: String?
    /// For a tool message: the tool's name (some servers want it).
    package var name: String?

    package init(
        role: Role, content: String?, toolCalls: [ChatToolCall]? = nil, toolCallID: String? = nil, name: String? = nil
    ) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.name = name
    }

    /// A system message.
    package static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: text) }
    /// A user message.
    package static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
    /// A tool result answering `call`.
    package static func tool(_ text: String, answering call: ChatToolCall) -> ChatMessage {
        ChatMessage(role: .tool, content: text, toolCallID: call.id, name: call.name)
    }

    enum CodingKeys: String, CodingKey {
        case role, content, name
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
    }

    /// A text part of an array-valued `content`.
    struct ContentPart: Decodable {
        var type: String?
        var text: String?
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(Role.self, forKey: .role)
        if let text = try? container.decodeIfPresent(String.self, forKey: .content) {
            content = text
        } else if let parts = try? container.decodeIfPresent([ContentPart].self, forKey: .content) {
            content = parts.compactMap(\.text).joined()
        } else {
            content = nil
        }
        toolCalls = try container.decodeIfPresent([ChatToolCall].self, forKey: .toolCalls)
        if toolCalls?.isEmpty == true { toolCalls = nil }
        toolCallID = try container.decodeIfPresent(String.self, forKey: .toolCallID)
        name = try container.decodeIfPresent(String.self, forKey: .name)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        // An assistant turn that only calls tools sends `content: null`, which every server accepts.
        if let content {
            try container.encode(content, forKey: .content)
        } else {
            try container.encodeNil(forKey: .content)
        }
        try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
        try container.encodeIfPresent(toolCallID, forKey: .toolCallID)
        try container.encodeIfPresent(name, forKey: .name)
    }
}

/// A function call an assistant message asks for.
package struct ChatToolCall: Codable, Sendable, Hashable {
    /// The call's id, echoed by the tool message that answers it.
    package var id: String
    /// The function's name.
    package var name: String
    /// The arguments as JSON text (as the model wrote them: possibly not JSON at all).
    package var arguments: String

    package init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }

    enum CodingKeys: String, CodingKey {
        case id, type, function
    }

    enum FunctionKeys: String, CodingKey {
        case name, arguments
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let function = try container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        name = try function.decode(String.self, forKey: .name)
        if let text = try? function.decodeIfPresent(String.self, forKey: .arguments) {
            arguments = text
        } else if let object = try? function.decodeIfPresent(JSONValue.self, forKey: .arguments),
            let text = try? object.jsonText()
        {
            arguments = text
        } else {
            arguments = "{}"
        }
        // Some servers leave the id out; the tool message still needs one to answer.
        id = (try? container.decodeIfPresent(String.self, forKey: .id)) ?? "call_\(name)_\(arguments.count)"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode("function", forKey: .type)
        var function = container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        try function.encode(name, forKey: .name)
        try function.encode(arguments, forKey: .arguments)
    }

    /// The arguments as a JSON object's bytes, or `nil` when they are not a JSON object.
    package var argumentsObject: Data? {
        let data = Data(arguments.utf8)
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else { return nil }
        return data
    }
}
