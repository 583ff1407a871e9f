import Foundation
import HTTPTypes
import HeadroomCore
import Hummingbird
import NIOCore
import Synchronization

/// The twin's HTTP handlers: OpenAI's completions and chat completions, model listing and vLLM's and llama.cpp's
/// tokenizer endpoints, over a ``SimFleet``.
///
/// Model names are not checked: every request is served by the one simulated deployment, whatever model it names,
/// and responses echo the name the request gave (the served name when it gave none). The twin always generates
/// exactly `max_tokens` tokens (as with `ignore_eos`) and reports `finish_reason: "length"`.
final class SimService: Sendable {
    let configuration: SimServerConfiguration
    let fleet: SimFleet
    let maxModelLength: Int
    private let created: Int
    private let idPrefix: String
    private let counter = Atomic<Int>(0)
    /// The largest request body read (a 100k-token prompt is under a megabyte).
    static let maxBodyBytes = 64 << 20

    init(configuration: SimServerConfiguration) {
        self.configuration = configuration
        fleet = SimFleet(fleet: configuration.fleet, timeScale: configuration.timeScale)
        maxModelLength = configuration.maxModelLength
        created = Int(Date().timeIntervalSince1970)
        idPrefix = String(UInt32.random(in: 0x1000_0000...UInt32.max), radix: 16)
    }

    // MARK: Completions

