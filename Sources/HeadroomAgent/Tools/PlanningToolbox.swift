package import Foundation
import HeadroomCatalog
import HeadroomCore
package import HeadroomOperations
import HeadroomReport

/// Headroom's planning functions as tools: what the MCP server lists and the agent offers a language model.
///
/// Each tool takes the JSON body of the HTTP API's route of the same name (`estimate` is `POST /v1/estimate`'s body)
/// and answers that route's JSON document, so a figure a tool returns is the figure the CLI prints. Arguments are
/// decoded strictly: an unknown or mistyped field is refused with a message naming it.
package struct PlanningToolbox: Sendable {
    /// The catalog, stored objects and executor the tools compute with (the server's, or a local one).
    package var environment: any OperationEnvironment
    /// Who calls: decides what confidential saved plans show and whom the audit log names. Its action is set per
    /// tool (`MCP tools/call plan`).
    package var caller: Caller

    package init(environment: any OperationEnvironment, caller: Caller) {
        self.environment = environment
        self.caller = caller
    }

    /// A toolbox computing in this process over the catalog (bundled, `~/.config/headroom/` and `directories`), with
    /// `objects` for saved plans, workloads and price books (none by default), as the person at the keyboard.
    /// - Throws: when the catalog cannot be loaded.
    package static func local(
        catalogDirectories: [String] = [], objects: (any StoredObjects)? = nil
    ) async throws -> PlanningToolbox {
        let environment = try LocalEnvironment.standard(catalogDirectories: catalogDirectories, objects: objects)
        return PlanningToolbox(environment: environment, caller: .local(action: "MCP"))
    }

    /// The caller as the price-book checks and the audit log see it, for the tool `name`.
    func caller(_ name: String) -> Caller {
        caller.acting("MCP tools/call \(name)")
    }

    /// Every tool, in the order they are listed.
    package var descriptors: [ToolDescriptor] { Self.tools.map(\.descriptor) }

    /// Runs the tool `name` on a JSON object of arguments.
    /// - Returns: the outcome; failures (unknown tool, bad arguments, a model's refusal) are outcomes with
    ///   `isError` set and a message naming the field, never thrown.
    package func call(_ name: String, arguments: Data) async -> ToolOutcome {
        guard let tool = Self.tools.first(where: { $0.descriptor.name == name }) else {
            return .failure(
                name, "no tool '\(name)'; the tools are \(Self.tools.map(\.descriptor.name).joined(separator: ", "))")
        }
        let started = ContinuousClock.now
        defer { environment.record("tool", duration: ContinuousClock.now - started) }
        do {
            return try await tool.run(arguments.isEmpty ? Data("{}".utf8) : arguments, self)
        } catch let error as OperationError {
            return .failure(name, error.describedWithField)
        } catch let error as HeadroomError {
            return .failure(name, error.field.map { "\(error.message) (field: \($0))" } ?? error.message)
        } catch {
            return .failure(name, "the tool failed: \(error)")
        }
    }

    /// Decodes a tool's arguments as the HTTP API decodes its body.
    static func arguments<T: StrictBody>(_ type: T.Type, _ data: Data) throws -> T {
        try BodyDecoder.decode(type, from: data)
    }

    /// One tool: how it is described, and what runs it.
    struct Tool: Sendable {
        var descriptor: ToolDescriptor
        var run: @Sendable (Data, PlanningToolbox) async throws -> ToolOutcome
    }

    static let tools: [Tool] = [
        Tool(descriptor: ToolDescriptions.estimate) { data, box in
            let document = try await Operations.estimate(arguments(EstimateBody.self, data), env: box.environment)
            return ToolOutcome(tool: "estimate", isError: false, text: try JSONRendering.render(document))
        },
        Tool(descriptor: ToolDescriptions.simulate) { data, box in
            let document = try await Operations.simulate(
                arguments(SimulateBody.self, data), env: box.environment, caller: box.caller("simulate"))
            return ToolOutcome(tool: "simulate", isError: false, text: try JSONRendering.render(document))
        },
        Tool(descriptor: ToolDescriptions.plan) { data, box in
            let body = try arguments(PlanBody.self, data)
            if let field = body.savingField {
                throw OperationError(.invalid, "the plan tool computes; save plans with POST /v1/plans", field: field)
            }
            let outcome = try await Operations.plan(body, env: box.environment, caller: box.caller("plan"))
            return ToolOutcome(tool: "plan", isError: false, text: try outcome.json(), report: outcome.markdown())
        },
        Tool(descriptor: ToolDescriptions.cost) { data, box in
            let document = try await Operations.cost(
                arguments(CostBody.self, data), env: box.environment, caller: box.caller("cost"))
            return ToolOutcome(
                tool: "cost", isError: false, text: try JSONRendering.render(document),
                report: CostReport.markdown(document))
        },
        Tool(descriptor: ToolDescriptions.train) { data, box in
            let text = try await Operations.train(
                arguments(TrainBody.self, data), env: box.environment, caller: box.caller("train"))
            return ToolOutcome(tool: "train", isError: false, text: text)
        },
        Tool(descriptor: ToolDescriptions.compare) { data, box in
            try await DeploymentComparison.run(
                arguments(CompareBody.self, data), env: box.environment, caller: box.caller("compare"))
        },
        Tool(descriptor: ToolDescriptions.catalogSearch) { data, box in
            try await CatalogSearch.run(
                arguments(CatalogSearchBody.self, data), env: box.environment, caller: box.caller("catalog_search"))
        },
    ]
}
