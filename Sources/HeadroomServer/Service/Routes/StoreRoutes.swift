import Foundation
import HTTPTypes
import HeadroomCatalog
package import HeadroomCore
import HeadroomOperations
import Hummingbird

/// Saved plans (versioned, diffable), workloads, bench runs and price books.
enum StoreRoutes {
    static func routes() -> [ServiceRoute] {
        let object: JSONValue = .object(["type": .string("object")])
        let list: JSONValue = .object(["type": .string("array"), "items": object])
        return [
            ServiceRoute(
                .get, "/v1/plans", access: .role(.viewer), summary: "Saved plans, latest versions.", response: list
            ) {
                _, _, env in
                RouteOutput(try json(try await env.store.listPlans().map { metadata($0) }))
            },
            ServiceRoute(
                .post, "/v1/plans", access: .role(.planner),
                summary: "Plan a workload and save it as the next version.",
                mutates: true, request: PlanBody.schema, response: object
            ) { request, context, env in
                let body = try await env.body(PlanBody.self, from: request)
                guard let name = body.name, isValidName(name) else {
                    throw ServiceError(
                        .unprocessableContent, "name is required: letters, digits, '-', '_', '.'", field: "name")
                }
                let text = try await ComputeRoutes.plan(body, env: env, caller: context.caller("POST /v1/plans"))
                // A plan computed from confidential prices carries them (costs, rates): it is confidential whatever
                // the body asks.
                let readsConfidential = try await env.readsConfidentialPrices(
                    workload: body.workload, workloadName: body.workloadName, priceBook: body.priceBook)
                let actor = context.identity?.auditName ?? "anonymous"
                let requestID = context.requestID
                let saved = try await env.store.savePlan(
                    name: name, document: text, confidential: readsConfidential || body.confidential == true,
                    author: context.identity?.name ?? "unknown"
                ) { version in
                    AuditEventDraft(
                        actor: actor, action: "POST /v1/plans", target: "plan:\(name)@\(version.version)",
                        requestID: requestID, outcome: "success")
                }
                return RouteOutput(
                    try json(metadata(saved), status: .created), auditTarget: "plan:\(name)@\(saved.version)",
                    audited: true)
            },
            ServiceRoute(
                .get, "/v1/plans/{name}", access: .role(.viewer), summary: "A plan's latest version.", response: object
            ) {
                _, context, env in
                try await planVersion(context, env, version: nil)
            },
            ServiceRoute(
                .get, "/v1/plans/{name}/versions", access: .role(.viewer), summary: "A plan's versions.", response: list
            ) {
                _, context, env in
                let name = try context.parameters.require("name")
                let versions = try await env.store.planVersions(name: name)
                guard !versions.isEmpty else { throw ServiceError(.notFound, "no plan '\(name)'") }
                return RouteOutput(try json(versions.map { metadata($0) }))
            },
            ServiceRoute(
                .get, "/v1/plans/{name}/versions/{n}", access: .role(.viewer), summary: "One version of a plan.",
                response: object
            ) {
                _, context, env in
                let version = try IntegerParameter.parse("n", context.parameters.get("n"))
                return try await planVersion(context, env, version: version)
            },
            ServiceRoute(
                .get, "/v1/plans/{name}/diff", access: .role(.viewer), summary: "What changed between two versions.",
                response: object, query: ["from", "to"]
            ) { request, context, env in
                let name = try context.parameters.require("name")
                func version(_ key: String) throws -> Int {
                    try IntegerParameter.parse(key, request.uri.queryParameters.get(key))
                }
                let (from, to) = (try version("from"), try version("to"))
                guard let old = try await env.store.plan(name: name, version: from),
                    let new = try await env.store.plan(name: name, version: to)
                else { throw ServiceError(.notFound, "no plan '\(name)' with versions \(from) and \(to)") }
                let confidential = old.confidential || new.confidential
                let redact = confidential && (context.identity?.role ?? .viewer) < .planner
                var before = try JSONValue(json: old.document)
                var after = try JSONValue(json: new.document)
                if redact {
                    before = Redaction.strippingCosts(before)
                    after = Redaction.strippingCosts(after)
                }
                // RFC 6901 pointers, as `headroom plans diff` prints them.
                let changes: [JSONValue] = JSONDiff.changes(from: before, to: after).map { change in
                    .object([
                        "kind": .string(change.kind.rawValue), "path": .string(change.path),
                        "from": change.oldValue ?? .null, "to": change.newValue ?? .null,
                    ])
                }
                let document: JSONValue = .object([
                    "name": .string(name), "from": .number(Double(from)), "to": .number(Double(to)),
                    "redacted": .bool(redact), "changes": .array(changes),
                ])
                return RouteOutput(
                    try json(document), auditTarget: "plan:\(name)@\(from)..\(to)", confidentialRead: confidential)
            },
            documentList(.workload, "/v1/workloads", "Stored workloads."),
            ServiceRoute(
                .post, "/v1/workloads", access: .role(.planner), summary: "Store a workload (validated).",
                mutates: true,
                request: WorkloadBody.schema, response: object
            ) { request, context, env in
                let body = try await env.body(WorkloadBody.self, from: request)
                try checkName(body.name)
                _ = try await env.workload(inline: body.workload, name: nil, caller: nil)
                // Negotiated prices in `pricing.overrides` make a workload confidential unless the body says otherwise.
                let confidential = body.confidential ?? body.workload.hasPriceOverrides
                return try await save(.workload, body.name, body.workload, confidential: confidential, context, env)
            },
            documentList(.benchRun, "/v1/bench-runs", "Stored benchmark runs."),
            ServiceRoute(
                .post, "/v1/bench-runs", access: .role(.planner), summary: "Store a benchmark run.", mutates: true,
                request: BenchRunBody.schema, response: object
            ) { request, context, env in
                let body = try await env.body(BenchRunBody.self, from: request)
                try checkName(body.name)
                return try await save(.benchRun, body.name, body.run, confidential: false, context, env)
            },
            documentList(
                .priceBook, "/v1/price-books", "Stored price books (cost fields removed for viewers when confidential)."
            ),
            ServiceRoute(
                .post, "/v1/price-books", access: .role(.planner), summary: "Store a price book (validated).",
                mutates: true, request: PriceBookBody.schema, response: object
            ) { request, context, env in
                let body = try await env.body(PriceBookBody.self, from: request)
                try checkName(body.name)
                do {
                    _ = try PriceBookLoader.decode(yaml: try body.priceBook.jsonText(), file: "price_book")
                } catch let error as HeadroomError {
                    throw ServiceError(
                        .unprocessableContent, error.message,
                        field: error.field.map { "price_book.\($0)" } ?? "price_book")
                }
                return try await save(
                    .priceBook, body.name, body.priceBook, confidential: body.confidential ?? false, context, env)
            },
        ]
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 128
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    static func checkName(_ name: String) throws {
        guard isValidName(name) else {
            throw ServiceError(.unprocessableContent, "name takes letters, digits, '-', '_' and '.'", field: "name")
        }
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ServiceEnvironment.json(String(decoding: try encoder.encode(value), as: UTF8.self), status: status)
    }

    static func json(_ values: [JSONValue]) throws -> Response { try json(.array(values)) }

    static func metadata(_ plan: PlanVersion) -> JSONValue {
        .object(plan.metadataFields)
    }

    /// A plan version with its document; confidential ones are audited, and stripped of costs for viewers.
    static func planVersion(
        _ context: ServiceRequestContext, _ env: ServiceEnvironment, version: Int?
    ) async throws
        -> RouteOutput
    {
        let name = try context.parameters.require("name")
        guard let plan = try await env.store.plan(name: name, version: version) else {
            throw ServiceError(.notFound, "no plan '\(name)'" + (version.map { " version \($0)" } ?? ""))
        }
        return RouteOutput(
            try json(try plan.readable(by: context.identity?.role)), auditTarget: "plan:\(name)@\(plan.version)",
            confidentialRead: plan.confidential)
    }

    static func documentList(_ kind: DocumentKind, _ path: String, _ summary: String) -> ServiceRoute {
        ServiceRoute(
            .get, path, access: .role(.viewer), summary: summary,
            response: .object(["type": .string("array"), "items": .object(["type": .string("object")])])
        ) { _, context, env in
            let documents = try await env.store.listDocuments(kind)
            let viewer = (context.identity?.role ?? .viewer) < .planner
            var confidential: [String] = []
            let items = try documents.map { stored -> JSONValue in
                var document = try JSONValue(json: stored.document)
                let redact = stored.confidential && viewer
                if stored.confidential { confidential.append(stored.name) }
                if redact { document = Redaction.strippingCosts(document) }
                return .object([
                    "name": .string(stored.name), "confidential": .bool(stored.confidential),
                    "author": .string(stored.author),
                    "created_at": .string(ISO8601DateFormatter().string(from: stored.createdAt)),
                    "redacted": .bool(redact), "document": document,
                ])
            }
            return RouteOutput(
                try json(items),
                auditTarget: confidential.isEmpty
                    ? nil : "\(kind.rawValue):" + confidential.joined(separator: ","),
                confidentialRead: !confidential.isEmpty)
        }
    }

    static func save(
        _ kind: DocumentKind, _ name: String, _ document: JSONValue, confidential: Bool,
        _ context: ServiceRequestContext, _ env: ServiceEnvironment
    ) async throws -> RouteOutput {
        let target = "\(kind.rawValue):\(name)"
        let event = AuditEventDraft(
            actor: context.identity?.auditName ?? "anonymous", action: "POST \(Self.path(of: kind))", target: target,
            requestID: context.requestID, outcome: "success")
        let stored = try await env.store.saveDocument(
            kind, name: name, document: try document.jsonText(), confidential: confidential,
            author: context.identity?.name ?? "unknown", audit: event)
        let metadata: JSONValue = .object([
            "name": .string(stored.name), "kind": .string(kind.rawValue), "confidential": .bool(stored.confidential),
            "author": .string(stored.author),
            "created_at": .string(ISO8601DateFormatter().string(from: stored.createdAt)),
        ])
        return RouteOutput(try json(metadata, status: .created), auditTarget: target, audited: true)
    }

    /// The route that stores documents of `kind`.
    static func path(of kind: DocumentKind) -> String {
        switch kind {
        case .workload: "/v1/workloads"
        case .benchRun: "/v1/bench-runs"
        case .priceBook: "/v1/price-books"
        }
    }
}

extension PlanVersion {
    /// The version's name, number, confidentiality, author and time, as the API lists them.
    var metadataFields: [String: JSONValue] {
        [
            "name": .string(name), "version": .number(Double(version)), "confidential": .bool(confidential),
            "author": .string(author), "created_at": .string(ISO8601DateFormatter().string(from: createdAt)),
        ]
    }

    /// The version as `GET /v1/plans/{name}` answers it to a caller with `role`: its metadata, the plan (stripped
    /// of costs when it is confidential and the caller is below planner) and whether it was.
    /// - Throws: when the stored document is not JSON.
    package func readable(by role: Role?) throws -> JSONValue {
        let redact = confidential && (role ?? .viewer) < .planner
        let plan = try JSONValue(json: document)
        var object = metadataFields
        object["plan"] = redact ? Redaction.strippingCosts(plan) : plan
        object["redacted"] = .bool(redact)
        return .object(object)
    }
}
