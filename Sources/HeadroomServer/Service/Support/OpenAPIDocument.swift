import Foundation
import HTTPTypes
package import HeadroomCore

/// The OpenAPI 3.1 document of the route table.
package enum OpenAPIDocument {
    package static func build(_ routes: [ServiceRoute]) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for route in routes {
            var operation: [String: JSONValue] = [
                "summary": .string(route.summary),
                "operationId": .string(operationID(route)),
            ]
            var parameters: [JSONValue] = route.pathParameters.map {
                .object([
                    "name": .string($0), "in": .string("path"), "required": .bool(true),
                    "schema": IntegerParameter.schema($0) ?? .object(["type": .string("string")]),
                ])
            }
            parameters += route.queryParameters.map {
                .object([
                    "name": .string($0), "in": .string("query"), "required": .bool(route.path.hasSuffix("/diff")),
                    "schema": IntegerParameter.schema($0) ?? .object(["type": .string("integer")]),
                ])
            }
            if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
            if let schema = route.requestSchema {
                operation["requestBody"] = .object([
                    "required": .bool(true),
                    "content": .object(["application/json": .object(["schema": schema])]),
                ])
            }
            var responses: [String: JSONValue] = [:]
            let success = route.method == .delete ? "204" : (route.mutates && route.method == .post ? "201" : "200")
            if route.path == "/metrics" {
                responses[success] = .object([
                    "description": .string("Prometheus text format"),
                    "content": .object(["text/plain": .object(["schema": .object(["type": .string("string")])])]),
                ])
            } else if success == "204" {
                responses[success] = .object(["description": .string("Done")])
            } else {
                responses[success] = .object([
                    "description": .string("Success"),
                    "content": .object([
                        route.responseSchema?["contentMediaType"]?.stringValue ?? "application/json": .object([
                            "schema": route.responseSchema ?? .object(["type": .string("object")])
                        ])
                    ]),
                ])
            }
            let error = JSONValue.object(["$ref": .string("#/components/responses/Error")])
            // Every route: 429 for an address that has spent its failed authentications.
            responses["429"] = error
            switch route.access {
            case .open:
                operation["security"] = .array([])
            case .role(let role):
                operation["x-headroom-role"] = .string(role.rawValue)
                responses["401"] = error
                responses["403"] = error
                // The identity provider's keys unavailable (OIDC).
                responses["503"] = error
            case .metrics:
                responses["401"] = error
                responses["503"] = error
            }
            if route.requestSchema != nil {
                responses["400"] = error
                responses["413"] = error
                responses["422"] = error
            }
            let numbered = route.pathParameters.contains { IntegerParameter.ranges[$0] != nil }
            if !route.queryParameters.isEmpty || numbered {
                responses["400"] = error
            }
            if !route.pathParameters.isEmpty || route.path.hasSuffix("/diff") { responses["404"] = error }
            if route.path == "/readyz" { responses["503"] = error }
            for status in route.errorStatuses { responses[String(status)] = error }
            responses.merge(route.otherResponses) { _, new in new }
            operation["responses"] = .object(responses)
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = .object(operation)
        }
        let errorSchema: JSONValue = .object([
            "type": .string("object"),
            "properties": .object([
                "error": .object([
                    "type": .string("object"),
                    "properties": .object([
                        "status": .object(["type": .string("integer")]),
                        "message": .object(["type": .string("string")]),
                        "field": .object(["type": .string("string")]),
                        "pointer": .object(["type": .string("string")]),
                        // A stable code (`invalid_input`); POST /mcp's JSON-RPC errors carry JSON-RPC's integer
                        // codes (-32700) in the same place.
                        "code": .object(["type": .array([.string("string"), .string("integer")])]),
                    ]),
                ])
            ]),
        ])
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("Headroom"), "version": .string("1"),
                "description": .string("LLM capacity planning over HTTP: the same computations as the headroom CLI."),
            ]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "securitySchemes": .object([
                    "bearer": .object([
                        "type": .string("http"), "scheme": .string("bearer"),
                        "description": .string("An API key (hr_…) or an OIDC access token (JWT)."),
                    ])
                ]),
                "responses": .object([
                    "Error": .object([
                        "description": .string("An error naming the field at fault"),
                        "content": .object(["application/json": .object(["schema": errorSchema])]),
                    ])
                ]),
            ]),
            "security": .array([.object(["bearer": .array([])])]),
        ])
    }

    static func operationID(_ route: ServiceRoute) -> String {
        let words = route.path.split(separator: "/").map { part in
            part.hasPrefix("{")
                ? "By" + part.dropFirst().dropLast().capitalized
                : part.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_")
        }
        return route.method.rawValue.lowercased() + "_" + words.joined(separator: "_")
    }
}

/// Path and query parameters that take whole numbers, with their ranges: declared in the document, enforced by
/// ``parse(_:_:)`` (400 outside).
package enum IntegerParameter {
    /// Plan versions (`n`, `from`, `to`) and the audit list's `limit`.
    package static let ranges: [String: ClosedRange<Int>] = [
        "n": 1...Int(Int32.max), "from": 1...Int(Int32.max), "to": 1...Int(Int32.max), "limit": 1...10_000,
    ]

    static func schema(_ name: String) -> JSONValue? {
        guard let range = ranges[name] else { return nil }
        return .object([
            "type": .string("integer"), "minimum": .number(Double(range.lowerBound)),
            "maximum": .number(Double(range.upperBound)),
        ])
    }

    /// `text` as the whole number `name` takes.
    /// - Throws: ``ServiceError`` 400 naming `name` when `text` is not a whole number in its range.
    package static func parse(_ name: String, _ text: String?) throws -> Int {
        let range = ranges[name] ?? Int.min...Int.max
        guard let text, let value = Int(text), range.contains(value) else {
            throw ServiceError(
                .badRequest, "'\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)",
                field: name)
        }
        return value
    }
}
