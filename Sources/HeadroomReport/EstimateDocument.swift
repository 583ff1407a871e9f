public import HeadroomCore

/// The JSON contract of `headroom estimate --format json` (DESIGN.md §4): snake_case keys, SI units in the names.
public struct EstimateDocument: Encodable, Sendable {
    public struct Latency: Encodable, Sendable {
        public var p50: Double
        public var p90: Double
        public var p99: Double

        init(_ seconds: Percentiles) {
            p50 = seconds.p50 * 1000
            p90 = seconds.p90 * 1000
            p99 = seconds.p99 * 1000
        }
    }

    public struct Memory: Encodable, Sendable {
        public var weightsGib: Double
        public var kvCacheGib: Double
        public var activationsGib: Double
        public var maxConcurrentSequences: Int
        public var kvCacheTokens: Int
        public var fits: Bool

        public init(
            weightsGib: Double, kvCacheGib: Double, activationsGib: Double, maxConcurrentSequences: Int,
            kvCacheTokens: Int, fits: Bool
        ) {
            self.weightsGib = weightsGib
            self.kvCacheGib = kvCacheGib
            self.activationsGib = activationsGib
            self.maxConcurrentSequences = maxConcurrentSequences
            self.kvCacheTokens = kvCacheTokens
            self.fits = fits
        }

        enum CodingKeys: String, CodingKey {
            case weightsGib = "weights_gib"
            case kvCacheGib = "kv_cache_gib"
            case activationsGib = "activations_gib"
            case maxConcurrentSequences = "max_concurrent_sequences"
            case kvCacheTokens = "kv_cache_tokens"
            case fits
        }
    }

    public struct DeploymentSummary: Encodable, Sendable {
        public var model: String
        public var accelerator: String
        public var count: Int
        public var tp: Int
        public var pp: Int
        public var ep: Int
        public var replicas: Int
        public var precision: String
        public var kvCachePrecision: String
        public var stack: String

        public init(
            model: String, accelerator: String, count: Int, tp: Int, pp: Int, ep: Int, replicas: Int,
            precision: String, kvCachePrecision: String, stack: String
        ) {
            self.model = model
            self.accelerator = accelerator
            self.count = count
            self.tp = tp
            self.pp = pp
            self.ep = ep
            self.replicas = replicas
            self.precision = precision
            self.kvCachePrecision = kvCachePrecision
            self.stack = stack
        }

        enum CodingKeys: String, CodingKey {
            case model, accelerator, count, tp, pp, ep, replicas, precision, stack
            case kvCachePrecision = "kv_cache_precision"
        }
    }

    public var outputTokensPerSecond: Double
    public var outputTokensPerSecondPerAccelerator: Double
    public var requestsPerSecond: Double
    public var maxRateRequestsPerSecond: Double?
    public var ttftMs: Latency
    public var tpotMs: Latency
    public var e2eMs: Latency
    public var memory: Memory
    public var batchSize: Double
    public var deployment: DeploymentSummary
    public var assumptions: [String]
    public var explain: [Explanation]?
    public var calibration: Calibration?

    /// Whether the figures rest on constants fitted for this stack and accelerator, and how far off those were.
    public struct Calibration: Encodable, Sendable {
        public var calibrated: Bool
        public var profile: String
        public var throughputErrorPercent: Double?
        public var ttftErrorPercent: Double?
        public var tpotErrorPercent: Double?
        public var validationRows: Int?
        public var summary: String

        init(_ status: CalibrationStatus) {
            calibrated = status.calibrated
            profile = status.profile
            throughputErrorPercent = status.error?.throughput.map { $0 * 100 }
            ttftErrorPercent = status.error?.ttft.map { $0 * 100 }
            tpotErrorPercent = status.error?.tpot.map { $0 * 100 }
            validationRows = status.error?.rows
            summary = status.summary
        }

        enum CodingKeys: String, CodingKey {
            case calibrated, profile, summary
            case throughputErrorPercent = "throughput_error_percent"
            case ttftErrorPercent = "ttft_error_percent"
            case tpotErrorPercent = "tpot_error_percent"
            case validationRows = "validation_rows"
        }
    }

    enum CodingKeys: String, CodingKey {
        case outputTokensPerSecond = "output_tokens_per_second"
        case outputTokensPerSecondPerAccelerator = "output_tokens_per_second_per_accelerator"
        case requestsPerSecond = "requests_per_second"
        case maxRateRequestsPerSecond = "max_rate_requests_per_second"
        case ttftMs = "ttft_ms"
        case tpotMs = "tpot_ms"
        case e2eMs = "e2e_ms"
        case memory, deployment, assumptions, explain, calibration
        case batchSize = "batch_size"
    }

    /// Keeps `null` for an absent max rate, as the contract shows.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outputTokensPerSecond, forKey: .outputTokensPerSecond)
        try container.encode(outputTokensPerSecondPerAccelerator, forKey: .outputTokensPerSecondPerAccelerator)
        try container.encode(requestsPerSecond, forKey: .requestsPerSecond)
        try container.encode(maxRateRequestsPerSecond, forKey: .maxRateRequestsPerSecond)
        try container.encode(ttftMs, forKey: .ttftMs)
        try container.encode(tpotMs, forKey: .tpotMs)
        try container.encode(e2eMs, forKey: .e2eMs)
        try container.encode(memory, forKey: .memory)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(deployment, forKey: .deployment)
        try container.encode(assumptions, forKey: .assumptions)
        try container.encodeIfPresent(explain, forKey: .explain)
        try container.encodeIfPresent(calibration, forKey: .calibration)
    }

    public init(_ estimate: Estimate, deployment: Deployment, includeExplanation: Bool) {
        outputTokensPerSecond = estimate.outputTokensPerSecond
        outputTokensPerSecondPerAccelerator = estimate.outputTokensPerSecondPerAccelerator
        requestsPerSecond = estimate.requestsPerSecond
        maxRateRequestsPerSecond = estimate.maxRateRequestsPerSecond
        ttftMs = Latency(estimate.ttft)
        tpotMs = Latency(estimate.tpot)
        e2eMs = Latency(estimate.e2e)
        memory = Memory(plan: estimate.memory, maxConcurrentSequences: estimate.maxConcurrentSequences)
        batchSize = estimate.batchSize
        self.deployment = DeploymentSummary(deployment)
        assumptions = estimate.assumptions
        explain = includeExplanation ? estimate.explanation : nil
        calibration = estimate.calibration.map(Calibration.init)
    }
}
