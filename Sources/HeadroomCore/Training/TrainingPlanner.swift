/// Turns a ``TrainingRequest`` into a ``TrainingPlan``.
public struct TrainingPlanner: Sendable {
    public init() {}

    /// Plans the run.
    /// - Throws: ``HeadroomError`` when the inputs are out of range or no parallelism plan fits in memory.
    public func plan(_ request: TrainingRequest) throws(HeadroomError) -> TrainingPlan {
        try validate(request)
        var assumptions = request.notes + request.model.notes
        let peak = try peakFLOPS(request)
        let efficiency =
            request.calibration?.efficiency(accelerator: request.accelerator.id, precision: request.precision)
            ?? .uncalibrated
        if request.calibration == nil {
            assumptions.append(
                "no throughput calibration loaded: kernel efficiencies 0.5 (matrix products) and 0.3 (attention) "
                    + "assumed for the predicted MFU")
        }
        let search = TrainingLayoutSearch(request: request, kernelEfficiency: efficiency)
        let o = request.overrides
        let fixed = (o.tensor ?? 1) * (o.pipeline ?? 1) * (o.context ?? 1)
        guard request.count % fixed == 0 else {
            throw HeadroomError(
                .invalidInput, "tp × pp × cp = \(fixed) does not divide `count` \(request.count)", field: "count")
        }
        let fitting = search.fitting()
        guard let chosen = fitting.first else {
            let miss = search.closestMiss()
            let detail =
                miss.map {
                    "; the closest plan (\($0.plan)) needs \(Self.gib($0.memory.total)) GiB of "
                        + "\(Self.gib($0.memory.usable)) usable, over by \(Self.gib($0.memory.excess)) GiB"
                } ?? ""
            throw HeadroomError(
                .doesNotFit,
                "no parallelism plan fits \(request.model.name) on \(request.count) × \(request.accelerator.id)"
                    + detail, field: "count")
        }
        let flops = TrainingFLOPs(
            model: request.model, tokens: request.tokens, sequenceLength: request.sequenceLength,
            checkpointing: chosen.plan.checkpointing)
        let mfu = request.mfu ?? chosen.step.mfu
        let computeSeconds = flops.modelFLOPs / (Double(request.count) * peak * mfu)
        let nodeSize = request.accelerator.nodeSize ?? request.accelerator.scaleUp?.domainSize ?? 8
        let checkpoint = checkpointPolicy(request)
        let reliability = ReliabilityEstimate(
            computeSeconds: computeSeconds, accelerators: request.count, nodeSize: nodeSize,
            failures: request.failures, checkpoint: checkpoint)
        if !reliability.feasible {
            assumptions.append(
                "interruptions arrive faster than a restart and a checkpoint segment: the job barely progresses")
        }
        assumptions += standardAssumptions(request, mfuGiven: request.mfu != nil, efficiency: efficiency)
        let procurement = TrainingProcurementBuilder(
            request: request, reliability: reliability, step: chosen.step, plan: chosen.plan, checkpoint: checkpoint,
            nodeSize: nodeSize
        ).build()
        let costPerFLOP = procurement.costs.first { $0.option == "on_demand" }?.pricePerAcceleratorHour.map {
            $0 / (mfu * peak * 3600)
        }
        let overTraining = OverTrainingAnalysis(
            law: request.law, params: request.model.computeParams, tokens: request.tokens, costPerFLOP: costPerFLOP,
            servingTokens: request.servingTokens, costPerMillionTokens: request.costPerMillionTokens)
        if request.servingTokens != nil, request.costPerMillionTokens != nil {
            assumptions.append(
                "over-training: serving cost per token taken as proportional to active parameters (a model half the "
                    + "size serves at half the cost per 1M tokens)")
        }
        let perHour = procurement.costs.first { $0.option == "on_demand" }?.pricePerAcceleratorHour
        let sweep = sizeSweep(request, flops: flops, peak: peak, mfu: mfu, checkpoint: checkpoint, perHour: perHour)
        let deadlineCount = request.deadlineDays.flatMap {
            acceleratorsFor(deadline: $0, request, flops: flops, peak: peak, mfu: mfu, checkpoint: checkpoint)
        }
        if !TrainingLayoutSearch.dividesBatch(chosen.plan) {
            assumptions.append(
                "global batch rounded up from \(Int(saturating: request.globalBatchTokens)) to "
                    + "\(Int(saturating: chosen.plan.tokensPerStep)) tokens: no layout of \(request.count) accelerators has a "
                    + "data-parallel degree that divides it (choose a count or a global_batch_tokens that do)")
        }
        let lenders =
            request.calibration?.lenders(accelerator: request.accelerator.id, precision: request.precision) ?? []
        if !lenders.isEmpty {
            assumptions.append(
                "MFU borrowed: no published \(request.accelerator.id) training runs in the calibration; its kernel "
                    + "efficiencies are the fit on \(lenders.joined(separator: ", ")) runs, so the predicted MFU is "
                    + "another part's, not measured on \(request.accelerator.id) (give mfu to plan at your own)")
        }
        var plan = TrainingPlan(
            modelName: request.model.name, totalParams: request.model.totalParams,
            computeParams: request.model.computeParams, tokens: request.tokens, accelerator: request.accelerator.id,
            count: request.count, precision: request.precision, flops: flops, scaling: scaling(request, flops: flops),
            overTraining: overTraining, plan: chosen.plan, memory: chosen.memory, step: chosen.step,
            alternatives: Array(fitting.prefix(6)), smallestFitting: search.smallestFitting(), mfu: mfu,
            mfuGiven: request.mfu != nil, predictedMFU: chosen.step.mfu, peakFLOPS: peak,
            computeDays: computeSeconds / 86_400, reliability: reliability, procurement: procurement,
            deadlineDays: request.deadlineDays, acceleratorsForDeadline: deadlineCount, sweep: sweep,
            assumptions: assumptions)
        plan.mfuBorrowedFrom = lenders.isEmpty ? nil : lenders
        return plan
    }

