import HeadroomCore
import PropertyBased
import Testing

@Suite struct TrainingReliabilityTests {
    static func policy(bytes: Double = 5.7e12, asynchronous: Bool = false, restart: Double = 600) -> CheckpointPolicy {
        CheckpointPolicy(
            bytes: bytes, writeBandwidth: 2e12, asynchronous: asynchronous, snapshotBandwidthPerAccelerator: 64e9,
            restartSeconds: restart)
    }

    @Test func llama3RateReproducesItsInterruptions() {
        let model = FailureModel.llama3
        // 419 unexpected interruptions in 54 days on 16,384 GPUs, one about every 3 hours.
        let expected = model.unexpectedPerAcceleratorHour * 16_384 * 54 * 24
        #expect(abs(expected - 419) < 1e-6)
        #expect(abs(model.meanTimeBetweenFailures(accelerators: 16_384) / 3600 - 3.09) < 0.01)
        #expect(abs(model.perThousandNodeDays(nodeSize: 8) - 3.79) < 0.01)
        let converted = FailureModel(perThousandNodeDays: 6.5, nodeSize: 8, provenance: model.provenance)
        #expect(abs(converted.perThousandNodeDays(nodeSize: 8) - 6.5) < 1e-9)
    }

    @Test func dalyReducesToYoungForShortCheckpoints() {
        let mtbf = 3 * 3600.0
        for stall in [1.0, 5, 30] {
            let young = (2 * stall * mtbf).squareRoot()
            #expect(abs(ReliabilityEstimate.dalyInterval(stall: stall, mtbf: mtbf) / young - 1) < 0.05)
        }
        #expect(ReliabilityEstimate.dalyInterval(stall: 10 * mtbf, mtbf: mtbf) == mtbf)
    }

    @Test func llama3GoodputIsAboveNinetyPercent() {
        // The paper reports more than 90 % effective training time.
        let estimate = ReliabilityEstimate(
            computeSeconds: 54 * 86_400, accelerators: 16_384, nodeSize: 8, failures: .llama3, checkpoint: Self.policy()
        )
        #expect(estimate.goodput > 0.9 && estimate.goodput < 1, "\(estimate.goodput)")
        #expect(estimate.feasible)
    }

    @Test func asynchronousCheckpointsStallLess() {
        let sync = ReliabilityEstimate(
            computeSeconds: 30 * 86_400, accelerators: 4096, nodeSize: 8, failures: .llama3,
            checkpoint: Self.policy(bytes: 1e14))
        let async = ReliabilityEstimate(
            computeSeconds: 30 * 86_400, accelerators: 4096, nodeSize: 8, failures: .llama3,
            checkpoint: Self.policy(bytes: 1e14, asynchronous: true))
        #expect(async.checkpointStallSeconds < sync.checkpointStallSeconds)
        #expect(async.checkpointIntervalSeconds >= async.checkpointWriteSeconds)
        #expect(async.goodput >= sync.goodput)
    }

    @Test func moreFailuresNeverRaiseGoodput() async {
        await propertyCheck(count: 80, input: Gen.int(in: 1...64), Gen.double(in: 0...50), Gen.double(in: 0...50)) {
            nodes, rate, extra in
            let base = ReliabilityEstimate(
                computeSeconds: 10 * 86_400, accelerators: nodes * 8, nodeSize: 8, failures: .llama3,
                checkpoint: Self.policy(bytes: 1e12), extraFailuresPerAcceleratorHour: rate / 1000 / 24 / 8)
            let worse = ReliabilityEstimate(
                computeSeconds: 10 * 86_400, accelerators: nodes * 8, nodeSize: 8, failures: .llama3,
                checkpoint: Self.policy(bytes: 1e12), extraFailuresPerAcceleratorHour: (rate + extra) / 1000 / 24 / 8)
            #expect(worse.goodput <= base.goodput + 1e-12)
            #expect(base.goodput > 0 && base.goodput <= 1)
            #expect(base.wallSeconds >= base.computeSeconds)
        }
    }
}
