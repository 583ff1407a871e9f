/// Where one accelerator's memory goes, and how many sequences the KV cache holds.
public struct MemoryPlan: Sendable, Hashable {
    /// Weights held by one accelerator, bytes.
    public var weightsPerAccelerator: Double
    /// Weights of the whole model as served, bytes.
    public var weightsTotal: Double
    /// Activation and workspace peak per accelerator, bytes.
    public var activationsPerAccelerator: Double
    /// Runtime overhead per accelerator (context, graphs, communication buffers), bytes.
    public var runtimeOverheadPerAccelerator: Double
    /// KV cache per accelerator, bytes (negative when the weights do not fit).
    public var kvCachePerAccelerator: Double
    /// KV bytes one token occupies across one replica (with replication when TP exceeds the KV heads).
    public var kvBytesPerTokenPerReplica: Double
    /// Tokens the replica's KV cache holds.
    public var kvCapacityTokens: Double
    /// Memory the stack may use per accelerator under its semantics, bytes.
    public var budgetPerAccelerator: Double

    /// Whether the weights and workspace fit with room for any KV cache.
    public var weightsFit: Bool { kvCachePerAccelerator > 0 }

}

extension Deployment {
    /// Bytes of the model's weights as served in ``precision``.
    ///
    /// Linear layers (attention projections, MLPs, every expert of an MoE) are stored in the deployment's precision;
    /// embeddings, the output head and norms stay 16-bit, as vLLM and TensorRT-LLM keep them. A checkpoint that ships
    /// quantized experts only (gpt-oss's MXFP4) keeps its attention in 16-bit when served in that format.
    public var weightBytes: Double {
        let wide = 2.0
        let narrow = precision.bytesPerWeight
        let linear = model.totalParams - model.embeddingParams - model.normParams
        let embedding = model.embeddingParams + model.normParams
        if let quantized = model.weightsQuantization, quantized == precision, model.isMoE,
            quantized == .mxfp4
        {
            let experts = model.routedExpertParams
            return experts * narrow + (linear - experts) * wide + embedding * wide
        }
        return linear * narrow + embedding * wide
    }

    /// Factor by which KV entries are stored more than once across the tensor-parallel group: MLA's latent is
    /// replicated on every rank; GQA heads replicate when TP exceeds the KV heads.
    public var kvReplication: Double {
        // Data-parallel attention: each rank keeps only its own sequences' KV.
        if attentionDataParallel { return 1 }
        if model.attention == .mla { return Double(tensorParallel) }
        return Double(max(tensorParallel, model.kvHeads)) / Double(model.kvHeads)
    }

    /// Peak activation and workspace memory per accelerator for a step of ``maxBatchedTokens`` tokens.
    ///
    /// Per token: the residual stream and attention buffers (≈ 4·hidden) and the gated MLP's intermediates
    /// (3·intermediate / TP) in 16-bit, plus FP32 logits for the sampled sequences over the vocabulary shard.
    public var activationBytes: Double {
        let tokens = Double(maxBatchedTokens)
        let h = Double(model.hiddenSize)
        let width = Double(
            model.moe.map { max($0.expertIntermediateSize * $0.active, model.intermediateSize) }
                ?? model.intermediateSize)
        let perToken = (4 * h + 3 * width / Double(tensorParallel)) * 2
        let logits =
            Double(min(maxNumSeqs ?? maxBatchedTokens, maxBatchedTokens)) * Double(model.vocabSize)
            / Double(tensorParallel) * 4
        return tokens * perToken + logits
    }

    /// The memory plan for one accelerator of this deployment.
    public var memoryPlan: MemoryPlan {
        let gib = 1_073_741_824.0
        let shards = Double(acceleratorsPerReplica)
        // Data-parallel attention keeps the whole attention block on every rank.
        let expertOnlyQuantized = model.isMoE && model.weightsQuantization == .mxfp4 && precision == .mxfp4
        let attention =
            Double(model.layers) * model.attentionParamsPerLayer * (expertOnlyQuantized ? 2 : precision.bytesPerWeight)
        let weights =
            attentionDataParallel ? (weightBytes - attention) / shards + attention : weightBytes / shards
        let activations = activationBytes
        let runtime = stack.runtimeOverheadGiB * gib
        let total = accelerator.memoryBytes
        let budget: Double
        let kv: Double
        switch stack.memorySemantics {
        case .total where stack.reservedMemoryRule != nil:
            // SGLang: the static pool (weights + KV) is the fraction of total memory; activations and CUDA graphs
            // live in the reserve outside it, and what the runtime took before the pool was sized is not free.
            budget = total * memoryFraction
            kv = budget - weights - runtime
        case .total:
            budget = total * memoryFraction
            kv = budget - weights - activations - runtime
        case .freeAfterWeights:
            budget = total
            let free = total - weights - activations - runtime
            kv = free > 0 ? free * memoryFraction : free
        }
        let perToken = model.kvBytesPerToken(kvPrecision: kvPrecision) * kvReplication
        let capacity = kv > 0 ? kv * shards / perToken : 0
        return MemoryPlan(
            weightsPerAccelerator: weights, weightsTotal: weightBytes, activationsPerAccelerator: activations,
            runtimeOverheadPerAccelerator: runtime, kvCachePerAccelerator: kv, kvBytesPerTokenPerReplica: perToken,
            kvCapacityTokens: capacity, budgetPerAccelerator: budget
        )
    }

    /// Sequences of `tokens` each (rounded up to whole KV blocks, sliding-window layers capped at the window) that the
    /// replica's KV cache holds at once.
    public func maxSequences(ofTokens tokens: Double, plan: MemoryPlan) -> Double {
        guard tokens > 0, plan.kvCachePerAccelerator > 0 else { return 0 }
        let block = Double(stack.kvBlockSize)
        let rounded = (tokens / block).rounded(.up) * block
        let perSequence =
            stack.slidingWindowSavesKV
            ? model.kvCacheBytes(forContext: rounded, kvPrecision: kvPrecision) * kvReplication
            : rounded * model.kvBytesPerToken(kvPrecision: kvPrecision) * kvReplication
        let available = plan.kvCachePerAccelerator * Double(acceleratorsPerReplica)
        return (available / perSequence).rounded(.down)
    }
}
