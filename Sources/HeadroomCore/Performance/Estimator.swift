import RealModule

/// Turns a deployment, a request shape and a load into an ``Estimate``.
///
/// Steady states are solved analytically: the batch a replica holds follows from its KV capacity, `max_num_seqs` and
/// the token budget (offline, concurrency), or from a fixed point of Little's law over the step time (rate). Queueing
/// delay uses an M/D/1 approximation at the replica's capacity. A finite offline burst runs the deterministic
/// ``BurstTimeline``.
public struct Estimator: Sendable {
    public let model: PerformanceModel
    public let shape: RequestShape
    /// Whether the user fixed `max_num_seqs` / the token budget (otherwise a stack's offline tuning may size them).
    public let batchLimitsGiven: Bool
    let profileNote: String
    /// The calibration status every estimate from this estimator carries.
    public let calibration: CalibrationStatus
    /// Set when the token budget was raised so that whole prompts can join a running batch (see ``init``).
    let budgetNote: String?

    public var deployment: Deployment { model.deployment }

    /// - Parameters:
    ///   - deployment: what runs.
    ///   - shape: the request lengths.
    ///   - efficiency: fitted constants and how specific they are to this stack and accelerator.
    ///   - batchLimitsGiven: whether `max_num_seqs` and the token budget were set explicitly.
    public init(
        deployment: Deployment, shape: RequestShape, efficiency: (profile: EfficiencyProfile, specificity: Int),
        batchLimitsGiven: Bool = false
    ) {
        // A stack that schedules whole prompts only (TensorRT-LLM without chunked context) starts a prompt only when
        // it fits in the step's token budget beside the running decodes ("Tuning Max Batch Size and Max Num Tokens",
        // TensorRT-LLM performance-tuning guide). With the default budget a prompt as long as the budget would wait
        // for the whole batch to drain: nobody deploys that for such prompts, so unless the user set the limits, the
        // budget grows to the prompt plus a full batch, as a serving configuration for this length would.
        var deployment = deployment
        var budgetNote: String?
        if !deployment.stack.chunkedPrefill, !batchLimitsGiven {
            let plan = deployment.memoryPlan
            let kvSequences = deployment.maxSequences(
                ofTokens: Double(shape.inputTokens + shape.outputTokens), plan: plan)
            let batch = min(Double(deployment.maxNumSeqs ?? Int.max), kvSequences)
            let needed = Double(shape.inputTokens) + max(batch, 1)
            if needed > Double(deployment.maxBatchedTokens), needed.isFinite, needed < 1e7 {
                let raised = Int(needed.rounded(.up))
                budgetNote =
                    "\(deployment.stack.name) schedules whole prompts only: its token budget (max_num_tokens) raised from "
                    + "\(deployment.maxBatchedTokens) to \(raised) so a \(shape.inputTokens)-token prompt can join a batch "
                    + "of \(humanNumber(batch)) decodes (set `max_batched_tokens` to model another value)"
                deployment.maxBatchedTokens = raised
            }
        }
        self.budgetNote = budgetNote
        self.model = PerformanceModel(deployment: deployment, efficiency: efficiency.profile)
        self.shape = shape
        self.batchLimitsGiven = batchLimitsGiven
        let profile = efficiency.profile
        let scope = "\(profile.stack) on \(profile.accelerators.joined(separator: "/"))"
        calibration = CalibrationStatus(
            calibrated: efficiency.specificity == 3, profile: scope, error: profile.validatedError)
        switch efficiency.specificity {
        case 3: profileNote = "efficiency constants fitted for \(scope) (\(profile.provenance.source))"
        default:
            profileNote =
                "efficiency constants for \(deployment.stack.id) on \(deployment.accelerator.id) are not "
                + "calibrated; borrowed from \(scope) (\(profile.provenance.source)) — treat figures as less certain"
        }
    }

    // MARK: Capacity

