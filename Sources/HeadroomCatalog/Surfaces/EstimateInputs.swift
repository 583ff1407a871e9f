public import HeadroomCore

/// What `headroom estimate` and `POST /v1/estimate` ask for: one request shape under one load.
public struct EstimateInputs: Sendable, Hashable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var concurrency: Int?
    public var rate: Double?
    public var offline: Bool
    public var requests: Int?
    public var seed: UInt64
    public var analytic: Bool
    public var sloTTFTMilliseconds: Double?
    public var sloTPOTMilliseconds: Double?
    public var maxRate: Bool

    public init(
        inputTokens: Int, outputTokens: Int, concurrency: Int? = nil, rate: Double? = nil, offline: Bool = false,
        requests: Int? = nil, seed: UInt64 = 1, analytic: Bool = false, sloTTFTMilliseconds: Double? = nil,
        sloTPOTMilliseconds: Double? = nil, maxRate: Bool = false
    ) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.concurrency = concurrency
        self.rate = rate
        self.offline = offline
        self.requests = requests
        self.seed = seed
        self.analytic = analytic
        self.sloTTFTMilliseconds = sloTTFTMilliseconds
        self.sloTPOTMilliseconds = sloTPOTMilliseconds
        self.maxRate = maxRate
    }

    /// Checks the combination of load options.
    /// - Throws: ``HeadroomError`` whose message names the flag.
    public func validate() throws(HeadroomError) {
        let modes = [concurrency != nil, rate != nil, offline].filter { $0 }.count
        if modes > 1 {
            throw HeadroomError(.invalidInput, "choose one of `concurrency`, `rate` and `offline`", field: "load")
        }
        if modes == 0 && !maxRate {
            throw HeadroomError(
                .invalidInput, "give a load: `concurrency`, `rate`, `offline` or `max_rate`", field: "load")
        }
        if let requests, requests < 1 {
            throw HeadroomError(.invalidInput, "`requests` must be at least 1", field: "requests")
        }
        if maxRate && sloTTFTMilliseconds == nil && sloTPOTMilliseconds == nil {
            throw HeadroomError(.invalidInput, "`max_rate` needs `slo_ttft_ms` and/or `slo_tpot_ms`", field: "max_rate")
        }
        for (name, value) in [("slo_ttft_ms", sloTTFTMilliseconds), ("slo_tpot_ms", sloTPOTMilliseconds)] {
            if let value, !(value > 0 && value.isFinite) {
                throw HeadroomError(
                    .invalidInput, "\(HeadroomError.mention(name)) must be a positive number", field: name)
            }
        }
        if let rate, !(rate > 0 && rate.isFinite) {
            throw HeadroomError(.invalidInput, "`rate` must be a positive number", field: "rate")
        }
        if let rate { try InputLimits.check(rate, in: InputLimits.requestRate, field: "rate", unit: "req/s") }
        if let requests {
            try InputLimits.check(requests, atMost: InputLimits.simulatedRequests, field: "requests", what: "requests")
        }
        if let concurrency, concurrency < 1 {
            throw HeadroomError(.invalidInput, "concurrency must be at least 1", field: "concurrency")
        }
        for (name, value) in [("slo_ttft_ms", sloTTFTMilliseconds), ("slo_tpot_ms", sloTPOTMilliseconds)] {
            if let value { try InputLimits.check(value, in: 1e-6...1e9, field: name, unit: "ms") }
        }
        _ = try RequestShape(inputTokens: inputTokens, outputTokens: outputTokens)
    }

    /// Resolves `selection`, then estimates (simulated unless `analytic` or offline), with the max-rate search.
    /// - Returns: the estimate, its assumptions led by the deployment's notes, and the deployment.
    /// - Throws: ``HeadroomError`` for unknown parts, deployments that do not fit, infeasible SLOs.
    public func estimate(
        _ selection: DeploymentSelection, in catalog: Catalog
    ) throws -> (estimate: Estimate, deployment: Deployment) {
        let resolved = try selection.resolve(in: catalog)
        let shape = try RequestShape(inputTokens: inputTokens, outputTokens: outputTokens)
        let estimator = Estimator(
            deployment: resolved.deployment, shape: shape, efficiency: try resolved.efficiency(in: catalog),
            batchLimitsGiven: selection.batchLimitsGiven
        )
        let slo = LatencySLO(
            ttftSeconds: sloTTFTMilliseconds.map { $0 / 1000 }, tpotSeconds: sloTPOTMilliseconds.map { $0 / 1000 })
        let simulated = requests ?? 4000
        var maxRateFound: Double?
        if maxRate {
            maxRateFound =
                analytic
                ? try estimator.maxRate(meeting: slo)
                : try estimator.simulatedMaxRate(meeting: slo, requests: simulated, seed: seed)
        }
        let load: Load
        if let concurrency {
            load = .concurrency(concurrency)
        } else if let rate {
            load = .rate(rate)
        } else if offline {
            load = .offline(requests: requests)
        } else if let maxRateFound {
            load = .rate(maxRateFound)
        } else {
            throw HeadroomError(.invalidInput, "give a load: `concurrency`, `rate`, `offline` or `max_rate`")
        }
        var estimate: Estimate
        if case .offline = load {
            estimate = try estimator.estimate(load)
        } else if analytic {
            estimate = try estimator.estimate(load)
        } else {
            estimate = try estimator.simulatedEstimate(load, requests: simulated, seed: seed).estimate
        }
        estimate.maxRateRequestsPerSecond = maxRateFound
        estimate.assumptions = resolved.notes + estimate.assumptions
        return (estimate, resolved.deployment)
    }
}
