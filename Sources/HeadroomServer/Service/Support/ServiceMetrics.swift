import HTTPTypes
import Metrics
public import Prometheus

/// The server's metrics, made through a factory over its own registry (never the global bootstrap, so tests can
/// build many applications in one process): requests by route and status, their latency, plan computation time.
public struct ServiceMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    /// - Parameter registry: where metrics are recorded; `headroom serve` passes the one it bootstrapped
    ///   swift-metrics with, so library metrics land beside these.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
            .seconds(10), .seconds(30), .seconds(60),
        ]
        self.factory = factory
    }

    /// Counts a request and records its latency.
    public func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        Counter(
            label: "headroom_http_requests_total",
            dimensions: [("method", method), ("route", route), ("status", String(status))], factory: factory
        ).increment()
        Timer(
            label: "headroom_http_request_duration_seconds", dimensions: [("method", method), ("route", route)],
            factory: factory
        ).recordNanoseconds(Self.nanoseconds(duration))
    }

    /// Records how long a compute route's core function ran.
    public func recordComputation(_ kind: String, duration: Duration) {
        Timer(label: "headroom_computation_duration_seconds", dimensions: [("kind", kind)], factory: factory)
            .recordNanoseconds(Self.nanoseconds(duration))
    }

    /// The registry in Prometheus' text format.
    public func render() -> String {
        registry.emitToString()
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension ServiceMetrics {
    /// Metrics over a registry that swift-metrics is bootstrapped with, once per process (a second use returns the
    /// same): for `headroom serve`, so Hummingbird's and other libraries' metrics land in `/metrics` too. Tests use
    /// `ServiceMetrics()` and never bootstrap.
    public static let bootstrapped: ServiceMetrics = {
        let metrics = ServiceMetrics()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        return metrics
    }()
}
