/// A published training run with the figures Headroom's training model can be checked against.
public struct PublishedTrainingRun: Sendable, Hashable, Codable {
    /// How the run's throughput was published.
    public enum Throughput: Sendable, Hashable, Codable {
        /// MFU under PaLM's definition (attention counted without the causal half), as Llama 3 reports it.
        case palmMFU(Double)
        /// MFU under Headroom's definition.
        case mfu(Double)
        /// Hardware TFLOP/s per accelerator, recomputation included (Megatron-DeepSpeed, metaseq logs).
        case hardwareTFLOPS(Double)
        /// Tokens per second per accelerator.
        case tokensPerSecond(Double)
    }

    /// What the published accelerator-hours cover.
    public enum HoursBasis: String, Sendable, Hashable, Codable {
        /// Wall-clock time the cluster was held: interruptions, restarts and checkpoints included.
        case wall
        /// Failure-free compute time (throughput × tokens).
        case ideal
    }

    /// Which FLOPs the published total counts.
    public enum FLOPsBasis: String, Sendable, Hashable, Codable {
        case model
        /// Recomputation included.
        case hardware
    }

    public var name: String
    public var origin: String
    public var source: String
    public var sourceDate: String
    public var model: TrainingModel
    public var tokens: Double
    public var sequenceLength: Int
    public var accelerator: Accelerator?
    public var count: Int?
    public var throughput: Throughput?
    public var checkpointing: ParallelismPlan.Checkpointing
    public var publishedAcceleratorHours: Double?
    public var hoursBasis: HoursBasis
    public var publishedFLOPs: Double?
    public var flopsBasis: FLOPsBasis
    /// Rows that count toward the thresholds; the others are shown for reference (implied MFU).
    public var enforced: Bool
    public var notes: String

    public init(
        name: String, origin: String, source: String, sourceDate: String, model: TrainingModel, tokens: Double,
        sequenceLength: Int, accelerator: Accelerator?, count: Int?, throughput: Throughput?,
        checkpointing: ParallelismPlan.Checkpointing, publishedAcceleratorHours: Double?, hoursBasis: HoursBasis,
        publishedFLOPs: Double?, flopsBasis: FLOPsBasis, enforced: Bool, notes: String
    ) {
        self.name = name
        self.origin = origin
        self.source = source
        self.sourceDate = sourceDate
        self.model = model
        self.tokens = tokens
        self.sequenceLength = sequenceLength
        self.accelerator = accelerator
        self.count = count
        self.throughput = throughput
        self.checkpointing = checkpointing
        self.publishedAcceleratorHours = publishedAcceleratorHours
        self.hoursBasis = hoursBasis
        self.publishedFLOPs = publishedFLOPs
        self.flopsBasis = flopsBasis
        self.enforced = enforced
        self.notes = notes
    }
}