    /// The deployment as it runs under `load`: a stack whose benchmark harness sizes the token budget from KV capacity
    /// (trtllm-bench) builds its engine with that budget, and the activation buffers it implies shrink the KV cache.
    func effectiveDeployment(for load: Load) -> Deployment {
        guard case .offline = load, !batchLimitsGiven, let tuning = deployment.stack.offlineBatchTuning else {
            return deployment
        }
        let isl = Double(shape.inputTokens)
        let osl = Double(shape.outputTokens)
        let plan = deployment.memoryPlan
        let stages = Double(deployment.pipelineParallel)
        let sequences =
            min(deployment.maxSequences(ofTokens: isl + osl, plan: plan), Double(tuning.maxBatchCap)) / stages
        let tokens = min(sequences * (1 + isl / osl), Double(tuning.maxTokensCap))
        var tuned = deployment
        tuned.maxBatchedTokens = max(
            Int(saturating: tokens.rounded(.up)), deployment.stack.defaultMaxBatchedTokens / 4, 1)
        tuned.maxNumSeqs = max(Int(saturating: (sequences * stages).rounded(.up)), 1)
        return tuned
    }

    /// Batch limits in force for `load`: (max running sequences, token budget per step).
    func batchLimits(for load: Load, plan: MemoryPlan) -> (sequences: Double, tokens: Double, kvSequences: Double) {
        let isl = Double(shape.inputTokens)
        let osl = Double(shape.outputTokens)
        let reserve: Double
        switch deployment.stack.kvReservation {
        case .fullSequence: reserve = isl + osl
        case .onDemand: reserve = isl + osl / 2
        case .estimated:
            // In steady state the estimate has decayed to its floor: running requests hold half their output on
            // average and keep that share of the other half in reserve.
            reserve = isl + osl / 2 * (1 + (deployment.stack.newTokenRatio?.minimum ?? 0))
        }
        let kvSequences = deployment.maxSequences(ofTokens: reserve, plan: plan)
        // A stack without a fixed limit (SGLang) derives it as half the KV-cache tokens.
        let running = effectiveDeployment(for: load)
        let seqs = running.maxNumSeqs.map(Double.init) ?? (plan.kvCapacityTokens / 2).rounded(.down)
        return (min(seqs, kvSequences), Double(running.maxBatchedTokens), kvSequences)
    }

    /// The average step of a replica holding `batch` sequences in steady state.
    func steadyStep(batch: Double) -> StepShape {
        let isl = Double(shape.inputTokens)
        let osl = Double(shape.outputTokens)
        let arrivals = batch / osl
        let decoding = batch - arrivals
        return StepShape(
            decodeSequences: decoding, decodeContext: decoding * (isl + osl / 2),
            prefillTokens: arrivals * isl, prefillAttentionPairs: arrivals * isl * (isl + 1) / 2,
            prefillSequences: arrivals
        )
    }

    /// Largest steady batch the token budget sustains: decodes plus the prompt tokens that replace finished requests.
    func budgetLimitedBatch(tokens: Double) -> Double {
        let isl = Double(shape.inputTokens)
        let osl = Double(shape.outputTokens)
        return tokens * osl / (isl + osl)
    }

    // MARK: Estimate

