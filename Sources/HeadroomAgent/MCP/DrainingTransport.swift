import Foundation
import HeadroomCore
import HeadroomOperations
import Logging
import MCP

/// A transport that ends its incoming stream only when every request it delivered has been answered.
///
/// The SDK's server answers each request in a task of its own and stops when the incoming stream ends, so a client
/// that writes its requests and closes standard input (`printf … | headroom mcp`) would lose the answers still being
/// computed. Wrapping the stdio transport in this one keeps the server running until they are sent.
actor DrainingTransport: Transport {
    private let inner: any Transport
    nonisolated let logger: Logger
    /// Requests delivered and not yet answered.
    private var outstanding: Set<String> = []
    private var innerEnded = false
    private var continuation: AsyncThrowingStream<Data, any Error>.Continuation?

    init(wrapping inner: any Transport) {
        self.inner = inner
        self.logger = Logger(label: "headroom.mcp.stdio")
    }

    func connect() async throws { try await inner.connect() }

    func disconnect() async { await inner.disconnect() }

    func send(_ data: Data) async throws {
        try await inner.send(data)
        if let id = Self.id(of: data, request: false) {
            outstanding.remove(id)
            finishIfDrained()
        }
    }

    func receive() -> AsyncThrowingStream<Data, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        self.continuation = continuation
        let source = inner
        Task {
            do {
                for try await data in await source.receive() {
                    // Refused before any decoder sees it, in time linear in the message: the same limits as a body
                    // of `POST /mcp`.
                    if let refusal = Self.refusal(of: data) {
                        try? await source.send(refusal)
                        continue
                    }
                    self.delivered(data)
                    continuation.yield(data)
                }
                self.ended(error: nil)
            } catch {
                self.ended(error: error)
            }
        }
        return stream
    }

    private func delivered(_ data: Data) {
        if let id = Self.id(of: data, request: true) { outstanding.insert(id) }
    }

    private func ended(error: (any Error)?) {
        innerEnded = true
        if let error {
            continuation?.finish(throwing: error)
        } else {
            finishIfDrained()
        }
    }

    private func finishIfDrained() {
        if innerEnded, outstanding.isEmpty { continuation?.finish() }
    }

    /// The largest message accepted, as `headroom serve`'s default body limit.
    static let maxMessageBytes = 1 << 20

    /// A JSON-RPC parse error for a message over ``maxMessageBytes`` or nested deeper than ``BodyDecoder/maxDepth``;
    /// nil for one the server may decode.
    static func refusal(of data: Data) -> Data? {
        let reason: String
        if data.count > maxMessageBytes {
            reason = "the message is over \(maxMessageBytes) bytes"
        } else {
            do {
                try BodyDecoder.checkDepth(data)
                return nil
            } catch {
                reason = "the message nests arrays and objects deeper than \(BodyDecoder.maxDepth)"
            }
        }
        return parseError(reason)
    }

    /// A JSON-RPC parse error (-32700) without an id: the message it answers could not be read.
    static func parseError(_ reason: String) -> Data {
        let body: JSONValue = .object([
            "jsonrpc": .string("2.0"), "id": .null,
            "error": .object(["code": .number(-32700), "message": .string(reason)]),
        ])
        return Data(((try? body.jsonText()) ?? "{}").utf8)
    }

    /// The JSON-RPC id of a request (`request`, with a method) or a response (without one).
    private static func id(of data: Data, request: Bool) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let id = object["id"],
            (object["method"] != nil) == request
        else { return nil }
        return "\(id)"
    }
}
