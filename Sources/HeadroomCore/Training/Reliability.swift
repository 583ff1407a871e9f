internal import RealModule

/// Interruptions, checkpoint cadence and the wall time they cost a run.
///
/// The checkpoint interval is Daly's higher-order optimum (J. T. Daly 2006, "A higher order estimate of the optimum
/// checkpoint interval for restart dumps", FGCS 22(3)) — τ = √(2δM)·[1 + ⅓·√(δ/2M) + δ/18M] − δ for δ < 2M, else M —
/// which reduces to Young's √(2δM) (CACM 17(9), 1974) for small δ; δ is the time training stalls per checkpoint (the
/// whole write when synchronous, the snapshot to host memory when asynchronous, whose write must still finish before
/// the next one starts). Wall time follows the first-order renewal model: each interruption costs the restart time
/// plus, on average, half a checkpoint segment of lost work (and the write still in flight when asynchronous); planned
/// stops cost a restart and a checkpoint.
public struct ReliabilityEstimate: Sendable, Hashable, Codable {
    public var accelerators: Int
    public var nodes: Int
    public var failuresPerThousandNodeDays: Double
    public var meanTimeBetweenFailuresSeconds: Double
    public var checkpointBytes: Double
    public var checkpointWriteSeconds: Double
    /// Seconds training pauses per checkpoint.
    public var checkpointStallSeconds: Double
    public var youngIntervalSeconds: Double
    public var checkpointIntervalSeconds: Double
    public var restartSeconds: Double
    /// Mean work redone after one unexpected interruption, seconds.
    public var lostWorkPerFailureSeconds: Double
    public var computeSeconds: Double
    public var wallSeconds: Double
    public var expectedUnexpectedInterruptions: Double
    public var expectedPlannedInterruptions: Double
    public var checkpointOverheadSeconds: Double
    public var restartOverheadSeconds: Double
    public var lostWorkSeconds: Double
    public var asynchronous: Bool

    /// Useful training time over elapsed time (Meta's "effective training time").
    public var goodput: Double { computeSeconds / wallSeconds }

    /// - Parameters:
    ///   - computeSeconds: failure-free training time at the plan's throughput.
    ///   - extraFailuresPerAcceleratorHour: added interruptions, e.g. spot preemptions.
    public init(
        computeSeconds: Double, accelerators: Int, nodeSize: Int, failures: FailureModel, checkpoint: CheckpointPolicy,
        extraFailuresPerAcceleratorHour: Double = 0
    ) {
        self.accelerators = accelerators
        nodes = (Double(accelerators) / Double(max(nodeSize, 1))).rounded(.up).asInt
        let rate = failures.unexpectedPerAcceleratorHour + extraFailuresPerAcceleratorHour
        failuresPerThousandNodeDays = rate * Double(nodeSize) * 24 * 1000
        let mtbf = 3600 / (rate * Double(max(accelerators, 1)))
        meanTimeBetweenFailuresSeconds = mtbf
        checkpointBytes = checkpoint.bytes
        let write = checkpoint.bytes / checkpoint.writeBandwidth
        checkpointWriteSeconds = write
        let stall =
            checkpoint.asynchronous
            ? checkpoint.bytes / Double(max(accelerators, 1)) / checkpoint.snapshotBandwidthPerAccelerator : write
        checkpointStallSeconds = stall
        asynchronous = checkpoint.asynchronous
        youngIntervalSeconds = (2 * stall * mtbf).squareRoot()
        var interval = checkpoint.intervalOverride ?? Self.dalyInterval(stall: stall, mtbf: mtbf)
        if checkpoint.asynchronous { interval = max(interval, write) }
        checkpointIntervalSeconds = interval
        restartSeconds = checkpoint.restartSeconds
        let lost = (interval + stall) / 2 + (checkpoint.asynchronous ? write : 0)
        lostWorkPerFailureSeconds = lost
        self.computeSeconds = computeSeconds
        // wall = compute·(1 + δ/τ) + wall/M·(R + lost) + wall·planned/day·(R + δ)/86400.
        let perFailure = (checkpoint.restartSeconds + lost) / mtbf
        let planned = failures.plannedPerDay / 86_400 * (checkpoint.restartSeconds + stall)
        let checkpointed = computeSeconds * (1 + stall / interval)
        let denominator = 1 - perFailure - planned
        wallSeconds = denominator > 0.05 ? checkpointed / denominator : checkpointed / 0.05
        expectedUnexpectedInterruptions = wallSeconds / mtbf
        expectedPlannedInterruptions = failures.plannedPerDay * wallSeconds / 86_400
        checkpointOverheadSeconds = checkpointed - computeSeconds + expectedPlannedInterruptions * stall
        restartOverheadSeconds =
            (expectedUnexpectedInterruptions + expectedPlannedInterruptions)
            * checkpoint.restartSeconds
        lostWorkSeconds = expectedUnexpectedInterruptions * lost
    }

    /// Daly's higher-order optimum checkpoint interval.
    public static func dalyInterval(stall: Double, mtbf: Double) -> Double {
        guard stall > 0 else { return 0 }
        guard stall < 2 * mtbf else { return mtbf }
        let x = stall / (2 * mtbf)
        return (2 * stall * mtbf).squareRoot() * (1 + x.squareRoot() / 3 + x / 9) - stall
    }

    /// Whether the job can make progress at all: interruptions arrive slower than a restart plus a segment of work.
    public var feasible: Bool {
        meanTimeBetweenFailuresSeconds > restartSeconds + lostWorkPerFailureSeconds
    }
}

extension Double {
    var asInt: Int { Int(saturating: Swift.min(Swift.max(self, 0), 1e15)) }
}
