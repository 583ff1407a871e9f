/// How often a training job is interrupted: unexpected failures per accelerator-hour and planned maintenance stops.
///
/// The default is calibrated on Llama 3 405B pre-training (Grattafiori et al. 2024, arXiv 2407.21783 §3.3.4): 419
/// unexpected and 47 planned interruptions in a 54-day snapshot on 16,384 H100s, one unexpected stop about every
/// 3 hours, 78 % of them hardware. Failures scale with the accelerators a job spans; planned ones with calendar time.
public struct FailureModel: Sendable, Hashable, Codable {
    /// Unexpected interruptions per accelerator-hour.
    public var unexpectedPerAcceleratorHour: Double
    /// Planned interruptions per day of the job.
    public var plannedPerDay: Double
    public var provenance: Provenance

    public init(unexpectedPerAcceleratorHour: Double, plannedPerDay: Double, provenance: Provenance) {
        self.unexpectedPerAcceleratorHour = unexpectedPerAcceleratorHour
        self.plannedPerDay = plannedPerDay
        self.provenance = provenance
    }

    /// A rate given per 1,000 node-days (the unit of Meta's RSC study), for nodes of `nodeSize` accelerators.
    public init(perThousandNodeDays rate: Double, nodeSize: Int, plannedPerDay: Double = 0, provenance: Provenance) {
        self.init(
            unexpectedPerAcceleratorHour: rate / 1000 / 24 / Double(max(nodeSize, 1)), plannedPerDay: plannedPerDay,
            provenance: provenance)
    }

    /// Llama 3 405B: 419 unexpected, 47 planned interruptions in 54 days on 16,384 H100s.
    public static let llama3 = FailureModel(
        unexpectedPerAcceleratorHour: 419.0 / (16_384 * 54 * 24), plannedPerDay: 47.0 / 54,
        provenance: Provenance(
            source: "Llama 3 paper arXiv 2407.21783 §3.3.4 and Table 5 (419 unexpected and 47 planned interruptions "
                + "in a 54-day snapshot on 16,384 H100 80GB)", asOf: "2024-07-23",
            notes: "shared/calibration/training_failures.csv; 3.79 unexpected interruptions per 1,000 node-days of 8 "
                + "GPUs"))

    /// Unexpected interruptions per 1,000 node-days.
    public func perThousandNodeDays(nodeSize: Int) -> Double {
        unexpectedPerAcceleratorHour * Double(nodeSize) * 24 * 1000
    }

    /// Mean time between unexpected interruptions of a job on `accelerators`, in seconds.
    public func meanTimeBetweenFailures(accelerators: Int) -> Double {
        3600 / (unexpectedPerAcceleratorHour * Double(max(accelerators, 1)))
    }
}

/// How the job saves and restores its state.
public struct CheckpointPolicy: Sendable, Hashable, Codable {
    /// Bytes of one checkpoint: weights and optimizer states.
    public var bytes: Double
    /// Aggregate write bandwidth to durable storage, bytes per second.
    public var writeBandwidth: Double
    /// Asynchronous checkpointing: training pauses only to snapshot the state to host memory, the write to storage
    /// runs beside the next steps.
    public var asynchronous: Bool
    /// Host bandwidth per accelerator for the asynchronous snapshot, bytes per second.
    public var snapshotBandwidthPerAccelerator: Double
    /// Seconds from an interruption to training again: detection, rescheduling, reload, warm-up.
    public var restartSeconds: Double
    /// A fixed checkpoint interval instead of the optimal one, seconds.
    public var intervalOverride: Double?

    public init(
        bytes: Double, writeBandwidth: Double, asynchronous: Bool, snapshotBandwidthPerAccelerator: Double,
        restartSeconds: Double, intervalOverride: Double? = nil
    ) {
        self.bytes = bytes
        self.writeBandwidth = writeBandwidth
        self.asynchronous = asynchronous
        self.snapshotBandwidthPerAccelerator = snapshotBandwidthPerAccelerator
        self.restartSeconds = restartSeconds
        self.intervalOverride = intervalOverride
    }

    /// Bytes per parameter in a resumable checkpoint: 16-bit weights plus fp32 master weights and two Adam moments
    /// (gradients are not saved).
    public static let bytesPerParameter = TrainingMemory.weightBytes + TrainingMemory.optimizerBytes
}