    /// Checks the request against ``InputLimits``: parameters, tokens, accelerators, batch and the rest.
    func validate(_ r: TrainingRequest) throws(HeadroomError) {
        guard r.tokens > 0, r.tokens.isFinite else {
            throw HeadroomError(.invalidInput, "tokens must be positive, got \(r.tokens)", field: "tokens")
        }
        try InputLimits.check(r.tokens, in: InputLimits.trainingTokens, field: "tokens", unit: "tokens")
        try InputLimits.check(r.model.totalParams, in: InputLimits.trainingParams, field: "params", unit: "parameters")
        try InputLimits.check(
            r.model.computeParams, in: InputLimits.trainingParams, field: "active_params", unit: "parameters")
        guard r.count >= 1 else { throw HeadroomError(.invalidInput, "count must be at least 1", field: "count") }
        try InputLimits.check(r.count, atMost: InputLimits.trainingAccelerators, field: "count", what: "accelerators")
        try InputLimits.check(
            r.globalBatchTokens, in: InputLimits.globalBatchTokens, field: "global_batch_tokens", unit: "tokens")
        if let serving = r.servingTokens {
            try InputLimits.check(serving, in: InputLimits.servingTokens, field: "serving_tokens", unit: "tokens")
        }
        for (name, value, range) in [
            ("cost_per_million_tokens", r.costPerMillionTokens, 0...1e9), ("deadline_days", r.deadlineDays, 0...1e6),
            ("checkpoint_interval_minutes", r.checkpointIntervalSeconds.map { $0 / 60 }, 0...1e7),
        ] {
            if let value { try InputLimits.check(value, in: range, field: name) }
        }
        guard r.count == 1 || r.accelerator.hasInterconnect else {
            throw HeadroomError(
                .unsupported,
                "the catalog lists no interconnect for \(r.accelerator.name): training on \(r.count) accelerators needs one",
                field: "accelerator"
            )
        }
        guard r.model.totalParams > 0, r.model.computeParams > 0, r.model.computeParams <= r.model.totalParams * 1.0001
        else {
            throw HeadroomError(
                .invalidInput,
                "parameters must be positive and active ≤ total (got \(r.model.totalParams) total, "
                    + "\(r.model.computeParams) active)", field: "params")
        }
        if let mfu = r.mfu, !(mfu > 0 && mfu <= 1) {
            throw HeadroomError(.invalidInput, "mfu must be in (0, 1], got \(mfu)", field: "mfu")
        }
        guard r.sequenceLength >= 1, r.globalBatchTokens >= Double(r.sequenceLength) else {
            throw HeadroomError(
                .invalidInput,
                "the global batch (\(r.globalBatchTokens) tokens) must hold at least one sequence of "
                    + "\(r.sequenceLength)", field: "global_batch_tokens")
        }
        for (name, value) in [
            ("usable memory fraction", r.usableMemoryFraction), ("storage bandwidth", r.storageWriteBandwidth),
            ("restart time", r.restartSeconds + 1), ("PUE", r.facility.pue),
        ] where !(value > 0 && value.isFinite) {
            throw HeadroomError(.invalidInput, "\(name) must be positive", field: name)
        }
    }

