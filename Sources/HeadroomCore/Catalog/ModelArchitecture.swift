/// A decoder-only transformer's architecture, as read from its published `config.json`.
public struct ModelArchitecture: Sendable, Hashable, Codable, Identifiable {
    /// How attention stores keys and values.
    public enum AttentionKind: String, Sendable, Hashable, Codable {
        /// Multi-head attention: one KV head per query head.
        case mha
        /// Grouped-query attention: fewer KV heads than query heads.
        case gqa
        /// Multi-head latent attention (DeepSeek-V2/V3): a compressed latent per token instead of per-head K and V.
        case mla
    }

    /// Which layers use the sliding window.
    public enum SlidingWindowLayers: String, Sendable, Hashable, Codable {
        case all
        /// Every other layer (gpt-oss: sliding and full attention alternate).
        case alternate
    }

    /// Multi-head latent attention sizes.
    public struct MLA: Sendable, Hashable, Codable {
        public var qLoraRank: Int?
        public var kvLoraRank: Int
        public var qkNopeHeadDim: Int
        public var qkRopeHeadDim: Int
        public var vHeadDim: Int

        public init(qLoraRank: Int?, kvLoraRank: Int, qkNopeHeadDim: Int, qkRopeHeadDim: Int, vHeadDim: Int) {
            self.qLoraRank = qLoraRank
            self.kvLoraRank = kvLoraRank
            self.qkNopeHeadDim = qkNopeHeadDim
            self.qkRopeHeadDim = qkRopeHeadDim
            self.vHeadDim = vHeadDim
        }
    }

    /// Mixture-of-experts layout.
    public struct MoE: Sendable, Hashable, Codable {
        /// Routed experts per MoE layer.
        public var experts: Int
        /// Routed experts each token uses.
        public var active: Int
        /// Shared experts every token uses.
        public var shared: Int
        /// Hidden width of one expert's MLP.
        public var expertIntermediateSize: Int
        /// Leading layers with a dense MLP instead of experts (DeepSeek-V3: 3).
        public var denseLayers: Int

        public init(experts: Int, active: Int, shared: Int = 0, expertIntermediateSize: Int, denseLayers: Int = 0) {
            self.experts = experts
            self.active = active
            self.shared = shared
            self.expertIntermediateSize = expertIntermediateSize
            self.denseLayers = denseLayers
        }
    }

    public var id: String
    public var name: String
    public var aliases: [String]
    public var layers: Int
    public var hiddenSize: Int
    public var attentionHeads: Int
    public var kvHeads: Int
    public var headDim: Int
    /// Dense MLP width (for MoE models, the width of their dense layers).
    public var intermediateSize: Int
    public var vocabSize: Int
    public var tieWordEmbeddings: Bool
    public var maxContext: Int
    public var attentionBias: Bool
    public var attention: AttentionKind
    public var slidingWindow: Int?
    public var slidingWindowLayers: SlidingWindowLayers
    public var mla: MLA?
    public var moe: MoE?
    /// Multi-token-prediction layers shipped with the checkpoint (DeepSeek-V3: 1); counted in stored weights only.
    public var mtpLayers: Int
    /// The repository that carries these weights in `precision` without quantizing at load time: the checkpoint
    /// itself when it ships in that format, else a published export; `nil` when neither exists.
    public func checkpoint(in precision: Precision) -> String? {
        if weightsQuantization == precision || (weightsQuantization == nil && nativePrecision == precision) {
            return id
        }
        return quantizedExports?[precision.rawValue]
    }

    /// The checkpoint's native dtype.
    public var nativePrecision: Precision
    /// The published checkpoint's quantization, when it ships quantized (gpt-oss: MXFP4 experts).
    public var weightsQuantization: Precision?
    /// Published pre-quantized exports of this checkpoint, by Headroom precision id (`fp8` →
    /// `nvidia/Llama-3.1-70B-Instruct-FP8`): what a stack without online quantization (TensorRT-LLM) loads.
    public var quantizedExports: [String: String]? = nil
    public var publishedTotalParams: Double?
    public var publishedActiveParams: Double?
    public var provenance: Provenance

    public init(
        id: String, name: String, aliases: [String] = [], layers: Int, hiddenSize: Int, attentionHeads: Int,
        kvHeads: Int, headDim: Int, intermediateSize: Int, vocabSize: Int, tieWordEmbeddings: Bool = false,
        maxContext: Int, attentionBias: Bool = false, attention: AttentionKind, slidingWindow: Int? = nil,
        slidingWindowLayers: SlidingWindowLayers = .all, mla: MLA? = nil, moe: MoE? = nil, mtpLayers: Int = 0,
        nativePrecision: Precision = .bf16, weightsQuantization: Precision? = nil,
        publishedTotalParams: Double? = nil, publishedActiveParams: Double? = nil, provenance: Provenance
    ) {
        self.id = id
        self.name = name
        self.aliases = aliases
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.attentionHeads = attentionHeads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.intermediateSize = intermediateSize
        self.vocabSize = vocabSize
        self.tieWordEmbeddings = tieWordEmbeddings
        self.maxContext = maxContext
        self.attentionBias = attentionBias
        self.attention = attention
        self.slidingWindow = slidingWindow
        self.slidingWindowLayers = slidingWindowLayers
        self.mla = mla
        self.moe = moe
        self.mtpLayers = mtpLayers
        self.nativePrecision = nativePrecision
        self.weightsQuantization = weightsQuantization
        self.publishedTotalParams = publishedTotalParams
        self.publishedActiveParams = publishedActiveParams
        self.provenance = provenance
    }

    /// Whether any layer routes tokens to experts.
    public var isMoE: Bool { moe != nil }

    /// Layers with routed experts.
    public var moeLayers: Int { moe.map { layers - $0.denseLayers } ?? 0 }

    /// Layers with a dense MLP.
    public var denseLayers: Int { layers - moeLayers }
}
