/// Searches accelerator × stack × precision × TP/PP/EP × replicas (× prefill/decode split) for the cheapest fleets
/// that meet the SLO at peak: analytic pruning first, then the simulator confirms the finalists.
public struct Planner: Sendable {
    public var catalog: Catalog
    /// Finalists the simulator checks per round (one task each).
    public var finalists: Int
    /// Most configurations simulated in all.
    public var maxSimulations: Int

    public init(catalog: Catalog, finalists: Int = 4, maxSimulations: Int = 16) {
        self.catalog = catalog
        self.finalists = finalists
        self.maxSimulations = maxSimulations
    }

    /// One configuration that fits and meets the SLO analytically.
    struct Sized {
        var deployment: Deployment
        var efficiency: (profile: EfficiencyProfile, specificity: Int)
        var price: AcceleratorPrice?
        var capacity: Double
        var spare: Int
        var cost: Double
    }

    /// Plans `request`.
    /// - Throws: ``HeadroomError`` for a request that cannot be planned at all (no traffic, unknown ids).
    @concurrent
    public func plan(_ request: PlanRequest) async throws(HeadroomError) -> Plan {
        try validate(request)
        var rejections: [Rejection] = []
        var sized: [Sized] = []
        var configurations = 0
        var fitting = 0
        // Layouts that fit, kept to explain an impossible SLO (evaluated only when no candidate is found).
        var fittedLayouts: [(accelerator: String, estimator: Estimator)] = []
        let slo = latencySLO(request.objectives)
        let shape = try RequestShape(
            inputTokens: max(Int(saturating: request.traffic.input.mean.rounded()), 1),
            outputTokens: max(Int(saturating: request.traffic.output.mean.rounded()), 1)
        )
        var minimumTP: [String: Int] = [:]

        for accelerator in catalog.accelerators.sorted(by: { $0.id < $1.id }) {
            if Task.isCancelled { throw .cancelled }
            if let allowed = request.constraints.accelerators, !allowed.contains(accelerator.id) { continue }
            let price = bestPrice(for: accelerator.id, request: request)
            if price == nil, !request.constraints.onPremOnly {
                rejections.append(
                    Rejection(
                        configuration: accelerator.id,
                        reason: "no price under the constraints (provider, region, residency)"))
                continue
            }
            for stack in catalog.stacks.sorted(by: { $0.id < $1.id }) {
                if let allowed = request.constraints.stacks, !allowed.contains(stack.id) { continue }
                let precisions = candidatePrecisions(accelerator: accelerator, stack: stack, request: request)
                if precisions.isEmpty { continue }
                guard
                    let efficiency = catalog.efficiency(
                        stack: stack.id, accelerator: accelerator.id, isMoE: request.model.isMoE)
                else {
                    continue
                }
                // Uncalibrated pairs: left out, derated, or ranked as they are (quality.calibration).
                var derating = 1.0
                if efficiency.specificity < 3 {
                    let borrowed =
                        "\(efficiency.profile.stack) on \(efficiency.profile.accelerators.joined(separator: "/"))"
                    switch request.constraints.calibration {
                    case .any: break
                    case .require:
                        rejections.append(
                            Rejection(
                                configuration: "\(accelerator.id) \(stack.id)",
                                reason:
                                    "uncalibrated: no efficiency profile fitted for \(stack.id) on \(accelerator.id) "
                                    + "(borrows \(borrowed)); quality.calibration is require"))
                        continue
                    case .widen(let margin):
                        let error = margin ?? efficiency.profile.validatedError?.throughput ?? 0
                        derating = 1 - min(max(error, 0), 0.9)
                    }
                }
                for precision in precisions {
                    var fitted = 0
                    for (tp, pp) in layouts(for: request.model, on: accelerator) {
                        guard fitted < 3 else { break }
                        configurations += 1
                        let label = "\(accelerator.id) \(stack.id) \(precision) tp=\(tp) pp=\(pp)"
                        let ep = request.model.moe.map { $0.experts % tp == 0 ? tp : 1 } ?? 1
                        guard
                            let deployment = try? Deployment(
                                model: request.model, accelerator: accelerator, stack: stack, count: tp * pp,
                                tensorParallel: tp, pipelineParallel: pp, expertParallel: ep, precision: precision
                            )
                        else { continue }
                        let estimator = Estimator(deployment: deployment, shape: shape, efficiency: efficiency)
                        let plan = deployment.memoryPlan
                        guard plan.weightsFit,
                            deployment.maxSequences(
                                ofTokens: Double(shape.inputTokens + shape.outputTokens), plan: plan) >= 1
                        else {
                            rejections.append(
                                Rejection(
                                    configuration: label,
                                    reason:
                                        "does not fit: weights \(humanNumber(plan.weightsPerAccelerator / 1_073_741_824)) GiB per accelerator"
                                ))
                            continue
                        }
                        fitted += 1
                        fitting += 1
                        let key = "\(accelerator.id)|\(precision)"
                        minimumTP[key] = min(minimumTP[key] ?? Int.max, tp * pp)
                        fittedLayouts.append((accelerator.id, estimator))
                        // Batch limits: the stack's defaults, a smaller token budget (shorter prefill chunks keep TPOT
                        // down) and a lower sequence cap (less interference per step). The best capacity wins.
                        var best: (deployment: Deployment, capacity: Double)?
                        var lastError: HeadroomError?
                        for variant in batchVariants(of: deployment) {
                            let tuned = Estimator(deployment: variant, shape: shape, efficiency: efficiency)
                            do {
                                let capacity = try tuned.maxRate(
                                    meeting: slo, percentile: request.objectives.percentile)
                                let derated = capacity * derating
                                if derated > (best?.capacity ?? 0) * 1.02 { best = (variant, derated) }
                            } catch {
                                lastError = error
                            }
                        }
                        guard let best else {
                            rejections.append(
                                Rejection(configuration: label, reason: lastError?.message ?? "misses the SLO"))
                            continue
                        }
                        let needed = Int(saturating: (request.traffic.peakRate / best.capacity).rounded(.up))
                        let spare = sparesFor(request.objectives.availability)
                        let replicas = max(needed, request.constraints.minimumReplicas).saturatingAdding(spare)
                        guard replicas <= InputLimits.replicas else {
                            rejections.append(
                                Rejection(
                                    configuration: label,
                                    reason:
                                        "needs \(replicas == Int.max ? "more than \(InputLimits.replicas)" : "\(replicas)") replicas at peak, over the planner's budget of \(InputLimits.replicas) replicas per fleet"
                                ))
                            continue
                        }
                        let accelerators = replicas * tp * pp
                        var scaled = best.deployment
                        scaled.count = accelerators
                        // Paid in whole purchase units (instances, slices, racks), not single accelerators.
                        let cost = Self.hourlyCost(of: accelerators, at: price)
                        sized.append(
                            Sized(
                                deployment: scaled, efficiency: efficiency, price: price, capacity: best.capacity,
                                spare: spare, cost: cost))
                    }
                }
            }
        }
        sized.sort { $0.cost < $1.cost || ($0.cost == $1.cost && $0.deployment.count < $1.deployment.count) }

        // Finalists: the cheapest configurations, confirmed by simulation at peak in parallel batches, until no
        // unconfirmed configuration is cheaper than the cheapest confirmed one (or the simulation budget is spent).
        var verified: [PlanCandidate] = []
        var pending = sized[...]
        var simulated = 0
        while simulated < maxSimulations {
            if Task.isCancelled { throw .cancelled }
            let cheapestConfirmed = verified.filter(\.verified).map(\.costPerHour).min() ?? .infinity
            let batch = Array(pending.prefix { $0.cost <= cheapestConfirmed + 1e-9 }.prefix(finalists))
            if batch.isEmpty { break }
            let outcome = await confirm(batch, request: request, shape: shape)
            verified += outcome.confirmed
            rejections += outcome.rejected
            simulated += batch.count
            pending = pending.dropFirst(batch.count)
        }
        var candidates = verified
        for item in pending {
            candidates.append(candidate(item, request: request, shape: shape, simulation: nil))
        }
        if request.constraints.allowDisaggregation {
            candidates += await disaggregatedVariants(of: verified, request: request)
        }
        if Task.isCancelled { throw .cancelled }
        // Confirmed candidates first, cheapest first (the first is the recommendation), then the analytic-only ones:
        // an analytic figure is never ranked against a simulated one, and the Pareto front is drawn from confirmed
        // figures (from analytic ones only when nothing was confirmed, every row then marked so).
        candidates.sort { a, b in
            if a.verified != b.verified { return a.verified }
            if a.costPerHour != b.costPerHour { return a.costPerHour < b.costPerHour }
            return a.ttft.p99 < b.ttft.p99  // at equal cost, the faster first
        }
        let confirmed = candidates.filter(\.verified)
        let pareto = paretoFront(confirmed.isEmpty ? candidates : confirmed)
        let statistics = SearchStatistics(
            configurations: configurations, fitting: fitting, meetingSLO: sized.count,
            simulated: simulated
        )
        var plan = Plan(
            request: request, candidates: candidates, pareto: pareto, advisories: [], rejections: rejections,
            statistics: statistics, integration: nil
        )
        // The best each part can do (a trickle's latency and what dominates it) matters only when nothing meets the SLO.
        var bestLatency: [String: (ttft: Double, tpot: Double, dominant: String)] = [:]
        if candidates.isEmpty {
            for (accelerator, estimator) in fittedLayouts {
                guard let trickle = try? estimator.estimate(.rate(1e-3)) else { continue }
                let ttft = trickle.ttft.value(at: request.objectives.percentile)
                let tpot = trickle.tpot.value(at: request.objectives.percentile)
                if bestLatency[accelerator].map({ ttft < $0.ttft || tpot < $0.tpot }) ?? true {
                    bestLatency[accelerator] = (ttft, tpot, dominantTerm(estimator: estimator))
                }
            }
        }
        plan.advisories = Advisor(catalog: catalog).advise(plan, bestLatency: bestLatency, minimumTP: minimumTP)
        return plan
    }

