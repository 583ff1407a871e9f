import Synchronization

/// A request to stop sending, shared by the runner, the session and whoever stops the run (the CLI's first Ctrl-C).
///
/// Unlike cancelling the run's task, which cancels the requests in flight too (they end as
/// `cancelled`), a stop only ends the sending: no new request goes out, a sweep takes
/// no further step, and the requests in flight finish and are measured as usual.
public final class BenchStop: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    /// Stop sending new requests.
    public func request() {
        requested.store(true, ordering: .releasing)
    }

    /// Whether a stop was requested.
    public var isRequested: Bool { requested.load(ordering: .acquiring) }
}
