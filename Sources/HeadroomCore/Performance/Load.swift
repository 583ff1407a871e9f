/// How requests reach the deployment.
public enum Load: Sendable, Hashable {
    /// Every request queued at once (MLPerf offline); `requests` makes it a finite burst, nil the steady state.
    case offline(requests: Int?)
    /// A closed loop of this many clients, each sending its next request when the last completes.
    case concurrency(Int)
    /// Open-loop arrivals at this many requests per second across the deployment (Poisson).
    case rate(Double)
}

/// Fixed request lengths for an estimate.
public struct RequestShape: Sendable, Hashable {
    public var inputTokens: Int
    public var outputTokens: Int

    /// - Throws: ``HeadroomError`` when a length is not positive or over ``InputLimits/tokensPerRequest``.
    public init(inputTokens: Int, outputTokens: Int) throws(HeadroomError) {
        guard inputTokens >= 1 else {
            throw HeadroomError(
                .invalidInput, "`input_tokens` must be at least 1, got \(inputTokens)", field: "input_tokens")
        }
        guard outputTokens >= 1 else {
            throw HeadroomError(
                .invalidInput, "`output_tokens` must be at least 1, got \(outputTokens)", field: "output_tokens")
        }
        try InputLimits.check(
            Double(inputTokens), in: InputLimits.tokensPerRequest, field: "input_tokens", unit: "tokens")
        try InputLimits.check(
            Double(outputTokens), in: InputLimits.tokensPerRequest, field: "output_tokens", unit: "tokens")
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }
}

/// Latency objectives on the 99th percentile.
public struct LatencySLO: Sendable, Hashable {
    public var ttftSeconds: Double?
    public var tpotSeconds: Double?
    public var e2eSeconds: Double?

    public init(ttftSeconds: Double? = nil, tpotSeconds: Double? = nil, e2eSeconds: Double? = nil) {
        self.ttftSeconds = ttftSeconds
        self.tpotSeconds = tpotSeconds
        self.e2eSeconds = e2eSeconds
    }
}

/// Latency percentiles in seconds.
public struct Percentiles: Sendable, Hashable {
    public var p50: Double
    public var p90: Double
    public var p99: Double

    public init(p50: Double, p90: Double, p99: Double) {
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
    }

    public static func constant(_ value: Double) -> Percentiles {
        Percentiles(p50: value, p90: value, p99: value)
    }
}
