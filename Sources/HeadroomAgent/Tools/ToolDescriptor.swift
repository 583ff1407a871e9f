package import HeadroomCore

/// A tool as a model sees it: its name, what it is for, and the JSON Schema of its arguments.
package struct ToolDescriptor: Sendable, Hashable {
    package var name: String
    package var title: String
    package var description: String
    /// JSON Schema of the arguments object.
    package var inputSchema: JSONValue
    /// Whether the tool only reads (every planning tool does): MCP's `readOnlyHint`.
    package var readOnly: Bool

    package init(name: String, title: String, description: String, inputSchema: JSONValue, readOnly: Bool = true) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.readOnly = readOnly
    }
}

/// What one tool call produced.
package struct ToolOutcome: Sendable, Codable, Hashable {
    /// The tool's name.
    package var tool: String
    /// Whether the call failed (bad arguments, an unknown model, a deployment that does not fit…).
    package var isError: Bool
    /// On success the JSON document the HTTP API returns for the same body; on failure a message naming the field at
    /// fault, phrased so that a model can correct its call.
    package var text: String
    /// A Markdown report of the same figures (plan, cost, compare, catalog search), for people.
    package var report: String?

    enum CodingKeys: String, CodingKey {
        case tool, text, report
        case isError = "is_error"
    }

    package init(tool: String, isError: Bool, text: String, report: String? = nil) {
        self.tool = tool
        self.isError = isError
        self.text = text
        self.report = report
    }

    /// A failed call's outcome.
    package static func failure(_ tool: String, _ message: String) -> ToolOutcome {
        ToolOutcome(tool: tool, isError: true, text: message)
    }
}
