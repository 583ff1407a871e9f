public import AsyncHTTPClient
public import HeadroomCore
public import NIOCore
import NIOHTTP1
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An OpenAI-compatible endpoint: where to send, what model, which API, and the HTTP client that sends.
public struct EndpointClient: Sendable {
    /// Base URL without the trailing `/v1`, e.g. `http://127.0.0.1:8080`.
    public var baseURL: String
    public var model: String
    public var api: BenchAPI
    public var apiKey: String?
    /// Ask the server to keep generating past end-of-sequence so outputs have the requested length.
    public var ignoreEOS: Bool
    public let http: HTTPClient
    /// Connections `http` holds per host, when known: a run with more requests in flight marks the excess as
    /// having waited for a connection (see ``BenchRequestRecord/waitedForConnection``).
    public let connectionLimit: Int?

    /// The connections an open-loop run's client holds (``BenchRunner``'s pool, sized so that it is not what limits
    /// the run up to this many requests in flight; a run that goes past it says so in its records and warnings).
    public static let openLoopConnections = 2048

    /// A client over an HTTP client of the caller's (`connectionLimit`: its connections per host, when known).
    public init(
        baseURL: String, model: String, api: BenchAPI, apiKey: String?, ignoreEOS: Bool, http: HTTPClient,
        connectionLimit: Int? = nil
    ) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        self.baseURL = base
        self.model = model
        self.api = api
        self.apiKey = apiKey
        self.ignoreEOS = ignoreEOS
        self.http = http
        self.connectionLimit = connectionLimit
    }

    /// A client with its own HTTP client sized for `connections` simultaneous streams; call ``shutdown()`` after.
    public init(
        baseURL: String, model: String, api: BenchAPI, apiKey: String?, ignoreEOS: Bool, connections: Int
    ) {
        self.init(
            baseURL: baseURL, model: model, api: api, apiKey: apiKey, ignoreEOS: ignoreEOS,
            http: Self.makeHTTPClient(connections: connections), connectionLimit: Self.poolSize(connections))
    }

    /// Closes the HTTP client's connections.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// The connections per host a client made for `connections` streams holds (at least 8).
    public static func poolSize(_ connections: Int) -> Int { max(connections, 8) }

    /// An HTTP client sized for `connections` simultaneous streams (AsyncHTTPClient's default is 8 per host).
    public static func makeHTTPClient(connections: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        // Idle connections close after 2 s: servers close theirs after 5 s (uvicorn's and cpp-httplib's keep-alive
        // defaults), and a pooled connection the server has closed fails the next request sent on it.
        configuration.connectionPool = .init(
            idleTimeout: .seconds(2), concurrentHTTP1ConnectionsPerHostSoftLimit: poolSize(connections))
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    var path: String { api == .chat ? "/v1/chat/completions" : "/v1/completions" }

    /// The request body for `request`, encoded before the run so the send path does no encoding.
    public func body(for request: PlannedRequest) -> ByteBuffer {
        var body = CompletionBody(model: model, maxTokens: request.outputTokens, ignoreEOS: ignoreEOS ? true : nil)
        switch (api, request.prompt) {
        case (.completions, let prompt):
            body.prompt = prompt.text
        case (.chat, .text(let text)):
            body.messages = [BenchPrompt.ChatMessage(role: "user", content: text)]
        case (.chat, .messages(let messages)):
            body.messages = messages
        }
        return ByteBuffer(bytes: (try? Self.encoder.encode(body)) ?? Data())
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    struct StreamOptions: Encodable {
        var includeUsage = true
    }

    struct CompletionBody: Encodable {
        var model: String
        var prompt: String?
        var messages: [BenchPrompt.ChatMessage]?
        var maxTokens: Int
        var stream = true
        var streamOptions = StreamOptions()
        var temperature = 0.0
        var ignoreEOS: Bool?

        init(model: String, maxTokens: Int, ignoreEOS: Bool?) {
            self.model = model
            self.maxTokens = maxTokens
            self.ignoreEOS = ignoreEOS
        }

        enum CodingKeys: String, CodingKey {
            case model, prompt, messages, maxTokens, stream, streamOptions, temperature
            case ignoreEOS = "ignoreEos"
        }
    }

    func httpRequest(path: String, body: ByteBuffer) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        request.body = .bytes(body)
        return request
    }

    /// Sends one request and streams its answer into a record.
    /// - Parameters:
    ///   - clock: the run's clock; times in the record are on it.
    ///   - intended: when the request was meant to go (the closed loop passes the moment its client was free).
    ///   - timeout: seconds from send after which the request is abandoned as `.timeout`.
    ///
    /// The send time is taken before the HTTP client has a connection for the request; when every pooled
    /// connection is busy the request queues inside the client, and the caller marks it
    /// ``BenchRequestRecord/waitedForConnection`` (see ``connectionLimit``).
    public func send(
        _ planned: PlannedRequest, body: ByteBuffer, clock: BenchClock, intended: Double, timeout: Double,
        step: Int? = nil
    ) async -> BenchRequestRecord {
        var record = await attempt(
            planned, body: body, clock: clock, intended: intended, timeout: timeout, step: step)
        // A kept-alive connection the server closed (cpp-httplib caps requests per connection) fails before any
        // answer: the server never processed the request, so it is sent again on a fresh connection.
        var retries = 0
        while record.outcome == .transportError, record.httpStatus == nil, retries < 4,
            (record.error ?? "").contains("closed") || (record.error ?? "").contains("Closed")
        {
            retries += 1
            record = await attempt(planned, body: body, clock: clock, intended: intended, timeout: timeout, step: step)
            record.connectionRetries = retries
        }
        return record
    }

    func attempt(
        _ planned: PlannedRequest, body: ByteBuffer, clock: BenchClock, intended: Double, timeout: Double,
        step: Int?
    ) async -> BenchRequestRecord {
        // The timeout covers the whole stream, not only the response head (AsyncHTTPClient's deadline): a timer
        // task cancels the stream and marks why, so the record says `.timeout` rather than `.cancelled`.
        let expired = ExpiryFlag()
        return await withTaskGroup(of: BenchRequestRecord?.self) { group in
            group.addTask {
                await self.stream(
                    planned, body: body, clock: clock, intended: intended, step: step, expired: expired)
            }
            group.addTask {
                do {
                    try await Task.sleep(for: .nanoseconds(Int64(timeout * 1e9)))
                    expired.set()
                } catch {}
                return nil
            }
            var record: BenchRequestRecord?
            while let next = await group.next() {
                group.cancelAll()
                if let next { record = next }
            }
            return record
                ?? BenchRequestRecord(
                    index: planned.index, warmup: planned.warmup, step: step, intendedSendSeconds: intended,
                    actualSendSeconds: clock.now(), inputTokens: planned.inputTokens,
                    requestedOutputTokens: planned.outputTokens, outcome: .cancelled)
        }
    }

    private func stream(
        _ planned: PlannedRequest, body: ByteBuffer, clock: BenchClock, intended: Double, step: Int?,
        expired: ExpiryFlag
    ) async -> BenchRequestRecord {
        let request = httpRequest(path: path, body: body)
        let sent = clock.now()
        var accumulator = StreamAccumulator(
            index: planned.index, api: api, intendedSendSeconds: intended, actualSendSeconds: sent,
            inputTokens: planned.inputTokens, requestedOutputTokens: planned.outputTokens, warmup: planned.warmup,
            step: step)
        do {
            let response = try await http.execute(request, deadline: .distantFuture)
            accumulator.receiveStatus(Int(response.status.code), at: clock.now())
            for try await buffer in response.body {
                let now = clock.now()
                buffer.withUnsafeReadableBytes { accumulator.receive($0, at: now) }
            }
            return accumulator.finish(at: clock.now())
        } catch {
            let now = clock.now()
            if expired.isSet { return accumulator.finish(at: now, failure: .timeout) }
            if Task.isCancelled || error is CancellationError {
                return accumulator.finish(at: now, failure: .cancelled)
            }
            return accumulator.finish(at: now, failure: .transport(String(describing: error)))
        }
    }
}

