/// Everything `headroom train` plans from. Every default that models the world is named in ``defaults`` with its
/// source or as an assumption; the CLI and spec files override them.
public struct TrainingRequest: Sendable {
    /// Parallelism degrees fixed by the user; `nil` leaves the degree to the layout search.
    public struct PlanOverrides: Sendable, Hashable {
        public var tensor: Int?
        public var pipeline: Int?
        public var context: Int?
        public var expert: Int?
        public var zero: ParallelismPlan.ZeROStage?
        public var checkpointing: ParallelismPlan.Checkpointing?
        public var microBatch: Int?
        public var interleave: Int?

        public init(
            tensor: Int? = nil, pipeline: Int? = nil, context: Int? = nil, expert: Int? = nil,
            zero: ParallelismPlan.ZeROStage? = nil, checkpointing: ParallelismPlan.Checkpointing? = nil,
            microBatch: Int? = nil, interleave: Int? = nil
        ) {
            self.interleave = interleave
            self.tensor = tensor
            self.pipeline = pipeline
            self.context = context
            self.expert = expert
            self.zero = zero
            self.checkpointing = checkpointing
            self.microBatch = microBatch
        }

        /// Whether every degree is fixed, so no search is needed.
        public var isComplete: Bool { tensor != nil && pipeline != nil }
    }

    /// Facility and money inputs.
    public struct Facility: Sendable, Hashable {
        public var pue: Double
        public var pueSource: String
        public var electricityPerKWh: Double?
        public var electricitySource: String?
        /// Whole-server power per node, kW, where a source gives one.
        public var systemPowerKW: Double?
        public var systemPowerSource: String?
        /// Power per accelerator, W, given in place of the catalog's TDP (a part with no published figure: TPUs).
        public var acceleratorPowerW: Double?
        /// Rack power budget, kW; `nil` lays out ``serversPerRack`` servers per rack instead.
        public var rackKW: Double?
        public var serversPerRack: Int
        public var rackSource: String

        public init(
            pue: Double, pueSource: String, electricityPerKWh: Double? = nil, electricitySource: String? = nil,
            systemPowerKW: Double? = nil, systemPowerSource: String? = nil, rackKW: Double? = nil,
            serversPerRack: Int = 2, rackSource: String
        ) {
            self.pue = pue
            self.pueSource = pueSource
            self.electricityPerKWh = electricityPerKWh
            self.electricitySource = electricitySource
            self.systemPowerKW = systemPowerKW
            self.systemPowerSource = systemPowerSource
            self.rackKW = rackKW
            self.serversPerRack = serversPerRack
            self.rackSource = rackSource
        }

        /// Watts per accelerator: the given figure, else the catalog's TDP; `nil` when neither exists.
        public func acceleratorWatts(for part: Accelerator) -> Double? {
            acceleratorPowerW ?? part.tdpWatts
        }
    }

    public var model: TrainingModel
    public var tokens: Double
    public var accelerator: Accelerator
    public var count: Int
    public var precision: Precision
    /// MFU to plan at; `nil` predicts it from the plan.
    public var mfu: Double?
    public var sequenceLength: Int
    public var globalBatchTokens: Double
    public var overrides: PlanOverrides
    /// Share of accelerator memory the run may fill.
    public var usableMemoryFraction: Double
    public var dropout: Bool
    public var failures: FailureModel
    public var storageWriteBandwidth: Double
    public var asynchronousCheckpoints: Bool
    public var snapshotBandwidthPerAccelerator: Double
    public var restartSeconds: Double
    public var checkpointIntervalSeconds: Double?
    public var checkpointsRetained: Int
    public var law: ScalingLaw
    public var servingTokens: Double?
    public var costPerMillionTokens: Double?
    public var deadlineDays: Double?
    public var priceBook: PriceBook?
    public var facility: Facility
    /// Spot preemptions per 1,000 node-days; `nil` reports the break-even rate instead.
    public var spotPreemptionsPerThousandNodeDays: Double?
    public var calibration: ThroughputCalibration?
    /// Assumptions the caller already made (parsed defaults, imported models).
    public var notes: [String]

