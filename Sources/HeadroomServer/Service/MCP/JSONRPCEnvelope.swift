import Foundation
import HTTPTypes
import HeadroomCore
import Hummingbird
import NIOCore

/// The JSON-RPC 2.0 envelope `POST /mcp` accepts, checked before the message reaches the MCP server so that a
/// malformed message is a 400 naming what is wrong (the SDK would answer some with a 200 carrying a parse error).
enum JSONRPCEnvelope {
    /// The methods this server answers, and the notifications clients send it.
    static let methods: Set<String> = [
        "initialize", "ping", "tools/list", "tools/call", "resources/list", "resources/templates/list",
        "resources/read", "prompts/list", "prompts/get", "notifications/initialized", "notifications/cancelled",
        "notifications/progress", "notifications/roots/list_changed",
    ]

    /// A 400 with a JSON-RPC error body when `body` is not one well-formed request or notification of a known
    /// method; nil when it is (or when it is a client's response, which the transport accepts).
    static func refusal(of body: Data) -> Response? {
        guard let message = try? JSONDecoder().decode(JSONValue.self, from: body) else {
            return error(-32700, "the body is not JSON", id: .null)
        }
        guard case .object(let fields) = message else {
            return error(-32600, "send one JSON-RPC message as an object (batches are not supported)", id: .null)
        }
        let id = fields["id"] ?? .null
        switch fields["id"] {
        case nil, .string?: break
        case .number(let value)? where value.rounded() == value && abs(value) < 9e15: break
        default: return error(-32600, "id must be a string or an integer", id: .null)
        }
        guard fields["jsonrpc"] == .string("2.0") else {
            return error(-32600, "jsonrpc must be \"2.0\"", id: id)
        }
        if fields["method"] == nil, fields["id"] != nil, fields["result"] != nil || fields["error"] != nil {
            return nil
        }
        guard case .string(let method)? = fields["method"] else {
            return error(-32600, "method must be a string", id: id)
        }
        guard methods.contains(method) else {
            return error(
                -32601, "no method '\(method)'; this server answers \(methods.sorted().joined(separator: ", "))",
                id: id)
        }
        switch fields["params"] {
        case nil, .object?: return nil
        default: return error(-32602, "params must be an object", id: id)
        }
    }

    private static func error(_ code: Int, _ message: String, id: JSONValue) -> Response {
        let body: JSONValue = .object([
            "jsonrpc": .string("2.0"), "id": id,
            "error": .object(["code": .number(Double(code)), "message": .string(message)]),
        ])
        let text = (try? body.jsonText()) ?? #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600}}"#
        return Response(
            status: .badRequest, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
