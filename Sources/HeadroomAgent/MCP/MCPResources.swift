import Foundation
import HeadroomCore
import HeadroomOperations
import HeadroomReport
import MCP

/// Catalog entries and saved plans as MCP resources: `headroom://catalog/{kind}/{id}` and `headroom://plans/{name}`
/// (latest version) or `headroom://plans/{name}/versions/{n}`.
enum MCPResources {
    static let scheme = "headroom://"

    static let templates = [
        Resource.Template(
            uriTemplate: "headroom://catalog/accelerators/{id}", name: "accelerator",
            description:
                "An accelerator's specs (memory, bandwidth, TFLOPS by precision, interconnect, power), sourced.",
            mimeType: "application/json"),
        Resource.Template(
            uriTemplate: "headroom://catalog/models/{id}", name: "model",
            description: "A model's architecture as the performance model sees it, with its config.json source.",
            mimeType: "application/json"),
        Resource.Template(
            uriTemplate: "headroom://catalog/stacks/{id}", name: "stack",
            description: "A serving stack: memory semantics, scheduler options, supported accelerators and precisions.",
            mimeType: "application/json"),
        Resource.Template(
            uriTemplate: "headroom://plans/{name}", name: "saved plan",
            description: "A saved plan's latest version (costs removed for viewers when it is confidential).",
            mimeType: "application/json"),
        Resource.Template(
            uriTemplate: "headroom://plans/{name}/versions/{version}", name: "saved plan version",
            description: "One version of a saved plan.", mimeType: "application/json"),
    ]

    /// Every catalog entry and saved plan.
    static func list(toolbox: PlanningToolbox) async throws -> [Resource] {
        let catalog = toolbox.environment.catalog
        var resources: [Resource] = []
        resources += catalog.accelerators.sorted { $0.id < $1.id }.map {
            Resource(
                name: $0.id, uri: "\(scheme)catalog/accelerators/\($0.id)", title: $0.name,
                description: "\($0.vendor) accelerator, \(humanNumber($0.memoryGiB)) GiB", mimeType: "application/json")
        }
        resources += catalog.models.sorted { $0.id < $1.id }.map {
            Resource(
                name: $0.id, uri: "\(scheme)catalog/models/\(encoded($0.id))", title: $0.name,
                description: "model, \(humanNumber($0.totalParams / 1e9))B parameters", mimeType: "application/json")
        }
        resources += catalog.stacks.sorted { $0.id < $1.id }.map {
            Resource(
                name: $0.id, uri: "\(scheme)catalog/stacks/\($0.id)", title: $0.name, description: "serving stack",
                mimeType: "application/json")
        }
        resources += try await (toolbox.environment.objects?.plans() ?? []).map {
            Resource(
                name: $0.name, uri: "\(scheme)plans/\(encoded($0.name))", title: "Plan \($0.name) v\($0.version)",
                description: "saved plan by \($0.author)" + ($0.confidential ? " (confidential)" : ""),
                mimeType: "application/json")
        }
        return resources
    }

    /// Reads one resource.
    /// - Throws: `MCPError.invalidParams` naming what is unknown.
    static func read(_ uri: String, toolbox: PlanningToolbox) async throws -> Resource.Content {
        guard uri.hasPrefix(scheme) else {
            throw MCPError.invalidParams("resource URIs start with \(scheme); see resources/templates/list")
        }
        let parts = uri.dropFirst(scheme.count).split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        let catalog = toolbox.environment.catalog
        func json(_ value: some Encodable) throws -> Resource.Content {
            .text(try JSONRendering.render(value), uri: uri, mimeType: "application/json")
        }
        func lookup<T>(_ find: () throws -> T) throws -> T {
            do { return try find() } catch let error as HeadroomError { throw MCPError.invalidParams(error.message) }
        }
        switch (parts.first, parts.count) {
        case ("catalog", 3):
            switch parts[1] {
            case "accelerators": return try json(try lookup { try catalog.accelerator(parts[2]) })
            case "models": return try json(try lookup { try catalog.model(parts[2]) })
            case "stacks": return try json(try lookup { try catalog.stack(parts[2]) })
            default: throw MCPError.invalidParams("no catalog kind '\(parts[1])'; use accelerators, models or stacks")
            }
        case ("plans", 2):
            return try await plan(parts[1], version: nil, uri: uri, toolbox: toolbox)
        case ("plans", 4) where parts[2] == "versions":
            guard let version = Int(parts[3]) else {
                throw MCPError.invalidParams("'\(parts[3])' is not a version number")
            }
            return try await plan(parts[1], version: version, uri: uri, toolbox: toolbox)
        default:
            throw MCPError.invalidParams("no resource \(uri); see resources/templates/list")
        }
    }

    /// A saved plan, as `GET /v1/plans/{name}` answers: costs stripped for viewers when confidential, and a
    /// confidential read appended to the audit log.
    private static func plan(
        _ name: String, version: Int?, uri: String, toolbox: PlanningToolbox
    ) async throws -> Resource.Content {
        let caller = toolbox.caller.acting("MCP resources/read")
        guard let object = try await toolbox.environment.objects?.plan(named: name, version: version, caller: caller)
        else {
            throw MCPError.invalidParams("no saved plan '\(name)'" + (version.map { " version \($0)" } ?? ""))
        }
        return .text(try object.jsonText(), uri: uri, mimeType: "application/json")
    }

    private static func encoded(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
            ?? id
    }
}
