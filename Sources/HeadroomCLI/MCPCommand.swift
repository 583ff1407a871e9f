import ArgumentParser
import Foundation
import HeadroomAgent
import HeadroomServer
import Logging

/// `headroom mcp`: the Model Context Protocol server over stdio, for assistants such as Claude Desktop.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve Headroom's planning tools to AI assistants over the Model Context Protocol (stdio).",
        discussion: """
            Tools: estimate, simulate, plan, cost, train, compare, catalog_search. Resources: catalog entries \
            (headroom://catalog/{accelerators|models|stacks}/{id}) and the saved plans of the local store \
            (headroom://plans/{name}). Prompts: plan-deployment, compare-hardware, size-training, review-plan. \
            Standard output carries only the protocol; logs go to standard error. Over HTTP, `headroom serve` \
            answers the same protocol at POST /mcp behind its authentication. See docs/agent.md for the Claude \
            Desktop configuration.
            """
    )

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var store: ServeCommand.StoreOptions
    @Flag(help: "Use an empty in-memory store instead of the database (no saved plans).") var noStore = false

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let opened = noStore ? nil : try await openStore(url: store.resolved, auditKeyFile: store.auditKeyPath)
        let toolbox: PlanningToolbox
        do {
            toolbox = try await PlanningToolbox.local(
                catalogDirectories: catalogOptions.directories, objects: opened.map(ServiceStoreObjects.init(store:)))
        } catch {
            try? await opened?.close()
            throw failure("\(error)")
        }
        do {
            try await HeadroomMCPServer.serveStdio(toolbox: toolbox)
        } catch {
            try? await opened?.close()
            throw failure("the MCP server stopped: \(error)")
        }
        try await opened?.close()
    }
}