extension EndpointClient: BenchTokenizer {
    /// Tokens of `text` by the server's `/tokenize`. One body serves both dialects: vLLM reads `prompt` and
    /// `add_special_tokens`, llama.cpp reads `content` and `add_special`; both answer `{"tokens": [...]}`.
    public func count(_ text: String) async throws -> Int {
        struct TokenizeBody: Encodable {
            var model: String
            var prompt: String
            var content: String
            var addSpecialTokens = false
            var addSpecial = false
        }
        let body = try Self.encoder.encode(TokenizeBody(model: model, prompt: text, content: text))
        let request = httpRequest(path: "/tokenize", body: ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: .seconds(60))
            bytes = try await response.body.collect(upTo: 64 << 20)
        } catch {
            throw HeadroomError(
                .invalidInput, "\(baseURL)/tokenize failed: \(String(describing: error))", field: "url")
        }
        guard response.status == .ok else {
            throw HeadroomError(
                .invalidInput, "\(baseURL)/tokenize answered \(response.status.code)", field: "tokenize")
        }
        struct Answer: Decodable {
            var tokens: [Int]?
            var count: Int?
        }
        let answer = try JSONDecoder().decode(Answer.self, from: Data(bytes.readableBytesView))
        guard let tokens = answer.count ?? answer.tokens?.count else {
            throw HeadroomError(.invalidInput, "\(baseURL)/tokenize answered without tokens", field: "tokenize")
        }
        return tokens
    }

    /// Whether the server has a working `/tokenize`.
    public func hasTokenizer() async -> Bool {
        (try? await count("hello world")) != nil
    }
}

/// Set once by a request's timer when its timeout passes.
final class ExpiryFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
