public import HeadroomCore

/// `headroom simulate --format json`: the estimate contract's keys plus the simulation's own (DESIGN.md §4).
public struct SimulationDocument: Encodable, Sendable {
    public struct Latency: Encodable, Sendable {
        var mean: Double
        var p50: Double
        var p90: Double
        var p95: Double
        var p99: Double
        var max: Double

        init(_ s: LatencySummary) {
            mean = s.mean * 1000
            p50 = s.p50 * 1000
            p90 = s.p90 * 1000
            p95 = s.p95 * 1000
            p99 = s.p99 * 1000
            max = s.max * 1000
        }
    }

    var outputTokensPerSecond: Double
    var outputTokensPerSecondPerAccelerator: Double
    var requestsPerSecond: Double
    var maxRateRequestsPerSecond: Double?
    var ttftMs: Latency
    var tpotMs: Latency
    var itlMs: Latency
    var e2eMs: Latency
    var queueingMs: Latency
    var memory: EstimateDocument.Memory
    var deployment: EstimateDocument.DeploymentSummary
    var simulatedRequests: Int
    var measuredRequests: Int
    var completedRequests: Int
    var droppedRequests: Int
    var simulatedSeconds: Double
    var goodputRequestsPerSecond: Double
    var sloAttainment: Double
    var preemptions: Int
    var wallSeconds: Double?
    var assumptions: [String]
    /// Whether the whole fleet or a sample of replicas ran.
    var coverage: CoverageDocument
    /// The same, in a sentence for the table.
    var coverageSummary: String

    enum CodingKeys: String, CodingKey {
        case outputTokensPerSecond = "output_tokens_per_second"
        case outputTokensPerSecondPerAccelerator = "output_tokens_per_second_per_accelerator"
        case requestsPerSecond = "requests_per_second"
        case maxRateRequestsPerSecond = "max_rate_requests_per_second"
        case ttftMs = "ttft_ms"
        case tpotMs = "tpot_ms"
        case itlMs = "itl_ms"
        case e2eMs = "e2e_ms"
        case queueingMs = "queueing_ms"
        case memory, deployment, preemptions, assumptions, coverage
        case simulatedRequests = "simulated_requests"
        case measuredRequests = "measured_requests"
        case completedRequests = "completed_requests"
        case droppedRequests = "dropped_requests"
        case simulatedSeconds = "simulated_seconds"
        case goodputRequestsPerSecond = "goodput_requests_per_second"
        case sloAttainment = "slo_attainment"
        case wallSeconds = "wall_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(outputTokensPerSecond, forKey: .outputTokensPerSecond)
        try c.encode(outputTokensPerSecondPerAccelerator, forKey: .outputTokensPerSecondPerAccelerator)
        try c.encode(requestsPerSecond, forKey: .requestsPerSecond)
        try c.encode(maxRateRequestsPerSecond, forKey: .maxRateRequestsPerSecond)
        try c.encode(ttftMs, forKey: .ttftMs)
        try c.encode(tpotMs, forKey: .tpotMs)
        try c.encode(itlMs, forKey: .itlMs)
        try c.encode(e2eMs, forKey: .e2eMs)
        try c.encode(queueingMs, forKey: .queueingMs)
        try c.encode(memory, forKey: .memory)
        try c.encode(deployment, forKey: .deployment)
        try c.encode(simulatedRequests, forKey: .simulatedRequests)
        try c.encode(measuredRequests, forKey: .measuredRequests)
        try c.encode(completedRequests, forKey: .completedRequests)
        try c.encode(droppedRequests, forKey: .droppedRequests)
        try c.encode(simulatedSeconds, forKey: .simulatedSeconds)
        try c.encode(goodputRequestsPerSecond, forKey: .goodputRequestsPerSecond)
        try c.encode(sloAttainment, forKey: .sloAttainment)
        try c.encode(preemptions, forKey: .preemptions)
        // Wall time varies run to run; it appears only when asked for (--timing), so the rest replays byte for byte.
        try c.encodeIfPresent(wallSeconds, forKey: .wallSeconds)
        try c.encode(assumptions, forKey: .assumptions)
        try c.encode(coverage, forKey: .coverage)
    }