/// Headroom's training figures against published runs.
public struct TrainingValidationReport: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        public var run: String
        public var origin: String
        /// `accelerator_hours` or `total_flops`.
        public var metric: String
        public var published: Double
        public var predicted: Double
        public var enforced: Bool
        public var basis: String
        public var source: String
        public var error: Double { (predicted - published) / published }
    }

    /// A run without a published throughput: the MFU its published hours imply.
    public struct Reference: Sendable, Hashable, Codable {
        public var run: String
        public var origin: String
        public var impliedMFU: Double
        public var source: String
        public var notes: String
    }

    public struct Summary: Sendable, Hashable, Codable {
        public var metric: String
        public var count: Int
        public var medianAbsoluteError: Double
        public var maxAbsoluteError: Double
        public var target: Double
        public var meetsTarget: Bool { maxAbsoluteError <= target }
    }

    public var rows: [Row]
    public var references: [Reference]
    public var throughput: ThroughputCalibration?

    /// Targets: accelerator-hours within 10 %, total FLOPs within 5 %.
    public static let targets = ["accelerator_hours": 0.10, "total_flops": 0.05]

    /// Median and maximum |error| over the enforced rows, per metric.
    public var summaries: [Summary] {
        ["accelerator_hours", "total_flops"].compactMap { metric in
            let errors = rows.filter { $0.metric == metric && $0.enforced }.map { abs($0.error) }.sorted()
            guard !errors.isEmpty else { return nil }
            return Summary(
                metric: metric, count: errors.count, medianAbsoluteError: ThroughputCalibration.median(errors),
                maxAbsoluteError: errors.last ?? 0, target: Self.targets[metric] ?? 0)
        }
    }

    /// Predicts every run's accelerator-hours (given its published throughput) and total FLOPs.
    /// - Parameters:
    ///   - failures: the interruption model for wall-clock rows.
    ///   - checkpoint: checkpoint bytes per parameter are taken from each run; the rest of this policy applies.
    public init(
        runs: [PublishedTrainingRun], failures: FailureModel = .llama3,
        storageWriteBandwidth: Double = TrainingRequest.defaultStorageWriteBandwidth,
        restartSeconds: Double = TrainingRequest.defaultRestartSeconds, throughput: ThroughputCalibration? = nil
    ) {
        var rows: [Row] = []
        var references: [Reference] = []
        for run in runs {
            let flops = TrainingFLOPs(
                model: run.model, tokens: run.tokens, sequenceLength: run.sequenceLength,
                checkpointing: run.checkpointing)
            if let published = run.publishedFLOPs {
                rows.append(
                    Row(
                        run: run.name, origin: run.origin, metric: "total_flops", published: published,
                        predicted: run.flopsBasis == .hardware ? flops.hardwareFLOPs : flops.modelFLOPs,
                        enforced: run.enforced, basis: "\(run.flopsBasis.rawValue) FLOPs", source: run.source))
            }
            guard let published = run.publishedAcceleratorHours, let accelerator = run.accelerator,
                let peak = accelerator.peakFLOPS(for: .bf16)
            else { continue }
            guard let throughput = run.throughput, let count = run.count else {
                let mfu = flops.modelFLOPs / (published * 3600 * peak)
                references.append(
                    Reference(
                        run: run.name, origin: run.origin, impliedMFU: mfu, source: run.source,
                        notes: "no published throughput; MFU implied by the published \(run.hoursBasis.rawValue) "
                            + "hours at the bf16 dense peak. \(run.notes)"))
                continue
            }
            let seconds: Double
            switch throughput {
            case .palmMFU(let value):
                let mfu = TrainingThroughputPoint.mfu(
                    palmMFU: value, model: run.model, sequenceLength: run.sequenceLength)
                seconds = flops.modelFLOPs / (Double(count) * peak * mfu)
            case .mfu(let value): seconds = flops.modelFLOPs / (Double(count) * peak * value)
            case .hardwareTFLOPS(let value): seconds = flops.hardwareFLOPs / (Double(count) * value * 1e12)
            case .tokensPerSecond(let value): seconds = run.tokens / (Double(count) * value)
            }
            var wall = seconds
            if run.hoursBasis == .wall {
                let estimate = ReliabilityEstimate(
                    computeSeconds: seconds, accelerators: count, nodeSize: accelerator.nodeSize ?? 8,
                    failures: failures,
                    checkpoint: CheckpointPolicy(
                        bytes: run.model.totalParams * CheckpointPolicy.bytesPerParameter,
                        writeBandwidth: storageWriteBandwidth, asynchronous: false,
                        snapshotBandwidthPerAccelerator: TrainingRequest.defaultSnapshotBandwidth,
                        restartSeconds: restartSeconds))
                wall = estimate.wallSeconds
            }
            rows.append(
                Row(
                    run: run.name, origin: run.origin, metric: "accelerator_hours", published: published,
                    predicted: wall * Double(count) / 3600, enforced: run.enforced,
                    basis: run.hoursBasis == .wall ? "wall-clock (interruptions modelled)" : "failure-free compute",
                    source: run.source))
        }
        self.rows = rows
        self.references = references
        self.throughput = throughput
    }
}
