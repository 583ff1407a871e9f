import Foundation
import HTTPTypes
import HeadroomCore
import HeadroomOperations
import Hummingbird
import Logging

/// API keys and the audit log (admins), health, readiness, metrics and the OpenAPI document.
enum AdminRoutes {
    static func routes() -> [ServiceRoute] {
        let object: JSONValue = .object(["type": .string("object")])
        var createKey = ServiceRoute(
            .post, "/v1/keys", access: .role(.admin), summary: "Create an API key; its secret is shown once.",
            mutates: true, request: KeyBody.schema, response: object
        ) { request, _, env in
            let body = try await env.body(KeyBody.self, from: request)
            try StoreRoutes.checkName(body.name)
            let key = try await env.store.createAPIKey(name: body.name, role: body.role)
            let document: JSONValue = .object([
                "id": .string(key.id), "name": .string(key.name), "role": .string(key.role.rawValue),
                "secret": .string(key.secret),
            ])
            return RouteOutput(try StoreRoutes.json(document, status: .created), auditTarget: "key:\(key.id)")
        }
        // A name that already exists with another role.
        createKey.errorStatuses = [409]
        return [
            createKey,
            ServiceRoute(.delete, "/v1/keys/{id}", access: .role(.admin), summary: "Revoke an API key.", mutates: true)
            {
                _, context, env in
                let id = try context.parameters.require("id")
                guard try await env.store.revokeAPIKey(id: id) else {
                    throw ServiceError(.notFound, "no live key '\(id)'")
                }
                env.keyCache.forget(keyID: id)
                return RouteOutput(Response(status: .noContent), auditTarget: "key:\(id)")
            },
            ServiceRoute(
                .get, "/v1/audit", access: .role(.admin), summary: "The newest audit events.",
                response: .object(["type": .string("array"), "items": object]), query: ["limit"]
            ) { request, _, env in
                let text = request.uri.queryParameters.get("limit")
                let limit = try text.map { try IntegerParameter.parse("limit", $0) } ?? 100
                let events = try await env.store.listAudit(limit: limit)
                return RouteOutput(try ServiceEnvironment.json(events.map(AuditEventDocument.init)))
            },
            ServiceRoute(
                .get, "/v1/audit/verify", access: .role(.admin), summary: "Recompute the audit hash chain.",
                response: object
            ) {
                _, _, env in
                let result = try await env.store.verifyAudit()
                let document: JSONValue = .object([
                    "valid": .bool(result.valid), "events": .number(Double(result.events)),
                    "first_invalid_sequence": result.firstInvalidSequence.map { .number(Double($0)) } ?? .null,
                ])
                return RouteOutput(try StoreRoutes.json(document))
            },
            ServiceRoute(.get, "/healthz", access: .open, summary: "The process is up.", response: object) { _, _, _ in
                RouteOutput(try StoreRoutes.json(.object(["status": .string("ok")])))
            },
            ServiceRoute(.get, "/readyz", access: .open, summary: "The store answers.", response: object) {
                _, context, env in
                do {
                    try await env.store.ping()
                } catch {
                    context.logger.warning("store not ready", metadata: ["error": "\(error)"])
                    throw ServiceError(.serviceUnavailable, "the store does not answer")
                }
                return RouteOutput(try StoreRoutes.json(.object(["status": .string("ready")])))
            },
            ServiceRoute(.get, "/metrics", access: .metrics, summary: "Prometheus metrics (text format).") {
                _, _, env in
                RouteOutput(
                    Response(
                        status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: .init(string: env.metrics.render()))))
            },
        ]
    }
}

/// An audit event as `/v1/audit` lists it (snake_case).
struct AuditEventDocument: Encodable {
    var sequence: Int
    var actor: String
    var action: String
    var target: String?
    var requestID: String
    var outcome: String
    var timestamp: String
    var hash: String

    init(_ event: AuditEvent) {
        sequence = event.sequence
        actor = event.actor
        action = event.action
        target = event.target
        requestID = event.requestID
        outcome = event.outcome
        timestamp = ISO8601DateFormatter().string(from: event.timestamp)
        hash = event.hash
    }

    enum CodingKeys: String, CodingKey {
        case sequence, actor, action, target, outcome, timestamp, hash
        case requestID = "request_id"
    }
}