    /// `POST /v1/completions` (`kind` `.completion`) and `POST /v1/chat/completions` (`.chat`).
    func complete(_ request: Request, kind: StreamTemplate.Kind) async throws -> Response {
        let body = try await decode(OpenAIRequest.self, from: request)
        let promptField = kind == .chat ? "messages" : "prompt"
        let promptTokens = try promptTokens(of: body, kind: kind)
        let (maxTokens, maxField): (Int, String) =
            if kind == .chat, let value = body.maxCompletionTokens {
                (value, "max_completion_tokens")
            } else {
                (body.maxTokens ?? configuration.defaultMaxTokens, "max_tokens")
            }
        guard maxTokens >= 1 else {
            throw OpenAIError.badRequest("\(maxField) must be at least 1, got \(maxTokens)", param: maxField)
        }
        if let n = body.n, n != 1 {
            throw OpenAIError.badRequest("the twin generates one choice per request; n must be 1", param: "n")
        }
        guard promptTokens + maxTokens <= maxModelLength else {
            throw OpenAIError.badRequest(
                "This model's maximum context length is \(maxModelLength) tokens. However, you requested "
                    + "\(promptTokens + maxTokens) tokens (\(promptTokens) in the \(promptField), \(maxTokens) in the "
                    + "completion). Please reduce the length of the \(promptField) or completion.",
                param: promptField, code: "context_length_exceeded"
            )
        }
        let model = body.model.flatMap { $0.isEmpty ? nil : $0 } ?? configuration.servedModelName
        let id =
            (kind == .chat ? "chatcmpl-" : "cmpl-") + idPrefix + String(counter.add(1, ordering: .relaxed).newValue)
        let channel = fleet.submit(inputTokens: promptTokens, outputTokens: maxTokens)
        if body.stream ?? false {
            let maxModelLength = maxModelLength
            let template = StreamTemplate(
                kind: kind, id: id, created: created, model: model,
                includeUsage: body.streamOptions?.includeUsage ?? false)
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    try await Self.stream(
                        channel, template: template, promptTokens: promptTokens, maxModelLength: maxModelLength,
                        writer: &writer)
                }
            )
        }
        var completion = 0
        while true {
            let delivery = await channel.next()
            completion += delivery.tokens
            if delivery.cancelled { throw CancellationError() }
            if delivery.refused { throw refusal(promptField: promptField) }
            if delivery.finished { break }
        }
        let text = SimJSON.quoted(SimTokenizer.text(tokens: completion))
        let choice =
            kind == .chat
            ? #"{"index":0,"message":{"role":"assistant","content":\#(text)},"logprobs":null,"finish_reason":"length"}"#
            : #"{"index":0,"text":\#(text),"logprobs":null,"finish_reason":"length"}"#
        let json =
            #"{"id":"\#(id)","object":"\#(kind == .chat ? "chat.completion" : "text_completion")","created":\#(created),"#
            + #""model":\#(SimJSON.quoted(model)),"choices":[\#(choice)],"#
            + #""usage":{"prompt_tokens":\#(promptTokens),"completion_tokens":\#(completion),"#
            + #""total_tokens":\#(promptTokens + completion)}}"#
        return SimJSON.response(json)
    }

    /// Writes a stream's events as its tokens arrive, all tokens pending at once in one buffer.
    @concurrent private static func stream(
        _ channel: TokenChannel, template: StreamTemplate, promptTokens: Int, maxModelLength: Int,
        writer: inout any ResponseBodyWriter
    ) async throws {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(4096)
        var completion = 0
        var opened = false
        while true {
            let delivery = await channel.next()
            if delivery.cancelled { throw CancellationError() }
            buffer.clear()
            if delivery.refused {
                StreamTemplate.writeError(
                    "the request can never fit in a replica's KV cache (\(maxModelLength) tokens)", to: &buffer)
                try await writer.write(buffer)
                try await writer.finish(nil)
                return
            }
            if !opened {
                buffer.writeBytes(template.opening)
                opened = true
            }
            template.writeTokens(delivery.tokens, to: &buffer)
            completion += delivery.tokens
            if delivery.finished {
                template.writeEnd(promptTokens: promptTokens, completionTokens: completion, to: &buffer)
                try await writer.write(buffer)
                try await writer.finish(nil)
                return
            }
            try await writer.write(buffer)
        }
    }

    private func refusal(promptField: String) -> OpenAIError {
        .badRequest(
            "This model's maximum context length is \(maxModelLength) tokens; the request can never fit.",
            param: promptField, code: "context_length_exceeded")
    }

    /// Prompt tokens by the configured tokenizer: the prompt's, or all message contents' together (at least 1, as a
    /// chat template always adds some).
    private func promptTokens(of body: OpenAIRequest, kind: StreamTemplate.Kind) throws -> Int {
        let tokenizer = configuration.tokenizer
        switch kind {
        case .chat:
            guard let messages = body.messages else {
                throw OpenAIError.badRequest("'messages' is a required property", param: "messages")
            }
            guard !messages.isEmpty else {
                throw OpenAIError.badRequest("'messages' must not be empty", param: "messages")
            }
            return max(Self.count(messages, tokenizer: tokenizer), 1)
        case .completion:
            guard let prompt = body.prompt else {
                throw OpenAIError.badRequest("'prompt' is a required property", param: "prompt")
            }
            let count: Int
            switch prompt {
            case .text(let text): count = tokenizer.count(text)
            case .tokenIDs(let ids): count = ids.count
            case .texts(let texts) where texts.count == 1: count = tokenizer.count(texts[0])
            case .batchOfTokenIDs(let batch) where batch.count == 1: count = batch[0].count
            case .texts, .batchOfTokenIDs:
                throw OpenAIError.badRequest("the twin takes one prompt per request, not a batch", param: "prompt")
            }
            guard count >= 1 else { throw OpenAIError.badRequest("'prompt' must not be empty", param: "prompt") }
            return count
        }
    }

    static func count(_ messages: [OpenAIRequest.Message], tokenizer: SimTokenizer) -> Int {
        messages.reduce(0) { $0 + tokenizer.count($1.content?.text ?? "") }
    }

    // MARK: Models, health and tokenizer

    /// `GET /v1/models`.
    func models() -> Response {
        let json =
            #"{"object":"list","data":[{"id":\#(SimJSON.quoted(configuration.servedModelName)),"object":"model","#
            + #""created":\#(created),"owned_by":"headroom","root":\#(SimJSON.quoted(configuration.fleet.deployment.model.id)),"#
            + #""max_model_len":\#(maxModelLength)}]}"#
        return SimJSON.response(json)
    }

    /// `POST /tokenize`: `{"content"}` answers llama.cpp's `{"tokens"}`; `{"prompt"}` or `{"messages"}` answers
    /// vLLM's `{"count", "max_model_len", "tokens"}`. Token ids are positions.
    func tokenize(_ request: Request) async throws -> Response {
        let body = try await decode(TokenizeRequest.self, from: request)
        let tokenizer = configuration.tokenizer
        let json: String
        if let content = body.content {
            json = #"{"tokens":\#(Self.ids(tokenizer.count(content)))}"#
        } else {
            let count: Int
            if let prompt = body.prompt {
                count = tokenizer.count(prompt)
            } else if let messages = body.messages {
                count = max(Self.count(messages, tokenizer: tokenizer), 1)
            } else {
                throw OpenAIError.badRequest("give 'prompt' (or 'messages', or llama.cpp's 'content')", param: "prompt")
            }
            json = #"{"count":\#(count),"max_model_len":\#(maxModelLength),"tokens":\#(Self.ids(count))}"#
        }
        return SimJSON.response(json)
    }

    /// `POST /detokenize`: a text of as many tokens, under both vLLM's key (`prompt`) and llama.cpp's (`content`).
    func detokenize(_ request: Request) async throws -> Response {
        let body = try await decode(DetokenizeRequest.self, from: request)
        let text = SimJSON.quoted(SimTokenizer.text(tokens: body.tokens.count))
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"prompt":\#(text),"content":\#(text)}"#)))
    }

    private static func ids(_ count: Int) -> String {
        var text = "["
        text.reserveCapacity(count * 6 + 2)
        for index in 0..<count {
            if index > 0 { text += "," }
            text += String(index)
        }
        return text + "]"
    }

    private func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer = try await request.body.collect(upTo: Self.maxBodyBytes)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch {
            throw OpenAIError.decoding(error)
        }
    }
}
