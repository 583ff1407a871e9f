#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The OpenAI-compatible endpoint a benchmark drives.
public enum BenchAPI: String, Sendable, Codable, CaseIterable {
    /// `/v1/completions`: content is `choices[0].text`.
    case completions
    /// `/v1/chat/completions`: content is `choices[0].delta.content` (or the reasoning fields).
    case chat
}

/// Why a request ended before its stream did, as the network layer saw it.
public enum StreamFailure: Sendable, Hashable {
    case timeout
    case cancelled
    case transport(String)
}

/// Turns one streamed OpenAI-compatible response into a ``BenchRequestRecord``.
///
/// The network runner calls ``receiveStatus(_:at:)`` when the response head arrives, ``receive(_:at:)`` for each body
/// chunk, and ``finish(at:failure:)`` once. Times are seconds on the run's monotonic clock.
///
/// Each SSE item is counted in ``BenchRequestRecord/chunkCounts`` under exactly one key:
/// - `content`: the first choice carries non-empty content (chat: `delta.content`, `delta.reasoning_content` or
///   `delta.reasoning`; completions: `text`), whether or not it also carries a `finish_reason`.
/// - `finish`: no content, but a `finish_reason` (the empty final delta `"delta": {}` with `"finish_reason": "stop"`).
/// - `role_only`: no content, no finish reason, and the delta names a role (vLLM's and OpenAI's first chunk).
/// - `empty_delta`: a choice with neither content, role nor finish reason, or `"choices": []` without usage (Azure's
///   prompt-filter chunk).
/// - `usage_only`: no choices (`"choices": []` or none) and a `usage` block (`stream_options.include_usage`).
/// - `comment`: an SSE comment line (`: ping`, SGLang and proxies' keep-alives).
/// - `error`: an `event: error` event, or a payload with a non-null `"error"` (string or object), or vLLM's older
///   `{"object": "error", "message": …}`.
/// - `malformed`: data that is not JSON, or JSON that is not a completion chunk (no `choices`, `usage` or `error`).
/// - `done`: the `[DONE]` sentinel. Events after it are ignored.
///
/// The outcome, first rule that applies:
/// 1. status known and not 200: ``BenchOutcome/httpError`` (the error is the body text, at most 2 KB);
/// 2. an error event or payload: ``BenchOutcome/streamError`` (its message kept);
/// 3. a `failure` from the network layer, unless `[DONE]` already came (the stream was complete, so a later close
///    error does not matter): ``BenchOutcome/timeout``, ``BenchOutcome/cancelled`` or ``BenchOutcome/transportError``;
///    no status at all is a transport error too;
/// 4. any malformed chunk: ``BenchOutcome/malformed``;
/// 5. neither `[DONE]` nor a `finish_reason` came: ``BenchOutcome/truncated`` (even with no content);
/// 6. no content chunk: ``BenchOutcome/noContent``;
/// 7. `[DONE]` came but no chunk carried a `finish_reason`: ``BenchOutcome/noFinishReason``. The stream was closed
///    in order, but nothing says the generation ended as it should (a length cap or a stop), so it is not scored as
///    a success; some proxies and older servers omit the reason, and the outcome counts make that visible;
/// 8. otherwise ``BenchOutcome/success``.
///
/// TTFT is the first content chunk's arrival minus the actual send time; ITL the gaps between consecutive content
/// chunks (chunks that arrive in one read share its time, so their gap is 0); E2E the finish time minus the actual
/// send time. Output tokens come from `usage.completion_tokens` when any chunk carried it, else the count of content
/// chunks.
public struct StreamAccumulator: Sendable {
    private let index: Int
    private let api: BenchAPI
    private let intendedSendSeconds: Double
    private let actualSendSeconds: Double
    private let inputTokens: Int
    private let requestedOutputTokens: Int
    private let warmup: Bool
    private let step: Int?