    public init(
        model: TrainingModel, tokens: Double, accelerator: Accelerator, count: Int, precision: Precision = .bf16,
        mfu: Double? = nil, sequenceLength: Int = TrainingRequest.defaultSequenceLength,
        globalBatchTokens: Double = TrainingRequest.defaultGlobalBatchTokens, overrides: PlanOverrides = .init(),
        usableMemoryFraction: Double = TrainingRequest.defaultUsableMemoryFraction, dropout: Bool = false,
        failures: FailureModel = .llama3, storageWriteBandwidth: Double = TrainingRequest.defaultStorageWriteBandwidth,
        asynchronousCheckpoints: Bool = false,
        snapshotBandwidthPerAccelerator: Double = TrainingRequest.defaultSnapshotBandwidth,
        restartSeconds: Double = TrainingRequest.defaultRestartSeconds, checkpointIntervalSeconds: Double? = nil,
        checkpointsRetained: Int = TrainingRequest.defaultCheckpointsRetained, law: ScalingLaw = .besiroglu2024,
        servingTokens: Double? = nil, costPerMillionTokens: Double? = nil, deadlineDays: Double? = nil,
        priceBook: PriceBook? = nil, facility: Facility = TrainingRequest.defaultFacility,
        spotPreemptionsPerThousandNodeDays: Double? = nil, calibration: ThroughputCalibration? = nil,
        notes: [String] = []
    ) {
        self.model = model
        self.tokens = tokens
        self.accelerator = accelerator
        self.count = count
        self.precision = precision
        self.mfu = mfu
        self.sequenceLength = sequenceLength
        self.globalBatchTokens = globalBatchTokens
        self.overrides = overrides
        self.usableMemoryFraction = usableMemoryFraction
        self.dropout = dropout
        self.failures = failures
        self.storageWriteBandwidth = storageWriteBandwidth
        self.asynchronousCheckpoints = asynchronousCheckpoints
        self.snapshotBandwidthPerAccelerator = snapshotBandwidthPerAccelerator
        self.restartSeconds = restartSeconds
        self.checkpointIntervalSeconds = checkpointIntervalSeconds
        self.checkpointsRetained = checkpointsRetained
        self.law = law
        self.servingTokens = servingTokens
        self.costPerMillionTokens = costPerMillionTokens
        self.deadlineDays = deadlineDays
        self.priceBook = priceBook
        self.facility = facility
        self.spotPreemptionsPerThousandNodeDays = spotPreemptionsPerThousandNodeDays
        self.calibration = calibration
        self.notes = notes
    }

    // MARK: Defaults, each with its source or labelled an assumption

    /// 8,192 tokens: Llama 3 405B's main pre-training stage (arXiv 2407.21783 Table 4).
    public static let defaultSequenceLength = 8192
    /// 16M tokens per step: Llama 3 405B's batch (arXiv 2407.21783 Table 4; 16M = 2²⁴ assumed).
    public static let defaultGlobalBatchTokens = 16_777_216.0
    /// Assumption: 90 % of accelerator memory is usable (the rest: CUDA context, NCCL buffers, fragmentation).
    public static let defaultUsableMemoryFraction = 0.9
    /// 2 TB/s: the sustained throughput of the Tectonic storage fabric behind Llama 3 pre-training (arXiv 2407.21783
    /// §3.3.1; peak 7 TB/s).
    public static let defaultStorageWriteBandwidth = 2e12
    /// 64 GB/s per accelerator for asynchronous snapshots: one direction of PCIe 5.0 ×16 (32 GT/s × 16 lanes,
    /// PCI-SIG PCIe 5.0 base specification), the host link of H100-class parts.
    public static let defaultSnapshotBandwidth = 64e9
    /// Assumption: 10 minutes from an interruption to training again. Llama 3's >90 % effective training time with an
    /// unexpected interruption every ~3 hours (arXiv 2407.21783 §3.3.4) bounds restart plus lost work at ~18 minutes.
    public static let defaultRestartSeconds = 600.0
    /// Assumption: the two newest checkpoints are kept (one being written, one known good).
    public static let defaultCheckpointsRetained = 2
    /// Facility defaults when no price book supplies them.
    public static let defaultFacility = Facility(
        pue: 1.58, pueSource: "Uptime Institute 2023 Global Data Center Survey industry average (price book row)",
        serversPerRack: 2,
        rackSource: "2 servers (16 GPUs) per rack as in Meta's Llama 3 cluster (arXiv 2407.21783 §3.3.1)")
}
