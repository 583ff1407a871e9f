import Synchronization

/// Counts a run's requests in flight against the client's connection pool, so that a request sent while the pool
/// is full is marked `waitedForConnection` in its record.
///
/// The record's send time is taken before the HTTP client has a connection: a request that finds every pooled
/// connection busy queues inside the client, and that wait would otherwise pass for server latency (TTFT) rather
/// than client lag. With HTTP/1.1 each stream holds one connection for its whole length, so a request that makes
/// the count of requests in flight exceed the pool's size may have waited.
package final class ConnectionGauge: Sendable {
    /// Connections the pool holds; nil when unknown (nothing is then marked).
    package let limit: Int?
    private let inFlight = Atomic<Int>(0)

    package init(limit: Int?) {
        self.limit = limit
    }

    /// A request goes out.
    /// - Returns: Whether more requests are now in flight than the pool holds, so this one may wait for a
    ///   connection.
    package func enter() -> Bool {
        let now = inFlight.wrappingAdd(1, ordering: .relaxed).newValue
        guard let limit else { return false }
        return now > limit
    }

    /// A request ended.
    package func leave() {
        inFlight.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Requests in flight now.
    package var count: Int { inFlight.load(ordering: .relaxed) }
}
