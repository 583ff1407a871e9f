/// One line of `--explain`: a figure and the inputs of the formula behind it.
public struct Explanation: Sendable, Hashable, Codable {
    public var quantity: String
    public var value: String
    public var formula: String

    public init(_ quantity: String, _ value: String, _ formula: String) {
        self.quantity = quantity
        self.value = value
        self.formula = formula
    }
}

/// What a deployment does under a load: throughput, latency percentiles, memory, and the assumptions behind them.
public struct Estimate: Sendable {
    /// Output tokens per second across the deployment.
    public var outputTokensPerSecond: Double
    public var requestsPerSecond: Double
    /// Highest rate meeting the SLO, when asked for.
    public var maxRateRequestsPerSecond: Double?
    public var ttft: Percentiles
    public var tpot: Percentiles
    public var e2e: Percentiles
    /// Means, which calibration rows often report instead of percentiles.
    public var meanTTFT: Double
    public var meanTPOT: Double
    public var memory: MemoryPlan
    /// Sequences one replica runs at once under this load.
    public var batchSize: Double
    /// Most sequences of this shape one replica can hold.
    public var maxConcurrentSequences: Double
    public var replicas: Int
    public var accelerators: Int
    public var assumptions: [String]
    public var explanation: [Explanation]
    /// The step the estimate's decode rate rests on.
    public var step: StepTime
    /// Whether the constants behind the figures were fitted for this stack and accelerator, and their measured error.
    public var calibration: CalibrationStatus? = nil

    /// Output tokens per second per accelerator.
    public var outputTokensPerSecondPerAccelerator: Double {
        outputTokensPerSecond / Double(accelerators)
    }
}
