import AsyncHTTPClient
package import Foundation
import HeadroomCore
import NIOCore
import NIOHTTP1

/// A client of an OpenAI-compatible chat endpoint (vLLM, llama.cpp's `llama-server`, OpenAI): non-streaming
/// `POST {base}/v1/chat/completions` with tools. Call ``shutdown()`` when done.
package struct ChatClient: ChatCompleting {
    /// Base URL without the trailing `/v1`, e.g. `http://127.0.0.1:8080`.
    package let baseURL: String
    package let model: String
    let apiKey: String?
    /// Seconds a request may take, answer included.
    package let timeout: Double
    let http: HTTPClient

    /// - Parameters:
    ///   - url: the endpoint, with or without a trailing `/v1`.
    ///   - model: the model name sent in each request.
    ///   - apiKey: sent as a Bearer token when given.
    ///   - timeout: seconds a request may take.
    package init(url: String, model: String, apiKey: String?, timeout: Double = 300) {
        baseURL = Self.normalise(url)
        self.model = model
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.timeout = timeout
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(2))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// `http://host:8080/v1/` → `http://host:8080`.
    package static func normalise(_ url: String) -> String {
        var base = url.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// The URL requests go to.
    package var completionsURL: String { baseURL + "/v1/chat/completions" }

    /// Closes the HTTP client's connections; required before the client is released.
    package func shutdown() async throws {
        try await http.shutdown()
    }

    package func complete(_ request: ChatRequest) async throws -> ChatReply {
        var body = request
        body.model = model
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var http = HTTPClientRequest(url: completionsURL)
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        if let apiKey { http.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        http.body = .bytes(ByteBuffer(bytes: try encoder.encode(body)))
        let status: Int
        let bytes: ByteBuffer
        do {
            let response = try await self.http.execute(http, timeout: .milliseconds(Int64(timeout * 1000)))
            status = Int(response.status.code)
            bytes = try await response.body.collect(upTo: 32 << 20)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw ChatClientError(.timeout, "\(completionsURL) did not answer within \(Int(timeout)) s")
        } catch {
            throw ChatClientError(.transport, "cannot reach \(completionsURL): \(error)")
        }
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(status) else {
            throw ChatClientError(
                .http, "\(completionsURL) answered HTTP \(status): \(Self.errorMessage(data))", status: status)
        }
        return try Self.decodeReply(data, from: completionsURL)
    }

    /// Parses a chat completion.
    /// - Throws: ``ChatClientError`` `.malformed` or `.noChoices`.
    package static func decodeReply(_ data: Data, from url: String) throws -> ChatReply {
        let completion: Completion
        do {
            completion = try JSONDecoder().decode(Completion.self, from: data)
        } catch {
            throw ChatClientError(
                .malformed, "\(url) answered something that is not a chat completion: \(Self.snippet(data))")
        }
        guard let choice = completion.choices?.first else {
            if completion.error != nil {
                throw ChatClientError(.http, "\(url) answered an error: \(errorMessage(data))")
            }
            throw ChatClientError(.noChoices, "\(url) answered a completion without choices: \(Self.snippet(data))")
        }
        return ChatReply(
            message: choice.message, finishReason: choice.finishReason, promptTokens: completion.usage?.promptTokens,
            completionTokens: completion.usage?.completionTokens)
    }

    /// The server's own error message: `{"error": {"message": …}}`, `{"error": "…"}`, `{"detail": …}` or the body.
    static func errorMessage(_ data: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String {
                return message
            }
            if let message = object["error"] as? String { return message }
            if let detail = object["detail"] { return "\(detail)" }
            if let message = object["message"] as? String { return message }
        }
        return snippet(data)
    }

    static func snippet(_ data: Data) -> String {
        let text = String(decoding: data.prefix(300), as: UTF8.self)
        return text.isEmpty ? "(empty body)" : text + (data.count > 300 ? "…" : "")
    }

    struct Completion: Decodable {
        var choices: [Choice]?
        var usage: Usage?
        var error: JSONValue?
    }

    struct Choice: Decodable {
        var message: ChatMessage
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case message
            case finishReason = "finish_reason"
        }
    }

    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
        }
    }
}
