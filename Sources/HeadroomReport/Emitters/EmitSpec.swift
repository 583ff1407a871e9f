/// A chosen plan, reduced to what a serving stack's launch command and a Kubernetes manifest need.
///
/// Identifiers are Headroom's own (`h100-sxm`, `fp8`, `int4-awq`); ``DeploymentEmitter`` translates them into each
/// server's flags. Counts are per replica: `tensorParallel × pipelineParallel` accelerators serve one copy of the
/// model, and `replicas` copies run side by side. When `prefillReplicas` and `decodeReplicas` are set the plan is
/// disaggregated and they replace `replicas`.
public struct EmitSpec: Sendable, Hashable {
    /// Hugging Face id, e.g. `meta-llama/Llama-3.1-70B-Instruct`.
    public var modelRepo: String
    /// `vllm`, `sglang` or `trtllm`.
    public var stack: String
    /// Headroom accelerator id, e.g. `h100-sxm`, `mi300x`, `tpu-v6e`.
    public var accelerator: String
    /// `nvidia`, `amd`, `google`, `aws` or `intel`.
    public var acceleratorVendor: String
    /// Accelerators in one node (one Kubernetes node, one host).
    public var acceleratorsPerNode: Int
    public var tensorParallel: Int
    public var pipelineParallel: Int
    /// Ranks the routed experts are split across, inside the tensor-parallel group; 1 for dense models.
    public var expertParallel: Int
    /// Copies of the model serving side by side (aggregated plans).
    public var replicas: Int
    /// Headroom precision id of the weights: `bf16`, `fp16`, `fp8`, `int8`, `fp4`, `mxfp4`, `int4-awq`, `int4-gptq`.
    public var precision: String
    /// Headroom precision id of the KV cache: `bf16`, `fp16`, `fp8`, `fp4`.
    public var kvCachePrecision: String
    /// Most sequences in flight per replica; nil keeps the stack's default.
    public var maxNumSeqs: Int?
    /// Most tokens in one scheduler step (vLLM `max_num_batched_tokens`, SGLang chunked-prefill size, TensorRT-LLM
    /// `max_num_tokens`).
    public var maxBatchedTokens: Int
    /// Memory fraction in the stack's own semantics: of total memory for vLLM and SGLang, of the memory free after
    /// weights for TensorRT-LLM.
    public var memoryFraction: Double
    public var chunkedPrefill: Bool
    public var prefixCaching: Bool
    /// Longest prompt + output; nil keeps the model's own context length.
    public var maxModelLen: Int?
    /// Prefill replicas of a disaggregated plan.
    public var prefillReplicas: Int?
    /// Decode replicas of a disaggregated plan.
    public var decodeReplicas: Int?
    /// HTTP port the server listens on.
    public var port: Int
    /// Accelerator memory in GiB, used to size each pod's host-memory request.
    public var memoryGiBPerAccelerator: Double
    /// Whether `modelRepo` already carries its quantization (a ModelOpt, llm-compressor, AWQ or GPTQ export).
    ///
    /// nil infers it: an `fp8` plan counts as pre-quantized when the repository name says `fp8`; every other quantized
    /// format (`int8`, `fp4`, `mxfp4`, `int4-*`) has no online path in any stack, so it is taken to be pre-quantized.
    public var preQuantizedCheckpoint: Bool?
    /// Container image to use instead of the pinned default (required where Headroom pins none: TPU, Trainium, Gaudi).
    public var image: String?
    /// Data-parallel attention across the `tensorParallel` ranks (mixture-of-experts models): SGLang
    /// `--enable-dp-attention --dp-size`, TensorRT-LLM `enable_attention_dp`, vLLM `--data-parallel-size` with
    /// tensor parallelism 1 and `--enable-expert-parallel`.
    public var attentionDataParallel = false

    public init(
        modelRepo: String, stack: String, accelerator: String, acceleratorVendor: String, acceleratorsPerNode: Int = 8,
        tensorParallel: Int = 1, pipelineParallel: Int = 1, expertParallel: Int = 1, replicas: Int = 1,
        precision: String = "bf16", kvCachePrecision: String = "bf16", maxNumSeqs: Int? = nil,
        maxBatchedTokens: Int = 8192, memoryFraction: Double = 0.9, chunkedPrefill: Bool = true,
        prefixCaching: Bool = true, maxModelLen: Int? = nil, prefillReplicas: Int? = nil, decodeReplicas: Int? = nil,
        port: Int = 8000, memoryGiBPerAccelerator: Double = 80, preQuantizedCheckpoint: Bool? = nil,
        image: String? = nil
    ) {
        self.modelRepo = modelRepo
        self.stack = stack
        self.accelerator = accelerator
        self.acceleratorVendor = acceleratorVendor
        self.acceleratorsPerNode = acceleratorsPerNode
        self.tensorParallel = tensorParallel
        self.pipelineParallel = pipelineParallel
        self.expertParallel = expertParallel
        self.replicas = replicas
        self.precision = precision
        self.kvCachePrecision = kvCachePrecision
        self.maxNumSeqs = maxNumSeqs
        self.maxBatchedTokens = maxBatchedTokens
        self.memoryFraction = memoryFraction
        self.chunkedPrefill = chunkedPrefill
        self.prefixCaching = prefixCaching
        self.maxModelLen = maxModelLen
        self.prefillReplicas = prefillReplicas
        self.decodeReplicas = decodeReplicas
        self.port = port
        self.memoryGiBPerAccelerator = memoryGiBPerAccelerator
        self.preQuantizedCheckpoint = preQuantizedCheckpoint
        self.image = image
    }

    /// Accelerators serving one copy of the model.
    public var acceleratorsPerReplica: Int { tensorParallel * pipelineParallel }

    /// Nodes one copy of the model spans (1 when it fits in a node).
    public var nodesPerReplica: Int { max(1, (acceleratorsPerReplica + acceleratorsPerNode - 1) / acceleratorsPerNode) }

    /// Whether prefill and decode run on separate replicas.
    public var isDisaggregated: Bool { prefillReplicas != nil || decodeReplicas != nil }
}

/// What ``DeploymentEmitter`` writes.
public enum EmitTarget: String, CaseIterable, Sendable {
    /// `vllm serve …` shell command.
    case vllm
    /// `python3 -m sglang.launch_server …` shell command.
    case sglang
    /// `trtllm-serve …` shell command, with its extra-options YAML written by a heredoc.
    case trtllm
    /// Multi-document Kubernetes manifest for the spec's own stack.
    case kubernetes
}