    private var status: Int?
    private var parser = SSEParser()
    /// The first bytes of a non-200 body.
    private var errorBody: [UInt8] = []
    private var counts = [Int](repeating: 0, count: ChunkKind.allCases.count)
    private var firstContentSeconds: Double?
    private var lastContentSeconds: Double?
    private var itl: [Double] = []
    private var finishReason: String?
    private var sawDone = false
    private var streamError: String?
    private var malformedText: String?
    private var completionTokens: Int?
    private var promptTokens: Int?
    private var finished: BenchRequestRecord?

    /// The most bytes of an error body or message kept.
    public static let errorTextLimit = 2048

    public init(
        index: Int, api: BenchAPI, intendedSendSeconds: Double, actualSendSeconds: Double, inputTokens: Int,
        requestedOutputTokens: Int, warmup: Bool = false, step: Int? = nil
    ) {
        self.index = index
        self.api = api
        self.intendedSendSeconds = intendedSendSeconds
        self.actualSendSeconds = actualSendSeconds
        self.inputTokens = inputTokens
        self.requestedOutputTokens = requestedOutputTokens
        self.warmup = warmup
        self.step = step
        itl.reserveCapacity(Swift.max(0, Swift.min(requestedOutputTokens, 1 << 16)))
    }

    /// Response head arrived.
    public mutating func receiveStatus(_ status: Int, at seconds: Double) {
        self.status = status
    }

