extension FleetSimulator {
    /// One point of a sweep: an offered rate and what the fleet did at it.
    public struct SweepPoint: Sendable {
        public var rate: Double
        public var result: SimulationResult
    }

    /// Simulates the same workload at several rates at once, one child task per rate, so a sweep uses every core.
    /// Each point replays `seed`, so the sweep is as deterministic as a single run.
    @concurrent
    public func sweep(
        rates: [Double], input: LengthDistribution, output: LengthDistribution, prefix: PrefixSharing = .none,
        profile: RateProfile = RateProfile(), requests: Int, seed: UInt64
    ) async throws(HeadroomError) -> [SweepPoint] {
        for rate in rates where !(rate > 0 && rate.isFinite) {
            throw HeadroomError(.invalidInput, "sweep rates must be positive, got \(rate)", field: "sweep")
        }
        // Validate once up front so the child tasks cannot fail.
        _ = try WorkloadGenerator(
            arrival: .poisson(rate: rates.first ?? 1), profile: profile, input: input, output: output, prefix: prefix,
            count: requests, seed: seed
        )
        let fleet = self
        let points = await withTaskGroup(of: SweepPoint?.self) { group in
            for rate in rates {
                group.addTask { @concurrent in
                    guard
                        var generator = try? WorkloadGenerator(
                            arrival: .poisson(rate: rate), profile: profile, input: input, output: output,
                            prefix: prefix, count: requests, seed: seed
                        )
                    else { return nil }
                    return SweepPoint(rate: rate, result: fleet.run(&generator, expectedCount: requests))
                }
            }
            var collected: [SweepPoint] = []
            for await point in group { if let point { collected.append(point) } }
            return collected
        }
        return points.sorted { $0.rate < $1.rate }
    }
}
