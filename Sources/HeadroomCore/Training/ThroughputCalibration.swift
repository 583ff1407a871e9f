internal import RealModule

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
    /// Whether the row informs the fit (rows whose plan is only partly published are reported, not fitted).
    public var fitted: Bool

    public init(
        origin: String, source: String, model: TrainingModel, accelerator: Accelerator, precision: Precision,
        plan: ParallelismPlan, measuredMFU: Double, fitted: Bool = true
    ) {
        self.origin = origin
        self.source = source
        self.model = model
        self.accelerator = accelerator
        self.precision = precision
        self.plan = plan
        self.measuredMFU = measuredMFU
        self.fitted = fitted
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

/// Kernel efficiencies fitted per accelerator and format to published runs, and how well the step model then
/// reproduces them.
///
/// For each `accelerator/precision` group a grid search picks the matrix-product and attention efficiencies that
/// minimise the median |log(predicted/measured)| MFU over the group's fitted rows; communication and bubble come from
/// the plan and are not fitted.
public struct ThroughputCalibration: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        public var origin: String
        public var measuredMFU: Double
        public var predictedMFU: Double
        public var fitted: Bool
        public var error: Double { (predictedMFU - measuredMFU) / measuredMFU }
    }

    /// Fitted efficiencies by `accelerator/precision`, and by `precision` across parts.
    public var kernelEfficiency: [String: KernelEfficiency]
    public var rows: [Row]
    /// Median and maximum |error| of the predicted MFU over the fitted rows.
    public var medianAbsoluteError: Double
    public var maxAbsoluteError: Double

    /// The efficiencies for a part and format: its own fit, else the format's fit, else the bf16 fit.
    public func efficiency(accelerator: String, precision: Precision) -> KernelEfficiency {
        kernelEfficiency["\(accelerator)/\(precision)"] ?? kernelEfficiency[precision.rawValue]
            ?? kernelEfficiency[Precision.bf16.rawValue] ?? .uncalibrated
    }

    /// The parts whose published runs a part and format borrow their efficiencies from (the fit
    /// ``efficiency(accelerator:precision:)`` falls back to); empty when the part has a fit of its own.
    public func lenders(accelerator: String, precision: Precision) -> [String] {
        guard kernelEfficiency["\(accelerator)/\(precision)"] == nil else { return [] }
        let format = kernelEfficiency[precision.rawValue] != nil ? precision.rawValue : Precision.bf16.rawValue
        return kernelEfficiency.keys.compactMap { key -> String? in
            let parts = key.split(separator: "/", maxSplits: 1)
            return parts.count == 2 && parts[1] == format ? String(parts[0]) : nil
        }.sorted()
    }

    /// Fits the efficiencies and reports every row's error under the fit.
    /// - Complexity: O(rows × 425) arithmetic; the steps are evaluated once per row.
    public init(points: [TrainingThroughputPoint]) {
        let parts = points.map { Parts(Self.step($0, efficiency: KernelEfficiency(matmul: 1, attention: 1)), $0) }
        var groups: [String: [Parts]] = [:]
        for part in parts where part.point.fitted {
            groups["\(part.point.accelerator.id)/\(part.point.precision)", default: []].append(part)
            groups[part.point.precision.rawValue, default: []].append(part)
        }
        kernelEfficiency = groups.mapValues(Self.fit)
        var rows: [Row] = []
        for part in parts {
            let eta =
                kernelEfficiency["\(part.point.accelerator.id)/\(part.point.precision)"]
                ?? kernelEfficiency[part.point.precision.rawValue] ?? .uncalibrated
            rows.append(
                Row(
                    origin: part.point.origin, measuredMFU: part.point.measuredMFU,
                    predictedMFU: Self.step(part.point, efficiency: eta).mfu, fitted: part.point.fitted))
        }
        self.rows = rows
        let errors = rows.filter(\.fitted).map { abs($0.error) }
        medianAbsoluteError = errors.isEmpty ? 0 : Self.median(errors)
        maxAbsoluteError = errors.max() ?? 0
    }

    /// A step at unit efficiency, decomposed so MFU at any efficiency is arithmetic.
    struct Parts {
        var point: TrainingThroughputPoint
        var matmul: Double
        var attention: Double
        var communication: Double
        var stretch: Double
        var exposed: Double
        var work: Double

        init(_ step: TrainingStep, _ point: TrainingThroughputPoint) {
            self.point = point
            matmul = step.parameterComputeSeconds
            attention = step.attentionComputeSeconds
            communication =
                step.tensorParallelSeconds + step.contextParallelSeconds + step.pipelineSeconds
                + step.expertParallelSeconds
            let busy = step.computeSeconds + communication
            stretch = busy > 0 ? (busy + step.bubbleSeconds) / busy : 1
            exposed = step.dataParallelExposedSeconds
            work = step.mfu * step.stepSeconds
        }

        func mfu(_ e: KernelEfficiency) -> Double {
            work / ((matmul / e.matmul + attention / e.attention + communication) * stretch + exposed)
        }
    }

    static func fit(_ parts: [Parts]) -> KernelEfficiency {
        func loss(_ e: KernelEfficiency) -> Double {
            median(parts.map { abs(Double.log($0.mfu(e) / $0.point.measuredMFU)) })
        }
        // A coarse grid, then a fine one around its best point.
        var best = (loss: Double.infinity, efficiency: KernelEfficiency.uncalibrated)
        for g in stride(from: 0.20, through: 0.95, by: 0.05) {
            for a in stride(from: 0.05, through: 0.95, by: 0.05) {
                let e = KernelEfficiency(matmul: g, attention: a)
                let l = loss(e)
                if l < best.loss - 1e-12 { best = (l, e) }
            }
        }
        let centre = best.efficiency
        for g in stride(from: max(centre.matmul - 0.05, 0.05), through: min(centre.matmul + 0.05, 0.99), by: 0.01) {
            for a in stride(
                from: max(centre.attention - 0.05, 0.02), through: min(centre.attention + 0.05, 0.99), by: 0.01)
            {
                let e = KernelEfficiency(matmul: g, attention: a)
                let l = loss(e)
                if l < best.loss - 1e-12 { best = (l, e) }
            }
        }
        return best.efficiency
    }

    static func step(_ point: TrainingThroughputPoint, efficiency: KernelEfficiency) -> TrainingStep {
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
