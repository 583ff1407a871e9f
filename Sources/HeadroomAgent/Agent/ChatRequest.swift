package import HeadroomCore

/// A function the model may call, in OpenAI's `tools` format.
package struct ChatTool: Encodable, Sendable, Hashable {
    package var name: String
    package var description: String
    /// JSON Schema of the arguments object.
    package var parameters: JSONValue

    package init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case type, function
    }

    enum FunctionKeys: String, CodingKey {
        case name, description, parameters
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("function", forKey: .type)
        var function = container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        try function.encode(name, forKey: .name)
        try function.encode(description, forKey: .description)
        try function.encode(parameters, forKey: .parameters)
    }
}

/// The body of `POST /v1/chat/completions`: non-streaming, tools offered with `tool_choice: "auto"`.
package struct ChatRequest: Encodable, Sendable {
    package var model: String
    package var messages: [ChatMessage]
    package var tools: [ChatTool]
    package var temperature: Double
    package var maxTokens: Int?

    package init(
        model: String, messages: [ChatMessage], tools: [ChatTool], temperature: Double = 0, maxTokens: Int? = nil
    ) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.temperature = temperature
        self.maxTokens = maxTokens
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, tools, temperature, stream
        case toolChoice = "tool_choice"
        case maxTokens = "max_tokens"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(messages, forKey: .messages)
        if !tools.isEmpty {
            try container.encode(tools, forKey: .tools)
            try container.encode("auto", forKey: .toolChoice)
        }
        try container.encode(temperature, forKey: .temperature)
        try container.encode(false, forKey: .stream)
        try container.encodeIfPresent(maxTokens, forKey: .maxTokens)
    }
}

/// What the endpoint answered: the first choice's message.
package struct ChatReply: Sendable, Hashable {
    package var message: ChatMessage
    /// `stop`, `tool_calls`, `length`…, as the server reported it.
    package var finishReason: String?
    package var promptTokens: Int?
    package var completionTokens: Int?

    package init(
        message: ChatMessage, finishReason: String? = nil, promptTokens: Int? = nil, completionTokens: Int? = nil
    ) {
        self.message = message
        self.finishReason = finishReason
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}

/// Something that answers chat requests: the HTTP ``ChatClient``, or a stand-in.
package protocol ChatCompleting: Sendable {
    /// Sends `request` and returns the model's reply.
    /// - Throws: ``ChatClientError`` when the endpoint cannot be reached or answers something unusable.
    func complete(_ request: ChatRequest) async throws -> ChatReply
}
