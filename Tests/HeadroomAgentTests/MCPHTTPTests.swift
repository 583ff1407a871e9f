import Foundation
import HTTPTypes
import HeadroomAgent
import HeadroomCatalog
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import MCP
import NIOCore
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `POST /mcp` under `headroom serve`: the same MCP server behind the service's authentication, roles and audit.
@Suite(.timeLimit(.minutes(3)))
struct MCPHTTPTests {
    struct Service {
        let store = InMemoryServiceStore()
        var viewer = ""
        var configuration: ServiceConfiguration

        init() async {
            configuration = ServiceConfiguration(rateLimit: nil, catalog: MCPServerTests.catalog)
            configuration.extraRoutes = [MCPHTTPRoute.route()]
            viewer = await store.createAPIKey(name: "vic", role: .viewer).secret
        }

        func test(
            _ mode: TestingSetup = .router, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
        ) async throws {
            let app = try await buildServiceApplication(configuration: configuration, store: store)
            try await app.test(mode, body)
        }
    }

    static func rpc(_ id: Int, _ method: String, _ params: String = "{}") -> String {
        #"{"jsonrpc": "2.0", "id": \#(id), "method": "\#(method)", "params": \#(params)}"#
    }

    static let initialize = rpc(
        1, "initialize",
        #"{"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "curl", "version": "1"}}"#)

    static func headers(_ key: String?) -> HTTPFields {
        var fields: HTTPFields = [.accept: "application/json, text/event-stream", .contentType: "application/json"]
        if let key { fields[.authorization] = "Bearer \(key)" }
        return fields
    }

    @Test func requiresAuthentication() async throws {
        let service = await Service()
        try await service.test { client in
            try await client.execute(
                uri: "/mcp", method: .post, headers: Self.headers(nil), body: ByteBuffer(string: Self.initialize)
            ) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: "/mcp", method: .post, headers: Self.headers("hr_wrong_key_wrong_key_wrong_key_x"),
                body: ByteBuffer(string: Self.initialize)
            ) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func answersJSONRPCForAViewer() async throws {
        let service = await Service()
        let key = service.viewer
        try await service.test { client in
            try await client.execute(
                uri: "/mcp", method: .post, headers: Self.headers(key), body: ByteBuffer(string: Self.initialize)
            ) { response in
                #expect(response.status == .ok)
                let body = try JSONValue(json: String(buffer: response.body))
                #expect(body["result"]?["serverInfo"]?["name"] == .string("headroom"))
            }
            let call = Self.rpc(
                2, "tools/call",
                #"{"name": "catalog_search", "arguments": {"kind": "accelerators", "query": "mi300x"}}"#)
            try await client.execute(
                uri: "/mcp", method: .post, headers: Self.headers(key), body: ByteBuffer(string: call)
            ) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains("mi300x") && text.contains(#""isError":false"#), "\(text.prefix(400))")
            }
            try await client.execute(uri: "/mcp", method: .get, headers: Self.headers(key)) { response in
                #expect(response.status == .methodNotAllowed)
            }
            try await client.execute(
                uri: "/mcp", method: .post, headers: Self.headers(key), body: ByteBuffer(string: "{not json")
            ) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/openapi.json", method: .get, headers: Self.headers(key)) { response in
                let document = try JSONValue(json: String(buffer: response.body))
                #expect(document["paths"]?["/mcp"]?["post"] != nil)
            }
        }
    }

    @Test(arguments: [
        #"{"id": 0, "method": "initialize", "params": {}}"#,
        #"{"jsonrpc": "1.0", "id": 1, "method": "ping"}"#,
        #"{"jsonrpc": "2.0", "id": true, "method": "ping"}"#,
        #"{"jsonrpc": "2.0", "id": 1.5, "method": "ping"}"#,
        #"{"jsonrpc": "2.0", "id": 1, "method": "sampling/createMessage"}"#,
        #"{"jsonrpc": "2.0", "id": 1, "method": 7}"#,
        #"{"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": [1]}"#,
        #"[{"jsonrpc": "2.0", "id": 1, "method": "ping"}]"#,
    ])
    func malformedMessagesAreRefused(body: String) async throws {
        let service = await Service()
        let key = service.viewer
        try await service.test { client in
            try await client.execute(
                uri: "/mcp", method: .post, headers: Self.headers(key), body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .badRequest)
                let answer = try JSONValue(json: String(buffer: response.body))
                #expect(answer["jsonrpc"] == .string("2.0") && answer["error"]?["message"] != nil)
            }
        }
    }

    @Test func confidentialPlanReadsAreRedactedAndAudited() async throws {
        let service = await Service()
        _ = try await service.store.savePlan(
            name: "q3", document: #"{"candidates":[{"accelerator":"b200","cost_per_hour":33}]}"#, confidential: true,
            author: "ada")
        let key = service.viewer
        try await service.test { client in
            let read = Self.rpc(3, "resources/read", #"{"uri": "headroom://plans/q3"}"#)
            try await client.execute(
                uri: "/mcp", method: .post, headers: Self.headers(key), body: ByteBuffer(string: read)
            ) { response in
                let text = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(text.contains("b200") && !text.contains("cost_per_hour"), "\(text)")
            }
        }
        let events = await service.store.listAudit(limit: 10)
        let event = try #require(events.first { $0.target == "plan:q3@1" })
        #expect(event.actor.contains("vic") && event.action == "MCP resources/read" && !event.requestID.isEmpty)
    }

    /// The SDK's own HTTP client transport against a live server.
    @Test func theSDKsHTTPClientPlansThroughTheServer() async throws {
        let service = await Service()
        let key = service.viewer
        try await service.test(.live) { client in
            let port = try #require(client.port)
            let endpoint = try #require(URL(string: "http://127.0.0.1:\(port)/mcp"))
            let transport = HTTPClientTransport(endpoint: endpoint, streaming: false) { request in
                var request = request
                request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
                return request
            }
            let mcp = Client(name: "sdk-http", version: "1")
            _ = try await mcp.connect(transport: transport)
            let tools = try await mcp.listTools().tools
            #expect(tools.count == 7)
            let (content, isError) = try await mcp.callTool(
                name: "estimate",
                arguments: [
                    "model": "llama-3.1-8b", "accelerator": "l40s", "count": 1, "precision": "fp8",
                    "input_tokens": 500, "output_tokens": 100, "concurrency": 4, "analytic": true,
                ])
            #expect(isError != true)
            #expect(content.count == 1)
            await mcp.disconnect()
        }
    }
}
