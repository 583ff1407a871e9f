extension Estimator {
    /// The simulation behind an estimate: `requests` fixed-length requests, Poisson at `rate` (open loop) or from
    /// `clients` closed-loop clients, replayed from `seed`.
    public func simulate(
        _ load: Load, requests: Int, seed: UInt64, options: SimulationOptions = SimulationOptions()
    ) throws(HeadroomError) -> SimulationResult {
        try simulate(load, requests: requests, seed: seed, options: options, analytic: nil)
    }

    /// ``simulate(_:requests:seed:options:)`` given the analytic estimate of `load` where the caller has it.
    private func simulate(
        _ load: Load, requests: Int, seed: UInt64, options: SimulationOptions, analytic: Estimate?
    ) throws(HeadroomError) -> SimulationResult {
        guard requests >= 1 else {
            throw HeadroomError(.invalidInput, "`requests` must be at least 1", field: "requests")
        }
        let plan = deployment.memoryPlan
        try checkFits(plan)
        let fleet = try FleetSimulator(deployment: deployment, efficiency: model.efficiency, options: options)
        let runs: Int
        if case .offline(let count?) = load { runs = count } else { runs = requests }
        try InputLimits.checkSteps(
            fleet.predictedSteps(
                requests: runs, input: Double(shape.inputTokens), output: Double(shape.outputTokens)),
            requests: runs, field: "requests")
        let input = LengthDistribution.fixed(shape.inputTokens)
        let output = LengthDistribution.fixed(shape.outputTokens)
        switch load {
        case .rate(let rate):
            guard rate > 0, rate.isFinite else {
                throw HeadroomError(
                    .invalidInput, "`rate` must be a positive number of requests per second", field: "rate")
            }
            var generator = try WorkloadGenerator(
                arrival: .poisson(rate: rate), input: input, output: output, count: requests, seed: seed
            )
            return fleet.run(&generator, expectedCount: requests)
        case .concurrency(let clients):
            guard clients >= 1 else {
                throw HeadroomError(.invalidInput, "`concurrency` must be at least 1", field: "concurrency")
            }
            // Clients start spread over one request's analytic lifetime (see ``FleetSimulator/runClosedLoop``).
            let lifetime = (analytic ?? (try? estimate(load))).map { $0.e2e.p50 } ?? 0
            return fleet.runClosedLoop(
                clients: clients, requests: requests, input: input, output: output, seed: seed, stagger: lifetime)
        case .offline(let count):
            var generator = try WorkloadGenerator(
                arrival: .constant(rate: 1e12), input: input, output: output, count: count ?? requests, seed: seed
            )
            return fleet.run(&generator, expectedCount: count ?? requests)
        }
    }

    /// An estimate whose latencies and throughput come from the simulator.
    public func simulatedEstimate(
        _ load: Load, requests: Int, seed: UInt64, options: SimulationOptions = SimulationOptions()
    ) throws(HeadroomError) -> (estimate: Estimate, simulation: SimulationResult) {
        // The analytic pass first: it refuses a rate beyond capacity (a finite simulation of an unbounded queue would
        // print latencies that only measure how long the run was) and supplies memory and the step breakdown.
        var estimate = try estimate(load)
        let simulation = try simulate(load, requests: requests, seed: seed, options: options, analytic: estimate)
        estimate.ttft = simulation.ttft.percentiles
        estimate.tpot = simulation.tpot.count > 0 ? simulation.tpot.percentiles : .constant(0)
        estimate.e2e = simulation.e2e.percentiles
        estimate.meanTTFT = simulation.ttft.mean
        estimate.meanTPOT = simulation.tpot.mean
        estimate.requestsPerSecond = simulation.requestsPerSecond
        estimate.outputTokensPerSecond = simulation.outputTokensPerSecond
        let meanRunning =
            simulation.timeSeries.isEmpty
            ? estimate.batchSize
            : Double(simulation.timeSeries.map(\.running).reduce(0, +)) / Double(simulation.timeSeries.count)
        estimate.batchSize = meanRunning / Double(deployment.replicas)
        estimate.assumptions.removeAll { $0.hasPrefix("open-loop") || $0.hasPrefix("closed loop") }
        estimate.assumptions.append(
            "latencies from a discrete-event simulation of \(requests) fixed-length requests (seed \(seed), first "
                + "\(Int(saturating: options.warmupFraction * 100))% excluded as warm-up): \(simulation.measured) measured, "
                + "\(simulation.preemptions) preemptions, \(simulation.dropped) dropped"
        )
        return (estimate, simulation)
    }

    /// The highest request rate whose simulated p99 TTFT, TPOT and end-to-end latency meet `slo` (the objectives it
    /// sets), by deterministic bisection on simulations that replay the same seed.
    /// - Throws: ``HeadroomError`` `.infeasible` when even a trickle misses the SLO.
    public func simulatedMaxRate(meeting slo: LatencySLO, requests: Int, seed: UInt64) throws(HeadroomError) -> Double {
        guard slo.ttftSeconds != nil || slo.tpotSeconds != nil || slo.e2eSeconds != nil else {
            throw HeadroomError(.invalidInput, "`max_rate` needs `slo_ttft_ms` or `slo_tpot_ms`", field: "max_rate")
        }
        let capacity = try estimate(.offline(requests: nil)).requestsPerSecond
        func meets(_ rate: Double) throws(HeadroomError) -> (Bool, SimulationResult) {
            let result = try simulate(.rate(rate), requests: requests, seed: seed)
            var ok = result.dropped == 0
            if let limit = slo.ttftSeconds, result.ttft.value(at: 99) > limit { ok = false }
            if let limit = slo.tpotSeconds, result.tpot.value(at: 99) > limit { ok = false }
            if let limit = slo.e2eSeconds, result.e2e.value(at: 99) > limit { ok = false }
            return (ok, result)
        }
        var low = capacity * 0.01
        let (trickleOK, trickle) = try meets(low)
        guard trickleOK else {
            throw HeadroomError(
                .infeasible,
                "no rate meets the SLO: even \(humanNumber(low)) req/s gives p99 TTFT \(humanNumber(trickle.ttft.p99 * 1000)) ms "
                    + "and p99 TPOT \(humanNumber(trickle.tpot.p99 * 1000)) ms"
                    + (slo.e2eSeconds == nil ? "" : " and p99 E2E \(humanNumber(trickle.e2e.p99 * 1000)) ms"),
                field: "slo"
            )
        }
        // Above the steady-state capacity the queue grows without bound: a finite run only hides it for a while (and
        // the analytic pass refuses such a rate), so the search stays below it. A loose SLO is met up to capacity.
        var high = capacity * (1 - 1e-6)
        if try meets(high).0 { return high }
        for _ in 0..<16 {
            let mid = (low + high) / 2
            if try meets(mid).0 { low = mid } else { high = mid }
            if high - low < 0.005 * high { break }
        }
        return low
    }
}
