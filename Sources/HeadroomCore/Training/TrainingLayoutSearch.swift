/// Searches parallelism plans for a cluster: tensor parallelism inside the scale-up domain, then context, pipeline
/// and data parallelism, each ZeRO stage and recomputation mode; keeps those that fit in memory and ranks them by
/// predicted MFU.
public struct TrainingLayoutSearch: Sendable {
    /// One evaluated plan.
    public struct Candidate: Sendable, Hashable, Codable {
        public var plan: ParallelismPlan
        public var memory: TrainingMemory
        public var step: TrainingStep

        public init(plan: ParallelismPlan, memory: TrainingMemory, step: TrainingStep) {
            self.plan = plan
            self.memory = memory
            self.step = step
        }
    }

    public var request: TrainingRequest
    public var kernelEfficiency: KernelEfficiency

    public init(request: TrainingRequest, kernelEfficiency: KernelEfficiency) {
        self.request = request
        self.kernelEfficiency = kernelEfficiency
    }

    /// Evaluates one plan.
    public func evaluate(_ plan: ParallelismPlan) -> Candidate {
        let flops = TrainingFLOPs(
            model: request.model, tokens: plan.tokensPerStep, sequenceLength: plan.sequenceLength,
            checkpointing: plan.checkpointing)
        let memory = TrainingMemory(
            model: request.model, plan: plan, capacityBytes: request.accelerator.memoryBytes,
            usableFraction: request.usableMemoryFraction, dropout: request.dropout)
        let step = TrainingStep(
            model: request.model, flops: flops, plan: plan, accelerator: request.accelerator,
            precision: request.precision, kernelEfficiency: kernelEfficiency)
        return Candidate(plan: plan, memory: memory, step: step)
    }

    /// Every plan the constraints allow, fitting or not: those whose data-parallel ranks split the global batch into
    /// whole micro-batches, unless no layout of this cluster does (then the batch is rounded up, see
    /// ``TrainingPlanner``).
    /// - Complexity: O(tp × pp × cp × ep × 12) step evaluations; a few hundred for a 16K-GPU cluster.
    public func candidates() -> [Candidate] {
        let all = everyLayout()
        let exact = all.filter { Self.dividesBatch($0.plan) }
        return exact.isEmpty ? all : exact
    }

    /// Whether the plan's data-parallel degree × micro-batch × sequence length divides the global batch exactly.
    public static func dividesBatch(_ plan: ParallelismPlan) -> Bool {
        abs(plan.tokensPerStep - plan.globalBatchTokens) < 0.5
    }

    func everyLayout() -> [Candidate] {
        let o = request.overrides
        let count = request.count
        let shape = request.model.shape
        let domain = request.accelerator.scaleUp?.domainSize ?? request.accelerator.nodeSize ?? 1
        let heads = shape?.attentionHeads ?? 1
        let layers = shape?.layers ?? 1
        let powers = (0..<12).map { 1 << $0 }
        let tensors = o.tensor.map { [$0] } ?? powers.filter { $0 <= domain && (shape == nil || heads % $0 == 0) }
        let pipelines = o.pipeline.map { [$0] } ?? powers.filter { $0 <= max(layers, 1) }
        let contexts = o.context.map { [$0] } ?? powers.filter { $0 == 1 || request.sequenceLength / $0 >= 8192 }
        let zeros = o.zero.map { [$0] } ?? ParallelismPlan.ZeROStage.allCases
        let checkpoints = o.checkpointing.map { [$0] } ?? ParallelismPlan.Checkpointing.allCases
        let experts: [Int]
        if let ep = o.expert {
            experts = [ep]
        } else if let shape, shape.experts > 1 {
            experts = powers.filter { $0 <= shape.experts && shape.experts % $0 == 0 }
        } else {
            experts = [1]
        }
        var out: [Candidate] = []
        for tp in tensors {
            for cp in contexts {
                for pp in pipelines {
                    let modelParallel = tp * cp * pp
                    guard modelParallel <= count, count % modelParallel == 0 else { continue }
                    let dp = count / modelParallel
                    let layersPerStage = (layers + pp - 1) / pp
                    let interleaves =
                        o.interleave.map { [$0] } ?? (pp == 1 ? [1] : [1, 2, 4].filter { $0 <= layersPerStage })
                    for ep in experts where dp % ep == 0 {
                        for v in interleaves {
                            for zero in zeros {
                                for checkpointing in checkpoints {
                                    let plan = ParallelismPlan(
                                        tensor: tp, pipeline: pp, context: cp, expert: ep, data: dp, zero: zero,
                                        checkpointing: checkpointing, interleave: v, microBatch: o.microBatch ?? 1,
                                        sequenceLength: request.sequenceLength,
                                        globalBatchTokens: request.globalBatchTokens)
                                    out.append(evaluate(plan))
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Plans that fit, best predicted MFU first; ties go to less model parallelism, then less memory.
    public func fitting() -> [Candidate] {
        candidates().filter(\.memory.fits).sorted { a, b in
            if abs(a.step.mfu - b.step.mfu) > 1e-9 { return a.step.mfu > b.step.mfu }
            if a.plan.modelParallel != b.plan.modelParallel { return a.plan.modelParallel < b.plan.modelParallel }
            return a.memory.total < b.memory.total
        }
    }

    /// The fitting plan with the least model parallelism for each recomputation mode: the smallest plans that fit.
    public func smallestFitting() -> [Candidate] {
        let fits = candidates().filter(\.memory.fits)
        return ParallelismPlan.Checkpointing.allCases.compactMap { mode in
            fits.filter { $0.plan.checkpointing == mode }.min { a, b in
                if a.plan.modelParallel != b.plan.modelParallel { return a.plan.modelParallel < b.plan.modelParallel }
                return a.step.mfu > b.step.mfu
            }
        }
    }

    /// The plan that comes closest to fitting, for the error when none does.
    public func closestMiss() -> Candidate? {
        candidates().min { $0.memory.excess < $1.memory.excess }
    }
}