    /// Estimates the deployment under `load`.
    /// - Throws: ``HeadroomError`` `.doesNotFit` when weights or one request do not fit, `.infeasible` when a rate
    ///   exceeds capacity.
    public func estimate(_ load: Load) throws(HeadroomError) -> Estimate {
        let plan = effectiveDeployment(for: load).memoryPlan
        try checkFits(plan)
        let limits = batchLimits(for: load, plan: plan)
        let osl = Double(shape.outputTokens)
        let replicas = Double(deployment.replicas)
        let overhead = model.efficiency.requestOverheadMilliseconds * 1e-3
        let capacityBatch = max(min(limits.sequences, budgetLimitedBatch(tokens: limits.tokens)), 1)
        var assumptions = baseAssumptions(plan: plan, limits: limits)
        var explanation: [Explanation] = []

        let batch: Double
        let step: StepTime
        let stepSeconds: Double
        var ttftMean: Double
        var ttft: Percentiles
        var tpotMean: Double
        var tpot: Percentiles
        var requestsPerSecond: Double

        switch load {
        case .offline(let requests?):
            guard requests >= 1 else {
                throw HeadroomError(.invalidInput, "`requests` must be at least 1", field: "requests")
            }
            let perReplica = Int(saturating: (Double(requests) / replicas).rounded(.up))
            let burst = BurstTimeline.run(
                model: model, requests: perReplica, input: shape.inputTokens, output: shape.outputTokens,
                maxRunning: limits.sequences, tokenBudget: limits.tokens, chunked: deployment.stack.chunkedPrefill
            )
            batch = burst.meanBatch
            step = model.stepTime(steadyStep(batch: max(min(batch, capacityBatch), 1)))
            stepSeconds = step.seconds
            ttftMean = burst.meanTTFT + overhead
            tpotMean = burst.meanTPOT
            requestsPerSecond = Double(perReplica) / burst.makespan * replicas
            ttft = Percentiles(p50: ttftMean, p90: 2 * ttftMean * 0.9, p99: 2 * ttftMean * 0.99)
            tpot = .constant(tpotMean)
            assumptions.append(
                "offline burst of \(requests) requests (\(perReplica) per replica) all queued at t=0; TTFT spreads "
                    + "linearly from the first to the last prefill, so its percentiles are those of a uniform spread"
            )
        case .offline(nil), .concurrency:
            var clients = Double.infinity
            if case .concurrency(let n) = load {
                guard n >= 1 else {
                    throw HeadroomError(.invalidInput, "`concurrency` must be at least 1", field: "concurrency")
                }
                clients = Double(n) / replicas
            }
            batch = max(min(capacityBatch, clients), min(1, clients))
            step = model.stepTime(steadyStep(batch: batch))
            stepSeconds = step.seconds
            requestsPerSecond = batch / (osl * stepSeconds) * replicas
            let spread = tpotSpread(batch: batch, stepSeconds: stepSeconds)
            tpotMean = spread.mean
            tpot = spread.percentiles
            let prefill = prefillStepSeconds(decoding: batch)
            let queueWait = clients.isFinite ? max(clients - capacityBatch, 0) / (requestsPerSecond / replicas) : 0
            ttftMean = overhead + stepSeconds / 2 + prefill + queueWait
            ttft = Percentiles(
                p50: overhead + prefill + queueWait + 0.5 * stepSeconds,
                p90: overhead + prefill + queueWait + 0.9 * stepSeconds,
                p99: overhead + prefill + queueWait + 0.99 * stepSeconds
            )
            if case .offline = load {
                assumptions.append(
                    "offline steady state: replicas stay full at \(humanNumber(batch)) sequences; TTFT excludes time queued"
                )
            } else {
                assumptions.append("closed loop: each client sends its next request when its last completes")
            }
        case .rate(let rate):
            guard rate > 0, rate.isFinite else {
                throw HeadroomError(
                    .invalidInput, "`rate` must be a positive number of requests per second", field: "rate")
            }
            let lambda = rate / replicas
            let capacity = capacityBatch / (osl * model.seconds(steadyStep(batch: capacityBatch)))
            guard lambda < capacity else {
                throw HeadroomError(
                    .infeasible,
                    "`rate` \(humanNumber(rate)) req/s exceeds the deployment's capacity of \(humanNumber(capacity * replicas)) "
                        + "req/s (\(humanNumber(capacity)) per replica × \(Int(saturating: replicas))): the queue grows without bound",
                    field: "rate"
                )
            }
            // Little's law fixed point: batch = λ · OSL · step(batch).
            var b = min(1, capacityBatch)
            for _ in 0..<200 {
                let next = min(lambda * osl * model.seconds(steadyStep(batch: max(b, 1e-6))), capacityBatch)
                if abs(next - b) < 1e-9 * max(b, 1) { b = next; break }
                b = 0.5 * b + 0.5 * next
            }
            batch = max(b, lambda * osl * model.seconds(steadyStep(batch: 1e-6)))
            step = model.stepTime(steadyStep(batch: max(batch, 1e-6)))
            stepSeconds = step.seconds
            requestsPerSecond = rate
            let spread = tpotSpread(batch: batch, stepSeconds: stepSeconds)
            tpotMean = spread.mean
            tpot = spread.percentiles
            // Continuous batching admits a new request at the next step while a slot is free; it queues only when
            // every slot is busy. Slots are servers holding a request for its whole life (Erlang C, M/M/c).
            let rho = lambda / capacity
            let holding = prefillStepSeconds(decoding: batch) + (osl - 1) * stepSeconds
            let queue = Self.erlangC(servers: limits.sequences, offered: lambda * holding)
            let drain = limits.sequences / holding - lambda  // rate the backlog clears at
            let waitMean = drain > 0 ? queue / drain : .infinity
            let prefill = prefillStepSeconds(decoding: batch)
            ttftMean = overhead + stepSeconds / 2 + prefill + waitMean
            func quantile(_ q: Double) -> Double {
                let residual = q * stepSeconds
                let tail = 1 - q
                let wait = tail >= queue || drain <= 0 ? 0 : Double.log(queue / tail) / drain
                return overhead + prefill + residual + wait
            }
            ttft = Percentiles(p50: quantile(0.5), p90: quantile(0.9), p99: quantile(0.99))
            assumptions.append(
                "open-loop Poisson arrivals split evenly over \(Int(saturating: replicas)) replicas at \(humanNumber(rho * 100))% of the "
                    + "replica's capacity of \(humanNumber(capacity)) req/s; waiting for a batch slot modelled as M/M/c "
                    + "(Erlang C) over \(humanNumber(limits.sequences)) slots"
            )
        }

        let e2e = Percentiles(
            p50: ttft.p50 + (osl - 1) * tpot.p50, p90: ttft.p90 + (osl - 1) * tpot.p90,
            p99: ttft.p99 + (osl - 1) * tpot.p99
        )
        explanation = explain(plan: plan, step: step, batch: batch, limits: limits)
        if let budgetNote { assumptions.append(budgetNote) }
        if let borrowed = model.efficiency.moeProvenance, deployment.model.isMoE { assumptions.append(borrowed) }
        assumptions.append(profileNote)
        return Estimate(
            outputTokensPerSecond: requestsPerSecond * osl, requestsPerSecond: requestsPerSecond,
            maxRateRequestsPerSecond: nil, ttft: ttft, tpot: tpot, e2e: e2e, meanTTFT: ttftMean, meanTPOT: tpotMean,
            memory: plan, batchSize: batch, maxConcurrentSequences: limits.kvSequences, replicas: deployment.replicas,
            accelerators: deployment.count, assumptions: assumptions, explanation: explanation, step: step,
            calibration: calibration
        )
    }

