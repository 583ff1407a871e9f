/// Memory one accelerator holds during training, by kind, for one parallelism plan.
///
/// Model states follow ZeRO's mixed-precision Adam accounting (Rajbhandari et al. 2020, arXiv 1910.02054 §3.1):
/// 2 bytes of 16-bit weights, 2 of 16-bit gradients and 12 of fp32 optimizer state (master weights, momentum,
/// variance) per parameter, 16 in all, each sharded over the data-parallel ranks from its ZeRO stage on. FP8 training
/// keeps the same states (the FP8 copies are transient), so it changes compute, not this accounting.
///
/// Activations follow Korthikanti et al. 2022 (arXiv 2205.05198, §4 and Table 2): per layer s·b·h·(34 + 5·a·s/h)
/// bytes, divided by t with tensor and sequence parallelism, the 5·a·s/h (attention score) term dropped by selective
/// recomputation, and 2·s·b·h per layer under full recomputation. The 34 is generalised to the model's shape: 11 of
/// attention (7 + 4 at MHA, the 4 scaled by the key/value width for GQA), 19 of MLP (3 + 16 for a 4h GeLU MLP, the 16
/// scaled to the real width, ×1.5 for gated MLPs that keep three width-sized tensors), 4 of norms; without dropout
/// (none of the catalog's models use it) the two 1-byte masks and 3 of the 5·a·s/h go. The first pipeline stage keeps
/// min(p, m) micro-batches in flight under 1F1B, so it holds a whole model's depth of activations.
public struct TrainingMemory: Sendable, Hashable, Codable {
    public var weights: Double
    public var gradients: Double
    public var optimizerStates: Double
    /// ZeRO-3 gathers whole layers before using them: two layers' full weights (one in use, one prefetched).
    public var gatherBuffers: Double
    /// `nil` when the model's shape is unknown.
    public var activations: Double?
    public var capacity: Double
    /// Fraction of capacity the run may fill (the rest is the CUDA context, communication buffers, fragmentation).
    public var usableFraction: Double

    /// Bytes per parameter of each model state (mixed-precision Adam).
    public static let weightBytes = 2.0
    public static let gradientBytes = 2.0
    public static let optimizerBytes = 12.0

    /// Estimates memory on the most loaded accelerator (the first pipeline stage, or the last when the logits
    /// outweigh the extra micro-batches).
    /// - Parameters:
    ///   - usableFraction: share of the part's memory the run may fill; an assumption the caller states.
    ///   - dropout: whether the model trains with dropout (its masks are stored).
    public init(
        model: TrainingModel, plan: ParallelismPlan, capacityBytes: Double, usableFraction: Double,
        dropout: Bool = false
    ) {
        let tp = Double(plan.tensor)
        let pp = Double(plan.pipeline)
        let ep = Double(plan.expert)
        let denseParams = (model.totalParams - model.routedExpertParams) / (tp * pp)
        let expertParams = model.routedExpertParams / (ep * tp * pp)
        let denseShards = Double(plan.data * plan.context)
        let expertShards = max(denseShards / ep, 1)
        func states(_ bytes: Double, shardedFrom stage: ParallelismPlan.ZeROStage) -> Double {
            let sharded = plan.zero.rawValue >= stage.rawValue
            return bytes * (denseParams / (sharded ? denseShards : 1) + expertParams / (sharded ? expertShards : 1))
        }
        weights = states(Self.weightBytes, shardedFrom: .parameters)
        gradients = states(Self.gradientBytes, shardedFrom: .gradients)
        optimizerStates = states(Self.optimizerBytes, shardedFrom: .optimizer)
        if plan.zero == .parameters, let shape = model.shape {
            gatherBuffers = 2 * Self.weightBytes * (denseParams + expertParams) / Double(max(shape.layers, 1)) * pp
        } else {
            gatherBuffers = 0
        }
        capacity = capacityBytes
        self.usableFraction = usableFraction
        activations = model.shape.map { Self.activations(shape: $0, plan: plan, dropout: dropout) }
    }

    /// Activation bytes on the most loaded pipeline stage.
    static func activations(shape: TrainingModel.Shape, plan: ParallelismPlan, dropout: Bool) -> Double {
        let t = Double(plan.tensor)
        let s = Double(plan.sequenceLength)
        let local = s / Double(plan.context)
        let b = Double(plan.microBatch)
        let h = Double(shape.hiddenSize)
        let a = Double(shape.attentionHeads)
        let widthTensors = shape.gatedMLP ? 6.0 : 4.0
        let linear =
            12 + 4 * shape.kvFraction + widthTensors * Double(shape.mlpWidth) / h + (dropout ? 2 : 0)
        let sbh = local * b * h
        let scores = (dropout ? 5.0 : 2.0) * a * local * s * b
        let layersPerStage = (Double(shape.layers) / Double(plan.pipeline)).rounded(.up)
        // Interleaving keeps a further (p − 1)/(p·v) of the depth in flight (Korthikanti et al. 2022 §4.2.3).
        let p = Double(plan.pipeline)
        let interleaving = plan.interleave > 1 ? 1 + (p - 1) / (p * Double(plan.interleave)) : 1
        let inFlight = Double(min(plan.pipeline, plan.microBatches)) * interleaving
        let logits = 4 * local * b * Double(shape.vocabSize) / t
        let perLayer: Double
        var working = 0.0
        switch plan.checkpointing {
        case .none: perLayer = (linear * sbh + scores) / t
        case .selective: perLayer = linear * sbh / t
        case .full:
            perLayer = 2 * sbh / t
            working = linear * sbh / t
        }
        let first = perLayer * layersPerStage * inFlight + working + (plan.pipeline == 1 ? logits : 0)
        let last = perLayer * layersPerStage + working + logits
        return max(first, last)
    }

    public var modelStates: Double { weights + gradients + optimizerStates }
    public var total: Double { modelStates + gatherBuffers + (activations ?? 0) }
    public var usable: Double { capacity * usableFraction }
    public var fits: Bool { total <= usable }
    /// How far over the usable memory the plan is (negative when it fits).
    public var excess: Double { total - usable }
}
