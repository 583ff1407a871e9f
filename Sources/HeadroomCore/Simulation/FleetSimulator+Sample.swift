extension ArrivalProcess {
    /// What one of `replicas` replicas behind a round-robin router receives of this process: every `replicas`-th
    /// arrival, so gaps are sums of `replicas` gaps — gamma with the shape multiplied by `replicas` (Poisson's CV 1
    /// becomes 1/√n, constant stays constant) at 1/n of the rate. A CV below the sampler's floor (0.001) is constant.
    public func roundRobinShare(of replicas: Int) -> ArrivalProcess {
        let n = Double(max(replicas, 1))
        guard n > 1 else { return self }
        let cv = self.cv / n.squareRoot()
        if cv < InputLimits.burstiness.lowerBound { return .constant(rate: rate / n) }
        return .gamma(rate: rate / n, cv: cv)
    }
}

extension FleetSimulator {
    /// Confirms a fleet of identical replicas behind a round-robin router by simulating `sampledReplicas` of them,
    /// each with its own stream at its share of `workload`'s traffic, instead of the whole fleet.
    ///
    /// Each simulated replica receives `requestsPerReplica` requests from a generator with `workload`'s lengths,
    /// prefixes and rate profile, its arrival process ``ArrivalProcess/roundRobinShare(of:)`` of the fleet's, and a
    /// seed of its own. The latency statistics pool the simulated replicas; the rates (requests, tokens and goodput
    /// per second) are scaled to the whole fleet; the time series is the sampled replicas'. The result's
    /// ``SimulationResult/coverage`` is ``FleetCoverage/sampled(_:)`` with the interval of the `percentile` estimate.
    ///
    /// Exact only where routing does not couple replicas: use the whole fleet (``run(_:expectedCount:)``) for
    /// least-outstanding or prefix-affinity routing and for disaggregated pools.
    /// - Parameters:
    ///   - workload: the fleet's whole traffic (its `count` is ignored).
    ///   - sampledReplicas: replicas to simulate (at most the deployment's).
    ///   - requestsPerReplica: requests each receives, warm-up included.
    ///   - percentile: the tail percentile the sample must estimate (the interval reported is for it).
    /// - Complexity: O(`sampledReplicas` × `requestsPerReplica`) steps: independent of the fleet's size.
    public func runSample(
        of workload: WorkloadGenerator, sampledReplicas: Int, requestsPerReplica: Int, percentile: Double
    ) -> SimulationResult {
        let fleetReplicas = max(deployment.replicas, 1)
        let k = min(max(sampledReplicas, 1), fleetReplicas)
        let perReplica = max(requestsPerReplica, 1)
        let share = workload.arrival.roundRobinShare(of: fleetReplicas)
        var streams: [WorkloadGenerator] = []
        streams.reserveCapacity(k)
        for replica in 0..<k {
            // A seed per replica (a 64-bit golden-ratio stride keeps the streams apart); k ≤ the fleet.
            let seed = workload.seed &+ UInt64(replica) &* 0x9E37_79B9_7F4A_7C15
            guard
                let stream = try? WorkloadGenerator(
                    arrival: share, profile: workload.profile, input: workload.input, output: workload.output,
                    prefix: workload.prefix, count: perReplica, seed: seed)
            else { break }
            streams.append(stream)
        }
        let total = perReplica.saturatingMultiplying(by: streams.count)
        var state = RunState(fleet: self, expectedCount: total, replicas: max(streams.count, 1), pinned: true)
        // The next request of each stream; the earliest arrives first (k is small: a scan beats a heap).
        var heads = streams.indices.map { streams[$0].next() }
        var arrived = 0
        while true {
            var pick = -1
            for index in heads.indices {
                guard let head = heads[index] else { continue }
                if pick < 0 || head.arrival < heads[pick]!.arrival { pick = index }
            }
            guard pick >= 0, let request = heads[pick] else { break }
            state.arrive(request, pinned: pick)
            heads[pick] = streams[pick].next()
            arrived &+= 1
            if arrived & 255 == 0, Task.isCancelled { break }
        }
        state.finish()
        var result = state.result()
        let scale = Double(fleetReplicas) / Double(max(streams.count, 1))
        result.requestsPerSecond *= scale
        result.outputTokensPerSecond *= scale
        result.goodputRequestsPerSecond *= scale
        result.replicas = deployment.replicas
        result.accelerators = deployment.count
        let bounds = ReplicaSample.percentileBounds(percentile: percentile, measured: result.measured)
        result.coverage = .sampled(
            ReplicaSample(
                fleetReplicas: deployment.replicas, sampledReplicas: streams.count, requestsPerReplica: perReplica,
                router: .roundRobin, percentile: percentile, confidence: 0.95, percentileBounds: bounds,
                ttft: state.ttft.value(
                    atPercentile: bounds.lowerBound)...state.ttft.value(
                        atPercentile: bounds.upperBound),
                tpot: state.tpot.value(
                    atPercentile: bounds.lowerBound)...state.tpot.value(
                        atPercentile: bounds.upperBound),
                e2e: state.e2e.value(
                    atPercentile: bounds.lowerBound)...state.e2e.value(
                        atPercentile: bounds.upperBound)
            ))
        return result
    }
}