    /// The highest request rate across the deployment whose latencies at `percentile` (p99 by default) meet `slo`,
    /// by bisection.
    /// - Throws: ``HeadroomError`` `.infeasible` when even a trickle misses the SLO.
    public func maxRate(meeting slo: LatencySLO, percentile: Double = 99) throws(HeadroomError) -> Double {
        guard slo.ttftSeconds != nil || slo.tpotSeconds != nil || slo.e2eSeconds != nil else {
            throw HeadroomError(.invalidInput, "`max_rate` needs `slo_ttft_ms` or `slo_tpot_ms`", field: "max_rate")
        }
        let plan = deployment.memoryPlan
        try checkFits(plan)
        let limits = batchLimits(for: .rate(1), plan: plan)
        let capacityBatch = max(min(limits.sequences, budgetLimitedBatch(tokens: limits.tokens)), 1)
        let osl = Double(shape.outputTokens)
        let replicas = Double(deployment.replicas)
        let capacity = capacityBatch / (osl * model.seconds(steadyStep(batch: capacityBatch))) * replicas
        func meets(_ rate: Double) -> Bool {
            guard let estimate = try? estimate(.rate(rate)) else { return false }
            if let limit = slo.ttftSeconds, estimate.ttft.value(at: percentile) > limit { return false }
            if let limit = slo.tpotSeconds, estimate.tpot.value(at: percentile) > limit { return false }
            if let limit = slo.e2eSeconds, estimate.e2e.value(at: percentile) > limit { return false }
            return true
        }
        var low = capacity * 1e-6
        guard meets(low) else {
            let trickle = try estimate(.rate(low))
            throw HeadroomError(
                .infeasible,
                "no rate meets the SLO: even a trickle gives p99 TTFT \(humanNumber(trickle.ttft.p99 * 1000)) ms and p99 "
                    + "TPOT \(humanNumber(trickle.tpot.p99 * 1000)) ms",
                field: "slo"
            )
        }
        var high = capacity * (1 - 1e-9)
        if meets(high) { return high }
        for _ in 0..<40 {
            let mid = (low + high) / 2
            if meets(mid) { low = mid } else { high = mid }
            if high - low < 1e-4 * high { break }
        }
        return low
    }