    // MARK: Pieces

    /// Checks the request against ``InputLimits``: rates, lengths, replicas, simulated requests and prices.
    func validate(_ request: PlanRequest) throws(HeadroomError) {
        let t = request.traffic
        guard t.peakRate > 0, t.peakRate.isFinite else {
            throw HeadroomError(.invalidInput, "peak rate must be positive", field: "traffic.peak_rps")
        }
        try InputLimits.check(t.peakRate, in: InputLimits.requestRate, field: "traffic.peak_rps", unit: "req/s")
        guard t.averageRate > 0, t.averageRate <= t.peakRate * (1 + 1e-9) else {
            throw HeadroomError(.invalidInput, "average rate must be positive and at most the peak", field: "traffic")
        }
        try InputLimits.check(t.input.mean, in: InputLimits.tokensPerRequest, field: "lengths.input", unit: "tokens")
        try InputLimits.check(
            t.output.mean, in: InputLimits.tokensPerRequest, field: "lengths.output", unit: "tokens")
        let c = request.constraints
        guard c.minimumReplicas >= 1 else {
            throw HeadroomError(
                .invalidInput, "constraints.min_replicas must be at least 1", field: "constraints.min_replicas")
        }
        try InputLimits.check(
            c.minimumReplicas, atMost: InputLimits.minimumReplicas, field: "constraints.min_replicas", what: "replicas")
        guard request.simulatedRequests >= 1 else {
            throw HeadroomError(.invalidInput, "requests must be at least 1", field: "requests")
        }
        try InputLimits.check(
            request.simulatedRequests, atMost: InputLimits.planSimulatedRequests, field: "requests",
            what: "simulated requests")
        try validateAccelerators(request)
        if let budget = c.budgetPerHour, !(budget > 0 && budget.isFinite) {
            throw HeadroomError(
                .invalidInput, "constraints.budget_per_hour must be positive", field: "constraints.budget_per_hour")
        }
        for price in request.prices {
            try InputLimits.check(
                price.perHour, in: InputLimits.pricePerHour, field: "pricing.per_hour",
                unit: "per accelerator-hour (\(price.accelerator), \(price.provider))")
        }
        let o = request.objectives
        guard o.ttftSeconds != nil || o.tpotSeconds != nil || o.e2eSeconds != nil else {
            throw HeadroomError(.invalidInput, "the SLO needs at least one of ttft_ms, tpot_ms, e2e_ms", field: "slo")
        }
        guard [50.0, 90, 95, 99].contains(o.percentile) else {
            throw HeadroomError(.invalidInput, "percentile must be 50, 90, 95 or 99", field: "slo.percentile")
        }
    }

