/// One way to serve a model: which part, how many, how they are split, in what precision, on which stack.
public struct Deployment: Sendable, Hashable {
    public var model: ModelArchitecture
    public var accelerator: Accelerator
    public var stack: ServingStack
    /// Total accelerators across all replicas.
    public var count: Int
    public var tensorParallel: Int
    public var pipelineParallel: Int
    /// Ranks the routed experts are split across, inside the tensor-parallel group.
    public var expertParallel: Int
    /// Data-parallel attention (SGLang `--enable-dp-attention`, TensorRT-LLM `enable_attention_dp`, vLLM
    /// `--data-parallel-size` with `--enable-expert-parallel`): each of the replica's `tensorParallel` ranks runs
    /// attention for its own share of the sequences with the whole attention weights and keeps only their KV cache;
    /// the MLP side (experts under EP, dense layers under TP) still spans the ranks.
    public var attentionDataParallel: Bool = false
    public var precision: Precision
    public var kvPrecision: Precision
    /// Memory fraction with the stack's semantics (see ``ServingStack/MemorySemantics``).
    public var memoryFraction: Double
    /// Most sequences a replica runs at once (`max_num_seqs` / `max_batch_size`); nil where the stack derives it from
    /// the KV capacity.
    public var maxNumSeqs: Int?
    /// Most tokens in one step (`max_num_batched_tokens` / `max_num_tokens`).
    public var maxBatchedTokens: Int

