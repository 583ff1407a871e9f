public import HeadroomCore

/// `headroom train --format json`: the DESIGN.md §4 contract keys first-class, the detail beside them.
public struct TrainingDocument: Encodable, Sendable {
    public var totalFlops: Double
    public var gpuHours: Double
    public var wallDays: Double
    public var mfu: Double
    public var memoryPerAcceleratorGib: Double
    public var expectedInterruptions: Double
    public var checkpointIntervalMinutes: Double
    public var goodputFraction: Double
    public var flops: [String: Double]
    public var flopsDefinition: String
    public var time: [String: Double]
    public var mfuSource: String
    public var model: [String: String]
    public var parameters: [String: Double]
    public var cluster: [String: String]
    public var parallelism: Layout
    public var memory: [String: Double]
    public var alternatives: [Layout]
    public var smallestFitting: [Layout]
    public var step: [String: Double]
    public var scaling: Scaling
    public var overTraining: OverTrainingAnalysis
    public var reliability: [String: Double]
    public var procurement: TrainingProcurement
    public var deadline: [String: Double]?
    public var clusterSizes: [TrainingPlan.SizePoint]
    public var assumptions: [String]
    public var fits: Bool

    public struct Layout: Encodable, Sendable {
        public var tp: Int
        public var pp: Int
        public var cp: Int
        public var ep: Int
        public var dp: Int
        public var zero: Int
        public var checkpointing: String
        public var interleave: Int
        public var microBatch: Int
        public var microBatches: Int
        public var bubbleFraction: Double
        public var memoryGib: Double
        public var predictedMfu: Double
        public var placement: String

        init(_ candidate: TrainingLayoutSearch.Candidate, domain: Int) {
            let p = candidate.plan
            tp = p.tensor
            pp = p.pipeline
            cp = p.context
            ep = p.expert
            dp = p.data
            zero = p.zero.rawValue
            checkpointing = p.checkpointing.rawValue
            interleave = p.interleave
            microBatch = p.microBatch
            microBatches = p.microBatches
            bubbleFraction = p.bubbleFraction
            memoryGib = candidate.memory.total / gib
            predictedMfu = candidate.step.mfu
            let tpWhere = p.tensor <= domain ? "inside the \(domain)-accelerator scale-up domain" : "across domains"
            let ppWhere = p.tensor * p.context >= domain ? "across nodes" : "partly inside the scale-up domain"
            placement =
                "TP\(p.tensor) \(tpWhere); PP\(p.pipeline) \(p.pipeline > 1 ? ppWhere : "(none)"); DP\(p.data) outermost"
        }
    }

    public struct Scaling: Encodable, Sendable {
        public var law: String
        public var lawSource: String
        public var budgetFlops: Double
        public var computeOptimalParams: Double
        public var computeOptimalTokens: Double
        public var computeOptimalTokensPerParameter: Double
        public var tokensPerParameter: Double
        public var heuristicTokensPerParameter: Double
        public var predictedLoss: Double
        public var computeOptimalLoss: Double
        public var lossByLaw: [String: Double]
        public var computeOptimalTokensPerParameterByLaw: [String: Double]
        public var whyDefault: String
    }

    static let gib = 1_073_741_824.0

