/// What the training planner needs to know about a model: its parameter counts and, where known, its shape.
///
/// Built from a catalog ``ModelArchitecture`` (every figure then follows from the published `config.json`) or from
/// bare parameter counts (`--params`), in which case the attention FLOPs term and the activation memory cannot be
/// computed and the reports say so instead of guessing a shape.
public struct TrainingModel: Sendable, Hashable, Codable {
    /// The layer shapes behind the attention FLOPs term and the activation memory.
    public struct Shape: Sendable, Hashable, Codable {
        public var layers: Int
        public var hiddenSize: Int
        public var attentionHeads: Int
        public var kvHeads: Int
        /// Query/key width per head (MLA: no-RoPE plus RoPE dims).
        public var qkHeadDim: Int
        /// Value width per head.
        public var vHeadDim: Int
        /// MLP width that one token's activations pass through (MoE: active plus shared experts).
        public var mlpWidth: Int
        /// Gated (SwiGLU) MLPs keep three width-sized tensors per token instead of two.
        public var gatedMLP: Bool
        public var vocabSize: Int
        /// Layers whose attention is limited to a sliding window, and the window.
        public var slidingLayers: Int
        public var slidingWindow: Int?
        /// Layers with routed experts, and how many experts and how many each token uses.
        public var moeLayers: Int
        public var experts: Int
        public var expertsPerToken: Int

        public init(
            layers: Int, hiddenSize: Int, attentionHeads: Int, kvHeads: Int, qkHeadDim: Int, vHeadDim: Int,
            mlpWidth: Int, gatedMLP: Bool, vocabSize: Int, slidingLayers: Int = 0, slidingWindow: Int? = nil,
            moeLayers: Int = 0, experts: Int = 0, expertsPerToken: Int = 0
        ) {
            self.layers = layers
            self.hiddenSize = hiddenSize
            self.attentionHeads = attentionHeads
            self.kvHeads = kvHeads
            self.qkHeadDim = qkHeadDim
            self.vHeadDim = vHeadDim
            self.mlpWidth = mlpWidth
            self.gatedMLP = gatedMLP
            self.vocabSize = vocabSize
            self.slidingLayers = slidingLayers
            self.slidingWindow = slidingWindow
            self.moeLayers = moeLayers
            self.experts = experts
            self.expertsPerToken = expertsPerToken
        }

        /// Key/value width across heads, relative to the query width (1 for MHA, 1/8 for Llama's GQA).
        public var kvFraction: Double {
            Double(kvHeads * (qkHeadDim + vHeadDim)) / Double(max(attentionHeads * (qkHeadDim + vHeadDim), 1))
        }
    }

    public var name: String
    /// Every parameter the accelerators hold (all experts).
    public var totalParams: Double
    /// Parameters one token multiplies with: the `N` of 6·N·D (active parameters for MoE, the input embedding
    /// lookup excluded).
    public var computeParams: Double
    /// Routed-expert parameters (what expert parallelism shards); 0 for dense models.
    public var routedExpertParams: Double
    public var shape: Shape?
    /// How the figures were obtained.
    public var notes: [String]

    public init(
        name: String, totalParams: Double, computeParams: Double, routedExpertParams: Double = 0,
        shape: Shape? = nil, notes: [String] = []
    ) {
        self.name = name
        self.totalParams = totalParams
        self.computeParams = computeParams
        self.routedExpertParams = routedExpertParams
        self.shape = shape
        self.notes = notes
    }

    /// A model from bare parameter counts; `active` defaults to `total` (a dense model).
    public init(params total: Double, activeParams active: Double? = nil) {
        let active = active ?? total
        self.init(
            name: active < total ? "\(total) parameters (\(active) active)" : "\(total) parameters",
            totalParams: total, computeParams: active, routedExpertParams: active < total ? total - active : 0,
            notes: [
                "model given by parameter count only: the attention FLOPs term and activation memory need the layer "
                    + "shape (pass `model` with a catalog id or a config.json), so they are left out"
            ]
        )
    }

    /// A model from its published architecture.
    public init(architecture m: ModelArchitecture) {
        var notes: [String] = []
        let inputEmbedding = m.tieWordEmbeddings ? 0 : Double(m.vocabSize) * Double(m.hiddenSize)
        let compute = m.isMoE ? m.activeParams : m.totalParams - inputEmbedding
        if !m.isMoE && inputEmbedding > 0 {
            notes.append(
                "6·N·D uses N = \(Self.billions(compute)) B: the \(Self.billions(m.totalParams)) B total less the "
                    + "input embedding, a table lookup rather than a matrix product")
        }
        if m.isMoE {
            notes.append(
                "MoE: 6·N·D uses the \(Self.billions(compute)) B parameters one token multiplies with, not the "
                    + "\(Self.billions(m.totalParams)) B held in memory")
        }
        var qk = m.headDim
        var v = m.headDim
        var kv = m.kvHeads
        if let mla = m.mla {
            qk = mla.qkNopeHeadDim + mla.qkRopeHeadDim
            v = mla.vHeadDim
            kv = m.attentionHeads  // MLA expands to per-head K and V for the attention product
        }
        var width = m.intermediateSize
        if let moe = m.moe {
            // Weighted over dense and MoE layers: what one token's activations pass through per layer on average.
            let moeWidth = (moe.active + moe.shared) * moe.expertIntermediateSize
            width = (m.denseLayers * m.intermediateSize + m.moeLayers * moeWidth) / max(m.layers, 1)
        }
        let shape = Shape(
            layers: m.layers, hiddenSize: m.hiddenSize, attentionHeads: m.attentionHeads, kvHeads: kv, qkHeadDim: qk,
            vHeadDim: v, mlpWidth: width, gatedMLP: true, vocabSize: m.vocabSize, slidingLayers: m.slidingLayers,
            slidingWindow: m.slidingWindow, moeLayers: m.moeLayers, experts: m.moe?.experts ?? 0,
            expertsPerToken: m.moe?.active ?? 0
        )
        self.init(
            name: m.name, totalParams: m.totalParams, computeParams: compute,
            routedExpertParams: m.routedExpertParams, shape: shape, notes: notes
        )
    }

    /// Whether some layers route tokens to experts.
    public var isMoE: Bool { routedExpertParams > 0 }

    static func billions(_ value: Double) -> String {
        let scaled = (value / 1e8).rounded() / 10
        return scaled == scaled.rounded() && abs(scaled) < 1e15 ? String(Int(scaled)) : String(scaled)
    }
}