    /// Builds a deployment and checks that its parts fit together.
    /// - Throws: ``HeadroomError`` naming the field at fault when the split, the precision or the stack cannot work.
    public init(
        model: ModelArchitecture, accelerator: Accelerator, stack: ServingStack, count: Int, tensorParallel: Int = 1,
        pipelineParallel: Int = 1, expertParallel: Int = 1, attentionDataParallel: Bool = false, precision: Precision,
        kvPrecision: Precision? = nil, memoryFraction: Double? = nil, maxNumSeqs: Int? = nil,
        maxBatchedTokens: Int? = nil
    ) throws(HeadroomError) {
        guard count >= 1 else {
            throw HeadroomError(.invalidInput, "`count` must be at least 1, got \(count)", field: "count")
        }
        guard tensorParallel >= 1 else { throw HeadroomError(.invalidInput, "`tp` must be at least 1", field: "tp") }
        guard pipelineParallel >= 1 else { throw HeadroomError(.invalidInput, "`pp` must be at least 1", field: "pp") }
        guard expertParallel >= 1 else { throw HeadroomError(.invalidInput, "`ep` must be at least 1", field: "ep") }
        try InputLimits.check(count, atMost: InputLimits.deploymentAccelerators, field: "count", what: "accelerators")
        for (name, value) in [("tp", tensorParallel), ("pp", pipelineParallel), ("ep", expertParallel)] {
            try InputLimits.check(value, atMost: InputLimits.parallelism, field: name, what: "ranks")
        }
        let group = tensorParallel * pipelineParallel
        guard count % group == 0 else {
            throw HeadroomError(
                .invalidInput,
                "`count` \(count) is not a multiple of tp·pp = \(group); replicas = count / (tp·pp) must be whole",
                field: "count"
            )
        }
        guard group == 1 || accelerator.hasInterconnect else {
            throw HeadroomError(
                .unsupported,
                "the catalog lists no interconnect for \(accelerator.name): a replica of tp·pp = \(group) accelerators needs one (add scale_up or scale_out to its entry)",
                field: "tp"
            )
        }
        guard pipelineParallel <= model.layers else {
            throw HeadroomError(
                .invalidInput, "`pp` \(pipelineParallel) exceeds the model's \(model.layers) layers", field: "pp")
        }
        if expertParallel > 1 {
            guard let moe = model.moe else {
                throw HeadroomError(
                    .invalidInput, "`ep` \(expertParallel) needs a mixture-of-experts model; \(model.id) is dense",
                    field: "ep")
            }
            guard tensorParallel % expertParallel == 0, moe.experts % expertParallel == 0 else {
                throw HeadroomError(
                    .invalidInput,
                    "`ep` \(expertParallel) must divide both `tp` \(tensorParallel) and the \(moe.experts) experts",
                    field: "ep"
                )
            }
        }
        if attentionDataParallel {
            guard model.isMoE, tensorParallel > 1, pipelineParallel == 1 else {
                throw HeadroomError(
                    .invalidInput,
                    "data-parallel attention needs a mixture-of-experts model served with tp > 1 and pp = 1 (the "
                        + "attention ranks share the experts)",
                    field: "attention_dp")
            }
        }
        guard tensorParallel <= model.attentionHeads, model.attentionHeads % tensorParallel == 0 else {
            throw HeadroomError(
                .invalidInput,
                "`tp` \(tensorParallel) must divide the model's \(model.attentionHeads) attention heads",
                field: "tp"
            )
        }
        // The stack's matrix is the authority for weight-only formats (MXFP4 via Marlin/Triton on Hopper): the part
        // needs no native units for them.
        guard accelerator.supports(precision) || stack.supports(precision, on: accelerator.id) else {
            throw HeadroomError(
                .unsupported,
                "\(accelerator.name) does not serve \(precision) (it serves \(accelerator.precisions.map(\.rawValue).joined(separator: ", ")))",
                field: "precision"
            )
        }
        guard stack.supports(precision, on: accelerator.id) else {
            let options = stack.precisions(on: accelerator.id)
            let detail =
                options.isEmpty
                ? "\(stack.name) does not run on \(accelerator.name)"
                : "\(stack.name) serves \(options.map(\.rawValue).joined(separator: ", ")) on \(accelerator.name), not \(precision)"
            throw HeadroomError(.unsupported, detail, field: "stack")
        }
        let fraction =
            memoryFraction
            ?? stack.reservedMemoryRule?.fraction(
                memoryGiB: accelerator.memoryGiB, tp: tensorParallel, pp: pipelineParallel,
                dataParallelAttention: attentionDataParallel)
            ?? stack.defaultMemoryFraction
        guard fraction > 0, fraction <= 1 else {
            throw HeadroomError(
                .invalidInput, "memory fraction must be in (0, 1], got \(fraction)", field: "gpu_memory_utilization")
        }
        let defaults = stack.batchDefaults(on: accelerator.id)
        let seqs = maxNumSeqs ?? defaults.maxNumSeqs
        let tokens = maxBatchedTokens ?? defaults.maxBatchedTokens
        if let seqs, seqs < 1 {
            throw HeadroomError(.invalidInput, "`max_num_seqs` must be at least 1", field: "max_num_seqs")
        }
        guard tokens >= 1 else {
            throw HeadroomError(.invalidInput, "`max_batched_tokens` must be at least 1", field: "max_batched_tokens")
        }
        if let seqs { try InputLimits.check(seqs, atMost: 10_000_000, field: "max_num_seqs", what: "sequences") }
        try InputLimits.check(tokens, atMost: 1_000_000_000, field: "max_batched_tokens", what: "tokens")
        self.model = model
        self.accelerator = accelerator
        self.stack = stack
        self.count = count
        self.tensorParallel = tensorParallel
        self.pipelineParallel = pipelineParallel
        self.expertParallel = expertParallel
        self.attentionDataParallel = attentionDataParallel
        self.precision = precision
        self.kvPrecision = kvPrecision ?? precision.defaultKVCachePrecision
        self.memoryFraction = fraction
        self.maxNumSeqs = seqs
        self.maxBatchedTokens = tokens
    }

    /// Ranks that split one step's sequences for attention (1 under tensor-parallel attention).
    public var attentionRanks: Int { attentionDataParallel ? tensorParallel : 1 }

    /// Accelerators in one replica.
    public var acceleratorsPerReplica: Int { tensorParallel * pipelineParallel }

    /// Independent copies of the model.
    public var replicas: Int { count / acceleratorsPerReplica }
}