    // MARK: Pieces

    /// Probability that an arrival waits in an M/M/c queue with `servers` servers and `offered` erlangs of load.
    /// - Complexity: O(servers), by the stable Erlang-B recursion.
    package static func erlangC(servers: Double, offered: Double) -> Double {
        let c = Int(saturating: servers.rounded(.down))
        guard c >= 1, offered > 0 else { return 0 }
        guard offered < Double(c) else { return 1 }
        var blocking = 1.0
        for k in 1...c { blocking = offered * blocking / (Double(k) + offered * blocking) }
        let utilisation = offered / Double(c)
        return blocking / (1 - utilisation + utilisation * blocking)
    }

    /// Time of the step that carries one new prompt alongside `decoding` running sequences.
    func prefillStepSeconds(decoding: Double) -> Double {
        let isl = Double(shape.inputTokens)
        let context = isl + Double(shape.outputTokens) / 2
        let budget = Double(deployment.maxBatchedTokens)
        guard deployment.stack.chunkedPrefill, isl + decoding > budget else {
            return model.seconds(.decode(sequences: decoding, context: context) + .prefill(promptTokens: isl))
        }
        // Chunked: the prompt spreads over several steps, each with the decodes riding along.
        let perStep = max(budget - decoding, budget * 0.1)
        let chunks = (isl / perStep).rounded(.up)
        let chunk = isl / chunks
        let count = Int(saturating: chunks)
        // Up to `maxChunkSteps` chunks every step is summed; past that (prompts thousands of token budgets long) one
        // step in `stride` stands for its neighbours, so the work stays bounded however long the prompt.
        let stride = max((count + Self.maxChunkSteps - 1) / Self.maxChunkSteps, 1)
        var total = 0.0
        var index = 0
        while index < count {
            let represented = min(stride, count - index)
            let sampled = index + represented / 2
            let past = Double(sampled) * chunk
            let shape =
                StepShape.decode(sequences: decoding, context: context)
                + StepShape(
                    prefillTokens: chunk, prefillAttentionPairs: chunk * (past + (chunk + 1) / 2),
                    prefillSequences: sampled == count - 1 ? 1 : 0
                )
            total += model.seconds(shape) * Double(represented)
            index += represented
        }
        return total
    }

    /// Most prefill chunks ``prefillStepSeconds(decoding:)`` evaluates one by one.
    static let maxChunkSteps = 4096

    /// Mean and spread of per-request TPOT: steps that carry a prefill are slower, and a request's TPOT averages
    /// over its OSL − 1 steps.
    func tpotSpread(batch: Double, stepSeconds: Double) -> (mean: Double, percentiles: Percentiles) {
        let isl = Double(shape.inputTokens)
        let osl = Double(shape.outputTokens)
        let context = isl + osl / 2
        let decodeOnly = model.seconds(.decode(sequences: max(batch, 1), context: context))
        let arrivalsPerStep = batch / osl
        let withPrefill = model.seconds(
            .decode(sequences: max(batch, 1), context: context) + .prefill(promptTokens: isl)
        )
        let q = min(max(arrivalsPerStep, 0), 1)
        let mean = max(stepSeconds, decodeOnly)
        guard osl > 1 else { return (mean, .constant(mean)) }
        let sd = (withPrefill - decodeOnly) * (q * (1 - q) / (osl - 1)).squareRoot()
        return (mean, Percentiles(p50: mean, p90: mean + 1.2816 * sd, p99: mean + 2.3263 * sd))
    }

