/// One published measurement of a deployment, normalised to catalog ids and SI units.
public struct CalibrationPoint: Sendable, Hashable {
    /// What was measured.
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        case outputThroughput = "output_tokens_per_second"
        case totalThroughput = "total_tokens_per_second"
        case requestThroughput = "requests_per_second"
        case meanTTFT = "mean_ttft"
        case medianTTFT = "median_ttft"
        case p99TTFT = "p99_ttft"
        case meanTPOT = "mean_tpot"
        case medianTPOT = "median_tpot"
        case p99TPOT = "p99_tpot"

        /// The group the validation targets are set on.
        public var group: MetricGroup {
            switch self {
            case .outputThroughput, .totalThroughput, .requestThroughput: .throughput
            case .meanTTFT, .medianTTFT, .p99TTFT: .ttft
            case .meanTPOT, .medianTPOT, .p99TPOT: .tpot
            }
        }
    }

    /// Metric families with their own error targets.
    public enum MetricGroup: String, Sendable, Hashable, CaseIterable, Comparable {
        case throughput
        case ttft
        case tpot

        /// The target median absolute percentage error.
        public var targetMedianAPE: Double {
            switch self {
            case .throughput: 0.15
            case .ttft, .tpot: 0.25
            }
        }

        public static func < (lhs: MetricGroup, rhs: MetricGroup) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// The load the measurement ran under.
    public enum Scenario: Sendable, Hashable {
        /// All requests queued at once, steady state.
        case offline
        /// `requests` requests sent at `rate` per second (nil: all at once) — a finite benchmark run.
        case online(rate: Double?, requests: Int)
        /// A closed loop of clients, in steady state.
        case concurrency(Int)
        /// A finite closed-loop run: `clients` clients starting together, `requests` requests in all (what
        /// `headroom bench --concurrency` measures). Predicted by simulating the run, which keeps effects a steady
        /// state hides: clients with equal lengths start, prefill and finish in lockstep.
        case closedLoop(clients: Int, requests: Int)
    }

    /// `file:line` of the row.
    public var origin: String
    public var source: String
    public var acceleratorID: String
    public var modelID: String
    public var stackID: String
    public var precision: Precision
    public var kvPrecision: Precision
    public var count: Int
    public var tensorParallel: Int
    public var pipelineParallel: Int
    public var scenario: Scenario
    public var inputTokens: Int
    public var outputTokens: Int
    public var metric: Metric
    /// SI units: tokens/s, requests/s or seconds.
    public var value: Double
    /// The memory fraction the benchmark ran with, where it departs from the stack default.
    public var memoryFraction: Double?
    /// Expert-parallel ranks (1: experts split by tensor parallelism).
    public var expertParallel: Int = 1
    /// Whether attention ran data-parallel across the tensor-parallel ranks.
    public var attentionDataParallel: Bool = false
    /// The largest running batch the benchmark allowed, where it set one (`max_batch_size`, `--max-running-requests`).
    public var maxNumSeqs: Int?

    public init(
        origin: String, source: String, acceleratorID: String, modelID: String, stackID: String, precision: Precision,
        kvPrecision: Precision, count: Int, tensorParallel: Int, pipelineParallel: Int = 1, scenario: Scenario,
        inputTokens: Int, outputTokens: Int, metric: Metric, value: Double, memoryFraction: Double? = nil
    ) {
        self.memoryFraction = memoryFraction
        self.origin = origin
        self.source = source
        self.acceleratorID = acceleratorID
        self.modelID = modelID
        self.stackID = stackID
        self.precision = precision
        self.kvPrecision = kvPrecision
        self.count = count
        self.tensorParallel = tensorParallel
        self.pipelineParallel = pipelineParallel
        self.scenario = scenario
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.metric = metric
        self.value = value
    }
}

extension CalibrationPoint {
    /// The same point with its expert-parallel degree and attention layout set.
    /// - Parameters:
    ///   - maxNumSeqs: the running-batch cap the benchmark set, if it set one.
    ///   - memoryFraction: the memory fraction it set, if it set one (replaces the framework's default).
    public func with(
        expertParallel: Int, attentionDataParallel: Bool, maxNumSeqs: Int? = nil, memoryFraction: Double? = nil
    ) -> CalibrationPoint {
        var copy = self
        copy.expertParallel = expertParallel
        copy.attentionDataParallel = attentionDataParallel
        if let maxNumSeqs, maxNumSeqs >= 1 { copy.maxNumSeqs = maxNumSeqs }
        if let memoryFraction, memoryFraction > 0, memoryFraction <= 1 { copy.memoryFraction = memoryFraction }
        return copy
    }
}
