import Foundation
import HeadroomAgent
import HeadroomCatalog
import HeadroomCore
import HeadroomOperations
import HeadroomServer
import MCP
import Testing

/// The MCP server in process, through the SDK's own client over `InMemoryTransport`.
@Suite(.timeLimit(.minutes(3)))
struct MCPServerTests {
    static let catalog: Catalog = try! CatalogLoader.bundled()

    /// A connected client over a toolbox whose caller has `role`, with `store`.
    static func connected(
        role: Role = .admin, store: InMemoryServiceStore = InMemoryServiceStore()
    ) async throws -> (Client, Server) {
        let environment = ServiceEnvironment(
            store: store, catalog: catalog, configuration: ServiceConfiguration(rateLimit: nil, catalog: catalog))
        let toolbox = PlanningToolbox(
            environment: environment,
            caller: Caller(
                principal: Principal(name: "tess", role: role, source: .apiKey, id: "k1"), requestID: "mcp",
                action: "MCP"))
        let server = await HeadroomMCPServer.make(toolbox: toolbox)
        let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
        try await server.start(transport: serverTransport)
        let client = Client(name: "headroom-tests", version: "1")
        _ = try await client.connect(transport: clientTransport)
        return (client, server)
    }

    static func text(_ content: [Tool.Content]) -> [String] {
        content.compactMap { if case .text(let text, _, _) = $0 { text } else { nil } }
    }

    static func json(_ text: String) throws -> JSONValue { try JSONValue(json: text) }

