import Foundation
import HeadroomCore

/// The tools the agent offers a model: the planning toolbox's, plus two of its own, `ask_user` and
/// `state_assumption`, and how tool results are condensed before the model reads them.
enum AgentTools {
    static let askUser = "ask_user"
    static let stateAssumption = "state_assumption"

    /// What `ask_user` answers when nobody can answer.
    static let noAnswer = "no answer available: state the assumption you make (state_assumption) and go on"

    /// The `tools` list of a chat request.
    static func chatTools(_ descriptors: [ToolDescriptor]) -> [ChatTool] {
        descriptors.map { ChatTool(name: $0.name, description: $0.description, parameters: $0.inputSchema) } + [
            ChatTool(
                name: askUser,
                description: """
                    Ask the user for a fact the brief does not give and you cannot assume (the model to serve, the \
                    traffic). Returns the answer, or says none is available: then state an assumption and go on.
                    """,
                parameters: schema(["question": "The question, naming the fact needed and why."])),
            ChatTool(
                name: stateAssumption,
                description: """
                    Record an assumption you make for a fact the brief leaves out (SLO, lengths, availability…), \
                    with the value you use. Assumptions are shown to the user in the report.
                    """,
                parameters: schema(["assumption": "The assumption, e.g. 'no SLO given: p99 TTFT 1000 ms assumed'."])),
        ]
    }

    /// An object schema of required string properties.
    static func schema(_ properties: [String: String]) -> JSONValue {
        .object([
            "type": .string("object"),
            "properties": .object(
                properties.mapValues { .object(["type": .string("string"), "description": .string($0)]) }),
            "required": .array(properties.keys.sorted().map(JSONValue.string)),
            "additionalProperties": .bool(false),
        ])
    }

    /// The one string argument of an agent tool, or `nil` when the arguments do not hold it.
    static func stringArgument(_ key: String, of call: ChatToolCall) -> String? {
        guard let data = call.argumentsObject,
            let object = try? JSONDecoder().decode([String: JSONValue].self, from: data),
            let value = object[key]?.stringValue, !value.trimmingCharacters(in: .whitespaces).isEmpty
        else { return nil }
        return value
    }

    /// A tool outcome as the model reads it: JSON without time series, long arrays cut to their first entries, and
    /// the whole cut to `limit` characters, so a small model's context holds it.
    static func digest(_ outcome: ToolOutcome, limit: Int) -> String {
        var text = outcome.text
        if !outcome.isError, let value = try? JSONValue(json: text), let compact = try? prune(value).jsonText() {
            text = compact
        }
        if outcome.isError { text = "error: " + text }
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "… (cut)"
    }

    static func prune(_ value: JSONValue, depth: Int = 0) -> JSONValue {
        switch value {
        case .object(let object):
            var kept: [String: JSONValue] = [:]
            for (key, child) in object where !["chosen_time_series", "time_series", "explain"].contains(key) {
                kept[key] = prune(child, depth: depth + 1)
            }
            return .object(kept)
        case .array(let array):
            return .array(array.prefix(depth <= 2 ? 5 : 8).map { prune($0, depth: depth + 1) })
        default:
            return value
        }
    }
}

/// Answers the agent's questions: the person at the terminal, a script in a test, or nobody.
package protocol AgentAnswering: Sendable {
    /// The answer to `question`, or `nil` when none is available.
    func answer(_ question: String) async -> String?
}

/// Nobody to ask: every question goes unanswered, so the agent states assumptions instead.
package struct NoAnswers: AgentAnswering {
    package init() {}
    package func answer(_ question: String) async -> String? { nil }
}

/// A fixed list of answers, given in order; then none.
package actor ScriptedAgentAnswers: AgentAnswering {
    private var remaining: [String]
    /// The questions asked, in order.
    package private(set) var asked: [String] = []

    package init(_ answers: [String]) {
        remaining = answers
    }

    package func answer(_ question: String) async -> String? {
        asked.append(question)
        return remaining.isEmpty ? nil : remaining.removeFirst()
    }
}