    public init(_ plan: TrainingPlan, domain: Int) {
        totalFlops = plan.flops.modelFLOPs
        gpuHours = plan.acceleratorHours
        wallDays = plan.wallDays
        mfu = plan.mfu
        memoryPerAcceleratorGib = plan.memory.total / Self.gib
        expectedInterruptions = plan.reliability.expectedUnexpectedInterruptions
        checkpointIntervalMinutes = plan.reliability.checkpointIntervalSeconds / 60
        goodputFraction = plan.reliability.goodput
        let f = plan.flops
        flops = [
            "model_flops": f.modelFLOPs, "hardware_flops": f.hardwareFLOPs, "six_n_d": f.sixND,
            "attention_flops": f.attentionFLOPsPerToken * f.tokens, "attention_share": f.attentionShare,
            "model_flops_per_token": f.modelFLOPsPerToken, "hardware_flops_per_token": f.hardwareFLOPsPerToken,
        ]
        flopsDefinition =
            "total_flops = model FLOPs: 6·N·D (N = \(plan.computeParams) parameters per token) plus causal attention "
            + "at sequence length \(f.sequenceLength); hardware_flops adds \(f.checkpointing) recomputation"
        time = [
            "compute_days": plan.computeDays, "wall_days": plan.wallDays,
            "compute_gpu_hours": plan.computeAcceleratorHours, "gpu_hours": plan.acceleratorHours,
            "peak_flops_per_accelerator": plan.peakFLOPS,
        ]
        mfuSource =
            plan.mfuGiven
            ? "given (--mfu); the plan's predicted MFU is \(plan.predictedMFU)"
            : "predicted from the parallelism plan (compute, exposed communication, pipeline bubble)"
                + (plan.mfuBorrowedFrom.map {
                    "; kernel efficiencies borrowed from the \($0.joined(separator: "/")) fit (no \(plan.accelerator) runs)"
                } ?? "")
        model = ["name": plan.modelName, "precision": plan.precision.rawValue]
        parameters = ["total": plan.totalParams, "per_token": plan.computeParams, "tokens": plan.tokens]
        cluster = ["accelerator": plan.accelerator, "count": String(plan.count)]
        let best = TrainingLayoutSearch.Candidate(plan: plan.plan, memory: plan.memory, step: plan.step)
        parallelism = Layout(best, domain: domain)
        let m = plan.memory
        memory = [
            "weights_gib": m.weights / Self.gib, "gradients_gib": m.gradients / Self.gib,
            "optimizer_states_gib": m.optimizerStates / Self.gib, "gather_buffers_gib": m.gatherBuffers / Self.gib,
            "activations_gib": (m.activations ?? 0) / Self.gib, "total_gib": m.total / Self.gib,
            "capacity_gib": m.capacity / Self.gib, "usable_gib": m.usable / Self.gib,
        ]
        fits = m.fits
        alternatives = plan.alternatives.map { Layout($0, domain: domain) }
        smallestFitting = plan.smallestFitting.map { Layout($0, domain: domain) }
        let s = plan.step
        step = [
            "step_seconds": s.stepSeconds, "compute_seconds": s.computeSeconds,
            "tensor_parallel_seconds": s.tensorParallelSeconds, "context_parallel_seconds": s.contextParallelSeconds,
            "pipeline_seconds": s.pipelineSeconds, "expert_parallel_seconds": s.expertParallelSeconds,
            "data_parallel_seconds": s.dataParallelSeconds,
            "data_parallel_exposed_seconds": s.dataParallelExposedSeconds, "bubble_seconds": s.bubbleSeconds,
            "tokens_per_step": s.tokensPerStep, "predicted_mfu": s.mfu, "predicted_hfu": s.hfu,
            "kernel_efficiency_matmul": s.kernelEfficiency.matmul,
            "kernel_efficiency_attention": s.kernelEfficiency.attention,
        ]
        let sc = plan.scaling
        scaling = Scaling(
            law: sc.law, lawSource: sc.lawSource, budgetFlops: sc.budgetFLOPs, computeOptimalParams: sc.optimalParams,
            computeOptimalTokens: sc.optimalTokens, computeOptimalTokensPerParameter: sc.optimalTokensPerParameter,
            tokensPerParameter: sc.tokensPerParameter, heuristicTokensPerParameter: sc.heuristicTokensPerParameter,
            predictedLoss: sc.predictedLoss, computeOptimalLoss: sc.optimalLoss, lossByLaw: sc.lossByLaw,
            computeOptimalTokensPerParameterByLaw: sc.optimalTokensPerParameterByLaw,
            whyDefault: "the Epoch AI replication (Besiroglu et al. 2024) is the default: the rounded approach-3 "
                + "constants printed by Hoffmann et al. fit their own data poorly and imply far more than the paper's "
                + "~20 tokens per parameter; the refit agrees with approaches 1 and 2")
        overTraining = plan.overTraining
        let r = plan.reliability
        reliability = [
            "expected_unexpected_interruptions": r.expectedUnexpectedInterruptions,
            "expected_planned_interruptions": r.expectedPlannedInterruptions,
            "failures_per_1000_node_days": r.failuresPerThousandNodeDays,
            "mean_time_between_failures_hours": r.meanTimeBetweenFailuresSeconds / 3600,
            "checkpoint_gb": r.checkpointBytes / 1e9, "checkpoint_write_seconds": r.checkpointWriteSeconds,
            "checkpoint_stall_seconds": r.checkpointStallSeconds,
            "checkpoint_interval_minutes": r.checkpointIntervalSeconds / 60,
            "young_interval_minutes": r.youngIntervalSeconds / 60, "restart_minutes": r.restartSeconds / 60,
            "lost_work_per_failure_minutes": r.lostWorkPerFailureSeconds / 60,
            "effective_training_time_ratio": r.goodput, "checkpoint_overhead_hours": r.checkpointOverheadSeconds / 3600,
            "restart_overhead_hours": r.restartOverheadSeconds / 3600, "lost_work_hours": r.lostWorkSeconds / 3600,
        ]
        procurement = plan.procurement
        if let days = plan.deadlineDays {
            var entry = ["deadline_days": days]
            if let n = plan.acceleratorsForDeadline { entry["accelerators_needed"] = Double(n) }
            deadline = entry
        }
        clusterSizes = plan.sweep
        assumptions = plan.assumptions
    }

    enum CodingKeys: String, CodingKey {
        case totalFlops = "total_flops"
        case gpuHours = "gpu_hours"
        case wallDays = "wall_days"
        case mfu
        case memoryPerAcceleratorGib = "memory_per_accelerator_gib"
        case expectedInterruptions = "expected_interruptions"
        case checkpointIntervalMinutes = "checkpoint_interval_minutes"
        case goodputFraction = "goodput_fraction"
        case flops, time, model, parameters, cluster, parallelism, memory, alternatives, step, scaling, reliability
        case procurement, deadline, assumptions, fits
        case flopsDefinition = "flops_definition"
        case mfuSource = "mfu_source"
        case smallestFitting = "smallest_fitting"
        case overTraining = "over_training"
        case clusterSizes = "cluster_sizes"
    }
}
