package import HeadroomCore

/// What the operations need from the process they run in: the catalog, the stored objects (if any) and a bounded
/// executor for CPU-bound work.
///
/// The team service's `ServiceEnvironment` is one (its store, its compute slots and metrics); ``LocalEnvironment`` is
/// another (`headroom mcp`, `headroom agent`).
package protocol OperationEnvironment: Sendable {
    var catalog: Catalog { get }
    /// The stored workloads, price books and plans; nil where the process has no store.
    var objects: (any StoredObjects)? { get }

    /// Runs a CPU-bound computation off the cooperative pool (on ``ComputeExecutor``), bounded in concurrency and
    /// time, and turns Headroom's errors into ``OperationError``s naming the field.
    /// - Parameter kind: what runs (`plan`), for metrics.
    /// - Throws: ``OperationError/Kind/invalid`` for Headroom's errors, ``OperationError/Kind/unavailable`` when the
    ///   executor is saturated or the deadline passes.
    func compute<T: Sendable>(
        _ kind: String, _ body: @concurrent @escaping @Sendable () async throws -> T
    ) async throws -> T

    /// Records how long a piece of work took (a tool call), where the process keeps metrics.
    func record(_ kind: String, duration: Duration)
}

extension OperationEnvironment {
    package func record(_ kind: String, duration: Duration) {}
}