    func peakFLOPS(_ r: TrainingRequest) throws(HeadroomError) -> Double {
        guard [.bf16, .fp16, .fp8].contains(r.precision) else {
            throw HeadroomError(
                .unsupported, "training precision must be bf16 or fp8, got \(r.precision)", field: "precision")
        }
        guard r.accelerator.tflops[r.precision] != nil, let peak = r.accelerator.peakFLOPS(for: r.precision) else {
            throw HeadroomError(
                .unsupported, "\(r.accelerator.id) has no \(r.precision) matrix throughput in the catalog",
                field: "precision")
        }
        return peak
    }

    func checkpointPolicy(_ r: TrainingRequest) -> CheckpointPolicy {
        CheckpointPolicy(
            bytes: r.model.totalParams * CheckpointPolicy.bytesPerParameter, writeBandwidth: r.storageWriteBandwidth,
            asynchronous: r.asynchronousCheckpoints, snapshotBandwidthPerAccelerator: r.snapshotBandwidthPerAccelerator,
            restartSeconds: r.restartSeconds, intervalOverride: r.checkpointIntervalSeconds)
    }

    func scaling(_ r: TrainingRequest, flops: TrainingFLOPs) -> TrainingPlan.Scaling {
        let n = r.model.computeParams
        let budget = 6 * n * r.tokens
        let optimal = r.law.computeOptimal(flops: budget)
        var losses: [String: Double] = [:]
        var ratios: [String: Double] = [:]
        for law in ScalingLaw.bundled {
            losses[law.name] = law.loss(params: n, tokens: r.tokens)
            let best = law.computeOptimal(flops: budget)
            ratios[law.name] = best.tokens / best.params
        }
        let heuristicParams = (budget / 6 / ScalingLaw.heuristicTokensPerParameter).squareRoot()
        return TrainingPlan.Scaling(
            law: r.law.name, lawSource: r.law.provenance.source, budgetFLOPs: budget, optimalParams: optimal.params,
            optimalTokens: optimal.tokens, optimalTokensPerParameter: optimal.tokens / optimal.params,
            tokensPerParameter: r.tokens / n, heuristicTokensPerParameter: ScalingLaw.heuristicTokensPerParameter,
            heuristicTokens: heuristicParams * ScalingLaw.heuristicTokensPerParameter,
            predictedLoss: r.law.loss(params: n, tokens: r.tokens),
            optimalLoss: r.law.loss(params: optimal.params, tokens: optimal.tokens), lossByLaw: losses,
            optimalTokensPerParameterByLaw: ratios)
    }

    func reliability(
        _ r: TrainingRequest, count: Int, flops: TrainingFLOPs, peak: Double, mfu: Double, checkpoint: CheckpointPolicy
    ) -> ReliabilityEstimate {
        let nodeSize = r.accelerator.nodeSize ?? r.accelerator.scaleUp?.domainSize ?? 8
        return ReliabilityEstimate(
            computeSeconds: flops.modelFLOPs / (Double(count) * peak * mfu), accelerators: count, nodeSize: nodeSize,
            failures: r.failures, checkpoint: checkpoint)
    }

