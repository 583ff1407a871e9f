import Testing

@testable import HeadroomCore

/// Issue 13 item 2: "the latency at percentile q" means one thing for every distribution and every check: the
/// reported percentile where q is reported, the straight line between the reported ones around it elsewhere.
///
/// A hang guard, not a timer: in scripts/test's CPU-bound group a test may wait minutes for a pool thread on a
/// loaded 2-core machine (two `yes` and other builds beside it starved 2-minute limits).
@Suite(.timeLimit(.minutes(15)))
struct PercentileSemanticsTests {
    /// p50 1, p90 2, p99 4; a summary's p95 on the line between p90 and p99.
    static let percentiles = Percentiles(p50: 1, p90: 2, p99: 4)
    static let summary = LatencySummary(mean: 1.5, p50: 1, p90: 2, p95: p95, p99: 4, max: 5, count: 100)

    static let p95: Double = 2 + 2.0 * 5 / 9
    static let p97: Double = 2 + 2.0 * 7 / 9
    static let table: [(Double, Double)] = [
        (25, 1), (50, 1), (70, 1.5), (90, 2), (95, p95), (97, p97), (99, 4), (99.9, 4),
    ]

    @Test(arguments: table)
    func everyDistributionAnswersTheSame(percentile: Double, expected: Double) {
        #expect(abs(Self.percentiles.value(at: percentile) - expected) < 1e-12)
        #expect(abs(Self.summary.value(at: percentile) - expected) < 1e-12)
    }

    @Test func aMeasuredP95IsUsedWhereThereIsOne() {
        var measured = Self.summary
        measured.p95 = 3.5
        #expect(measured.value(at: 95) == 3.5)
        let between: Double = 3.5 + 0.5 * 2 / 4
        #expect(measured.value(at: 97) == between)
        let interpolated: Double = 2 + (4 - 2) * (95 - 90) / (99 - 90)
        #expect(Self.percentiles.value(at: 95) == interpolated)
    }

    /// The estimator's analytic check and the planner's simulated one read the same percentile.
    @Test(arguments: [50.0, 90.0, 95.0, 99.0] as [Double])
    func theAnalyticAndSimulatedChecksAgreeOnASharedDistribution(percentile: Double) {
        let onTheLine = Self.summary
        #expect(abs(onTheLine.value(at: percentile) - Self.percentiles.value(at: percentile)) < 1e-12)
    }

    /// The simulated max-rate search honours an end-to-end objective (it used to look at TTFT and TPOT only).
    @Test func theSimulatedMaxRateHonoursTheEndToEndObjective() throws {
        let estimator = try Fixtures.estimator(try Fixtures.deployment(), input: 512, output: 64)
        let loose = try estimator.simulatedMaxRate(meeting: LatencySLO(e2eSeconds: 1e6), requests: 300, seed: 1)
        let trickle = try estimator.simulate(.rate(loose * 0.01), requests: 300, seed: 1).e2e.value(at: 99)
        let limit = trickle * 1.2
        let tight = try estimator.simulatedMaxRate(meeting: LatencySLO(e2eSeconds: limit), requests: 300, seed: 1)
        #expect(tight < loose)
        #expect(try estimator.simulate(.rate(tight), requests: 300, seed: 1).e2e.value(at: 99) <= limit)
    }
}