    func checkFits(_ plan: MemoryPlan) throws(HeadroomError) {
        let gib = 1_073_741_824.0
        if !plan.weightsFit {
            let short = -plan.kvCachePerAccelerator / gib
            throw HeadroomError(
                .doesNotFit,
                "\(deployment.model.name) in \(deployment.precision) does not fit on \(deployment.acceleratorsPerReplica)× "
                    + "\(deployment.accelerator.name): weights \(humanNumber(plan.weightsPerAccelerator / gib)) GiB + "
                    + "activations \(humanNumber(plan.activationsPerAccelerator / gib)) GiB + runtime "
                    + "\(humanNumber(plan.runtimeOverheadPerAccelerator / gib)) GiB per accelerator exceed the "
                    + "\(humanNumber(plan.budgetPerAccelerator / gib)) GiB budget by \(humanNumber(short)) GiB; raise `tp`/`pp` "
                    + "or use a narrower precision",
                field: "count"
            )
        }
        let tokens = Double(shape.inputTokens + shape.outputTokens)
        if deployment.maxSequences(ofTokens: tokens, plan: plan) < 1 {
            throw HeadroomError(
                .doesNotFit,
                "one request of \(Int(saturating: tokens)) tokens needs more KV cache than the replica's "
                    + "\(humanNumber(plan.kvCachePerAccelerator * Double(deployment.acceleratorsPerReplica) / gib)) GiB "
                    + "(\(Int(saturating: plan.kvCapacityTokens)) tokens)",
                field: "input_tokens"
            )
        }
        if shape.inputTokens + shape.outputTokens > deployment.model.maxContext {
            throw HeadroomError(
                .doesNotFit,
                "input + output = \(shape.inputTokens + shape.outputTokens) tokens exceeds the model's context of "
                    + "\(deployment.model.maxContext)",
                field: "input_tokens"
            )
        }
    }

    /// How the KV capacity in tokens follows from the stack's memory semantics, for `--explain`.
    func kvCapacityDerivation(plan: MemoryPlan) -> String {
        let gib = 1_073_741_824.0
        let ranks = deployment.acceleratorsPerReplica
        let perToken = plan.kvBytesPerTokenPerReplica
        let semantics: String
        switch deployment.stack.memorySemantics {
        case .total where deployment.stack.reservedMemoryRule != nil:
            semantics =
                "\(humanNumber(deployment.memoryFraction * 100))% of \(humanNumber(deployment.accelerator.memoryBytes / gib)) GiB "
                + "(\(deployment.stack.name)'s static pool for weights and KV; activations and CUDA graphs sit in the "
                + "reserve outside it) − weights − runtime"
        case .total:
            semantics =
                "\(humanNumber(deployment.memoryFraction * 100))% of \(humanNumber(deployment.accelerator.memoryBytes / gib)) GiB "
                + "(\(deployment.stack.name)'s fraction of total memory) − weights − activations − runtime"
        case .freeAfterWeights:
            semantics =
                "\(humanNumber(deployment.memoryFraction * 100))% of the memory free after weights, activations and "
                + "runtime (\(deployment.stack.name)'s free-memory fraction)"
        }
        let layout: String
        if deployment.attentionDataParallel {
            layout = "data-parallel attention: each of the \(ranks) ranks holds only its own sequences' KV"
        } else if deployment.model.attention == .mla {
            layout = "MLA's latent is replicated on each of the \(ranks) tensor-parallel ranks"
        } else if deployment.kvReplication > 1 {
            layout = "KV heads replicated ×\(humanNumber(deployment.kvReplication)) across the tensor-parallel ranks"
        } else {
            layout = "KV heads split across the \(ranks) ranks"
        }
        return
            "\(humanNumber(max(plan.kvCachePerAccelerator, 0) / gib)) GiB per accelerator = \(semantics); × \(ranks) "
            + "accelerators / \(humanNumber(perToken / 1024)) KiB per token (\(layout))"
    }

