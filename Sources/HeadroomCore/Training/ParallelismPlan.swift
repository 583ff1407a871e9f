/// How a training run splits its model and its batch over the accelerators.
///
/// Ranks are laid out innermost first as tensor, context, pipeline, data (Llama 3's [TP, CP, PP, DP] order, arXiv
/// 2407.21783 §3.3.2): tensor parallelism inside the scale-up domain (NVLink/ICI), pipeline stages across nodes.
/// Expert parallelism is carved out of the data-parallel ranks, as in Megatron-Core.
public struct ParallelismPlan: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What ZeRO (Rajbhandari et al. 2020, arXiv 1910.02054) shards across the data-parallel ranks.
    public enum ZeROStage: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        /// Plain data parallelism: every rank holds weights, gradients and optimizer states.
        case none = 0
        /// Optimizer states sharded.
        case optimizer = 1
        /// Optimizer states and gradients sharded.
        case gradients = 2
        /// Everything sharded (ZeRO-3, PyTorch FSDP FULL_SHARD).
        case parameters = 3

        public var description: String { self == .parameters ? "ZeRO-3/FSDP" : "ZeRO-\(rawValue)" }

        /// Parses `0`…`3`, `zero-2`, `fsdp`.
        public init?(userInput: String) {
            var key = userInput.lowercased()
            if key.hasPrefix("zero") { key = String(key.dropFirst(4).drop { $0 == "-" || $0 == "_" || $0 == " " }) }
            if key == "fsdp" || key == "full-shard" || key == "full_shard" {
                self = .parameters
                return
            }
            guard let n = Int(key), let stage = ZeROStage(rawValue: n) else { return nil }
            self = stage
        }
    }

    /// Which activations the backward pass recomputes instead of storing (Korthikanti et al. 2022, arXiv 2205.05198).
    public enum Checkpointing: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        /// Store everything the backward pass needs.
        case none
        /// Recompute the attention core (scores, softmax): the s² activations, cheap to redo. FlashAttention-style
        /// kernels never store them either.
        case selective
        /// Store each layer's input only and recompute the whole layer: one extra forward pass.
        case full

        public var description: String { rawValue }
    }

    public var tensor: Int
    public var pipeline: Int
    public var context: Int
    public var expert: Int
    public var data: Int
    public var zero: ZeROStage
    public var checkpointing: Checkpointing
    /// Virtual pipeline stages per rank (the interleaved 1F1B schedule of Narayanan et al. 2021 §2.2.2), 1 for plain
    /// 1F1B.
    public var interleave: Int
    /// Sequences per micro-batch on one data-parallel rank.
    public var microBatch: Int
    /// Tokens per sequence.
    public var sequenceLength: Int
    /// Tokens per optimizer step across the cluster.
    public var globalBatchTokens: Double

    public init(
        tensor: Int = 1, pipeline: Int = 1, context: Int = 1, expert: Int = 1, data: Int, zero: ZeROStage = .optimizer,
        checkpointing: Checkpointing = .selective, interleave: Int = 1, microBatch: Int = 1, sequenceLength: Int,
        globalBatchTokens: Double
    ) {
        self.interleave = interleave
        self.tensor = tensor
        self.pipeline = pipeline
        self.context = context
        self.expert = expert
        self.data = data
        self.zero = zero
        self.checkpointing = checkpointing
        self.microBatch = microBatch
        self.sequenceLength = sequenceLength
        self.globalBatchTokens = globalBatchTokens
    }

    /// Accelerators the plan uses.
    public var accelerators: Int { tensor * pipeline * context * data }

    /// Accelerators that hold one copy of the model (tensor × context × pipeline).
    public var modelParallel: Int { tensor * pipeline * context }

    /// Micro-batches each pipeline runs per optimizer step: the global batch over data-parallel ranks, micro-batch
    /// size and sequence length, at least one.
    public var microBatches: Int {
        let perRank = globalBatchTokens / (Double(data) * Double(microBatch) * Double(sequenceLength))
        return max(Int(saturating: perRank.rounded(.up)), 1)
    }

    /// Tokens one optimizer step really processes (the global batch rounded up to whole micro-batches).
    public var tokensPerStep: Double {
        Double(microBatches) * Double(data) * Double(microBatch) * Double(sequenceLength)
    }

    /// The idle fraction of a 1F1B pipeline: (p − 1) / (v·m + p − 1), the bubble time (p − 1)/(v·m) of an ideal step
    /// over the whole (Narayanan et al. 2021, arXiv 2104.04473 §2.2; v = 1 without interleaving).
    public var bubbleFraction: Double {
        let p = Double(pipeline)
        let vm = Double(microBatches) * Double(interleave)
        return (p - 1) / (vm + p - 1)
    }

    public var description: String {
        var parts = ["TP\(tensor)"]
        if context > 1 { parts.append("CP\(context)") }
        parts.append(interleave > 1 ? "PP\(pipeline)×\(interleave)" : "PP\(pipeline)")
        parts.append("DP\(data)")
        if expert > 1 { parts.append("EP\(expert)") }
        return parts.joined(separator: " ") + ", \(zero), \(checkpointing) recompute"
    }

    /// Checks the plan's degrees against each other and the cluster.
    /// - Throws: ``HeadroomError`` naming the degree that does not fit.
    public func validated(count: Int) throws(HeadroomError) -> ParallelismPlan {
        for (name, value) in [
            ("tp", tensor), ("pp", pipeline), ("cp", context), ("ep", expert), ("dp", data),
            ("micro-batch", microBatch), ("interleave", interleave),
            ("sequence length", sequenceLength),
        ] where value < 1 {
            throw HeadroomError(.invalidInput, "\(name) must be at least 1, got \(value)", field: name)
        }
        guard accelerators == count else {
            throw HeadroomError(
                .invalidInput,
                "tp \(tensor) × cp \(context) × pp \(pipeline) × dp \(data) = \(accelerators) accelerators, but "
                    + "`count` is \(count)", field: "count")
        }
        guard data % expert == 0 else {
            throw HeadroomError(
                .invalidInput,
                "ep \(expert) must divide the data-parallel degree \(data) (experts are sharded across "
                    + "data-parallel ranks)", field: "ep")
        }
        guard globalBatchTokens > 0, globalBatchTokens.isFinite else {
            throw HeadroomError(.invalidInput, "the global batch must be positive", field: "global_batch_tokens")
        }
        return self
    }
}
