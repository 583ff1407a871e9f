import Foundation
package import HTTPTypes
package import HeadroomCatalog
package import HeadroomCore
import HeadroomReport
package import Hummingbird
import NIOCore

/// Who asks for a computation, for the checks and audit events of the confidential objects it reads.
package struct Caller: Sendable {
    package var principal: Principal?
    package var requestID: String
    /// What the audit log names as the action (`POST /v1/plan`, `MCP tools/call plan`).
    package var action: String

    package init(principal: Principal?, requestID: String, action: String) {
        self.principal = principal
        self.requestID = requestID
        self.action = action
    }
}

/// What handlers share: the store, the catalog, the configuration and the metrics.
package struct ServiceEnvironment: Sendable {
    package var store: any ServiceStore
    package var catalog: Catalog
    package var configuration: ServiceConfiguration
    /// API keys verified lately; revoking a key clears it from here.
    package var keyCache: APIKeyCache = APIKeyCache(ttl: .zero)
    /// Bounds the computations running and waiting, and how long each may run.
    package var gate: ComputeGate

    package var metrics: ServiceMetrics { configuration.metrics }

    package init(
        store: any ServiceStore, catalog: Catalog, configuration: ServiceConfiguration,
        keyCache: APIKeyCache = APIKeyCache(ttl: .zero)
    ) {
        self.store = store
        self.catalog = catalog
        self.configuration = configuration
        self.keyCache = keyCache
        gate = ComputeGate(
            slots: configuration.computeSlots, queueLimit: configuration.computeQueue,
            deadline: configuration.computeDeadline)
    }

    /// Decodes a strict JSON body within the size limit.
    package func body<T: StrictBody>(_ type: T.Type, from request: Request) async throws -> T {
        try await BodyDecoder.decode(type, from: request, limit: configuration.maxBodyBytes)
    }

    /// Runs a core computation through ``gate`` (on the compute threads, within the deadline), timing it and turning
    /// Headroom's errors into 422 responses naming the field.
    /// - Throws: ``ServiceError`` 422 for Headroom's errors, 503 with `Retry-After` when the server is saturated or
    ///   the computation runs past its deadline.
    package func compute<T: Sendable>(
        _ kind: String, _ body: @concurrent @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let started = ContinuousClock.now
        defer { metrics.recordComputation(kind, duration: ContinuousClock.now - started) }
        do {
            return try await gate.run(body)
        } catch let error as HeadroomError {
            throw ServiceError(error)
        }
    }

    /// A JSON response from text already rendered.
    package static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A JSON response of `value`, rendered as the CLI renders its documents.
    package static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        json(try JSONRendering.render(value), status: status)
    }

    /// The workload a body names: inline (`workload`) or stored (`workload_name`).
    ///
    /// A confidential stored workload is a confidential read, as a confidential price book is: a viewer may not
    /// compute with it (its negotiated prices would shape the results), and a planner's or admin's use is audited.
    /// - Parameter caller: who asks; nil only where no stored workload can be named.
    /// - Throws: 422 when neither or both are given, the stored one is missing, or the inline one reads files; 403 for
    ///   a viewer naming a confidential one.
    package func workload(inline: JSONValue?, name: String?, caller: Caller?) async throws -> WorkloadSpec {
        let text: String
        switch (inline, name) {
        case (let value?, nil):
            if value["traffic"]?["trace"] != nil {
                throw ServiceError(
                    .unprocessableContent, "traces are files on the server; not accepted over the API",
                    field: "workload.traffic.trace")
            }
            if let model = value["model"]?.stringValue, model.hasSuffix(".json") {
                throw ServiceError(
                    .unprocessableContent, "model config files are not read over the API; use a catalog id",
                    field: "workload.model")
            }
            text = try value.jsonText()
        case (nil, let name?):
            guard let stored = try await store.document(.workload, name: name) else {
                throw ServiceError(.unprocessableContent, "no stored workload '\(name)'", field: "workload_name")
            }
            if stored.confidential {
                guard let principal = caller?.principal, principal.role >= .planner, let caller else {
                    throw ServiceError(
                        .forbidden, "workload '\(name)' is confidential: computing with it needs the planner role",
                        field: "workload_name")
                }
                _ = try await store.appendAudit(
                    AuditEventDraft(
                        actor: principal.auditName, action: caller.action, target: "workload:\(name)",
                        requestID: caller.requestID, outcome: "success: confidential read"))
            }
            text = stored.document
        case (nil, nil):
            throw ServiceError(.unprocessableContent, "give workload or workload_name", field: "workload")
        case (.some, .some):
            throw ServiceError(.unprocessableContent, "give workload or workload_name, not both", field: "workload")
        }
        do {
            return try WorkloadLoader.decode(yaml: text, file: "workload")
        } catch let error as HeadroomError {
            var located = error
            located.file = nil
            throw ServiceError(located, under: "workload")
        }
    }

    /// The price books a computation chooses from: a stored one by name, else the bundled ones.
    ///
    /// A confidential book is a confidential read: a viewer may not compute with it (its prices would come back in
    /// the results), and a planner's or admin's use of it is appended to the audit log.
    /// - Throws: 422 for a missing or invalid book, 403 for a viewer naming a confidential one.
    /// The bundled price books and economics, parsed once per process: parsing the YAML took ~0.6 s of a debug
    /// build's CPU on the request handler's thread, per request.
    package static let bundledPriceBooks = Result { try PriceBookLoader.bundled() }
    package static let bundledEconomics = Result { try EconomicsLoader.bundled() }

    package func priceBooks(named name: String?, caller: Caller) async throws -> [PriceBook] {
        guard let name else { return try Self.bundledPriceBooks.get() }
        guard let stored = try await store.document(.priceBook, name: name) else {
            throw ServiceError(.unprocessableContent, "no stored price book '\(name)'", field: "price_book")
        }
        if stored.confidential {
            guard let principal = caller.principal, principal.role >= .planner else {
                throw ServiceError(
                    .forbidden, "price book '\(name)' is confidential: computing with it needs the planner role",
                    field: "price_book")
            }
            _ = try await store.appendAudit(
                AuditEventDraft(
                    actor: principal.auditName, action: caller.action, target: "price-book:\(name)",
                    requestID: caller.requestID, outcome: "success: confidential read"))
        }
        do {
            return try PriceBookLoader.decode(yaml: stored.document, file: "price book \(name)")
        } catch {
            throw ServiceError(.unprocessableContent, error.description, field: "price_book")
        }
    }

    /// Whether a computation over these inputs reads confidential prices: a confidential stored price book or
    /// workload, or an inline workload with `pricing.overrides` (negotiated prices). A plan saved from such inputs
    /// is stored confidential.
    package func readsConfidentialPrices(
        workload inline: JSONValue?, workloadName: String?, priceBook: String?
    ) async throws -> Bool {
        if let inline, Self.hasPriceOverrides(inline) { return true }
        if let workloadName, try await store.document(.workload, name: workloadName)?.confidential == true {
            return true
        }
        if let priceBook, try await store.document(.priceBook, name: priceBook)?.confidential == true { return true }
        return false
    }

    /// Whether a workload carries negotiated prices (a non-empty `pricing.overrides`).
    package static func hasPriceOverrides(_ workload: JSONValue) -> Bool {
        switch workload["pricing"]?["overrides"] {
        case .array(let items)?: !items.isEmpty
        case nil, .null?: false
        default: true
        }
    }

    /// Today (UTC), for price staleness.
    package static func today() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
