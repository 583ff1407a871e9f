import Foundation
import HeadroomCore
package import MCP

/// Headroom as a Model Context Protocol server: the planning tools, the catalog and saved plans as resources, and
/// prompts for common briefs. One function builds it for every transport (stdio, Streamable HTTP, in-memory).
package enum HeadroomMCPServer {
    /// The version this server reports to clients.
    package static let version = "0.9.0"

    /// What an assistant reads on connecting.
    package static let instructions = """
        Headroom plans LLM serving and training capacity: which accelerator, how many, which serving stack and \
        precision, at what cost and power, to meet a latency SLO. Every figure comes from its performance model \
        (calibrated on published measurements), its simulator and its sourced price book. Use catalog_search to \
        find model and accelerator ids, plan for a workload's cheapest deployments that meet its SLO (with_cost for \
        procurement), compare to weigh specific deployments, estimate or simulate for one deployment, cost for \
        procurement and TCO, and train for training runs. Quote figures from tool results only, and pass on the \
        plan's advisories.
        """

    /// A server whose handlers compute with `toolbox`.
    /// - Parameter toolbox: the tools, their environment and the caller (its role decides what confidential saved
    ///   plans show).
    package static func make(toolbox: PlanningToolbox) async -> Server {
        let server = Server(
            name: "headroom", version: version, title: "Headroom capacity planner", instructions: instructions,
            capabilities: .init(
                prompts: .init(listChanged: false), resources: .init(subscribe: false, listChanged: false),
                tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: toolbox.descriptors.map(tool))
        }
        await server.withMethodHandler(CallTool.self) { parameters in
            try await call(parameters, toolbox: toolbox)
        }
        await server.withMethodHandler(ListResources.self) { _ in
            ListResources.Result(resources: try await MCPResources.list(toolbox: toolbox))
        }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in
            ListResourceTemplates.Result(templates: MCPResources.templates)
        }
        await server.withMethodHandler(ReadResource.self) { parameters in
            ReadResource.Result(contents: [try await MCPResources.read(parameters.uri, toolbox: toolbox)])
        }
        await server.withMethodHandler(ListPrompts.self) { _ in
            ListPrompts.Result(prompts: MCPPrompts.all.map(\.prompt))
        }
        await server.withMethodHandler(GetPrompt.self) { parameters in
            try MCPPrompts.get(parameters.name, arguments: parameters.arguments ?? [:])
        }
        return server
    }

    /// Serves `toolbox` over standard input and output until the client closes the stream.
    /// - Throws: when the transport cannot start.
    package static func serveStdio(toolbox: PlanningToolbox) async throws {
        let server = await make(toolbox: toolbox)
        try await server.start(
            transport: DrainingTransport(
                wrapping: BoundedStdioTransport(maxLineBytes: DrainingTransport.maxMessageBytes)))
        await server.waitUntilCompleted()
    }

    static func tool(_ descriptor: ToolDescriptor) -> Tool {
        Tool(
            name: descriptor.name, title: descriptor.title, description: descriptor.description,
            inputSchema: value(descriptor.inputSchema),
            annotations: .init(
                title: descriptor.title, readOnlyHint: descriptor.readOnly, destructiveHint: false,
                idempotentHint: true, openWorldHint: false))
    }

    /// Runs a tool: its JSON as text (with the Markdown report when there is one) and as structured content; a
    /// failure is a tool error (`isError`) whose text names the argument to fix.
    static func call(_ parameters: CallTool.Parameters, toolbox: PlanningToolbox) async throws -> CallTool.Result {
        let arguments = try JSONEncoder().encode(parameters.arguments ?? [:])
        let outcome = await toolbox.call(parameters.name, arguments: arguments)
        if outcome.isError {
            return CallTool.Result(content: [text(outcome.text)], isError: true)
        }
        var content: [Tool.Content] = [text(outcome.text)]
        if let report = outcome.report { content.append(text(report)) }
        let structured = try? JSONDecoder().decode(Value.self, from: Data(outcome.text.utf8))
        return CallTool.Result(
            content: content, structuredContent: structured?.objectValue == nil ? nil : structured, isError: false)
    }

    static func text(_ text: String) -> Tool.Content { .text(text: text, annotations: nil, _meta: nil) }

    /// The same JSON as MCP's value type.
    static func value(_ json: JSONValue) -> Value {
        (try? JSONDecoder().decode(Value.self, from: JSONEncoder().encode(json))) ?? .null
    }
}
