/// One optimizer step of a training plan: compute, exposed communication and pipeline bubble, hence MFU.
///
/// Compute is the hardware FLOPs per accelerator over peak × a kernel efficiency fitted to published runs
/// (``ThroughputCalibration``). Communication uses ring collectives (an all-reduce moves 2(n−1)/n of the message per
/// rank) over the scale-up link inside the NVLink/ICI domain and the scale-out NIC beyond it, with ranks laid out
/// tensor, context, pipeline, data from the innermost. Tensor-, context-, pipeline- and expert-parallel traffic sits
/// on the critical path; data-parallel traffic overlaps with the backward pass of the last micro-batch (ZeRO 0–2) or
/// with the whole step (ZeRO-3 prefetching), and only the excess shows. The bubble stretches the busy time by
/// (m + p − 1)/m.
public struct TrainingStep: Sendable, Hashable, Codable {
    public var computeSeconds: Double
    public var tensorParallelSeconds: Double
    public var contextParallelSeconds: Double
    public var pipelineSeconds: Double
    public var expertParallelSeconds: Double
    public var dataParallelSeconds: Double
    public var dataParallelExposedSeconds: Double
    public var bubbleSeconds: Double
    public var stepSeconds: Double
    public var tokensPerStep: Double
    /// Model FLOPs per second per accelerator over the precision's dense peak.
    public var mfu: Double
    /// Hardware FLOPs (recomputation included) per second per accelerator over peak.
    public var hfu: Double
    public var kernelEfficiency: KernelEfficiency
    /// Seconds of the parameter matrix products and of the attention core within ``computeSeconds``.
    public var parameterComputeSeconds: Double
    public var attentionComputeSeconds: Double

    /// Predicts one step.
    /// - Parameters:
    ///   - kernelEfficiency: achieved fractions of peak in the matrix products and the attention core, from
    ///     calibration.
    public init(
        model: TrainingModel, flops: TrainingFLOPs, plan: ParallelismPlan, accelerator: Accelerator,
        precision: Precision, kernelEfficiency efficiency: KernelEfficiency
    ) {
        let peak = accelerator.peakFLOPS(for: precision) ?? 1
        let count = Double(plan.accelerators)
        let m = Double(plan.microBatches)
        tokensPerStep = plan.tokensPerStep
        kernelEfficiency = efficiency
        parameterComputeSeconds =
            flops.hardwareParameterFLOPsPerToken * tokensPerStep / count / (peak * efficiency.matmul)
        attentionComputeSeconds =
            flops.hardwareAttentionFLOPsPerToken * tokensPerStep / count / (peak * efficiency.attention)
        computeSeconds = parameterComputeSeconds + attentionComputeSeconds
        let domain = accelerator.scaleUp?.domainSize ?? accelerator.nodeSize ?? 1
        let up = ((accelerator.scaleUp ?? accelerator.scaleOut)?.bandwidthGBps ?? 0) * 1e9
        let out = accelerator.scaleOutBandwidth
        func bandwidth(span: Int) -> Double { span <= domain ? up : out }
        let tp = plan.tensor
        let cp = plan.context
        let pp = plan.pipeline
        let local = Double(plan.sequenceLength) / Double(cp) * Double(plan.microBatch)
        var tensor = 0.0
        var context = 0.0
        var pipe = 0.0
        var expert = 0.0
        if let shape = model.shape {
            let h = Double(shape.hiddenSize)
            let layersPerStage = (Double(shape.layers) / Double(pp)).rounded(.up)
            if tp > 1 {
                let message = local * h * 2
                let allReduce = 2 * Double(tp - 1) / Double(tp) * message / bandwidth(span: tp)
                let collectives = plan.checkpointing == .full ? 6.0 : 4.0
                tensor = layersPerStage * m * collectives * allReduce
            }
            if cp > 1 {
                let kv = local * Double(shape.kvHeads * (shape.qkHeadDim + shape.vHeadDim)) * 2 / Double(tp)
                let gather = Double(cp - 1) * kv / bandwidth(span: tp * cp)
                context = layersPerStage * m * 2 * gather
            }
            if pp > 1 {
                let message = local * h * 2 / Double(tp)
                pipe = m * 2 * Double(plan.interleave) * message / bandwidth(span: tp * cp * pp)
            }
            if plan.expert > 1, shape.moeLayers > 0 {
                let moeLayersPerStage = (Double(shape.moeLayers) / Double(pp)).rounded(.up)
                let message = local * Double(max(shape.expertsPerToken, 1)) * h * 2 / Double(tp)
                let allToAll =
                    Double(plan.expert - 1) / Double(plan.expert) * message
                    / bandwidth(span: plan.modelParallel * plan.expert)
                expert = moeLayersPerStage * m * 4 * allToAll
            }
        }
        tensorParallelSeconds = tensor
        contextParallelSeconds = context
        pipelineSeconds = pipe
        expertParallelSeconds = expert
        // Data parallel: gradients and (ZeRO) parameters of this rank's shard of the model.
        let dense = (model.totalParams - model.routedExpertParams) / Double(tp * pp)
        let experts = model.routedExpertParams / Double(plan.expert * tp * pp)
        let d = Double(plan.data * cp)
        let bw = bandwidth(span: plan.accelerators)
        func ring(_ bytes: Double, ranks: Double) -> Double { ranks > 1 ? (ranks - 1) / ranks * bytes / bw : 0 }
        let gradientBytes = TrainingMemory.gradientBytes
        let denseTraffic = ring(dense * gradientBytes, ranks: d)
        let expertTraffic = ring(experts * gradientBytes, ranks: max(d / Double(plan.expert), 1))
        let perPass = denseTraffic + expertTraffic
        let busy = computeSeconds + tensor + context + pipe + expert
        let exposed: Double
        if plan.zero == .parameters {
            // Gather before forward and backward of every micro-batch, reduce-scatter gradients once.
            let gathers = 2 * m * perPass
            dataParallelSeconds = gathers + perPass
            exposed = max(0, gathers - busy) + max(0, perPass - busy / m * 2 / 3)
        } else {
            // Reduce-scatter (or all-reduce) gradients, all-gather updated weights: one all-reduce's worth.
            dataParallelSeconds = 2 * perPass
            exposed = max(0, dataParallelSeconds - busy / m * 2 / 3)
        }
        dataParallelExposedSeconds = exposed
        bubbleSeconds = busy * (Double(pp) - 1) / (m * Double(plan.interleave))
        stepSeconds = busy + bubbleSeconds + exposed
        mfu = flops.modelFLOPsPerToken * tokensPerStep / count / (peak * stepSeconds)
        hfu = flops.hardwareFLOPsPerToken * tokensPerStep / count / (peak * stepSeconds)
    }
}

/// Achieved fractions of peak: in the parameter matrix products and in the attention core (FlashAttention-style
/// kernels reach less of the peak than large GEMMs, so long sequences lower MFU).
public struct KernelEfficiency: Sendable, Hashable, Codable {
    public var matmul: Double
    public var attention: Double

    public init(matmul: Double, attention: Double) {
        self.matmul = matmul
        self.attention = attention
    }

    /// Used when no calibration is loaded: an assumption, stated in the plan.
    public static let uncalibrated = KernelEfficiency(matmul: 0.5, attention: 0.3)
}