    func baseAssumptions(plan: MemoryPlan, limits: (sequences: Double, tokens: Double, kvSequences: Double)) -> [String]
    {
        var list: [String] = []
        let stack = deployment.stack
        switch stack.memorySemantics {
        case .total:
            list.append(
                "\(stack.name) reserves \(humanNumber(deployment.memoryFraction * 100))% of total accelerator memory for "
                    + "weights, activations and KV cache"
            )
        case .freeAfterWeights:
            list.append(
                "\(stack.name) gives \(humanNumber(deployment.memoryFraction * 100))% of the memory free after weights and "
                    + "workspace to the KV cache"
            )
        }
        list.append(
            "runtime overhead \(humanNumber(stack.runtimeOverheadGiB)) GiB per accelerator (CUDA context, graphs, "
                + "communication buffers): an assumption, overridable in the stack's catalog entry"
        )
        list.append(
            "KV cache in \(deployment.kvPrecision); \(stack.kvReservation == .fullSequence ? "blocks for prompt + full output reserved at admission" : "blocks allocated as sequences grow")"
        )
        list.append(
            "batch limits: \(humanNumber(limits.sequences)) sequences (max_num_seqs "
                + "\(deployment.maxNumSeqs.map(String.init) ?? "from KV capacity"), KV holds "
                + "\(humanNumber(limits.kvSequences))), \(humanNumber(limits.tokens)) tokens per step"
        )
        if deployment.replicas > 1 {
            list.append(
                "\(deployment.replicas) independent replicas of tp=\(deployment.tensorParallel) pp=\(deployment.pipelineParallel); load split evenly"
            )
        }
        return list
    }

