/// The ranges Headroom accepts and the work one operation may do: physically meaningful bounds on every figure a
/// person gives, and budgets on what the simulator and the planner run, checked once here so the CLI, the HTTP API
/// and the MCP tools refuse the same inputs with the same message.
///
/// A refusal is a ``HeadroomError`` `.invalidInput` that names the field and the limit, never a trap, an unbounded
/// allocation or an unbounded loop.
public enum InputLimits {
    /// Request rates in requests per second (`traffic.peak_rps`, `rate`): from one request in about 12 days to a
    /// billion per second. Below it a simulation would span ages; above it no fleet the planner may size could serve.
    public static let requestRate: ClosedRange<Double> = 1e-6...1e9
    /// The coefficient of variation of gamma-distributed gaps between arrivals (`burstiness`).
    public static let burstiness: ClosedRange<Double> = 0.001...100
    /// Tokens in one request's prompt or output.
    public static let tokensPerRequest: ClosedRange<Double> = 1...100_000_000
    /// Accelerators in one serving deployment.
    public static let deploymentAccelerators = 1_000_000
    /// Ranks of one kind of parallelism (tensor, pipeline, expert).
    public static let parallelism = 65_536
    /// Replicas in one fleet the planner sizes or the simulator runs: tens of thousands, the largest inference fleets
    /// (a simulated step, arrival or routing decision costs O(log replicas), and a replica costs memory only once a
    /// request reaches it).
    public static let replicas = 100_000
    /// A workload's floor on replicas (`constraints.min_replicas`, and per region in all): a floor is a spare or
    /// availability requirement, not a fleet size — the planner sizes fleets up to ``replicas`` from the traffic. A
    /// floor of 100,000 under a 4 req/s workload made every finalist a fleet of that size (issue 14's reproduction).
    public static let minimumReplicas = 1_000
    /// Requests one simulation runs.
    public static let simulatedRequests = 1_000_000
    /// Requests each of the planner's confirming simulations runs (a plan runs up to 16 finalists × 5 attempts).
    public static let planSimulatedRequests = 100_000
    /// The work of one simulation, requests × ⌈log₂(replicas + 1)⌉ + replicas: an arrival, a step or a routing
    /// decision costs O(log replicas) (the fleet's replicas are kept in heaps by step time and load), and each replica
    /// is set up once. 10⁷ keeps a run to seconds: a million requests on up to 256 replicas, 100,000 on 10⁵.
    public static let simulationWork = 10_000_000.0

    /// The work ``simulationWork`` counts for `requests` on `replicas`.
    public static func simulationWork(requests: Int, replicas: Int) -> Double {
        let depth = Double(log2Ceiling(max(replicas, 1).saturatingAdding(1)))
        return Double(max(requests, 0)) * depth + Double(max(replicas, 0))
    }

    /// The most requests a simulation of `replicas` replicas may run under ``simulationWork``.
    public static func affordableRequests(replicas: Int) -> Int {
        let depth = Double(log2Ceiling(max(replicas, 1).saturatingAdding(1)))
        return Int(saturating: max(simulationWork - Double(max(replicas, 0)), 0) / depth)
    }
    /// Engine steps one simulation may take. ``simulationWork`` counts requests, but a replica steps once per decode
    /// token of its running batch: 4,000 requests of 4,000 output tokens on 1,966 one-GPU replicas (two requests
    /// each) are 8 million steps, minutes of CPU that a schemathesis run found as a 30 s timeout of
    /// `POST /v1/estimate`. A step costs ~17 µs in the debug build on a loaded 2-core machine (2 million steps ran
    /// 34 s there, past the reliability run's 20 s compute deadline); 600,000 keeps such a run near 10 s and admits
    /// 100,000 chat requests on 2,000 replicas (about 502,000 steps) and 250,000 on 256.
    public static let simulationSteps = 600_000.0

    /// Refuses a simulation whose predicted engine steps (``FleetSimulator/predictedSteps(requests:input:output:replicas:)``)
    /// pass ``simulationSteps``, naming `field` (the request count).
    public static func checkSteps(_ steps: Double, requests: Int, field: String) throws(HeadroomError) {
        guard steps <= simulationSteps else {
            throw HeadroomError(
                .invalidInput,
                "\(HeadroomError.mention(field)) \(requests): the simulation would take about "
                    + "\(describe(steps.rounded(.up))) engine steps (each replica steps once per output token of its "
                    + "batch); at most \(describe(simulationSteps)): fewer requests, fewer replicas or shorter outputs, "
                    + "or ask for the analytic estimate", field: field)
        }
    }

    /// Compounded monthly traffic growth (`traffic.growth_per_month`): from −99 % to +1,000 % a month.
    public static let growthPerMonth: ClosedRange<Double> = -0.99...10
    /// Replicas a cost analysis's demand curve may reach in any hour.
    public static let curveReplicas = 10 * replicas
    /// Replica-hours under a cost analysis's demand curve (procurement and autoscaling walk them one by one).
    public static let curveReplicaHours = 100_000_000
    /// Months a workload's growth is applied over (50 years).
    public static let horizonMonths: ClosedRange<Double> = 0...600
    /// Price of one accelerator-hour, in the book's currency.
    public static let pricePerHour: ClosedRange<Double> = 1e-6...1e6
    /// Training: total or active parameters.
    public static let trainingParams: ClosedRange<Double> = 1...1e16
    /// Training: tokens trained on.
    public static let trainingTokens: ClosedRange<Double> = 1...1e18
    /// Training: tokens per global batch.
    public static let globalBatchTokens: ClosedRange<Double> = 1...1e12
    /// Training: tokens served over the model's life (over-training analysis).
    public static let servingTokens: ClosedRange<Double> = 1...1e20
    /// Training: accelerators in one run.
    public static let trainingAccelerators = 10_000_000

    /// Checks that `value` lies in `range`.
    /// - Parameters:
    ///   - value: the figure given.
    ///   - range: the accepted range.
    ///   - field: the field's name in the workload or request (`traffic.peak_rps`).
    ///   - unit: the unit, printed after the limits (`req/s`).
    /// - Throws: ``HeadroomError`` `.invalidInput` naming `field` and the range, for a value outside it, NaN included.
    public static func check(
        _ value: Double, in range: ClosedRange<Double>, field: String, unit: String = ""
    ) throws(HeadroomError) {
        guard range.contains(value) else {
            let suffix = unit.isEmpty ? "" : " \(unit)"
            throw HeadroomError(
                .invalidInput,
                "\(field) must be between \(describe(range.lowerBound)) and \(describe(range.upperBound))\(suffix), "
                    + "got \(describe(value))",
                field: field)
        }
    }

    /// Checks that a count is at most `limit`.
    /// - Throws: ``HeadroomError`` `.invalidInput` naming `field` and the limit.
    public static func check(_ value: Int, atMost limit: Int, field: String, what: String = "") throws(HeadroomError) {
        guard value <= limit else {
            let suffix = what.isEmpty ? "" : " \(what)"
            throw HeadroomError(
                .invalidInput, "\(field) must be at most \(describe(Double(limit)))\(suffix), got \(value)",
                field: field)
        }
    }

    /// A limit or a value as people read it: whole numbers in full up to 10^15, others as Swift prints them.
    public static func describe(_ value: Double) -> String {
        if value.isFinite, value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}

/// ⌈log₂ n⌉ for n ≥ 2 (the depth of a heap of n − 1 replicas), at least 1.
private func log2Ceiling(_ n: Int) -> Int {
    guard n > 2 else { return 1 }
    return Int.bitWidth - (n - 1).leadingZeroBitCount
}
