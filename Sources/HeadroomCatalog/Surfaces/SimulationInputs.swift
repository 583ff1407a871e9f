import Foundation
public import HeadroomCore

/// What `headroom simulate` and `POST /v1/simulate` ask for: the traffic, lengths and scheduler options of one
/// simulation; each falls back to a workload file's field.
public struct SimulationInputs: Sendable, Hashable {
    public var inputTokens: Int?
    public var outputTokens: Int?
    public var inputDist: String = "fixed"
    public var outputDist: String = "fixed"
    public var preset: String?
    public var rate: Double?
    public var arrival: String?
    public var burstiness: Double?
    public var concurrency: Int?
    public var requests: Int?
    public var seed: UInt64 = 1
    public var router: String?
    public var disaggregate: String?
    public var noPrefixCaching: Bool = false
    public var warmup: Double = 0.05
    public var sloTTFT: Double?
    public var sloTPOT: Double?
    public var sloE2E: Double?
    public var keepRecords: Bool = false
    /// Simulate this many replicas at their round-robin share of the traffic instead of the whole fleet (round-robin
    /// router, generated open-loop arrivals, no disaggregation); `requests` is split over them.
    public var sampleReplicas: Int?

    public init() {}

    /// A finished simulation and what it assumed.
    public struct Outcome: Sendable {
        public var result: SimulationResult
        public var deployment: Deployment
        public var notes: [String]
        public var wallSeconds: Double
        /// Sequences of the mean request length the KV cache holds at once.
        public var maxConcurrentSequences: Double
        /// The router the fleet ran behind (a sample states its own in the result's coverage).
        public var router: SimulationOptions.Router = .leastOutstanding
    }

