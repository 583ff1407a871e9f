import Foundation
import HeadroomCatalog
package import HeadroomCore

/// The environment of a process that is not the team service (`headroom mcp` over stdio, `headroom agent`): the
/// catalog, optionally a store's objects, and the process's compute executor with the service's default bounds (one
/// slot per core, 256 waiting, 60 s each).
package struct LocalEnvironment: OperationEnvironment {
    package var catalog: Catalog
    package var objects: (any StoredObjects)?
    package var gate: ComputeGate

    package init(catalog: Catalog, objects: (any StoredObjects)? = nil, gate: ComputeGate? = nil) {
        self.catalog = catalog
        self.objects = objects
        self.gate =
            gate
            ?? ComputeGate(
                slots: ProcessInfo.processInfo.activeProcessorCount, queueLimit: 256, deadline: .seconds(60))
    }

    /// The catalog (bundled, `~/.config/headroom/` and `directories`) with `objects`.
    /// - Throws: when the catalog cannot be loaded.
    package static func standard(
        catalogDirectories: [String] = [], objects: (any StoredObjects)? = nil
    ) throws -> LocalEnvironment {
        let catalog = try CatalogLoader.standard(extraDirectories: catalogDirectories.map { URL(fileURLWithPath: $0) })
        return LocalEnvironment(catalog: catalog, objects: objects)
    }

    package func compute<T: Sendable>(
        _ kind: String, _ body: @concurrent @escaping @Sendable () async throws -> T
    ) async throws -> T {
        do {
            return try await gate.run(body)
        } catch let error as HeadroomError {
            throw OperationError(error)
        }
    }
}