    /// A body chunk arrived at `seconds` (run clock). Non-200 bodies are kept (truncated to 2 KB) for the error text.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, at seconds: Double) {
        guard finished == nil else { return }
        if let status, status != 200 {
            let room = Self.errorTextLimit - errorBody.count
            if room > 0 { errorBody.append(contentsOf: bytes.prefix(room)) }
            return
        }
        var parser = self.parser
        self.parser = SSEParser()
        parser.feed(bytes) { handle($0, at: seconds) }
        self.parser = parser
    }

    /// The body ended (normally, or with an error). Returns the finished record.
    public mutating func finish(at seconds: Double, failure: StreamFailure? = nil) -> BenchRequestRecord {
        if let finished { return finished }
        if status == nil || status == 200 {
            var parser = self.parser
            self.parser = SSEParser()
            parser.finish { handle($0, at: seconds) }
            self.parser = parser
        }
        let record = makeRecord(at: seconds, failure: failure)
        finished = record
        return record
    }

    // MARK: - Events

    private mutating func handle(_ message: SSEMessage, at seconds: Double) {
        if sawDone { return }
        switch message {
        case .comment:
            counts[ChunkKind.comment.rawValue] += 1
        case .event(let event):
            if event.event == "error" {
                counts[ChunkKind.error.rawValue] += 1
                if streamError == nil { streamError = Self.errorMessage(fromErrorEvent: event.data) }
                return
            }
            handleData(event.data, at: seconds)
        }
    }

    private mutating func handleData(_ data: [UInt8], at seconds: Double) {
        if Self.isDone(data) {
            counts[ChunkKind.done.rawValue] += 1
            sawDone = true
            return
        }
        if data.allSatisfy(Self.isWhitespace) { return }  // `data:` with nothing: a keep-alive, not a chunk.
        let chunk: StreamChunk
        do {
            chunk = try Self.decoder.decode(StreamChunk.self, from: Data(data))
        } catch {
            markMalformed(data)
            return
        }
        if let error = chunk.error {
            counts[ChunkKind.error.rawValue] += 1
            if streamError == nil { streamError = Self.truncated(error.message) }
            return
        }
        if chunk.object == "error" {
            counts[ChunkKind.error.rawValue] += 1
            if streamError == nil { streamError = Self.truncated(chunk.message ?? "error") }
            return
        }
        if let usage = chunk.usage {
            if let tokens = usage.completionTokens { completionTokens = tokens }
            if let tokens = usage.promptTokens { promptTokens = tokens }
        }
        let kind: ChunkKind
        if let choice = chunk.choice {
            let hasContent: Bool
            switch api {
            case .chat:
                let delta = choice.delta
                hasContent =
                    Self.nonEmpty(delta?.content) || Self.nonEmpty(delta?.reasoningContent)
                    || Self.nonEmpty(delta?.reasoning)
            case .completions:
                hasContent = Self.nonEmpty(choice.text)
            }
            if let reason = choice.finishReason, !reason.isEmpty { finishReason = reason }
            if hasContent {
                kind = .content
                if let last = lastContentSeconds {
                    itl.append(Swift.max(0, seconds - last))
                } else {
                    firstContentSeconds = seconds
                }
                lastContentSeconds = seconds
            } else if let reason = choice.finishReason, !reason.isEmpty {
                kind = .finish
            } else if choice.delta?.role != nil {
                kind = .roleOnly
            } else {
                kind = .emptyDelta
            }
        } else if chunk.usage != nil {
            kind = .usageOnly
        } else if chunk.hasChoices {
            kind = .emptyDelta
        } else {
            markMalformed(data)
            return
        }
        counts[kind.rawValue] += 1
    }

    private mutating func markMalformed(_ data: [UInt8]) {
        counts[ChunkKind.malformed.rawValue] += 1
        if malformedText == nil {
            malformedText = "malformed chunk: " + String(decoding: data.prefix(200), as: UTF8.self)
        }
    }

    // MARK: - Record

    private func makeRecord(at seconds: Double, failure: StreamFailure?) -> BenchRequestRecord {
        var outcome: BenchOutcome
        var error: String?
        if let status, status != 200 {
            outcome = .httpError
            let body = Self.trimmedText(errorBody)
            error = body.isEmpty ? "HTTP \(status) with an empty body" : body
        } else if let streamError {
            outcome = .streamError
            error = streamError
        } else if let failure, !sawDone {
            switch failure {
            case .timeout:
                outcome = .timeout
                error = "the request timed out"
            case .cancelled:
                outcome = .cancelled
                error = "cancelled"
            case .transport(let text):
                outcome = .transportError
                error = Self.truncated(text)
            }
        } else if status == nil {
            outcome = .transportError
            error = "no response status received"
        } else if let malformedText {
            outcome = .malformed
            error = malformedText
        } else if !sawDone && finishReason == nil {
            outcome = .truncated
            error = "the stream closed before [DONE] and before any finish_reason"
        } else if counts[ChunkKind.content.rawValue] == 0 {
            outcome = .noContent
            error = "the stream ended without any content"
        } else if finishReason == nil {
            outcome = .noFinishReason
            error = "the stream ended with [DONE] but no chunk carried a finish_reason"
        } else {
            outcome = .success
        }
        let contentChunks = counts[ChunkKind.content.rawValue]
        var chunkCounts: [String: Int] = [:]
        for kind in ChunkKind.allCases where counts[kind.rawValue] > 0 {
            chunkCounts[kind.key] = counts[kind.rawValue]
        }
        let ttft = firstContentSeconds.map { Swift.max(0, $0 - actualSendSeconds) }
        let e2e = Swift.max(0, seconds - actualSendSeconds)
        return BenchRequestRecord(
            index: index, warmup: warmup, step: step, intendedSendSeconds: intendedSendSeconds,
            actualSendSeconds: actualSendSeconds, inputTokens: inputTokens,
            requestedOutputTokens: requestedOutputTokens, outcome: outcome, httpStatus: status, error: error,
            ttftSeconds: ttft, e2eSeconds: e2e.isFinite ? e2e : nil, itlSeconds: itl,
            outputTokens: completionTokens ?? contentChunks,
            outputTokensSource: completionTokens == nil ? "chunks" : "usage", contentChunks: contentChunks,
            chunkCounts: chunkCounts, finishReason: finishReason, promptTokensReported: promptTokens
        )
    }

    // MARK: - Helpers

    private static let decoder = JSONDecoder()

    private static func nonEmpty(_ text: String?) -> Bool {
        guard let text else { return false }
        return !text.isEmpty
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// `[DONE]`, allowing surrounding whitespace.
    private static func isDone(_ data: [UInt8]) -> Bool {
        guard data.count >= 6, data.count < 32, data.contains(0x5B) else { return false }
        return trimmedText(data) == "[DONE]"
    }

    /// The bytes as UTF-8 text without surrounding ASCII whitespace.
    private static func trimmedText(_ bytes: some Collection<UInt8>) -> String {
        let array = Array(bytes)
        var start = 0
        var end = array.count
        while start < end, isWhitespace(array[start]) { start += 1 }
        while end > start, isWhitespace(array[end - 1]) { end -= 1 }
        return String(decoding: array[start..<end], as: UTF8.self)
    }

    private static func truncated(_ text: String) -> String {
        text.utf8.count <= errorTextLimit ? text : String(decoding: text.utf8.prefix(errorTextLimit), as: UTF8.self)
    }

    /// The message of an `event: error` payload: `{"error": …}`, `{"message": …}`, or the text itself.
    private static func errorMessage(fromErrorEvent data: [UInt8]) -> String {
        if let chunk = try? decoder.decode(StreamChunk.self, from: Data(data)) {
            if let error = chunk.error { return truncated(error.message) }
            if let message = chunk.message { return truncated(message) }
        }
        let text = trimmedText(data.prefix(errorTextLimit))
        return text.isEmpty ? "error event" : text
    }
}