    /// Refuses allowed accelerators the catalog does not hold, and a constraint whose accelerators all lack a price.
    func validateAccelerators(_ request: PlanRequest) throws(HeadroomError) {
        guard let allowed = request.constraints.accelerators, !allowed.isEmpty else { return }
        for id in allowed.sorted() where !catalog.accelerators.contains(where: { $0.id == id }) {
            let near = catalog.nearestAccelerators(to: id)
            throw HeadroomError(
                .unknownEntry,
                "unknown accelerator '\(id)' in constraints.accelerators"
                    + (near.isEmpty ? "" : "; did you mean \(near.joined(separator: ", "))?")
                    + " (`headroom catalog accelerators` lists them)",
                field: "constraints.accelerators")
        }
        let unpriced = allowed.sorted().filter { bestPrice(for: $0, request: request) == nil }
        guard unpriced.count == allowed.count else { return }
        let c = request.constraints
        let scope =
            c.onPremOnly
            ? "no on-prem (owned) price"
            : "no price under the constraints (provider, region, data residency)"
        throw HeadroomError(
            .infeasible,
            "no price: \(unpriced.joined(separator: ", ")) \(unpriced.count == 1 ? "has" : "have") \(scope) in the "
                + "price book; give pricing.overrides (accelerator, per_hour, and the jurisdiction the residency "
                + "constraint needs) or allow another accelerator",
            field: "pricing.overrides")
    }