    /// Resolves `selection` over `spec`'s deployment and simulates the fleet.
    /// - Parameters:
    ///   - selection: the deployment.
    ///   - spec: a workload file's contents, when one is given.
    ///   - catalog: models, accelerators, stacks and efficiency profiles.
    /// - Throws: ``HeadroomError`` naming the missing or malformed input.
    public func simulate(
        _ selection: DeploymentSelection, spec: WorkloadSpec?, catalog: Catalog
    ) throws -> Outcome {
        let resolved = try selection.resolve(in: catalog, file: spec?.deployment, fileModel: spec?.model)
        let deployment = resolved.deployment
        let efficiency = try resolved.efficiency(in: catalog)

        var options = SimulationOptions(warmupFraction: warmup, prefixCaching: !noPrefixCaching)
        options.slo = SimulationOptions.SLO(
            ttftSeconds: (sloTTFT.map { $0 / 1000 }) ?? spec?.slo.ttftSeconds,
            tpotSeconds: (sloTPOT.map { $0 / 1000 }) ?? spec?.slo.tpotSeconds,
            e2eSeconds: (sloE2E.map { $0 / 1000 }) ?? spec?.slo.e2eSeconds
        )
        let merged =
            try selection.deployment.map { text throws(HeadroomError) in
                try DeploymentSelection.parse(text, over: spec?.deployment)
            } ?? spec?.deployment
        if let name = router ?? merged?.router {
            guard let value = SimulationOptions.Router(rawValue: name) else {
                throw HeadroomError(
                    .invalidInput,
                    "unknown router '\(name)'; one of \(SimulationOptions.Router.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: "router"
                )
            }
            options.router = value
        }
        var split: Disaggregation?
        if let text = disaggregate {
            let parts = text.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2 else {
                throw HeadroomError(
                    .invalidInput, "`disaggregate` takes PREFILL:DECODE, e.g. 1:3", field: "disaggregate")
            }
            split = Disaggregation(prefillReplicas: parts[0], decodeReplicas: parts[1])
        } else if let p = spec?.deployment?.prefillReplicas, let d = spec?.deployment?.decodeReplicas {
            split = Disaggregation(prefillReplicas: p, decodeReplicas: d)
        }
        var fleet = try FleetSimulator(
            deployment: deployment, efficiency: efficiency.profile, options: options, disaggregation: split)
        fleet.keepRecords = keepRecords

        let lengths = try self.lengths(spec: spec)
        let count = requests ?? spec?.traffic.requests ?? 10_000
        guard count >= 1 else {
            throw HeadroomError(.invalidInput, "`requests` must be at least 1", field: "requests")
        }
        try Self.checkBudget(requests: count, replicas: deployment.replicas)
        if let k = sampleReplicas {
            guard k >= 1, options.router == .roundRobin, split == nil, concurrency == nil,
                spec?.traffic.trace == nil || rate != nil
            else {
                throw HeadroomError(
                    .invalidInput,
                    "`sample_replicas` needs at least 1 replica, the round-robin router and generated open-loop "
                        + "arrivals without disaggregation (other routing couples the replicas: simulate the whole fleet)",
                    field: "sample_replicas")
            }
        }
        let steps = fleet.predictedSteps(
            requests: count, input: lengths.input.mean, output: lengths.output.mean,
            replicas: sampleReplicas.map { min($0, deployment.replicas) })
        try InputLimits.checkSteps(steps, requests: count, field: "requests")
        let started = Date()
        let result: SimulationResult
        var notes = resolved.notes
        if let clients = concurrency {
            guard clients >= 1 else {
                throw HeadroomError(.invalidInput, "`concurrency` must be at least 1", field: "concurrency")
            }
            result = fleet.runClosedLoop(
                clients: clients, requests: count, input: lengths.input, output: lengths.output, seed: seed)
            notes.append("closed loop of \(clients) clients")
        } else if let trace = spec?.traffic.trace, rate == nil {
            var source = ArrayRequestSource(Array(trace.prefix(count)))
            result = fleet.run(&source, expectedCount: min(count, trace.count))
            notes.append("replayed \(min(count, trace.count)) requests of the trace in \(spec?.file ?? "")")
        } else {
            let process = try arrivalProcess(spec: spec)
            var generator = try WorkloadGenerator(
                arrival: process, profile: spec?.traffic.profile ?? RateProfile(), input: lengths.input,
                output: lengths.output, prefix: spec?.prefix ?? .none, count: count, seed: seed
            )
            if let k = sampleReplicas {
                let sampled = min(k, deployment.replicas)
                result = fleet.runSample(
                    of: generator, sampledReplicas: sampled, requestsPerReplica: (count + sampled - 1) / sampled,
                    percentile: spec?.percentile ?? 99)
            } else {
                result = fleet.run(&generator, expectedCount: count)
            }
            notes.append(
                "\(describe(process)) arrivals, input \(describe(lengths.input)), output \(describe(lengths.output)), seed \(seed)"
            )
        }
        let wall = Date().timeIntervalSince(started)
        notes.append(
            "scheduler: \(deployment.stack.name) — max_num_seqs \(deployment.maxNumSeqs.map(String.init) ?? "from KV"), token budget \(deployment.maxBatchedTokens), KV blocks of \(deployment.stack.kvBlockSize) (\(fleet.blocksPerReplica) per replica), \(deployment.stack.chunkedPrefill ? "chunked prefill" : "whole-prompt prefill"), \(deployment.stack.kvReservation == .fullSequence ? "full-sequence KV reservation (no preemption)" : "preemption by recompute")"
        )
        if let split {
            notes.append(
                "disaggregated: \(split.prefillReplicas) prefill + \(split.decodeReplicas) decode replicas, KV shipped over \(deployment.accelerator.scaleOut?.name ?? "the scale-up fabric")"
            )
        } else {
            notes.append("router: \(options.router.rawValue)")
        }
        notes.append("first \(Int(warmup * 100))% of requests excluded as warm-up")
        return Outcome(
            result: result, deployment: deployment, notes: notes, wallSeconds: wall,
            maxConcurrentSequences: deployment.maxSequences(
                ofTokens: lengths.input.mean + lengths.output.mean, plan: deployment.memoryPlan),
            router: options.router)
    }

    /// Checks a simulation's size against ``InputLimits``: requests, replicas, and the work
    /// (``InputLimits/simulationWork(requests:replicas:)``).
    /// - Throws: ``HeadroomError`` naming `requests` or `count` and the limit.
    public static func checkBudget(requests: Int, replicas: Int) throws(HeadroomError) {
        try InputLimits.check(requests, atMost: InputLimits.simulatedRequests, field: "requests", what: "requests")
        try InputLimits.check(
            replicas, atMost: InputLimits.replicas, field: "count", what: "replicas (count / (tp·pp)) to simulate")
        let work = InputLimits.simulationWork(requests: requests, replicas: replicas)
        guard work <= InputLimits.simulationWork else {
            let affordable = InputLimits.affordableRequests(replicas: replicas)
            throw HeadroomError(
                .invalidInput,
                "requests × ⌈log₂(replicas + 1)⌉ + replicas must be at most \(InputLimits.describe(InputLimits.simulationWork)); "
                    + "\(replicas) replicas can simulate at most \(affordable) requests, got \(requests)",
                field: "requests")
        }
    }

