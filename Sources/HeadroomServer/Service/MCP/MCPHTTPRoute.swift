import Foundation
import HTTPTypes
import HeadroomAgent
import HeadroomCore
import HeadroomOperations
import Hummingbird
import Logging
import MCP
import NIOCore

/// `POST /mcp`: MCP's Streamable HTTP transport under `headroom serve`, behind the server's authentication.
///
/// Each HTTP request gets its own MCP server over a stateless transport (JSON responses, no session): JSON-RPC ids
/// from different clients never meet, and every tool computes as the request's principal — its role decides what
/// confidential saved plans show, and the audit log names it. `GET` answers 405, which the transport's clients take
/// as "no server-sent stream".
package enum MCPHTTPRoute {
    package static let path = "/mcp"

    package static func route() -> ServiceRoute {
        var route = ServiceRoute(
            .post, path, access: .role(.viewer),
            summary:
                "Model Context Protocol (Streamable HTTP, stateless JSON responses): Headroom's planning tools, catalog and saved plans for AI assistants.",
            request: requestSchema, response: responseSchema
        ) { request, context, env in
            guard let principal = context.identity else {
                throw ServiceError(.unauthorized, "authenticate with Authorization: Bearer <API key or OIDC token>")
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: env.configuration.maxBodyBytes)
            } catch is NIOTooManyBytesError {
                throw ServiceError(.contentTooLarge, "the request body is over \(env.configuration.maxBodyBytes) bytes")
            }
            let body = Data(buffer.readableBytesView)
            if let refusal = JSONRPCEnvelope.refusal(of: body) { return RouteOutput(refusal) }
            var headers: [String: String] = [:]
            for field in request.headers where field.name != .authorization {
                headers[field.name.canonicalName] = field.value
            }
            let mcpRequest = MCP.HTTPRequest(
                method: "POST", headers: headers, body: body, path: path)
            let toolbox = PlanningToolbox(
                environment: env, caller: Caller(principal: principal, requestID: context.requestID, action: "MCP"))
            let answer = await handle(mcpRequest, toolbox: toolbox, logger: context.logger)
            return RouteOutput(response(answer))
        }
        route.errorStatuses = [406, 415]
        route.otherResponses = ["202": .object(["description": .string("A notification or response, accepted")])]
        return route
    }

    /// One JSON-RPC 2.0 message: a request (with `id`) or a notification.
    static let requestSchema: JSONValue = .object([
        "type": .string("object"), "required": .array([.string("jsonrpc"), .string("method")]),
        "properties": .object([
            "jsonrpc": .object(["type": .string("string"), "enum": .array([.string("2.0")])]),
            "id": .object(["type": .array([.string("integer"), .string("string")])]),
            "method": .object([
                "type": .string("string"),
                "enum": .array(JSONRPCEnvelope.methods.sorted().map(JSONValue.string)),
            ]),
            "params": .object(["type": .string("object")]),
        ]),
    ])

    /// A JSON-RPC 2.0 answer: `result` or `error`.
    static let responseSchema: JSONValue = .object([
        "type": .string("object"), "required": .array([.string("jsonrpc")]),
        "properties": .object([
            "jsonrpc": .object(["type": .string("string")]), "result": .object(["type": .string("object")]),
            "error": .object(["type": .string("object")]),
        ]),
    ])

    /// One request through a fresh server and stateless transport.
    static func handle(_ request: MCP.HTTPRequest, toolbox: PlanningToolbox, logger: Logger) async -> MCP.HTTPResponse {
        let transport = StatelessHTTPServerTransport(
            validationPipeline: StandardValidationPipeline(validators: [
                LenientAcceptValidator(), ContentTypeValidator(), ProtocolVersionValidator(),
            ]),
            logger: logger)
        let server = await HeadroomMCPServer.make(toolbox: toolbox)
        do {
            try await server.start(transport: transport)
        } catch {
            return .error(statusCode: 500, .internalError("the MCP server did not start"))
        }
        let answer = await transport.handleRequest(request)
        await server.stop()
        await transport.disconnect()
        return answer
    }

    static func response(_ answer: MCP.HTTPResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        let body = answer.bodyData.map { ResponseBody(byteBuffer: ByteBuffer(bytes: $0)) } ?? ResponseBody()
        return Response(status: .init(code: answer.statusCode), headers: fields, body: body)
    }
}

/// 406 only when the client's `Accept` rules JSON out: no header, `*/*` and `application/*` accept it (RFC 9110), as
/// do MCP clients' `application/json, text/event-stream`.
struct LenientAcceptValidator: HTTPRequestValidator {
    func validate(_ request: MCP.HTTPRequest, context: HTTPValidationContext) -> MCP.HTTPResponse? {
        guard let accept = request.header(HTTPHeaderName.accept), !accept.isEmpty else { return nil }
        let ranges = accept.split(separator: ",").map {
            $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        }
        if ranges.contains(where: { ["application/json", "application/*", "*/*"].contains($0) }) { return nil }
        return .error(statusCode: 406, .invalidRequest("Not Acceptable: the client must accept application/json"))
    }
}