    func latencySLO(_ o: PlanRequest.Objectives) -> LatencySLO {
        LatencySLO(ttftSeconds: o.ttftSeconds, tpotSeconds: o.tpotSeconds, e2eSeconds: o.e2eSeconds)
    }

    /// The batch-limit settings tried for a layout: the stack's defaults first.
    func batchVariants(of deployment: Deployment) -> [Deployment] {
        var variants = [deployment]
        // A mixture-of-experts model over several ranks may run attention data-parallel (SGLang
        // --enable-dp-attention, TensorRT-LLM enable_attention_dp, vLLM --data-parallel-size): more KV room and
        // fewer latent reads per rank, the attention weights on every rank. The search keeps whichever meets the SLO
        // at the higher rate.
        if deployment.model.isMoE, deployment.tensorParallel > 1, deployment.pipelineParallel == 1,
            !deployment.attentionDataParallel
        {
            var dataParallel = deployment
            dataParallel.attentionDataParallel = true
            if dataParallel.memoryPlan.weightsFit { variants.append(dataParallel) }
        }
        if deployment.maxBatchedTokens > 2048 {
            var smaller = deployment
            smaller.maxBatchedTokens = 2048
            variants.append(smaller)
        }
        if (deployment.maxNumSeqs ?? Int.max) > 128 {
            var fewer = deployment
            fewer.maxNumSeqs = 128
            variants.append(fewer)
        }
        return variants
    }

    func sparesFor(_ availability: Double?) -> Int {
        guard let availability else { return 0 }
        return availability >= 0.99 ? 1 : 0
    }

    func bestPrice(for accelerator: String, request: PlanRequest) -> AcceleratorPrice? {
        let c = request.constraints
        return request.prices.filter { price in
            guard price.accelerator == accelerator else { return false }
            if c.onPremOnly { return price.provider == "on-prem" }
            if price.provider == "on-prem" { return false }  // owned capex only competes in on-prem plans
            if let providers = c.providers, !providers.contains(price.provider) { return false }
            if let regions = c.regions, !regions.contains(price.region) { return false }
            if let places = c.jurisdictions, !places.contains(price.jurisdiction) { return false }
            return true
        }
        .min {
            ($0.perHour, $0.unitAccelerators, $0.provider) < ($1.perHour, $1.unitAccelerators, $1.provider)
        }
    }

    /// Precisions worth trying: one per width the stack serves on the part, at or above the quality floor.
    func candidatePrecisions(accelerator: Accelerator, stack: ServingStack, request: PlanRequest) -> [Precision] {
        let floor = request.constraints.precisionFloorBits
        // A checkpoint published in a narrower format (gpt-oss in MXFP4) is served in its own format: that is the
        // model as released, not a quantisation of it.
        let native = request.model.weightsQuantization
        var options = Set(stack.precisions(on: accelerator.id)).filter {
            $0 != .fp32 && ($0.bits >= floor || $0 == native)
        }
        // Leave out what no launcher can start: a quantized format the stack cannot make at load time and no
        // published checkpoint carries (TensorRT-LLM FP8 of a model without a ModelOpt export). GGUF files are the
        // llama.cpp formats themselves.
        options = options.filter {
            $0.isGGUF || stack.quantizesOnline($0) || request.model.checkpoint(in: $0) != nil
        }
        if options.contains(.bf16) { options.remove(.fp16) }
        if options.contains(.int4AWQ) { options.remove(.int4GPTQ) }
        if options.contains(.fp8) { options.remove(.int8) }
        if options.contains(.fp4), options.contains(.mxfp4) {
            // The checkpoint's own 4-bit format where it ships one.
            options.remove(request.model.weightsQuantization == .mxfp4 ? .fp4 : .mxfp4)
        }
        return options.sorted { $0.bits > $1.bits || ($0.bits == $1.bits && $0.rawValue < $1.rawValue) }
    }