    func describe(_ lengths: LengthDistribution) -> String {
        switch lengths {
        case .fixed(let n): "fixed \(n) tokens"
        case .uniform(let low, let high): "uniform \(low)–\(high) tokens"
        case .normal(let mean, let sd): "normal (mean \(humanNumber(mean)), sd \(humanNumber(sd)))"
        case .lognormal(let mean, let sigma): "lognormal (mean \(humanNumber(mean)), σ \(humanNumber(sigma)))"
        case .empirical: "empirical (mean \(humanNumber(lengths.mean)))"
        }
    }

    func describe(_ process: ArrivalProcess) -> String {
        switch process {
        case .poisson(let rate): "Poisson \(humanNumber(rate)) req/s"
        case .constant(let rate): "constant \(humanNumber(rate)) req/s"
        case .gamma(let rate, let cv): "gamma \(humanNumber(rate)) req/s, CV \(humanNumber(cv))"
        }
    }

    func arrivalProcess(spec: WorkloadSpec?) throws -> ArrivalProcess {
        let kind = arrival?.lowercased()
        if rate == nil, kind == nil, burstiness == nil, let process = spec?.traffic.arrival { return process }
        guard let rate = rate ?? spec.flatMap({ Self.rate(of: $0.traffic.arrival) }) else {
            throw HeadroomError(
                .invalidInput, "give `rate` (or a workload file with traffic.rate_rps), or `concurrency`", field: "rate"
            )
        }
        guard rate > 0, rate.isFinite else {
            throw HeadroomError(.invalidInput, "`rate` must be positive", field: "rate")
        }
        try InputLimits.check(rate, in: InputLimits.requestRate, field: "rate", unit: "req/s")
        switch kind ?? (burstiness != nil ? "gamma" : "poisson") {
        case "poisson": return .poisson(rate: rate)
        case "constant": return .constant(rate: rate)
        case "gamma":
            let cv = burstiness ?? 1
            guard cv > 0, cv.isFinite else {
                throw HeadroomError(.invalidInput, "`burstiness` must be positive", field: "burstiness")
            }
            return .gamma(rate: rate, cv: cv)
        default:
            throw HeadroomError(.invalidInput, "`arrival` must be poisson, constant or gamma", field: "arrival")
        }
    }

    public static func rate(of process: ArrivalProcess) -> Double {
        switch process {
        case .poisson(let rate), .constant(let rate), .gamma(let rate, _): rate
        }
    }

    public func lengths(spec: WorkloadSpec?) throws -> (input: LengthDistribution, output: LengthDistribution) {
        if let preset {
            let found = try WorkloadPreset.named(preset)
            return (found.input, found.output)
        }
        let input: LengthDistribution
        let output: LengthDistribution
        if let mean = inputTokens {
            input = try Self.distribution(inputDist, mean: mean, field: "input_dist")
        } else if let spec {
            input = spec.input
        } else {
            throw HeadroomError(
                .invalidInput, "give `input_tokens` (or `preset`, or a workload file)", field: "input_tokens")
        }
        if let mean = outputTokens {
            output = try Self.distribution(outputDist, mean: mean, field: "output_dist")
        } else if let spec {
            output = spec.output
        } else {
            throw HeadroomError(
                .invalidInput, "give `output_tokens` (or `preset`, or a workload file)", field: "output_tokens")
        }
        return (input, output)
    }

    /// `fixed`, `lognormal[:sigma]`, `normal[:stddev]`, `uniform[:min-max]` around `mean`.
    public static func distribution(
        _ text: String, mean: Int, field: String
    ) throws(HeadroomError) -> LengthDistribution {
        guard mean >= 1 else {
            throw HeadroomError(.invalidInput, "mean length must be at least 1, got \(mean)", field: field)
        }
        try InputLimits.check(Double(mean), in: InputLimits.tokensPerRequest, field: field, unit: "tokens")
        let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        let parameter = parts.count > 1 ? parts[1] : nil
        let value: LengthDistribution
        switch parts.first ?? "fixed" {
        case "fixed": value = .fixed(mean)
        case "lognormal": value = .lognormal(mean: Double(mean), sigma: parameter.flatMap(Double.init) ?? 0.8)
        case "normal": value = .normal(mean: Double(mean), stddev: parameter.flatMap(Double.init) ?? Double(mean) / 4)
        case "uniform":
            let bounds = parameter?.split(separator: "-").compactMap { Int($0) } ?? []
            value = bounds.count == 2 ? .uniform(min: bounds[0], max: bounds[1]) : .uniform(min: 1, max: 2 * mean - 1)
        default:
            throw HeadroomError(
                .invalidInput, "unknown distribution '\(text)'; fixed, lognormal, normal or uniform", field: field)
        }
        return try value.validated(field: field)
    }
}
