/// Latency statistics of one quantity, seconds.
public struct LatencySummary: Sendable, Hashable {
    public var mean: Double
    public var p50: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var max: Double
    public var count: Int

    public init(mean: Double, p50: Double, p90: Double, p95: Double, p99: Double, max: Double, count: Int) {
        self.mean = mean
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.max = max
        self.count = count
    }

    public static let empty = LatencySummary(mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0, count: 0)

    /// The p50/p90/p99 view the estimate contract uses.
    public var percentiles: Percentiles { Percentiles(p50: p50, p90: p90, p99: p99) }
}

/// One point of the fleet's time series.
public struct TimeSample: Sendable, Hashable {
    public var time: Double
    /// Sequences running across the fleet.
    public var running: Int
    /// Requests queued across the fleet.
    public var waiting: Int
    /// Fraction of the fleet's KV blocks in use.
    public var kvUtilisation: Double

    public init(time: Double, running: Int, waiting: Int, kvUtilisation: Double) {
        self.time = time
        self.running = running
        self.waiting = waiting
        self.kvUtilisation = kvUtilisation
    }
}

/// Per-request outcome, kept only when asked for.
public struct RequestRecord: Sendable, Hashable {
    public var id: Int
    public var arrival: Double
    public var inputTokens: Int
    public var outputTokens: Int
    public var ttft: Double
    public var e2e: Double
    public var queueing: Double
    public var replica: Int
}

/// What a simulation measured.
public struct SimulationResult: Sendable {
    /// Requests that arrived.
    public var arrived: Int
    /// Requests that completed.
    public var completed: Int
    /// Requests that could never fit and were refused.
    public var dropped: Int
    /// Requests inside the statistics (after warm-up).
    public var measured: Int
    public var preemptions: Int
    /// Time of the last completion.
    public var simulatedSeconds: Double
    /// The statistics window: first measured arrival to last measured completion.
    public var measuredSeconds: Double
    public var outputTokensPerSecond: Double
    public var requestsPerSecond: Double
    public var goodputRequestsPerSecond: Double
    /// Fraction of measured requests meeting every SLO term.
    public var sloAttainment: Double
    public var ttft: LatencySummary
    public var tpot: LatencySummary
    public var itl: LatencySummary
    public var e2e: LatencySummary
    public var queueing: LatencySummary
    public var timeSeries: [TimeSample]
    public var records: [RequestRecord]?
    public var replicas: Int
    public var accelerators: Int
    /// Highest fraction of any replica's KV blocks in use at any step (never above 1 by construction; tests hold it).
    public var peakKVUtilisation: Double
    /// Whether every replica ran, or a sample of identical ones (see ``ReplicaSample``).
    public var coverage: FleetCoverage = .wholeFleet
}

/// How much of the fleet a simulation ran.
public enum FleetCoverage: Sendable, Hashable {
    /// Every replica behind the router: where routing couples replicas (least-outstanding, prefix affinity,
    /// disaggregation), or where the whole fleet is small enough.
    case wholeFleet
    /// A sample of the fleet's identical, uncoupled replicas, each at its share of the traffic.
    case sampled(ReplicaSample)
}

/// A sampled fleet simulation: what was sampled, and how sure the tail percentile is.
///
/// Behind a round-robin router each of n identical replicas receives every n-th arrival, so its arrivals are the
/// fleet's process at 1/n of the rate with gaps summed n at a time (Poisson becomes gamma with CV 1/√n), and its
/// requests are the fleet's, drawn independently. Every replica therefore sees the same distribution of latency, and
/// the fleet's distribution is that distribution: simulating a few replicas, each with its own stream, estimates it
/// without simulating the others.
public struct ReplicaSample: Sendable, Hashable {
    /// Replicas in the fleet the sample stands for.
    public var fleetReplicas: Int
    /// Replicas simulated.
    public var sampledReplicas: Int
    /// Requests each simulated replica received (warm-up included).
    public var requestsPerReplica: Int
    /// The router whose share each simulated replica received.
    public var router: SimulationOptions.Router
    /// The tail percentile the sample was sized for (99 for p99).
    public var percentile: Double
    /// The confidence of the intervals (0.95).
    public var confidence: Double
    /// The percentile ranks of the order statistics that bound the estimate at `confidence` (about 98.8…99.2 for a
    /// p99 from 10,000 measured requests): a binomial interval, which assumes independent requests.
    public var percentileBounds: ClosedRange<Double>
    /// The TTFT, TPOT and end-to-end latency at those ranks, seconds.
    public var ttft: ClosedRange<Double>
    public var tpot: ClosedRange<Double>
    public var e2e: ClosedRange<Double>

    /// Measured requests that put about 100 of them beyond the `percentile` (10,000 for p99, 1,000 for p90).
    public static func measuredRequests(forPercentile percentile: Double) -> Int {
        // 100 / (1 − p/100), as 10⁴ / (100 − p) so that whole percentiles give whole counts (1,000 for p90).
        let beyondPercent = max(100 - min(max(percentile, 0), 99.99), 0.01)
        return Int((10_000 / beyondPercent).rounded(.up))
    }

    /// The ranks, as percentiles, of the order statistics bounding the `percentile` estimate from `measured`
    /// independent requests at `confidence` (normal approximation to the binomial count below the quantile).
    public static func percentileBounds(
        percentile: Double, measured: Int, confidence: Double = 0.95
    ) -> ClosedRange<Double> {
        guard measured > 0 else { return 0...100 }
        let q = min(max(percentile / 100, 0), 1)
        let n = Double(measured)
        let z = confidence >= 0.99 ? 2.576 : confidence >= 0.95 ? 1.96 : 1.645
        let spread = z * (n * q * (1 - q)).squareRoot()
        let low = max((n * q - spread).rounded(.down), 0) / n
        let high = min((n * q + spread).rounded(.up), n) / n
        return (low * 100)...(high * 100)
    }
}

extension SimulationResult {
    /// Which simulation was done, in a sentence: the whole fleet and its `router`, or the sample, its size and the
    /// confidence interval of its percentile estimate.
    public func coverageSummary(router: SimulationOptions.Router) -> String {
        switch coverage {
        case .wholeFleet:
            return "simulated the whole fleet: \(replicas) replica\(replicas == 1 ? "" : "s") behind a "
                + "\(router.rawValue) router, \(arrived) requests"
        case .sampled(let s):
            let p = Int(saturating: s.percentile.rounded())
            func range(_ r: ClosedRange<Double>) -> String {
                "\(humanNumber(r.lowerBound * 1000))–\(humanNumber(r.upperBound * 1000)) ms"
            }
            return "simulated a sample: \(s.sampledReplicas) of \(s.fleetReplicas) identical replicas, each at its "
                + "\(s.router.rawValue) share of the traffic with \(s.requestsPerReplica) requests (\(measured) "
                + "measured in all); p\(p) \(Int((s.confidence * 100).rounded())) % interval TTFT \(range(s.ttft)), "
                + "TPOT \(range(s.tpot)) (the sample's order statistics at percentiles "
                + "\(humanNumber(s.percentileBounds.lowerBound)) and \(humanNumber(s.percentileBounds.upperBound)), "
                + "assuming independent requests)"
        }
    }
}