    public init(
        _ result: SimulationResult, deployment: Deployment, memory: EstimateDocument.Memory, assumptions: [String],
        wallSeconds: Double?, router: SimulationOptions.Router = .leastOutstanding
    ) {
        coverage = CoverageDocument(result, router: router)
        coverageSummary = result.coverageSummary(router: router)
        outputTokensPerSecond = result.outputTokensPerSecond
        outputTokensPerSecondPerAccelerator = result.outputTokensPerSecond / Double(max(result.accelerators, 1))
        requestsPerSecond = result.requestsPerSecond
        maxRateRequestsPerSecond = nil
        ttftMs = Latency(result.ttft)
        tpotMs = Latency(result.tpot)
        itlMs = Latency(result.itl)
        e2eMs = Latency(result.e2e)
        queueingMs = Latency(result.queueing)
        self.memory = memory
        self.deployment = EstimateDocument.DeploymentSummary(deployment)
        simulatedRequests = result.arrived
        measuredRequests = result.measured
        completedRequests = result.completed
        droppedRequests = result.dropped
        simulatedSeconds = result.simulatedSeconds
        goodputRequestsPerSecond = result.goodputRequestsPerSecond
        sloAttainment = result.sloAttainment
        preemptions = result.preemptions
        self.wallSeconds = wallSeconds
        self.assumptions = assumptions
    }

    /// The table for people.
    public func table() -> String {
        let d = deployment
        var lines = [
            "\(d.model) on \(d.count)× \(d.accelerator) (tp=\(d.tp) pp=\(d.pp), \(d.replicas) replica\(d.replicas == 1 ? "" : "s")), "
                + "\(d.precision) weights, \(d.kvCachePrecision) KV, \(d.stack)",
            "",
        ]
        var summary = TextTable(header: ["simulation", "value"])
        summary.rows = [
            ["requests simulated / measured", "\(simulatedRequests) / \(measuredRequests)"],
            ["completed / dropped", "\(completedRequests) / \(droppedRequests)"],
            ["simulated seconds", humanNumber(simulatedSeconds)],
            ["output tokens/s", humanNumber(outputTokensPerSecond)],
            ["output tokens/s per accelerator", humanNumber(outputTokensPerSecondPerAccelerator)],
            ["requests/s", humanNumber(requestsPerSecond)],
            ["goodput (req/s meeting the SLO)", humanNumber(goodputRequestsPerSecond)],
            ["SLO attainment", humanNumber(sloAttainment * 100) + "%"],
            ["preemptions", String(preemptions)],
        ]
        if let wallSeconds { summary.rows.append(["wall seconds (simulator)", humanNumber(wallSeconds)]) }
        lines.append(summary.render())
        lines.append("")
        var latency = TextTable(header: ["latency (ms)", "mean", "p50", "p90", "p95", "p99", "max"])
        for (name, l) in [("TTFT", ttftMs), ("TPOT", tpotMs), ("ITL", itlMs), ("E2E", e2eMs), ("queueing", queueingMs)]
        {
            latency.rows.append([name] + [l.mean, l.p50, l.p90, l.p95, l.p99, l.max].map(humanNumber))
        }
        lines.append(latency.render())
        lines.append("")
        lines.append("assumptions:")
        lines += assumptions.map { "  - \($0)" }
        lines.append("  - \(coverageSummary)")
        return lines.joined(separator: "\n")
    }
}

extension EstimateDocument.DeploymentSummary {
    init(_ deployment: Deployment) {
        self.init(
            model: deployment.model.id, accelerator: deployment.accelerator.id, count: deployment.count,
            tp: deployment.tensorParallel, pp: deployment.pipelineParallel, ep: deployment.expertParallel,
            replicas: deployment.replicas, precision: deployment.precision.rawValue,
            kvCachePrecision: deployment.kvPrecision.rawValue, stack: deployment.stack.id
        )
    }
}

extension EstimateDocument.Memory {
    /// The memory block of a deployment, for documents without an estimate.
    public init(plan: MemoryPlan, maxConcurrentSequences: Double) {
        let gib = 1_073_741_824.0
        self.init(
            weightsGib: plan.weightsPerAccelerator / gib, kvCacheGib: max(plan.kvCachePerAccelerator, 0) / gib,
            activationsGib: plan.activationsPerAccelerator / gib, maxConcurrentSequences: Int(maxConcurrentSequences),
            kvCacheTokens: Int(plan.kvCapacityTokens), fits: plan.weightsFit && maxConcurrentSequences >= 1
        )
    }
}

/// The time series as CSV: `time_s,running,waiting,kv_utilisation`.
public enum TimeSeriesCSV {
    public static func render(_ samples: [TimeSample]) -> String {
        var lines = ["time_s,running,waiting,kv_utilisation"]
        lines.reserveCapacity(samples.count + 1)
        for s in samples {
            lines.append("\(s.time),\(s.running),\(s.waiting),\((s.kvUtilisation * 10_000).rounded() / 10_000)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
