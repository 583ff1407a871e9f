import PropertyBased
import Testing

@testable import HeadroomCore

/// Issue 17: fleet simulation whose cost per event does not grow with the replicas, and sampled confirmation of
/// uncoupled fleets.
///
/// A hang guard, not a timer: in scripts/test's CPU-bound group a test may wait minutes for a pool thread on a
/// loaded 2-core machine (two `yes` and other builds beside it starved 2-minute limits).
@Suite(.timeLimit(.minutes(15)))
struct FleetScaleTests {
    static let efficiency = Fixtures.efficiency

    // MARK: The least-outstanding index

    @Test func theLoadIndexAlwaysPicksWhatAScanWould() async {
        let updates = Gen.int(in: 0...63).array(of: 1...200)
        await propertyCheck(count: 200, input: Gen.int(in: 1...64), updates) { count, raw in
            var index = LoadIndex(count: count)
            var loads = Array(repeating: 0, count: count)
            for (step, value) in raw.enumerated() {
                let replica = (value &* 31 &+ step) % count
                let load = (value &* 7 &+ step) % 9
                index.set(replica, load: load)
                loads[replica] = load
                let scan = loads.indices.min { loads[$0] < loads[$1] } ?? 0
                #expect(index.least == scan)
            }
        }
    }

    // MARK: Whole fleet at scale

    @Test func aLargeFleetRunsEveryRequestAndSpreadsTheLoad() throws {
        let deployment = try Fixtures.deployment(count: 500, precision: .fp8)
        var generator = try WorkloadGenerator(
            arrival: .poisson(rate: 2000), input: .fixed(500), output: .fixed(50), count: 20_000, seed: 3)
        var fleet = try FleetSimulator(
            deployment: deployment, efficiency: Self.efficiency, options: SimulationOptions(warmupFraction: 0))
        fleet.keepRecords = true
        let result = fleet.run(&generator, expectedCount: 20_000)
        #expect(result.completed == 20_000)
        let perReplica = Dictionary(grouping: result.records ?? [], by: \.replica).mapValues(\.count)
        #expect(perReplica.count == 500)
        // Least-outstanding keeps every replica near its share (40).
        #expect(perReplica.values.max() ?? 0 <= 80)
        #expect(result.coverage == .wholeFleet)
    }

    // MARK: Sampling

    @Test func aRoundRobinShareSumsTheGaps() {
        #expect(ArrivalProcess.poisson(rate: 100).roundRobinShare(of: 4) == .gamma(rate: 25, cv: 0.5))
        #expect(ArrivalProcess.constant(rate: 100).roundRobinShare(of: 4) == .constant(rate: 25))
        #expect(ArrivalProcess.gamma(rate: 90, cv: 3).roundRobinShare(of: 9) == .gamma(rate: 10, cv: 1))
        #expect(ArrivalProcess.poisson(rate: 100).roundRobinShare(of: 1) == .poisson(rate: 100))
        #expect(ArrivalProcess.poisson(rate: 1e6).roundRobinShare(of: 10_000_000) == .constant(rate: 0.1))
    }

    @Test func theP99IntervalFollowsTheBinomial() {
        let bounds = ReplicaSample.percentileBounds(percentile: 99, measured: 10_000)
        #expect(abs(bounds.lowerBound - 98.8) < 0.02 && abs(bounds.upperBound - 99.2) < 0.02)
        #expect(ReplicaSample.measuredRequests(forPercentile: 99) == 10_000)
        #expect(ReplicaSample.measuredRequests(forPercentile: 90) == 1_000)
        let wider = ReplicaSample.percentileBounds(percentile: 99, measured: 1_000)
        #expect(wider.lowerBound < bounds.lowerBound && wider.upperBound > bounds.upperBound)
    }

    /// A sample of a round-robin fleet estimates the same latencies as the whole fleet behind round-robin.
    @Test func aSampleMatchesTheWholeRoundRobinFleet() throws {
        let deployment = try Fixtures.deployment(count: 16, precision: .fp8)
        let options = SimulationOptions(router: .roundRobin, warmupFraction: 0.1)
        let fleet = try FleetSimulator(deployment: deployment, efficiency: Self.efficiency, options: options)
        func generator(_ count: Int) throws -> WorkloadGenerator {
            try WorkloadGenerator(
                arrival: .poisson(rate: 160), input: .lognormal(mean: 800, sigma: 0.6),
                output: .lognormal(mean: 150, sigma: 0.6), count: count, seed: 5)
        }
        var whole = try generator(64_000)
        let full = fleet.run(&whole, expectedCount: 64_000)
        let sample = fleet.runSample(
            of: try generator(1), sampledReplicas: 4, requestsPerReplica: 4_000, percentile: 99)
        guard case .sampled(let s) = sample.coverage else {
            Issue.record("expected a sampled run")
            return
        }
        #expect(s.sampledReplicas == 4 && s.fleetReplicas == 16 && s.requestsPerReplica == 4_000)
        #expect(sample.replicas == 16 && sample.arrived == 16_000)
        #expect(abs(sample.ttft.p50 / full.ttft.p50 - 1) < 0.1)
        #expect(abs(sample.tpot.p50 / full.tpot.p50 - 1) < 0.1)
        #expect(abs(sample.tpot.p99 / full.tpot.p99 - 1) < 0.15)
        // Rates are the fleet's, not the sample's.
        #expect(abs(sample.requestsPerSecond / full.requestsPerSecond - 1) < 0.1)
        // The interval brackets the estimate.
        #expect(s.ttft.lowerBound <= sample.ttft.p99 && sample.ttft.p99 <= s.ttft.upperBound)
        #expect(s.tpot.lowerBound <= sample.tpot.p99 && sample.tpot.p99 <= s.tpot.upperBound)
    }

    /// The sample's cost does not depend on the fleet it stands for.
    @Test func aSampleOfAHugeFleetRunsOnlyItsRequests() throws {
        let deployment = try Fixtures.deployment(count: 50_000, precision: .fp8)
        let fleet = try FleetSimulator(deployment: deployment, efficiency: Self.efficiency)
        let workload = try WorkloadGenerator(
            arrival: .poisson(rate: 250_000), input: .fixed(500), output: .fixed(100), count: 1, seed: 1)
        let result = fleet.runSample(of: workload, sampledReplicas: 2, requestsPerReplica: 1_000, percentile: 99)
        #expect(result.arrived == 2_000 && result.completed == 2_000 && result.replicas == 50_000)
    }

    /// More replicas at the same traffic never lengthen the sampled latency (each replica's share shrinks).
    @Test func moreReplicasNeverLengthenSampledLatency() async throws {
        let workload = try WorkloadGenerator(
            arrival: .poisson(rate: 400), input: .fixed(1000), output: .fixed(120), count: 1, seed: 8)
        await propertyCheck(count: 6, input: Gen.int(in: 12...40), Gen.double(in: 0.25...1)) { replicas, fraction in
            let extra = max(1, Int(Double(replicas) * fraction))
            func p99(_ n: Int) throws -> (ttft: Double, tpot: Double) {
                let deployment = try Fixtures.deployment(count: n, precision: .fp8)
                let fleet = try FleetSimulator(deployment: deployment, efficiency: Self.efficiency)
                let r = fleet.runSample(of: workload, sampledReplicas: 2, requestsPerReplica: 1_500, percentile: 99)
                return (r.ttft.p99, r.tpot.p99)
            }
            guard let few = try? p99(replicas), let more = try? p99(replicas + extra) else { return }
            #expect(more.ttft <= few.ttft * 1.1)
            #expect(more.tpot <= few.tpot * 1.1)
        }
    }
}