    func sizeSweep(
        _ r: TrainingRequest, flops: TrainingFLOPs, peak: Double, mfu: Double, checkpoint: CheckpointPolicy,
        perHour: Double?
    ) -> [TrainingPlan.SizePoint] {
        let nodeSize = r.accelerator.nodeSize ?? 8
        let sizes = [0.25, 0.5, 1, 2, 4].map { max(Int(saturating: (Double(r.count) * $0).rounded()), 1) }
            .map { $0 >= nodeSize ? $0 / nodeSize * nodeSize : $0 }
        return Array(Set(sizes)).sorted().map { count in
            let estimate = reliability(r, count: count, flops: flops, peak: peak, mfu: mfu, checkpoint: checkpoint)
            let hours = estimate.wallSeconds * Double(count) / 3600
            return TrainingPlan.SizePoint(
                accelerators: count, wallDays: estimate.wallSeconds / 86_400, acceleratorHours: hours,
                goodput: estimate.goodput, cost: perHour.map { $0 * hours })
        }
    }

    /// The fewest accelerators (whole nodes) that finish within `deadline` days at the plan's MFU, by bisection.
    func acceleratorsFor(
        deadline: Double, _ r: TrainingRequest, flops: TrainingFLOPs, peak: Double, mfu: Double,
        checkpoint: CheckpointPolicy
    ) -> Int? {
        let nodeSize = r.accelerator.nodeSize ?? 8
        func days(_ nodes: Int) -> Double {
            reliability(r, count: nodes * nodeSize, flops: flops, peak: peak, mfu: mfu, checkpoint: checkpoint)
                .wallSeconds / 86_400
        }
        var high = 1
        while days(high) > deadline {
            high *= 2
            if high > 1 << 22 { return nil }
        }
        var low = high / 2
        while high - low > 1 {
            let mid = (low + high) / 2
            if days(mid) > deadline { low = mid } else { high = mid }
        }
        return high * nodeSize
    }

    func standardAssumptions(_ r: TrainingRequest, mfuGiven: Bool, efficiency: KernelEfficiency) -> [String] {
        var out = [
            "sequence length \(r.sequenceLength) tokens, global batch \(Int(saturating: r.globalBatchTokens)) tokens per step",
            "model FLOPs = 6·N·D + causal attention (3·s·H·(d_qk + d_v) per layer per token); MFU counts model FLOPs "
                + "against the \(r.precision) dense peak",
            "memory: mixed-precision Adam, 16 bytes per parameter (ZeRO, Rajbhandari et al. 2020); activations after "
                + "Korthikanti et al. 2022 with sequence parallelism alongside tensor parallelism",
            "usable memory \(Int(saturating: r.usableMemoryFraction * 100)) % of capacity (assumption)",
            "gpu_hours = wall-clock time × accelerators (what a cluster bills: checkpoints, restarts and redone work "
                + "included); compute_gpu_hours leaves them out",
            "failures: \(Self.round(r.failures.perThousandNodeDays(nodeSize: r.accelerator.nodeSize ?? 8))) per "
                + "1,000 node-days, \(Self.round(r.failures.plannedPerDay)) planned stops per day (\(r.failures.provenance.source))",
            "checkpoint: \(r.asynchronousCheckpoints ? "asynchronous" : "synchronous"), storage writes at "
                + "\(Self.round(r.storageWriteBandwidth / 1e12)) TB/s, restart \(Self.round(r.restartSeconds / 60)) min",
        ]
        if !mfuGiven {
            out.append(
                "MFU predicted from the plan with kernel efficiencies \(Self.round(efficiency.matmul)) (matrix "
                    + "products) and \(Self.round(efficiency.attention)) (attention) fitted to published runs")
        }
        return out
    }

    static func gib(_ bytes: Double) -> String { round(bytes / 1_073_741_824) }

    static func round(_ value: Double) -> String {
        let scaled = (value * 100).rounded() / 100
        return scaled == scaled.rounded() && abs(scaled) < 1e15 ? String(Int(scaled)) : String(scaled)
    }
}
