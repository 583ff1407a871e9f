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
}