    /// Tensor × pipeline layouts, smallest first: TP inside the scale-up domain, then pipeline stages across nodes.
    func layouts(for model: ModelArchitecture, on accelerator: Accelerator) -> [(Int, Int)] {
        let domain = max(accelerator.scaleUp?.domainSize ?? 1, 1)
        let node = max(accelerator.nodeSize ?? domain, 1)
        let maxTP = min(max(min(domain, 64), 1), model.attentionHeads)
        var result: [(Int, Int)] = []
        var tp = 1
        while tp <= maxTP {
            if model.attentionHeads % tp == 0 { result.append((tp, 1)) }
            tp *= 2
        }
        let widest = result.last?.0 ?? 1
        for pp in [2, 4, 8] where pp <= model.layers {
            result.append((widest, pp))
        }
        _ = node
        return result
    }

    /// Which term dominates a lone request's latency: prefill compute, decode bandwidth or interconnect.
    func dominantTerm(estimator: Estimator) -> String {
        let model = estimator.model
        let shape = estimator.shape
        let prefill = model.stepTime(.prefill(promptTokens: Double(shape.inputTokens)))
        let decode = model.stepTime(.decode(sequences: 1, context: Double(shape.inputTokens)))
        let comm = prefill.communication.seconds + Double(shape.outputTokens) * decode.communication.seconds
        let prefillCompute = prefill.seconds - prefill.communication.seconds
        let decodeBandwidth = Double(shape.outputTokens) * (decode.seconds - decode.communication.seconds)
        let terms = [
            ("prefill compute", prefillCompute), ("decode bandwidth", decodeBandwidth), ("interconnect", comm),
        ]
        return terms.max { $0.1 < $1.1 }!.0
    }

    func candidate(
        _ item: Sized, request: PlanRequest, shape: RequestShape, simulation: SimulationResult?
    ) -> PlanCandidate {
        let fleetCapacity = item.capacity * Double(item.deployment.replicas - item.spare)
        let estimator = Estimator(deployment: item.deployment, shape: shape, efficiency: item.efficiency)
        let analytic = try? estimator.estimate(.rate(request.traffic.peakRate))
        let tokensPerHour = request.traffic.averageRate * request.traffic.output.mean * 3600
        var notes: [String] = []
        let profile = item.efficiency.profile
        let measured = profile.validatedError.map { "; validated median error \($0.summary)" } ?? ""
        if item.efficiency.specificity < 3 {
            let d = item.deployment
            let reference = profile.referenceAccelerator ?? profile.accelerators.first ?? "?"
            // A fit on this very part borrows only another stack's constants: say so, not "from the <same part> fit".
            let samePart = profile.accelerators.contains(d.accelerator.id) || reference == d.accelerator.id
            let lender = samePart ? "another stack's fit on the same part" : "the \(reference) fit"
            notes.append(
                "\(d.stack.id) on \(d.accelerator.id) is not calibrated: efficiency borrowed from \(lender)"
                    + " (\(profile.stack) on \(profile.accelerators.joined(separator: "/")))"
                    + (profile.provenance.notes?.contains("scaled by") == true
                        ? ", compute scaled by the parts' measured matmul fractions" : "")
                    + " — less certain than calibrated pairs" + measured
            )
        } else if !measured.isEmpty {
            notes.append("calibrated: \(profile.stack) on \(profile.accelerators.joined(separator: "/"))" + measured)
        }
        return PlanCandidate(
            deployment: item.deployment, disaggregation: nil, price: item.price, costPerHour: item.cost,
            costPerMillionTokens: item.cost / max(tokensPerHour, 1e-9) * 1e6, perReplicaCapacity: item.capacity,
            spareReplicas: item.spare, peakUtilisation: request.traffic.peakRate / fleetCapacity,
            averageUtilisation: request.traffic.averageRate / fleetCapacity,
            ttft: simulation?.ttft.percentiles ?? analytic?.ttft ?? .constant(0),
            tpot: simulation?.tpot.percentiles ?? analytic?.tpot ?? .constant(0),
            e2e: simulation?.e2e.percentiles ?? analytic?.e2e ?? .constant(0), verified: simulation != nil,
            simulation: simulation, notes: notes
        )
    }

