import NIOCore

/// The server-sent events of one streamed completion, rendered once per request so that each token costs a copy of
/// prebuilt bytes rather than a JSON encoding: the id, creation time and model never change within a stream, and
/// every token is the same text (``SimTokenizer/generatedToken``).
///
/// The sequence follows OpenAI's: for chat, a role-only chunk, one chunk per token with `delta.content`, a final
/// chunk with an empty delta and `finish_reason: "length"`; for completions, one chunk per token with `text` and a
/// final chunk with empty text. Then, when `stream_options.include_usage` is set, a chunk with empty `choices` and the
/// usage (every other chunk then carries `"usage":null`, as OpenAI's do), and `data: [DONE]`.
struct StreamTemplate: Sendable {
    enum Kind: Sendable {
        case chat
        case completion
    }

    /// Written before the first token (chat only; empty for completions).
    let opening: [UInt8]
    /// One token's event.
    let token: [UInt8]
    /// The final chunk.
    private let closing: [UInt8]
    private let usagePrefix: String?

    init(kind: Kind, id: String, created: Int, model: String, includeUsage: Bool) {
        let object = kind == .chat ? "chat.completion.chunk" : "text_completion"
        let head =
            #"data: {"id":"\#(id)","object":"\#(object)","created":\#(created),"model":\#(SimJSON.quoted(model)),"#
        let tail = includeUsage ? #","usage":null}"# + "\n\n" : "}\n\n"
        let content = SimJSON.quoted(SimTokenizer.generatedToken)
        switch kind {
        case .chat:
            opening = Array(
                (head
                    + #""choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]"#
                    + tail).utf8)
            token = Array(
                (head + #""choices":[{"index":0,"delta":{"content":\#(content)},"logprobs":null,"finish_reason":null}]"#
                    + tail).utf8)
            closing = Array(
                (head + #""choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}]"# + tail).utf8)
        case .completion:
            opening = []
            token = Array(
                (head + #""choices":[{"index":0,"text":\#(content),"logprobs":null,"finish_reason":null}]"# + tail).utf8
            )
            closing = Array(
                (head + #""choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"length"}]"# + tail).utf8)
        }
        usagePrefix = includeUsage ? head + #""choices":[],"usage":"# : nil
    }

    /// Appends `count` token events.
    func writeTokens(_ count: Int, to buffer: inout ByteBuffer) {
        guard count > 0 else { return }
        buffer.reserveCapacity(minimumWritableBytes: token.count * count)
        for _ in 0..<count { buffer.writeBytes(token) }
    }

    /// Appends the final chunk, the usage chunk when asked for, and `[DONE]`.
    func writeEnd(promptTokens: Int, completionTokens: Int, to buffer: inout ByteBuffer) {
        buffer.writeBytes(closing)
        if let usagePrefix {
            buffer.writeString(
                usagePrefix
                    + #"{"prompt_tokens":\#(promptTokens),"completion_tokens":\#(completionTokens),"total_tokens":\#(promptTokens + completionTokens)}}"#
                    + "\n\n")
        }
        buffer.writeString("data: [DONE]\n\n")
    }

    /// Appends an error event (the stream then ends with `[DONE]`).
    static func writeError(_ message: String, to buffer: inout ByteBuffer) {
        buffer.writeString(
            #"data: {"error":{"message":\#(SimJSON.quoted(message)),"type":"invalid_request_error","param":null,"code":null}}"#
                + "\n\ndata: [DONE]\n\n")
    }
}