/// The kinds of SSE item counted in ``BenchRequestRecord/chunkCounts``.
private enum ChunkKind: Int, CaseIterable {
    case roleOnly, emptyDelta, usageOnly, comment, content, finish, error, malformed, done

    var key: String {
        switch self {
        case .roleOnly: "role_only"
        case .emptyDelta: "empty_delta"
        case .usageOnly: "usage_only"
        case .comment: "comment"
        case .content: "content"
        case .finish: "finish"
        case .error: "error"
        case .malformed: "malformed"
        case .done: "done"
        }
    }
}

/// The fields of a streamed completion chunk that the benchmark reads; the rest are skipped.
private struct StreamChunk: Decodable {
    /// Whether the chunk has a `choices` array (possibly empty).
    var hasChoices: Bool
    /// `choices[0]`; later choices (n > 1) are not decoded.
    var choice: Choice?
    var usage: Usage?
    var error: ErrorBody?
    /// vLLM's older in-stream error: `{"object": "error", "message": …}`.
    var object: String?
    var message: String?

    enum CodingKeys: String, CodingKey {
        case choices, usage, error, object, message
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.choices), try !container.decodeNil(forKey: .choices) {
            var choices = try container.nestedUnkeyedContainer(forKey: .choices)
            hasChoices = true
            choice = choices.isAtEnd ? nil : try choices.decode(Choice.self)
        } else {
            hasChoices = false
            choice = nil
        }
        usage = try container.decodeIfPresent(Usage.self, forKey: .usage)
        error = try container.decodeIfPresent(ErrorBody.self, forKey: .error)
        object = try container.decodeIfPresent(String.self, forKey: .object)
        message = try container.decodeIfPresent(String.self, forKey: .message)
    }

    struct Choice: Decodable {
        var text: String?
        var delta: Delta?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case text, delta
            case finishReason = "finish_reason"
        }
    }

    struct Delta: Decodable {
        var role: String?
        var content: String?
        var reasoningContent: String?
        var reasoning: String?

        enum CodingKeys: String, CodingKey {
            case role, content, reasoning
            case reasoningContent = "reasoning_content"
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

    /// `"error": "text"` or `"error": {"message": …, "type": …, "code": …}`.
    struct ErrorBody: Decodable {
        var message: String

        enum CodingKeys: String, CodingKey {
            case message, type
        }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                message = text
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let text = try? container.decodeIfPresent(String.self, forKey: .message)
            let type = try? container.decodeIfPresent(String.self, forKey: .type)
            message = text ?? type ?? "error"
        }
    }
}
