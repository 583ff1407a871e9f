package import Foundation

/// Everything an agent run did, for `--transcript`: the endpoint (never the key), the brief, each step's messages,
/// every tool call with its arguments, outcome and duration, the assumptions, the questions, what the number guard
/// left out, and the final report. docs/agent.md documents the schema.
package struct AgentTranscript: Codable, Sendable {
    /// The chat endpoint a model run talked to.
    package struct Endpoint: Codable, Sendable, Hashable {
        package var url: String
        package var model: String

        package init(url: String, model: String) {
            self.url = url
            self.model = model
        }
    }

    /// One model turn (or, for a brief file, one pipeline stage).
    package struct Step: Codable, Sendable {
        /// 1-based.
        package var index: Int
        /// `model` (a chat completion), `nudge` (the agent asked the model to call tools) or `pipeline`.
        package var kind: String
        /// The messages this step added to the conversation (assistant reply, tool results, nudges).
        package var messages: [ChatMessage]
        package var toolCalls: [ToolCallRecord]
        package var finishReason: String?
        package var durationMs: Double

        enum CodingKeys: String, CodingKey {
            case index, kind, messages
            case toolCalls = "tool_calls"
            case finishReason = "finish_reason"
            case durationMs = "duration_ms"
        }
    }

    /// One tool call and what it produced.
    package struct ToolCallRecord: Codable, Sendable {
        package var id: String
        package var tool: String
        /// The arguments as sent (JSON text, or whatever the model wrote).
        package var arguments: String
        package var isError: Bool
        package var text: String
        package var report: String?
        package var durationMs: Double

        enum CodingKeys: String, CodingKey {
            case id, tool, arguments, text, report
            case isError = "is_error"
            case durationMs = "duration_ms"
        }
    }

    package var version = 1
    /// `chat` (a model drives) or `brief-file` (the deterministic pipeline).
    package var mode: String
    package var endpoint: Endpoint?
    package var brief: String
    package var maxSteps: Int?
    package var startedAt: String
    /// The conversation's opening messages (system prompt, brief).
    package var opening: [ChatMessage]
    package var steps: [Step] = []
    package var assumptions: [String] = []
    package var questions: [AgentQuestion] = []
    /// Sentences of the model's narrative left out because they held figures no tool produced.
    package var guardRemovals: [String] = []
    /// How the run ended (``AgentResult/Finish``).
    package var finish: String?
    package var report: String?

    package init(mode: String, endpoint: Endpoint?, brief: String, maxSteps: Int?, opening: [ChatMessage] = []) {
        self.mode = mode
        self.endpoint = endpoint
        self.brief = brief
        self.maxSteps = maxSteps
        self.opening = opening
        startedAt = ISO8601DateFormatter().string(from: Date())
    }

    enum CodingKeys: String, CodingKey {
        case version, mode, endpoint, brief, opening, steps, assumptions, questions, finish, report
        case maxSteps = "max_steps"
        case startedAt = "started_at"
        case guardRemovals = "guard_removals"
    }

    /// Pretty-printed JSON with sorted keys.
    package func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// A question the agent asked (or, for a brief file, must ask), and the answer if one came.
package struct AgentQuestion: Codable, Sendable, Hashable {
    /// The workload field the question is about, when known (`model`, `traffic`).
    package var field: String?
    package var question: String
    package var answer: String?

    package init(field: String? = nil, question: String, answer: String? = nil) {
        self.field = field
        self.question = question
        self.answer = answer
    }
}
