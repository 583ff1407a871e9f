import Foundation
package import HTTPTypes
import HeadroomCatalog
package import HeadroomCore
package import HeadroomOperations
import HeadroomReport
package import Hummingbird
import NIOCore

extension Caller {
    /// The HTTP API's caller: its principal (nil when anonymous) as the audit log names it, and whether its role may
    /// read confidential objects (planner or admin).
    package init(principal: Principal?, requestID: String, action: String) {
        self.init(
            auditName: principal?.auditName, mayReadConfidential: (principal?.role ?? .viewer) >= .planner,
            requestID: requestID, action: action)
    }
}

/// What handlers share: the store, the catalog, the configuration and the metrics.
package struct ServiceEnvironment: OperationEnvironment {
    package var store: any ServiceStore
    package var catalog: Catalog
    package var configuration: ServiceConfiguration
    /// API keys verified lately; revoking a key clears it from here.
    package var keyCache: APIKeyCache = APIKeyCache(ttl: .zero)
    /// Bounds the computations running and waiting, and how long each may run.
    package var gate: ComputeGate

    package var metrics: ServiceMetrics { configuration.metrics }

    /// The store's workloads, price books and plans, as the operations see them.
    package var objects: (any StoredObjects)? { ServiceStoreObjects(store: store) }

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
    /// - Throws: ``ServiceError`` 413 for a body over the limit; ``OperationError`` for one ``BodyDecoder`` refuses.
    package func body<T: StrictBody>(_ type: T.Type, from request: Request) async throws -> T {
        let limit = configuration.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw ServiceError(.contentTooLarge, "the request body is over \(limit) bytes")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ServiceError(.contentTooLarge, "the request body is over \(limit) bytes")
        }
        return try BodyDecoder.decode(type, from: Data(buffer.readableBytesView))
    }

    /// Runs a core computation through ``gate`` (on the compute threads, within the deadline), timing it and turning
    /// Headroom's errors into ``OperationError``s naming the field (422 responses).
    /// - Throws: ``OperationError`` invalid for Headroom's errors, unavailable (503 with `Retry-After`) when the
    ///   server is saturated or the computation runs past its deadline.
    package func compute<T: Sendable>(
        _ kind: String, _ body: @concurrent @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let started = ContinuousClock.now
        defer { metrics.recordComputation(kind, duration: ContinuousClock.now - started) }
        do {
            return try await gate.run(body)
        } catch let error as HeadroomError {
            throw OperationError(error)
        }
    }

    package func record(_ kind: String, duration: Duration) {
        metrics.recordComputation(kind, duration: duration)
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

    /// Whether a computation over these inputs reads confidential prices: a confidential stored price book or
    /// workload, or an inline workload with `pricing.overrides` (negotiated prices). A plan saved from such inputs
    /// is stored confidential.
    package func readsConfidentialPrices(
        workload inline: JSONValue?, workloadName: String?, priceBook: String?
    ) async throws -> Bool {
        if let inline, inline.hasPriceOverrides { return true }
        if let workloadName, try await store.document(.workload, name: workloadName)?.confidential == true {
            return true
        }
        if let priceBook, try await store.document(.priceBook, name: priceBook)?.confidential == true { return true }
        return false
    }
}