    /// Whether a simulation meets the objectives at the request's percentile.
    func meets(_ result: SimulationResult, _ o: PlanRequest.Objectives) -> Bool {
        guard result.dropped == 0, result.measured > 0 else { return false }
        let p = o.percentile
        if let limit = o.ttftSeconds, result.ttft.value(at: p) > limit { return false }
        if let limit = o.tpotSeconds, result.tpot.value(at: p) > limit { return false }
        if let limit = o.e2eSeconds, result.e2e.value(at: p) > limit { return false }
        return true
    }

    /// Requests per replica a confirming simulation needs before it may sample instead of running the whole fleet:
    /// a fleet whose request count gives every replica this many runs whole (as every plan of a few replicas
    /// does).
    static let wholeFleetRequestsPerReplica = 40
    /// Replicas a sampled confirmation simulates.
    static let sampledReplicas = 4

    /// Whether the confirming simulation of `replicas` replicas runs the whole fleet behind a least-outstanding
    /// router (routing couples the replicas; disaggregated pools always do) or a sample of them behind round-robin.
    func simulatesWholeFleet(replicas: Int, request: PlanRequest, split: Disaggregation?) -> Bool {
        split != nil
            || Self.wholeFleetRequestsPerReplica.saturatingMultiplying(by: replicas) <= request.simulatedRequests
    }

    /// Simulates `deployment` at peak: the whole fleet where ``simulatesWholeFleet(replicas:request:split:)``, else
    /// a sample of ``sampledReplicas`` replicas at their round-robin share with enough requests for the SLO's
    /// percentile (``ReplicaSample/measuredRequests(forPercentile:)`` measured, after the warm-up).
    /// - Complexity: whole fleet, O(requests · log replicas) with requests ≤ max(the request's, 40 per replica);
    ///   sampled, O(requests per replica × ``sampledReplicas``), independent of the fleet's size.
    func simulate(
        _ deployment: Deployment, efficiency: EfficiencyProfile, request: PlanRequest, split: Disaggregation? = nil
    ) -> SimulationResult? {
        let options = SimulationOptions(
            router: .leastOutstanding,
            slo: .init(
                ttftSeconds: request.objectives.ttftSeconds, tpotSeconds: request.objectives.tpotSeconds,
                e2eSeconds: request.objectives.e2eSeconds),
            warmupFraction: 0.1
        )
        let whole = simulatesWholeFleet(replicas: deployment.replicas, request: request, split: split)
        let count =
            whole
            ? simulatedCount(request.simulatedRequests, replicas: deployment.replicas)
            : sampledRequestsPerReplica(request, warmup: options.warmupFraction)
        guard
            let fleet = try? FleetSimulator(
                deployment: deployment, efficiency: efficiency, options: options, disaggregation: split),
            var generator = try? WorkloadGenerator(
                arrival: .poisson(rate: request.traffic.peakRate), input: request.traffic.input,
                output: request.traffic.output, prefix: request.traffic.prefix, count: count, seed: request.seed
            )
        else { return nil }
        guard whole else {
            return fleet.runSample(
                of: generator, sampledReplicas: Self.sampledReplicas, requestsPerReplica: count,
                percentile: request.objectives.percentile)
        }
        return fleet.run(&generator, expectedCount: count)
    }

    /// Requests each sampled replica receives: the SLO percentile's measured requests (10,000 for p99) plus the
    /// warm-up, or the request's own count if larger, split over ``sampledReplicas``.
    func sampledRequestsPerReplica(_ request: PlanRequest, warmup: Double) -> Int {
        let measured = ReplicaSample.measuredRequests(forPercentile: request.objectives.percentile)
        let needed = Int((Double(measured) / (1 - warmup)).rounded(.up))
        let total = min(max(needed, request.simulatedRequests), InputLimits.planSimulatedRequests)
        return (total + Self.sampledReplicas - 1) / Self.sampledReplicas
    }

    /// Requests one whole-fleet confirming simulation runs: the request's count, at least 40 per replica, and no
    /// more than ``InputLimits/simulationWork`` allows for the fleet.
    func simulatedCount(_ requested: Int, replicas: Int) -> Int {
        let perReplica = 40.saturatingMultiplying(by: replicas)
        let affordable = InputLimits.affordableRequests(replicas: replicas)
        return max(min(requested, affordable), min(perReplica, InputLimits.simulatedRequests), 1)
    }

