/// The run's monotonic clock: seconds since the run started.
public struct BenchClock: Sendable {
    public let start: ContinuousClock.Instant

    public init(start: ContinuousClock.Instant = ContinuousClock.now) {
        self.start = start
    }

    /// Seconds since ``start``.
    @inline(__always)
    public func now() -> Double {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// The instant `seconds` after ``start``.
    public func instant(at seconds: Double) -> ContinuousClock.Instant {
        start + .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
