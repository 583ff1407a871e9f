extension ModelArchitecture {
    /// Parameters of one layer's attention block (projections, biases and norms).
    public var attentionParamsPerLayer: Double {
        let h = Double(hiddenSize)
        if let mla {
            let heads = Double(attentionHeads)
            let qHead = Double(mla.qkNopeHeadDim + mla.qkRopeHeadDim)
            let q: Double
            if let rank = mla.qLoraRank {
                q = h * Double(rank) + Double(rank) + Double(rank) * heads * qHead
            } else {
                q = h * heads * qHead
            }
            let kvA = h * Double(mla.kvLoraRank + mla.qkRopeHeadDim) + Double(mla.kvLoraRank)
            let kvB = Double(mla.kvLoraRank) * heads * Double(mla.qkNopeHeadDim + mla.vHeadDim)
            let o = heads * Double(mla.vHeadDim) * h
            return q + kvA + kvB + o
        }
        let qDim = Double(attentionHeads * headDim)
        let kvDim = Double(kvHeads * headDim)
        var params = h * qDim + 2 * h * kvDim + qDim * h
        if attentionBias { params += qDim + 2 * kvDim }
        return params
    }

    /// Parameters of one dense (gated, SwiGLU) MLP of width `intermediateSize`.
    public var denseMLPParams: Double {
        3 * Double(hiddenSize) * Double(intermediateSize)
    }

    /// Parameters of one routed expert.
    public var expertParams: Double {
        guard let moe else { return 0 }
        return 3 * Double(hiddenSize) * Double(moe.expertIntermediateSize)
    }

    /// Parameters of one MoE layer's MLP side: all routed experts, shared experts and the router.
    public var moeMLPParamsPerLayer: Double {
        guard let moe else { return 0 }
        let experts = Double(moe.experts + moe.shared) * expertParams
        let router = Double(hiddenSize * moe.experts)
        return experts + router
    }

    /// Input embedding plus output head (one matrix when tied).
    public var embeddingParams: Double {
        let matrix = Double(vocabSize) * Double(hiddenSize)
        return tieWordEmbeddings ? matrix : 2 * matrix
    }

    /// Norm weights: two per layer plus the final norm.
    public var normParams: Double {
        Double(2 * layers + 1) * Double(hiddenSize)
    }

    /// Total parameters as served (all experts; multi-token-prediction layers excluded).
    public var totalParams: Double {
        let attention = Double(layers) * attentionParamsPerLayer
        let mlp = Double(denseLayers) * denseMLPParams + Double(moeLayers) * moeMLPParamsPerLayer
        return attention + mlp + embeddingParams + normParams
    }

    /// Parameters one token computes with: attention, dense MLPs, active and shared experts, router and the output
    /// head. The input embedding is a lookup, not a matrix product, so an untied one is not counted (the convention of
    /// gpt-oss's "5.1 B active"); a dense model's active count is its total, as published.
    public var activeParams: Double {
        guard let moe else { return totalParams }
        let attention = Double(layers) * attentionParamsPerLayer
        let activeMLP = Double(moe.active + moe.shared) * expertParams + Double(hiddenSize * moe.experts)
        let mlp = Double(denseLayers) * denseMLPParams + Double(moeLayers) * activeMLP
        let head = Double(vocabSize) * Double(hiddenSize)
        return attention + mlp + head + normParams
    }

    /// Parameters of the routed experts alone (what expert parallelism shards and what MoE quantization covers).
    public var routedExpertParams: Double {
        guard let moe else { return 0 }
        return Double(moeLayers) * Double(moe.experts) * expertParams
    }

    /// Bytes of KV cache one token occupies across all layers.
    ///
    /// GQA/MHA: 2 (K and V) × layers × KV heads × head dim × element size. MLA: layers × (latent rank + RoPE dim) ×
    /// element size, since the latent is cached instead of per-head K and V. Sliding-window layers are counted here
    /// in full; ``kvCacheBytes(forContext:kvPrecision:)`` caps them at the window.
    public func kvBytesPerToken(kvPrecision: Precision) -> Double {
        Double(layers) * kvBytesPerTokenPerLayer(kvPrecision: kvPrecision)
    }

    /// Bytes of KV cache one token occupies in one layer.
    public func kvBytesPerTokenPerLayer(kvPrecision: Precision) -> Double {
        let element = kvPrecision.bytesPerElement
        if let mla {
            return Double(mla.kvLoraRank + mla.qkRopeHeadDim) * element
        }
        return 2 * Double(kvHeads * headDim) * element
    }

    /// Layers whose attention is limited to the sliding window.
    public var slidingLayers: Int {
        guard slidingWindow != nil else { return 0 }
        switch slidingWindowLayers {
        case .all: return layers
        case .alternate: return layers / 2
        }
    }

    /// KV-cache bytes held by one sequence of `context` tokens, with sliding-window layers capped at the window.
    public func kvCacheBytes(forContext context: Double, kvPrecision: Precision) -> Double {
        let perLayer = kvBytesPerTokenPerLayer(kvPrecision: kvPrecision)
        let full = Double(layers - slidingLayers) * context
        let windowed = Double(slidingLayers) * min(context, Double(slidingWindow ?? Int.max))
        return perLayer * (full + windowed)
    }
}