    /// Simulates each finalist at peak; one that misses the SLO gets replicas added until it meets it — one at a
    /// time (up to four) for a whole-fleet simulation, by a widening then bisecting search for a sampled one (each
    /// probe costs the same whatever the fleet's size). A finalist that still misses is rejected with what the
    /// simulation saw: the simulator, not the closed form, decides feasibility.
    func confirm(
        _ items: [Sized], request: PlanRequest, shape: RequestShape
    ) async -> (confirmed: [PlanCandidate], rejected: [Rejection]) {
        let planner = self
        let outcomes = await withTaskGroup(of: (Int, PlanCandidate?, Rejection?).self) { group in
            for (index, item) in items.enumerated() {
                group.addTask { @concurrent in
                    let whole = planner.simulatesWholeFleet(
                        replicas: item.deployment.replicas, request: request, split: nil)
                    let outcome =
                        whole
                        ? planner.confirmWholeFleet(item, request: request)
                        : planner.confirmSampled(item, request: request)
                    let d = item.deployment
                    let configuration =
                        "\(d.accelerator.id) \(d.stack.id) \(d.precision) tp=\(d.tensorParallel) pp=\(d.pipelineParallel)"
                    if let met = outcome.met {
                        var c = planner.candidate(met.item, request: request, shape: shape, simulation: met.result)
                        c.notes.append(met.result.coverageSummary(router: .leastOutstanding))
                        let added = met.item.deployment.replicas - item.deployment.replicas
                        if added > 0 {
                            c.notes.append(
                                "the simulation needed \(added) more replica\(added == 1 ? "" : "s") than the analytic sizing"
                            )
                        }
                        return (index, c, nil)
                    }
                    let p = Int(saturating: request.objectives.percentile)
                    let seen =
                        outcome.last.map {
                            ": at \($0.replicas) replicas p\(p) TTFT \(humanNumber($0.result.ttft.value(at: request.objectives.percentile) * 1000)) ms, TPOT \(humanNumber($0.result.tpot.value(at: request.objectives.percentile) * 1000)) ms"
                        } ?? ""
                    let more = whole ? "4 more replicas" : "\(outcome.last?.replicas ?? d.replicas) replicas"
                    return (
                        index, nil,
                        Rejection(
                            configuration: configuration,
                            reason: "misses the SLO in simulation even with \(more)\(seen)")
                    )
                }
            }
            var results: [(Int, PlanCandidate?, Rejection?)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }
        }
        return (outcomes.compactMap(\.1), outcomes.compactMap(\.2))
    }

    /// What confirming one finalist found: the sizing that met the objectives and its simulation, or the last
    /// simulation that missed.
    struct Confirmation {
        var met: (item: Sized, result: SimulationResult)?
        var last: (replicas: Int, result: SimulationResult)?
    }

    /// `item` with `replicas` replicas, its cost to match.
    func resized(_ item: Sized, replicas: Int) -> Sized {
        var copy = item
        let group = item.deployment.acceleratorsPerReplica
        copy.deployment.count = replicas.saturatingMultiplying(by: group)
        copy.cost = Self.hourlyCost(of: copy.deployment.count, at: item.price)
        return copy
    }

    /// What `accelerators` cost an hour, paid in whole purchase units (instances, slices, racks); unpriced, the
    /// accelerator count itself, so unpriced layouts still rank by size.
    static func hourlyCost(of accelerators: Int, at price: AcceleratorPrice?) -> Double {
        Double(price?.billedAccelerators(accelerators) ?? accelerators) * (price?.perHour ?? 1)
    }

    /// Whole fleet: the analytic sizing, then one replica more at a time, up to four.
    func confirmWholeFleet(_ item: Sized, request: PlanRequest) -> Confirmation {
        var outcome = Confirmation()
        for attempt in 0...4 {
            if Task.isCancelled { break }
            let current = resized(item, replicas: item.deployment.replicas + attempt)
            let result = simulate(current.deployment, efficiency: current.efficiency.profile, request: request)
            if let result, meets(result, request.objectives) {
                outcome.met = (current, result)
                return outcome
            }
            if let result { outcome.last = (current.deployment.replicas, result) }
        }
        return outcome
    }

