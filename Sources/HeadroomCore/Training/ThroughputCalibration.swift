/// A published training throughput measurement, with the plan it ran.
public struct TrainingThroughputPoint: Sendable, Hashable, Codable {
    /// `file:line` of the row.
    public var origin: String
    public var source: String
    public var model: TrainingModel
    public var accelerator: Accelerator
    public var precision: Precision
    public var plan: ParallelismPlan
    /// Measured MFU converted to Headroom's definition (causal attention), from tokens per second where given.
    public var measuredMFU: Double

    public init(
        origin: String, source: String, model: TrainingModel, accelerator: Accelerator, precision: Precision,
        plan: ParallelismPlan, measuredMFU: Double
    ) {
        self.origin = origin
        self.source = source
        self.model = model
        self.accelerator = accelerator
        self.precision = precision
        self.plan = plan
        self.measuredMFU = measuredMFU
    }

    /// MFU from a measured per-accelerator token rate under this model's FLOPs definition.
    public static func mfu(tokensPerSecond: Double, model: TrainingModel, sequenceLength: Int, peak: Double) -> Double {
        let flops = TrainingFLOPs(model: model, tokens: 1, sequenceLength: sequenceLength, checkpointing: .none)
        return tokensPerSecond * flops.modelFLOPsPerToken / peak
    }

    /// Converts an MFU published under PaLM's definition (6·N + 12·L·H·Q·T per token: attention without the causal
    /// half, Chowdhery et al. 2022 App. B) to Headroom's causal one, through the token rate it implies.
    public static func mfu(palmMFU: Double, model: TrainingModel, sequenceLength: Int) -> Double {
        let ours = TrainingFLOPs(model: model, tokens: 1, sequenceLength: sequenceLength, checkpointing: .none)
        let palm = ours.parameterFLOPsPerToken + 2 * ours.attentionFLOPsPerToken
        return palmMFU * ours.modelFLOPsPerToken / palm
    }
}

/// The kernel efficiency the step model needs, fitted per compute format to published runs, and how well the fitted
/// model then reproduces them.
public struct ThroughputCalibration: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        public var origin: String
        public var measuredMFU: Double
        public var predictedMFU: Double
        public var error: Double { (predictedMFU - measuredMFU) / measuredMFU }
    }

    /// Fitted kernel efficiency by `accelerator/precision` and by `precision` alone (medians of the per-row
    /// efficiencies that reproduce each measurement).
    public var kernelEfficiency: [String: Double]
    public var rows: [Row]
    /// Median and maximum |error| of the predicted MFU.
    public var medianAbsoluteError: Double
    public var maxAbsoluteError: Double

    /// The efficiency for a part and format: its own fit, else the format's fit across parts, else the bf16 fit.
    public func efficiency(accelerator: String, precision: Precision) -> Double {
        kernelEfficiency["\(accelerator)/\(precision)"] ?? kernelEfficiency[precision.rawValue]
            ?? kernelEfficiency[Precision.bf16.rawValue] ?? 0.5
    }

    /// Fits the efficiencies and reports every row's error under the fit.
    public init(points: [TrainingThroughputPoint]) {
        var groups: [String: [Double]] = [:]
        for point in points {
            let step = Self.step(point, efficiency: 1)
            if let eta = step.kernelEfficiency(reproducing: point.measuredMFU) {
                groups["\(point.accelerator.id)/\(point.precision)", default: []].append(eta)
                groups[point.precision.rawValue, default: []].append(eta)
            }
        }
        kernelEfficiency = groups.mapValues { Self.median($0) }
        var rows: [Row] = []
        for point in points {
            let eta = kernelEfficiency["\(point.accelerator.id)/\(point.precision)"] ?? 0.5
            rows.append(
                Row(
                    origin: point.origin, measuredMFU: point.measuredMFU,
                    predictedMFU: Self.step(point, efficiency: eta).mfu))
        }
        self.rows = rows
        let errors = rows.map { abs($0.error) }
        medianAbsoluteError = errors.isEmpty ? 0 : Self.median(errors)
        maxAbsoluteError = errors.max() ?? 0
    }

    static func step(_ point: TrainingThroughputPoint, efficiency: Double) -> TrainingStep {
        let flops = TrainingFLOPs(
            model: point.model, tokens: point.plan.tokensPerStep, sequenceLength: point.plan.sequenceLength,
            checkpointing: point.plan.checkpointing)
        return TrainingStep(
            model: point.model, flops: flops, plan: point.plan, accelerator: point.accelerator,
            precision: point.precision, kernelEfficiency: efficiency)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