    @Test func listsEveryToolWithSchemasAndDescriptions() async throws {
        let (client, server) = try await Self.connected()
        defer { Task { await server.stop() } }
        let tools = try await client.listTools().tools
        #expect(
            Set(tools.map(\.name)) == ["estimate", "simulate", "plan", "cost", "train", "compare", "catalog_search"])
        for tool in tools {
            #expect((tool.description ?? "").count > 80, "\(tool.name) explains itself")
            #expect(tool.inputSchema.objectValue?["type"] == .string("object"))
            #expect(tool.annotations.readOnlyHint == true)
        }
        let plan = try #require(tools.first { $0.name == "plan" })
        let properties = try #require(plan.inputSchema.objectValue?["properties"]?.objectValue)
        #expect(properties["workload"]?.objectValue?["description"]?.stringValue?.contains("peak_rps") == true)
        #expect(properties["name"] == nil, "the plan tool computes; it does not save")
    }

    @Test func estimateReturnsTheAPIsDocument() async throws {
        let (client, server) = try await Self.connected()
        defer { Task { await server.stop() } }
        let (content, isError) = try await client.callTool(
            name: "estimate",
            arguments: [
                "model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1, "precision": "fp8",
                "input_tokens": 1000, "output_tokens": 200, "rate": 2, "analytic": true,
            ])
        #expect(isError != true)
        let document = try Self.json(try #require(Self.text(content).first))
        guard case .number(let throughput)? = document["output_tokens_per_second"] else {
            Issue.record("no output_tokens_per_second in \(document)")
            return
        }
        #expect(throughput > 300 && throughput < 500, "2 req/s × 200 tokens, served")
        #expect(document["memory"]?["fits"] == .bool(true))
    }

    /// A call with bad arguments, and what its error must name.
    struct BadCall: Sendable, CustomTestStringConvertible {
        var tool: String
        var arguments: String
        var names: String
        var testDescription: String { "\(tool) \(arguments)" }
    }

    static let badCalls = [
        BadCall(
            tool: "estimate",
            arguments:
                #"{"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1, "input_tokens": 100, "output_tokens": 10, "rate": 1, "colour": "red"}"#,
            names: "colour"),
        BadCall(
            tool: "estimate",
            arguments:
                #"{"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": "one", "input_tokens": 100, "output_tokens": 10, "rate": 1}"#,
            names: "count"),
        BadCall(
            tool: "estimate",
            arguments:
                #"{"model": "no-such-model", "accelerator": "h100-sxm", "count": 1, "input_tokens": 100, "output_tokens": 10, "rate": 1}"#,
            names: "no-such-model"),
        BadCall(
            tool: "plan", arguments: #"{"workload": {"model": "llama-3.1-8b", "traffic": {"peak_rps": -3}}}"#,
            names: "peak_rps"),
        BadCall(tool: "plan", arguments: #"{"name": "q3", "workload": {"model": "llama-3.1-8b"}}"#, names: "name"),
        BadCall(tool: "catalog_search", arguments: #"{"kind": "gpus"}"#, names: "kind"),
        BadCall(
            tool: "compare",
            arguments:
                #"{"model": "llama-3.1-8b", "input_tokens": 100, "output_tokens": 10, "rate": 1, "deployments": [{"accelerator": "h100-sxm"}, {"accelerator": "l40s", "tp": "two"}]}"#,
            names: "deployments[1].tp"),
        BadCall(tool: "no_such_tool", arguments: "{}", names: "catalog_search"),
    ]

    @Test(arguments: badCalls)
    func badArgumentsAreToolErrorsNamingTheField(call: BadCall) async throws {
        let (client, server) = try await Self.connected()
        defer { Task { await server.stop() } }
        let arguments = try JSONDecoder().decode([String: Value].self, from: Data(call.arguments.utf8))
        let (content, isError) = try await client.callTool(name: call.tool, arguments: arguments)
        #expect(isError == true)
        let message = Self.text(content).joined()
        #expect(message.contains(call.names), "\(message)")
    }

    @Test func planReturnsJSONAndAMarkdownReport() async throws {
        let (client, server) = try await Self.connected()
        defer { Task { await server.stop() } }
        let workload: Value = [
            "model": "llama-3.1-8b", "traffic": ["peak_rps": 4, "requests": 300],
            "lengths": ["input": ["dist": "fixed", "value": 500], "output": ["dist": "fixed", "value": 200]],
            "slo": ["ttft_ms": 2000, "tpot_ms": 100],
            "constraints": ["accelerators": ["h100-sxm", "l40s"], "stacks": ["vllm"]],
        ]
        let (content, isError) = try await client.callTool(
            name: "plan", arguments: ["workload": workload, "top": 3, "with_cost": true])
        #expect(isError != true, "\(Self.text(content))")
        let texts = Self.text(content)
        #expect(texts.count == 2)
        let document = try Self.json(texts[0])
        guard case .array(let candidates)? = document["plan"]?["candidates"] else {
            Issue.record("no plan.candidates in \(texts[0].prefix(300))")
            return
        }
        #expect(candidates.first?["accelerator"] != nil)
        #expect(document["cost"] != nil, "with_cost adds the procurement analysis")
        #expect(texts[1].contains("## Recommendation"))
    }

    @Test func compareRanksDeploymentsWithPrices() async throws {
        let (client, server) = try await Self.connected()
        defer { Task { await server.stop() } }
        let (content, isError) = try await client.callTool(
            name: "compare",
            arguments: [
                "model": "llama-3.1-8b", "input_tokens": 1000, "output_tokens": 200, "slo_ttft_ms": 1000,
                "slo_tpot_ms": 50, "requests": 1000,
                "deployments": [
                    ["accelerator": "h100-sxm", "precision": "fp8"], ["accelerator": "l40s", "precision": "fp8"],
                    ["accelerator": "h100-sxm", "count": 2, "tp": 2],
                ],
            ])
        #expect(isError != true, "\(Self.text(content))")
        let rows = try #require(
            try Self.json(Self.text(content)[0])["rows"].flatMap { row -> [JSONValue]? in
                if case .array(let rows) = row { rows } else { nil }
            })
        #expect(rows.count == 3)
        for row in rows {
            guard case .number(let rate)? = row["max_rate_requests_per_second"],
                case .number(let cost)? = row["cost_per_million_output_tokens"]
            else {
                Issue.record("row without max rate or cost: \(row)")
                continue
            }
            #expect(rate > 0 && cost > 0)
        }
        #expect(Self.text(content)[1].contains("| deployment |"))
    }

    @Test func catalogSearchFindsModelsAndPrices() async throws {
        let (client, server) = try await Self.connected()
        defer { Task { await server.stop() } }
        let (models, _) = try await client.callTool(
            name: "catalog_search", arguments: ["kind": "models", "query": "70b"])
        let found = try Self.json(Self.text(models)[0])
        #expect(found["matched"] != .number(0))
        #expect(Self.text(models)[1].contains("llama-3.1-70b"))
        let (prices, _) = try await client.callTool(
            name: "catalog_search", arguments: ["kind": "prices", "query": "h100-sxm", "limit": 3])
        let priced = try Self.json(Self.text(prices)[0])
        guard case .array(let entries)? = priced["entries"] else {
            Issue.record("no entries")
            return
        }
        #expect(entries.count == 3)
        #expect(entries.allSatisfy { $0["accelerator"] == .string("h100-sxm") && $0["provenance"] != nil })
    }

    @Test func resourcesServeTheCatalogAndRedactConfidentialPlansForViewers() async throws {
        let store = InMemoryServiceStore()
        let document = #"{"recommendation":{"accelerator":"h100-sxm","cost_per_hour":12.5},"advisories":[]}"#
        _ = try await store.savePlan(name: "q3", document: document, confidential: true, author: "ada")
        let (client, server) = try await Self.connected(role: .viewer, store: store)
        defer { Task { await server.stop() } }
        let resources = try await client.listResources().resources
        #expect(resources.contains { $0.uri == "headroom://catalog/accelerators/h100-sxm" })
        #expect(resources.contains { $0.uri == "headroom://plans/q3" })
        let templates = try await client.listResourceTemplates().templates
        #expect(templates.contains { $0.uriTemplate == "headroom://plans/{name}" })

        let accelerator = try await client.readResource(uri: "headroom://catalog/accelerators/h100-sxm")
        #expect(accelerator.first?.text?.contains("provenance") == true)
        let plan = try await client.readResource(uri: "headroom://plans/q3")
        let read = try Self.json(try #require(plan.first?.text))
        #expect(read["redacted"] == .bool(true))
        #expect(read["plan"]?["recommendation"]?["cost_per_hour"] == nil)
        #expect(read["plan"]?["recommendation"]?["accelerator"] == .string("h100-sxm"))
        let audit = await store.listAudit(limit: 10)
        #expect(audit.contains { $0.target == "plan:q3@1" && $0.actor.contains("tess") })

        await #expect(throws: MCPError.self) { try await client.readResource(uri: "headroom://plans/nope") }
        await #expect(throws: MCPError.self) { try await client.readResource(uri: "https://example.com/") }
    }

    @Test func promptsFillTheirArguments() async throws {
        let (client, server) = try await Self.connected()
        defer { Task { await server.stop() } }
        let prompts = try await client.listPrompts().prompts
        #expect(Set(prompts.map(\.name)) == ["plan-deployment", "compare-hardware", "size-training", "review-plan"])
        let filled = try await client.getPrompt(
            name: "plan-deployment", arguments: ["model": "llama-3.1-70b", "traffic": "40 req/s at peak"])
        guard case .text(let text)? = filled.messages.first?.content else {
            Issue.record("no text")
            return
        }
        #expect(text.contains("llama-3.1-70b") && text.contains("40 req/s") && text.contains("not stated"))
        await #expect(throws: MCPError.self) { try await client.getPrompt(name: "plan-deployment", arguments: [:]) }
    }
}