    /// Sampled: the analytic sizing; if its sample misses, replicas added in a widening step (2 %, 4 %, 8 % … of
    /// the fleet, at least one) until a sample meets the objectives, then bisection between the last miss and the
    /// first meet to within 0.5 % of the fleet. At most 12 sampled simulations, each of bounded size.
    func confirmSampled(_ item: Sized, request: PlanRequest) -> Confirmation {
        var outcome = Confirmation()
        let base = item.deployment.replicas
        var probes = 0
        func probe(_ replicas: Int) -> Bool {
            probes += 1
            let current = resized(item, replicas: replicas)
            guard let result = simulate(current.deployment, efficiency: current.efficiency.profile, request: request)
            else { return false }
            if meets(result, request.objectives) {
                if outcome.met.map({ replicas < $0.item.deployment.replicas }) ?? true {
                    outcome.met = (current, result)
                }
                return true
            }
            outcome.last = (replicas, result)
            return false
        }
        if probe(base) { return outcome }
        var low = base
        var step = max(1, Int(saturating: (Double(base) * 0.02).rounded(.up)))
        var high: Int?
        while probes < 7, !Task.isCancelled {
            let candidate = min(base.saturatingAdding(step), InputLimits.replicas)
            if probe(candidate) {
                high = candidate
                break
            }
            low = candidate
            if candidate >= InputLimits.replicas { break }
            step = step.saturatingMultiplying(by: 2)
        }
        guard var high else { return outcome }
        let tolerance = max(1, base / 200)
        while high - low > tolerance, probes < 12, !Task.isCancelled {
            let middle = low + (high - low) / 2
            if probe(middle) { high = middle } else { low = middle }
        }
        return outcome
    }

    /// For verified finalists with two or more replicas, tries the same replica count split into prefill and decode
    /// pools, and one replica fewer; keeps splits that meet the SLO. Fleets too large for a whole-fleet simulation
    /// within the request's count (``simulatesWholeFleet(replicas:request:split:)``) are not split.
    func disaggregatedVariants(of candidates: [PlanCandidate], request: PlanRequest) async -> [PlanCandidate] {
        let input = request.traffic.input.mean
        let output = request.traffic.output.mean
        guard input >= 4 * output else { return [] }  // prefill-heavy traffic is where splitting pays
        var variants: [PlanCandidate] = []
        for base in candidates.prefix(2) where base.verified && base.replicas >= 3 {
            guard
                let efficiency = catalog.efficiency(
                    stack: base.deployment.stack.id, accelerator: base.deployment.accelerator.id)
            else { continue }
            var deployment = base.deployment
            deployment.count -= deployment.acceleratorsPerReplica
            let total = deployment.replicas
            // Splitting must still leave the minimum and the spare the request asked for.
            guard total >= request.constraints.minimumReplicas + base.spareReplicas, total >= 2 else { continue }
            // Disaggregated pools are coupled (the decode pool is least-outstanding): only a whole-fleet simulation
            // confirms them, so they are tried where that simulation stays within the request's count.
            guard simulatesWholeFleet(replicas: total, request: request, split: nil) else { continue }
            let prefill = max(1, min(total - 1, Int(saturating: (Double(total) * 0.5).rounded())))
            let split = Disaggregation(prefillReplicas: prefill, decodeReplicas: total - prefill)
            guard let result = simulate(deployment, efficiency: efficiency.profile, request: request, split: split),
                meets(result, request.objectives)
            else { continue }
            var variant = base
            variant.deployment = deployment
            variant.disaggregation = split
            variant.costPerHour = Self.hourlyCost(of: deployment.count, at: base.price)
            variant.costPerMillionTokens = base.costPerMillionTokens * variant.costPerHour / base.costPerHour
            variant.ttft = result.ttft.percentiles
            variant.tpot = result.tpot.percentiles
            variant.e2e = result.e2e.percentiles
            variant.simulation = result
            if let confirmed = base.simulation?.coverageSummary(router: .leastOutstanding) {
                variant.notes.removeAll { $0 == confirmed }  // the base's simulation, not this split's
            }
            variant.notes.append(
                "disaggregated: \(split.prefillReplicas) prefill + \(split.decodeReplicas) decode replicas")
            variant.notes.append(result.coverageSummary(router: .leastOutstanding))
            variants.append(variant)
        }
        return variants
    }

    /// Candidates no other candidate beats on both cost per hour and the SLO-percentile TTFT.
    func paretoFront(_ candidates: [PlanCandidate]) -> [PlanCandidate] {
        let sorted = candidates.sorted {
            $0.costPerHour < $1.costPerHour || ($0.costPerHour == $1.costPerHour && $0.ttft.p99 < $1.ttft.p99)
        }
        var front: [PlanCandidate] = []
        var best = Double.infinity
        for c in sorted where c.ttft.p99 < best {
            front.append(c)
            best = c.ttft.p99
        }
        return front
    }
}