    func explain(
        plan: MemoryPlan, step: StepTime, batch: Double,
        limits: (sequences: Double, tokens: Double, kvSequences: Double)
    ) -> [Explanation] {
        let gib = 1_073_741_824.0
        let acc = deployment.accelerator
        let eff = model.efficiency
        let model = deployment.model
        var lines: [Explanation] = [
            Explanation(
                "parameters",
                "\(humanNumber(model.totalParams / 1e9)) B total, \(humanNumber(model.activeParams / 1e9)) B active",
                "layers \(model.layers), hidden \(model.hiddenSize), heads \(model.attentionHeads)/\(model.kvHeads) KV, "
                    + "intermediate \(model.intermediateSize), vocab \(model.vocabSize)"
                    + (model.moe.map { ", experts \($0.experts) (top-\($0.active), shared \($0.shared))" } ?? "")
            ),
            Explanation(
                "weights per accelerator", "\(humanNumber(plan.weightsPerAccelerator / gib)) GiB",
                "\(humanNumber(plan.weightsTotal / gib)) GiB in \(deployment.precision) (\(deployment.precision.bytesPerWeight) B/param for linear layers, 2 B for embeddings) / (tp·pp = \(deployment.acceleratorsPerReplica))"
            ),
            Explanation(
                "KV cache per accelerator", "\(humanNumber(plan.kvCachePerAccelerator / gib)) GiB",
                "budget \(humanNumber(plan.budgetPerAccelerator / gib)) GiB − weights − activations \(humanNumber(plan.activationsPerAccelerator / gib)) GiB − runtime \(humanNumber(plan.runtimeOverheadPerAccelerator / gib)) GiB"
            ),
            Explanation(
                "KV bytes per token",
                "\(humanNumber(model.kvBytesPerToken(kvPrecision: deployment.kvPrecision) / 1024)) KiB",
                model.attention == .mla
                    ? "layers × (kv_lora_rank + rope dim) × \(deployment.kvPrecision.bytesPerElement) B"
                    : "2 × layers \(model.layers) × KV heads \(model.kvHeads) × head dim \(model.headDim) × \(deployment.kvPrecision.bytesPerElement) B"
            ),
            Explanation(
                "KV capacity", "\(humanNumber(plan.kvCapacityTokens)) tokens per replica",
                kvCapacityDerivation(plan: plan)
            ),
            Explanation(
                "max concurrent sequences", humanNumber(limits.kvSequences),
                "KV capacity \(humanNumber(plan.kvCapacityTokens)) tokens per replica / tokens per sequence "
                    + (deployment.stack.kvReservation == .fullSequence
                        ? "(prompt + whole output reserved at admission)" : "(prompt + the output grown so far)")
            ),
            Explanation(
                "batch (sequences per replica)", humanNumber(batch),
                "min(max_num_seqs, KV capacity, token budget, load)"),
            Explanation(
                "peak compute",
                "\(humanNumber((acc.peakFLOPS(for: deployment.precision) ?? 0) / 1e12)) TFLOP/s × \(humanNumber(eff.compute))",
                "dense peak of \(acc.name) for \(deployment.precision) matrix work (16-bit where it has no native units) × fitted GEMM efficiency"
            ),
            Explanation(
                "memory bandwidth", "\(humanNumber(acc.memoryBandwidthGBps)) GB/s × \(humanNumber(eff.memory))",
                "peak HBM bandwidth × fitted streaming efficiency"
            ),
        ]
        func cost(_ name: String, _ c: OperatorCost) {
            lines.append(
                Explanation(
                    "step: \(name)", "\(humanNumber(c.seconds * 1000)) ms",
                    "\(humanNumber(c.flops / 1e9)) GFLOP, \(humanNumber(c.bytes / 1e6)) MB per accelerator"
                )
            )
        }
        cost("dense GEMMs", step.linear)
        if let moe = model.moe {
            cost("routed experts", step.experts)
            let tokens = max(batch, 1) / Double(deployment.pipelineParallel)
            let experts = Double(moe.experts)
            let touched = experts * (1 - Double.exp(tokens * Double.log(onePlus: -Double(moe.active) / experts)))
            lines.append(
                Explanation(
                    "experts touched per layer", "\(humanNumber(touched)) of \(moe.experts)",
                    "E·(1 − (1 − k/E)^tokens) for top-\(moe.active) routing of \(humanNumber(tokens)) decode tokens: "
                        + "\(humanNumber(tokens * Double(moe.active) / max(touched, 1))) tokens per touched expert; weights "
                        + "streamed at \(humanNumber((eff.expertMemory ?? eff.memory) * 100))% of peak bandwidth"
                        + (eff.moeLayerOverheadMicroseconds > 0
                            ? ", plus \(humanNumber(eff.moeLayerOverheadMicroseconds)) µs fixed per MoE layer (routing, "
                                + "permutation, launch)" : "")
                        + (eff.moeProvenance.map { " (\($0))" } ?? "")
                ))
        }
        cost("attention", step.attention)
        cost("output head", step.lmHead)
        if deployment.acceleratorsPerReplica > 1 { cost("communication", step.communication) }
        lines.append(
            Explanation(
                "step: overheads", "\(humanNumber(step.overheadSeconds * 1000)) ms",
                "\(humanNumber(eff.stepOverheadMilliseconds)) ms per step + \(humanNumber(eff.perSequenceOverheadMicroseconds)) µs per sequence"
            )
        )
        lines.append(Explanation("step time", "\(humanNumber(step.seconds * 1000)) ms", "sum of the above"))
        return lines
    }
}

/// A number rounded for people: about three significant figures, no exponent for ordinary magnitudes.
public func humanNumber(_ value: Double) -> String {
    guard value.isFinite else { return "—" }
    let magnitude = abs(value)
    if magnitude >= 1e15 { return String(value) }
    if magnitude >= 100 { return String(Int(saturating: value.rounded())) }
    if magnitude >= 10 { return String((value * 10).rounded() / 10) }
    if magnitude >= 1 { return String((value * 100).rounded() / 100) }
    if magnitude == 0 { return "0" }
    return String((value * 1000).rounded() / 1000)
}
