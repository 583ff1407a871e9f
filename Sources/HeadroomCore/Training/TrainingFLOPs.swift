/// The floating-point work of a training run, split into the terms that make it up.
///
/// Model FLOPs per token are 6·N (forward 2·N, backward 4·N; Kaplan et al. 2020, arXiv 2001.08361 §2.1) plus the
/// attention term the parameters miss. Per layer, a token's query meets the keys and values of the tokens before it:
/// QKᵀ and AV cost 2·s·H·(d_qk + d_v) forward without a causal mask (PaLM's 12·L·H·Q·T for training, Chowdhery et al.
/// 2022, arXiv 2204.02311 App. B). A causal kernel does half of it, so training counts 3·s·H·(d_qk + d_v) per layer
/// per token. Hardware FLOPs add what activation recomputation redoes: the attention core (selective) or one whole
/// forward pass (full: the 4/3 factor of Narayanan et al. 2021, arXiv 2104.04473 eq. 3).
public struct TrainingFLOPs: Sendable, Hashable, Codable {
    public var tokens: Double
    /// 6·N per token, N the parameters one token multiplies with (active parameters for MoE).
    public var parameterFLOPsPerToken: Double
    /// Causal attention (QKᵀ and AV, forward and backward) per token; 0 when the shape is unknown.
    public var attentionFLOPsPerToken: Double
    /// Extra work recomputation adds per token.
    public var recomputeFLOPsPerToken: Double
    public var checkpointing: ParallelismPlan.Checkpointing
    public var sequenceLength: Int

    public init(model: TrainingModel, tokens: Double, sequenceLength: Int, checkpointing: ParallelismPlan.Checkpointing)
    {
        self.tokens = tokens
        self.sequenceLength = sequenceLength
        self.checkpointing = checkpointing
        parameterFLOPsPerToken = 6 * model.computeParams
        attentionFLOPsPerToken = Self.attentionPerToken(model.shape, sequenceLength: sequenceLength)
        switch checkpointing {
        case .none: recomputeFLOPsPerToken = 0
        case .selective: recomputeFLOPsPerToken = attentionFLOPsPerToken / 3
        case .full: recomputeFLOPsPerToken = (parameterFLOPsPerToken + attentionFLOPsPerToken) / 3
        }
    }

    /// Causal attention FLOPs per token for training (forward and backward), sliding windows capped.
    static func attentionPerToken(_ shape: TrainingModel.Shape?, sequenceLength: Int) -> Double {
        guard let shape else { return 0 }
        let s = Double(sequenceLength)
        let perLayer = { (context: Double) in
            3 * context * Double(shape.attentionHeads) * Double(shape.qkHeadDim + shape.vHeadDim)
        }
        let full = Double(shape.layers - shape.slidingLayers) * perLayer(s)
        // A sliding layer attends to at most `window` keys; causal averaging applies below the window.
        let windowed: Double
        if let window = shape.slidingWindow.map(Double.init), shape.slidingLayers > 0, s > window {
            // Mean keys per query: window − window²/(2s) against s/2 for a full causal mask; scaled into perLayer's
            // s/2 convention.
            let meanKeys = window - window * window / (2 * s)
            windowed = Double(shape.slidingLayers) * perLayer(2 * meanKeys)
        } else {
            windowed = Double(shape.slidingLayers) * perLayer(s)
        }
        return full + windowed
    }

    /// Hardware FLOPs per token in the parameter matrix products (full recomputation redoes their forward pass).
    public var hardwareParameterFLOPsPerToken: Double {
        parameterFLOPsPerToken * (checkpointing == .full ? 4.0 / 3.0 : 1)
    }
    /// Hardware FLOPs per token in the attention core (QKᵀ and AV), recomputation included.
    public var hardwareAttentionFLOPsPerToken: Double { hardwareFLOPsPerToken - hardwareParameterFLOPsPerToken }
    /// Model FLOPs per token: what MFU counts.
    public var modelFLOPsPerToken: Double { parameterFLOPsPerToken + attentionFLOPsPerToken }
    /// Hardware FLOPs per token: what the accelerators execute, recomputation included.
    public var hardwareFLOPsPerToken: Double { modelFLOPsPerToken + recomputeFLOPsPerToken }
    /// Model FLOPs of the run (6·N·D plus attention).
    public var modelFLOPs: Double { modelFLOPsPerToken * tokens }
    /// Hardware FLOPs of the run.
    public var hardwareFLOPs: Double { hardwareFLOPsPerToken * tokens }
    /// 6·N·D alone, the figure most papers publish.
    public var sixND: Double { parameterFLOPsPerToken * tokens }
    /// The attention term's share of the model FLOPs.
    public var attentionShare: Double { modelFLOPsPerToken > 0 ? attentionFLOPsPerToken / modelFLOPsPerToken : 0 }
}
