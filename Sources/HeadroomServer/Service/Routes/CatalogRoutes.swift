import Foundation
import HTTPTypes
import HeadroomCore
import Hummingbird

/// `GET /v1/catalog/accelerators|models|stacks[/{id}]`: what the planner knows, with sources.
enum CatalogRoutes {
    static func routes() -> [ServiceRoute] {
        let list: JSONValue = .object(["type": .string("array"), "items": .object(["type": .string("object")])])
        let item: JSONValue = .object(["type": .string("object")])
        return [
            ServiceRoute(
                .get, "/v1/catalog/accelerators", access: .role(.viewer), summary: "Accelerators.", response: list
            ) {
                _, _, env in
                RouteOutput(try ServiceEnvironment.json(env.catalog.accelerators.sorted { $0.id < $1.id }))
            },
            ServiceRoute(
                .get, "/v1/catalog/accelerators/{id}", access: .role(.viewer), summary: "One accelerator.",
                response: item
            ) {
                _, context, env in
                let id = try context.parameters.require("id")
                return RouteOutput(try ServiceEnvironment.json(try find { try env.catalog.accelerator(id) }))
            },
            ServiceRoute(.get, "/v1/catalog/models", access: .role(.viewer), summary: "Models.", response: list) {
                _, _, env in
                RouteOutput(try ServiceEnvironment.json(env.catalog.models.sorted { $0.id < $1.id }))
            },
            ServiceRoute(
                .get, "/v1/catalog/models/{id}", access: .role(.viewer),
                summary: "One model, by id or alias (URL-encode the slash of a Hugging Face id).", response: item
            ) { _, context, env in
                let id = try context.parameters.require("id")
                return RouteOutput(
                    try ServiceEnvironment.json(try find { try env.catalog.model(id.removingPercentEncoding ?? id) }))
            },
            ServiceRoute(.get, "/v1/catalog/stacks", access: .role(.viewer), summary: "Serving stacks.", response: list)
            {
                _, _, env in
                RouteOutput(try ServiceEnvironment.json(env.catalog.stacks.sorted { $0.id < $1.id }))
            },
            ServiceRoute(
                .get, "/v1/catalog/stacks/{id}", access: .role(.viewer), summary: "One serving stack.", response: item
            ) {
                _, context, env in
                let id = try context.parameters.require("id")
                return RouteOutput(try ServiceEnvironment.json(try find { try env.catalog.stack(id) }))
            },
        ]
    }

    private static func find<T>(_ lookup: () throws -> T) throws -> T {
        do {
            return try lookup()
        } catch let error as HeadroomError {
            throw ServiceError(.notFound, error.message)
        }
    }
}
