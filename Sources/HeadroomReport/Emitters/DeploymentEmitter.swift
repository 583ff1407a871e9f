public import HeadroomCore

/// Writes a chosen plan as the serving stack's launch command or as a Kubernetes manifest.
///
/// Every flag is a real flag of the server's current release; where each set was read:
///
/// - vLLM: `vllm-project/vllm` `vllm/engine/arg_utils.py` @99d7eb5 (`--tensor-parallel-size`,
///   `--pipeline-parallel-size`, `--enable-expert-parallel`, `--gpu-memory-utilization`, `--kv-cache-dtype`,
///   `--enable-prefix-caching`, `--max-num-batched-tokens`, `--max-num-seqs`, `--enable-chunked-prefill`,
///   `--quantization`, `--dtype`, `--max-model-len`, `--kv-transfer-config`; booleans are `BooleanOptionalAction`, so
///   `--no-…` exists); `vllm/config/cache.py` @002f10e (`CacheDType` holds `fp8`, `nvfp4`); `vllm/config/parallel.py`
///   @00193b8 (`nnodes`, `node_rank`, `master_addr` for multi-node multiprocessing); `vllm/entrypoints/cli/serve.py`
///   @00a5fdd (`--headless` workers); `docs/serving/parallelism_scaling.md` @096bd6a and `kubernetes-sigs/lws`
///   `docs/examples/leaderworkerset/basic/vllm.yaml` @84d69eb (the `--nnodes/--node-rank/--master-addr/--headless`
///   launch); `docs/features/nixl_connector_usage.md` @026c83f (`NixlConnector`, `kv_producer`/`kv_consumer`);
///   `vllm/entrypoints/serve/instrumentator/health.py` (`GET /health`). Read 2026-11.
/// - SGLang: `sgl-project/sglang` `python/sglang/srt/server_args.py` @001067f (`--model-path`, `--tp-size`,
///   `--pp-size`, `--ep-size`, `--dtype`, `--quantization` (`fp8` is online), `--kv-cache-dtype` (`fp8_e4m3`,
///   `fp4_e2m1`), `--mem-fraction-static`, `--max-running-requests`, `--chunked-prefill-size` (-1 disables),
///   `--max-prefill-tokens`, `--disable-radix-cache`, `--context-length`, `--host`, `--port`, `--dist-init-addr`,
///   `--nnodes`, `--node-rank`, `--disaggregation-mode`, `--disaggregation-transfer-backend`); `/health` from the
///   native-API docs. Read 2026-11.
/// - TensorRT-LLM: `NVIDIA/TensorRT-LLM` `tensorrt_llm/commands/serve.py` @00209af (`--backend`, `--host`, `--port`,
///   `--tp_size`, `--pp_size`, `--ep_size`, `--max_batch_size`, `--max_num_tokens`, `--max_seq_len`,
///   `--kv_cache_free_gpu_memory_fraction`, `--enable_chunked_prefill`, `--extra_llm_api_options`);
///   `docs/source/commands/trtllm-serve.rst` @000d771 (`/health`, `kv_cache_config.enable_block_reuse`,
///   `free_gpu_memory_fraction`, the Slurm `trtllm-llmapi-launch` launch);
///   `examples/serve/deepseek_r1_reasoning_parser.sh` (`kv_cache_config.dtype: fp8`);
///   `examples/disaggregated/README.md` (`cache_transceiver_config.backend`, `disable_overlap_scheduler`).
///   Read 2026-11.
///
/// Quantization: a pre-quantized checkpoint carries its method in `config.json` (`quantization_config`) or
/// `hf_quant_config.json`, and every stack reads it, so no `--quantization` flag is written for one (a flag that
/// disagrees with the checkpoint is an error in vLLM). Only FP8 has an online path, `--quantization fp8` in vLLM and
/// SGLang, written when the checkpoint is not already FP8. TensorRT-LLM's PyTorch backend has no online quantization.
public enum DeploymentEmitter {
    /// The launch command (or manifest) for a plan.
    ///
    /// - Parameters:
    ///   - spec: the chosen plan.
    ///   - target: a stack's shell command (it must be the spec's own stack) or a Kubernetes manifest.
    /// - Returns: a shell script or a multi-document YAML manifest.
    /// - Throws: `HeadroomError` `.unsupported` for combinations the stacks do not run (TensorRT-LLM off NVIDIA, a
    ///   precision with no flag, TensorRT-LLM across nodes on Kubernetes), `.invalidInput` for malformed specs.
    public static func emit(_ spec: EmitSpec, target: EmitTarget) throws(HeadroomError) -> String {
        let plan = try EmitPlan(spec)
        switch target {
        case .vllm, .sglang, .trtllm:
            guard target.rawValue == plan.stack.rawValue else {
                throw HeadroomError(
                    .invalidInput,
                    "the plan runs on \(plan.stack.rawValue); its memory fraction and limits are in that stack's "
                        + "semantics, so it cannot be emitted as \(target.rawValue)",
                    field: "stack"
                )
            }
            return try ShellRenderer(plan: plan).render()
        case .kubernetes:
            return try ManifestRenderer(plan: plan).render()
        }
    }

    /// Pinned container images, per stack and vendor.
    ///
    /// - `vllm/vllm-openai:v0.31.0`, `vllm/vllm-openai-rocm:v0.31.0`: latest vLLM release, pushed 2026-10-04
    ///   (Docker Hub digests recorded 2026-10-05); the ROCm image is vLLM's own (`0.31.0+rocm723`), published on
    ///   the same tag, preferred over AMD's `rocm/vllm` builds, which trail vLLM releases (AMD's ROCm docs list
    ///   vLLM 0.23).
    /// - `lmsysorg/sglang:v0.5.21`, `…-rocm10-mi30x`, `…-rocm10-mi35x`: the image table of the SGLang v0.5.21
    ///   release (wheels 2026-10-01, notes 2026-10-02).
    /// - `nvcr.io/nvidia/tensorrt-llm/release:1.3.0rc26`: newest 1.3 release candidate on NGC as of 2026-09-15 (1.3 has
    ///   no GA tag yet).
    ///
    /// The CUDA images are CUDA 13 builds and need an R580 or newer driver.
    static func defaultImage(stack: EmitPlan.Stack, vendor: EmitPlan.Vendor, accelerator: String) -> String? {
        switch (stack, vendor) {
        case (.vllm, .nvidia): "vllm/vllm-openai:v0.31.0"
        case (.vllm, .amd): "vllm/vllm-openai-rocm:v0.31.0"
        case (.sglang, .nvidia): "lmsysorg/sglang:v0.5.21"
        case (.sglang, .amd):
            accelerator.lowercased().hasPrefix("mi35")
                ? "lmsysorg/sglang:v0.5.21-rocm10-mi35x" : "lmsysorg/sglang:v0.5.21-rocm10-mi30x"
        case (.trtllm, .nvidia): "nvcr.io/nvidia/tensorrt-llm/release:1.3.0rc26"
        default: nil
        }
    }
}

// MARK: - The validated plan

/// An ``EmitSpec`` with its identifiers parsed and its combinations checked.
struct EmitPlan {
    enum Stack: String { case vllm, sglang, trtllm }
    enum Vendor: String { case nvidia, amd, google, aws, intel }

    /// One kind of server in the plan: all of them (aggregated), or the prefill or decode side.
    enum Role: String {
        case aggregated = "server"
        case prefill
        case decode
    }

    /// Where one server process sits in a replica that spans nodes.
    struct Rendezvous {
        var nodes: Int
        /// Address of the replica's first node, in the target's syntax (`"$HEAD_NODE_IP"`, `$(LWS_LEADER_ADDRESS)`).
        var leaderAddress: String
        /// This node's rank, in the target's syntax.
        var rank: String
        var isLeader: Bool
    }

    let spec: EmitSpec
    let stack: Stack
    let vendor: Vendor
    let weights: Precision
    let kvCache: Precision
    let preQuantized: Bool
    let roles: [(role: Role, replicas: Int)]

    init(_ spec: EmitSpec) throws(HeadroomError) {
        self.spec = spec
        guard let stack = Stack(rawValue: spec.stack.lowercased()) else {
            throw HeadroomError(.unknownEntry, "unknown stack '\(spec.stack)' (vllm, sglang, trtllm)", field: "stack")
        }
        guard let vendor = Vendor(rawValue: spec.acceleratorVendor.lowercased()) else {
            throw HeadroomError(
                .unknownEntry, "unknown accelerator vendor '\(spec.acceleratorVendor)'", field: "acceleratorVendor")
        }
        guard let weights = Precision(userInput: spec.precision) else {
            throw HeadroomError(.unknownEntry, "unknown precision '\(spec.precision)'", field: "precision")
        }
        guard let kvCache = Precision(userInput: spec.kvCachePrecision) else {
            throw HeadroomError(
                .unknownEntry, "unknown KV-cache precision '\(spec.kvCachePrecision)'", field: "kvCachePrecision")
        }
        self.stack = stack
        self.vendor = vendor
        self.weights = weights
        self.kvCache = kvCache

        for (name, value) in [
            ("tensorParallel", spec.tensorParallel), ("pipelineParallel", spec.pipelineParallel),
            ("expertParallel", spec.expertParallel), ("replicas", spec.replicas),
            ("acceleratorsPerNode", spec.acceleratorsPerNode), ("maxBatchedTokens", spec.maxBatchedTokens),
        ] where value < 1 {
            throw HeadroomError(.invalidInput, "\(name) must be at least 1, got \(value)", field: name)
        }
        if let seqs = spec.maxNumSeqs, seqs < 1 {
            throw HeadroomError(.invalidInput, "maxNumSeqs must be at least 1, got \(seqs)", field: "maxNumSeqs")
        }
        if let length = spec.maxModelLen, length < 1 {
            throw HeadroomError(.invalidInput, "maxModelLen must be at least 1, got \(length)", field: "maxModelLen")
        }
        guard (1...65535).contains(spec.port) else {
            throw HeadroomError(.invalidInput, "port \(spec.port) is not a TCP port", field: "port")
        }
        guard spec.memoryFraction > 0, spec.memoryFraction <= 1 else {
            throw HeadroomError(
                .invalidInput, "memoryFraction must be in (0, 1], got \(spec.memoryFraction)", field: "memoryFraction")
        }
        guard spec.tensorParallel % spec.expertParallel == 0 else {
            throw HeadroomError(
                .invalidInput, "ep \(spec.expertParallel) must divide tp \(spec.tensorParallel)",
                field: "expertParallel")
        }
        if spec.acceleratorsPerReplica > spec.acceleratorsPerNode,
            spec.acceleratorsPerReplica % spec.acceleratorsPerNode != 0
        {
            throw HeadroomError(
                .invalidInput,
                "tp × pp = \(spec.acceleratorsPerReplica) spans nodes of \(spec.acceleratorsPerNode) accelerators "
                    + "unevenly; multi-node replicas need whole nodes",
                field: "tensorParallel"
            )
        }

        switch (spec.prefillReplicas, spec.decodeReplicas) {
        case (nil, nil):
            roles = [(.aggregated, spec.replicas)]
        case (let prefill?, let decode?):
            guard prefill >= 1, decode >= 1 else {
                throw HeadroomError(
                    .invalidInput, "a disaggregated plan needs at least one prefill and one decode replica",
                    field: "prefillReplicas")
            }
            roles = [(.prefill, prefill), (.decode, decode)]
        default:
            throw HeadroomError(
                .invalidInput, "a disaggregated plan sets both prefillReplicas and decodeReplicas",
                field: spec.prefillReplicas == nil ? "prefillReplicas" : "decodeReplicas")
        }

        switch stack {
        case .trtllm where vendor != .nvidia:
            throw HeadroomError(
                .unsupported, "TensorRT-LLM runs only on NVIDIA GPUs; \(spec.accelerator) is \(vendor.rawValue)",
                field: "accelerator")
        case .sglang where vendor != .nvidia && vendor != .amd:
            throw HeadroomError(
                .unsupported,
                "SGLang's server runs on NVIDIA and AMD GPUs; \(spec.accelerator) (\(vendor.rawValue)) needs a "
                    + "separate backend (SGLang-JAX on TPU) with its own launcher",
                field: "accelerator")
        case .vllm where spec.expertParallel > 1 && spec.expertParallel != spec.tensorParallel:
            throw HeadroomError(
                .unsupported,
                "vLLM's --enable-expert-parallel sets the expert-parallel size to tp × dp; ep \(spec.expertParallel) "
                    + "inside tp \(spec.tensorParallel) has no vLLM flag",
                field: "expertParallel")
        default:
            break
        }
        if spec.nodesPerReplica > 1, vendor != .nvidia, vendor != .amd {
            throw HeadroomError(
                .unsupported,
                "replicas spanning nodes are emitted for NVIDIA and AMD GPUs only; \(spec.accelerator) needs its "
                    + "plugin's own launcher (vLLM on TPU uses Ray)",
                field: "tensorParallel")
        }

        let quantized: Set<Precision> = [.fp8, .int8, .fp4, .mxfp4, .int4AWQ, .int4GPTQ]
        if let explicit = spec.preQuantizedCheckpoint {
            preQuantized = explicit && quantized.contains(weights)
        } else if weights == .fp8 {
            preQuantized = spec.modelRepo.lowercased().contains("fp8")
        } else {
            preQuantized = quantized.contains(weights)
        }
    }

    /// Accelerators in one pod or host process group: a whole node when a replica spans nodes.
    var acceleratorsPerProcess: Int { min(spec.acceleratorsPerReplica, spec.acceleratorsPerNode) }

    /// The launch for one role, as the program, its flags (one per line) and TensorRT-LLM's extra-options YAML.
    ///
    /// - Parameters:
    ///   - role: aggregated, prefill or decode.
    ///   - rendezvous: this process's place in a multi-node replica, nil on one node.
    ///   - extraOptionsPath: where TensorRT-LLM's YAML is written (a heredoc file, or a mounted ConfigMap).
    func command(for role: Role, rendezvous: Rendezvous?, extraOptionsPath: String) throws(HeadroomError)
        -> ServerCommand
    {
        switch stack {
        case .vllm: try vllmCommand(role, rendezvous)
        case .sglang: try sglangCommand(role, rendezvous)
        case .trtllm: try trtllmCommand(role, rendezvous, extraOptionsPath)
        }
    }
}

/// A server launch: program words, flags grouped one option per line, and an optional YAML side file.
struct ServerCommand {
    var program: [String]
    var flags: [[String]] = []
    /// TensorRT-LLM `--extra_llm_api_options` file lines; empty when none is needed.
    var extraOptions: [String] = []
    /// Comments for a person reading the output.
    var notes: [String] = []

    mutating func add(_ words: String...) { flags.append(words) }
    var arguments: [String] { flags.flatMap { $0 } }
}

// MARK: - Per-stack flags

extension EmitPlan {
    private var fraction: String { Self.decimal(spec.memoryFraction) }

    static func decimal(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    private func unsupportedWeights(_ detail: String) -> HeadroomError {
        HeadroomError(
            .unsupported, "\(stack.rawValue) has no flag for \(weights.rawValue) weights: \(detail)",
            field: "precision")
    }

    private func unsupportedKV() -> HeadroomError {
        HeadroomError(
            .unsupported, "\(stack.rawValue) has no KV-cache dtype for \(kvCache.rawValue)", field: "kvCachePrecision")
    }

    /// The quantization note shared by every stack for a pre-quantized checkpoint.
    private var checkpointNote: String {
        "weights: \(weights.rawValue), quantization method read from the checkpoint's own config "
            + "(\(spec.modelRepo) is expected to be a pre-quantized \(weights.rawValue) export)"
    }

    private func vllmCommand(_ role: Role, _ rendezvous: Rendezvous?) throws(HeadroomError) -> ServerCommand {
        // SchedulerConfig.verify_max_model_len (vllm/config/scheduler.py @01230b4) refuses both at startup.
        if let length = spec.maxModelLen, !spec.chunkedPrefill, spec.maxBatchedTokens < length {
            throw HeadroomError(
                .invalidInput,
                "vLLM without chunked prefill needs max_num_batched_tokens (\(spec.maxBatchedTokens)) ≥ "
                    + "max_model_len (\(length))",
                field: "maxBatchedTokens")
        }
        if let seqs = spec.maxNumSeqs, spec.maxBatchedTokens < seqs {
            throw HeadroomError(
                .invalidInput,
                "vLLM needs max_num_batched_tokens (\(spec.maxBatchedTokens)) ≥ max_num_seqs (\(seqs))",
                field: "maxBatchedTokens")
        }
        var command = ServerCommand(program: ["vllm", "serve", spec.modelRepo])
        if rendezvous?.isLeader ?? true {
            command.add("--host", "0.0.0.0")
            command.add("--port", String(spec.port))
        }
        command.add("--tensor-parallel-size", String(spec.tensorParallel))
        command.add("--pipeline-parallel-size", String(spec.pipelineParallel))
        if spec.expertParallel > 1 { command.add("--enable-expert-parallel") }
        switch weights {
        case .bf16: command.add("--dtype", "bfloat16")
        case .fp16: command.add("--dtype", "float16")
        case .fp32: command.add("--dtype", "float32")
        case .fp8 where !preQuantized:
            command.add("--quantization", "fp8")
            command.notes.append("weights: fp8 quantized online from a 16-bit checkpoint (--quantization fp8)")
        case .fp6: throw unsupportedWeights("no FP6 quantization method")
        default:
            guard preQuantized else {
                throw unsupportedWeights("only FP8 quantizes online; use a pre-quantized export")
            }
            command.notes.append(checkpointNote)
        }
        switch kvCache {
        case .bf16, .fp16: break
        case .fp8: command.add("--kv-cache-dtype", "fp8")
        case .fp4 where vendor == .nvidia: command.add("--kv-cache-dtype", "nvfp4")
        default: throw unsupportedKV()
        }
        command.add("--gpu-memory-utilization", fraction)
        if let seqs = spec.maxNumSeqs { command.add("--max-num-seqs", String(seqs)) }
        command.add("--max-num-batched-tokens", String(spec.maxBatchedTokens))
        command.add(spec.chunkedPrefill ? "--enable-chunked-prefill" : "--no-enable-chunked-prefill")
        command.add(spec.prefixCaching ? "--enable-prefix-caching" : "--no-enable-prefix-caching")
        if let length = spec.maxModelLen { command.add("--max-model-len", String(length)) }
        if role != .aggregated {
            let kvRole = role == .prefill ? "kv_producer" : "kv_consumer"
            command.add("--kv-transfer-config", "{\"kv_connector\":\"NixlConnector\",\"kv_role\":\"\(kvRole)\"}")
        }
        if let rendezvous {
            command.add("--nnodes", String(rendezvous.nodes))
            command.add("--node-rank", rendezvous.rank)
            command.add("--master-addr", rendezvous.leaderAddress)
            if !rendezvous.isLeader { command.add("--headless") }
        }
        return command
    }

    private func sglangCommand(_ role: Role, _ rendezvous: Rendezvous?) throws(HeadroomError) -> ServerCommand {
        var command = ServerCommand(program: ["python3", "-m", "sglang.launch_server"])
        command.add("--model-path", spec.modelRepo)
        command.add("--host", "0.0.0.0")
        command.add("--port", String(spec.port))
        command.add("--tp-size", String(spec.tensorParallel))
        if spec.pipelineParallel > 1 { command.add("--pp-size", String(spec.pipelineParallel)) }
        if spec.expertParallel > 1 { command.add("--ep-size", String(spec.expertParallel)) }
        switch weights {
        case .bf16: command.add("--dtype", "bfloat16")
        case .fp16: command.add("--dtype", "float16")
        case .fp32: command.add("--dtype", "float32")
        case .fp8 where !preQuantized:
            command.add("--quantization", "fp8")
            command.notes.append("weights: fp8 quantized online from a 16-bit checkpoint (--quantization fp8)")
        case .fp6: throw unsupportedWeights("no FP6 quantization method")
        default:
            guard preQuantized else {
                throw unsupportedWeights("only FP8 quantizes online; use a pre-quantized export")
            }
            command.notes.append(checkpointNote)
        }
        switch kvCache {
        case .bf16, .fp16: break
        case .fp8: command.add("--kv-cache-dtype", "fp8_e4m3")
        case .fp4: command.add("--kv-cache-dtype", "fp4_e2m1")
        default: throw unsupportedKV()
        }
        command.add("--mem-fraction-static", fraction)
        if let seqs = spec.maxNumSeqs { command.add("--max-running-requests", String(seqs)) }
        if spec.chunkedPrefill {
            command.add("--chunked-prefill-size", String(spec.maxBatchedTokens))
        } else {
            command.add("--chunked-prefill-size", "-1")
            command.add("--max-prefill-tokens", String(spec.maxBatchedTokens))
        }
        if !spec.prefixCaching { command.add("--disable-radix-cache") }
        if let length = spec.maxModelLen { command.add("--context-length", String(length)) }
        if role != .aggregated {
            command.add("--disaggregation-mode", role.rawValue)
            command.add("--disaggregation-transfer-backend", vendor == .amd ? "mori" : "mooncake")
        }
        if let rendezvous {
            command.add("--dist-init-addr", "\(rendezvous.leaderAddress):20000")
            command.add("--nnodes", String(rendezvous.nodes))
            command.add("--node-rank", rendezvous.rank)
        }
        return command
    }

    private func trtllmCommand(_ role: Role, _ rendezvous: Rendezvous?, _ extraOptionsPath: String)
        throws(HeadroomError) -> ServerCommand
    {
        var command = ServerCommand(program: ["trtllm-serve", spec.modelRepo])
        command.add("--backend", "pytorch")
        command.add("--host", "0.0.0.0")
        command.add("--port", String(spec.port))
        command.add("--tp_size", String(spec.tensorParallel))
        command.add("--pp_size", String(spec.pipelineParallel))
        if spec.expertParallel > 1 { command.add("--ep_size", String(spec.expertParallel)) }
        switch weights {
        case .bf16, .fp16, .fp32: break
        case .fp6: throw unsupportedWeights("no FP6 checkpoint format")
        default:
            guard preQuantized else {
                throw unsupportedWeights(
                    "the PyTorch backend reads quantization from a ModelOpt checkpoint and has no online "
                        + "quantization; use a pre-quantized export (e.g. an nvidia/…-FP8 repository)")
            }
            command.notes.append(checkpointNote)
        }
        if let seqs = spec.maxNumSeqs { command.add("--max_batch_size", String(seqs)) }
        command.add("--max_num_tokens", String(spec.maxBatchedTokens))
        if let length = spec.maxModelLen { command.add("--max_seq_len", String(length)) }
        command.add("--kv_cache_free_gpu_memory_fraction", fraction)
        if spec.chunkedPrefill { command.add("--enable_chunked_prefill") }

        var kvConfig: [String] = []
        switch kvCache {
        case .bf16, .fp16: break
        case .fp8: kvConfig.append("dtype: fp8")
        default: throw unsupportedKV()
        }
        if !spec.prefixCaching { kvConfig.append("enable_block_reuse: false") }
        var yaml: [String] = []
        if !kvConfig.isEmpty {
            // The YAML replaces the CLI's kv_cache_config, so it repeats the memory fraction.
            yaml.append("kv_cache_config:")
            yaml += (kvConfig + ["free_gpu_memory_fraction: \(fraction)"]).map { "  " + $0 }
        }
        if role != .aggregated {
            yaml += ["cache_transceiver_config:", "  backend: DEFAULT"]
            if role == .prefill { yaml.append("disable_overlap_scheduler: true") }
        }
        if !yaml.isEmpty {
            command.extraOptions = yaml
            command.add("--extra_llm_api_options", extraOptionsPath)
        }
        if rendezvous != nil {
            command.notes.append("multi-node: every rank runs under MPI (srun --mpi=pmix) via trtllm-llmapi-launch")
        }
        return command
    }
}

// MARK: - Shell

/// Renders the plan as a shell script: one command per role, one flag per line.
struct ShellRenderer {
    let plan: EmitPlan

    func render() throws(HeadroomError) -> String {
        var out = header(plan).map { "# " + $0 }
        let spec = plan.spec
        for (role, replicas) in plan.roles {
            out.append("")
            let what = role == .aggregated ? "" : "\(role.rawValue) "
            out.append(
                "# \(what)replica × \(replicas): run once per replica, \(spec.acceleratorsPerReplica) "
                    + "\(spec.accelerator) each")
            if spec.nodesPerReplica == 1 {
                out += try commandLines(role: role, rendezvous: nil)
            } else if plan.stack == .trtllm {
                out += try trtllmSlurmLines(role: role)
            } else {
                let nodes = spec.nodesPerReplica
                out.append("# the replica spans \(nodes) nodes; HEAD_NODE_IP is node 0's address")
                out.append("# node 0:")
                out += try commandLines(
                    role: role,
                    rendezvous: .init(nodes: nodes, leaderAddress: "$HEAD_NODE_IP", rank: "0", isLeader: true))
                out.append(
                    nodes == 2
                        ? "# node 1, NODE_RANK=1:" : "# nodes 1 to \(nodes - 1), NODE_RANK set to the node's index:")
                out += try commandLines(
                    role: role,
                    rendezvous: .init(nodes: nodes, leaderAddress: "$HEAD_NODE_IP", rank: "$NODE_RANK", isLeader: false)
                )
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func commandLines(role: EmitPlan.Role, rendezvous: EmitPlan.Rendezvous?) throws(HeadroomError)
        -> [String]
    {
        let file = role == .aggregated ? "extra-llm-api-options.yaml" : "extra-llm-api-options-\(role.rawValue).yaml"
        let command = try plan.command(for: role, rendezvous: rendezvous, extraOptionsPath: file)
        var lines = command.notes.map { "# " + $0 }
        if role != .aggregated, plan.stack == .vllm {
            lines.append("# on separate hosts, set VLLM_NIXL_SIDE_CHANNEL_HOST to this host's address")
        }
        if !command.extraOptions.isEmpty {
            lines.append("cat > \(file) <<'EOF'")
            lines += command.extraOptions
            lines.append("EOF")
        }
        lines += Self.continued(command.program.map(Self.quote).joined(separator: " "), command.flags)
        return lines
    }

    /// TensorRT-LLM across nodes: every rank is an MPI task started by Slurm (trtllm-serve.rst, "Multi-node
    /// Deployment with Slurm").
    private func trtllmSlurmLines(role: EmitPlan.Role) throws(HeadroomError) -> [String] {
        let spec = plan.spec
        let file = role == .aggregated ? "extra-llm-api-options.yaml" : "extra-llm-api-options-\(role.rawValue).yaml"
        let rendezvous = EmitPlan.Rendezvous(
            nodes: spec.nodesPerReplica, leaderAddress: "", rank: "", isLeader: true)
        let command = try plan.command(for: role, rendezvous: rendezvous, extraOptionsPath: file)
        var lines = command.notes.map { "# " + $0 }
        if !command.extraOptions.isEmpty {
            lines.append("cat > \(file) <<'EOF'")
            lines += command.extraOptions
            lines.append("EOF")
        }
        let launcher: [[String]] = [
            ["-N", String(spec.nodesPerReplica)], ["--ntasks", String(spec.acceleratorsPerReplica)],
            ["--ntasks-per-node", String(spec.acceleratorsPerNode)], ["--mpi=pmix"],
            ["--gres=gpu:\(spec.acceleratorsPerNode)"],
            ["trtllm-llmapi-launch"] + command.program.map(Self.quote),
        ]
        lines += Self.continued("srun", launcher + command.flags)
        return lines
    }

    static func continued(_ first: String, _ flags: [[String]]) -> [String] {
        guard !flags.isEmpty else { return [first] }
        var lines = [first + " \\"]
        for (index, words) in flags.enumerated() {
            let text = "  " + words.map(quote).joined(separator: " ")
            lines.append(index == flags.count - 1 ? text : text + " \\")
        }
        return lines
    }

    /// Quotes a word for a POSIX shell: bare when safe, double quotes around a `$VARIABLE`, single quotes otherwise.
    static func quote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._/:=,@+-%".contains($0)) }
        if safe && !word.isEmpty { return word }
        if word.hasPrefix("$") && !word.contains("\"") && !word.contains("'") { return "\"\(word)\"" }
        return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}

/// The summary lines both renderers start with.
private func header(_ plan: EmitPlan) -> [String] {
    let spec = plan.spec
    let replicas =
        plan.roles.count == 1
        ? "\(spec.replicas) replica\(spec.replicas == 1 ? "" : "s")"
        : plan.roles.map { "\($0.replicas) \($0.role.rawValue)" }.joined(separator: " + ") + " replicas"
    let total = spec.acceleratorsPerReplica * plan.roles.reduce(0) { $0 + $1.replicas }
    var lines = [
        "generated by headroom plan: \(spec.modelRepo) on \(total) × \(spec.accelerator) with \(plan.stack.rawValue)",
        "tp \(spec.tensorParallel), pp \(spec.pipelineParallel), ep \(spec.expertParallel), \(replicas); "
            + "weights \(plan.weights.rawValue), KV cache \(plan.kvCache.rawValue)",
    ]
    if plan.roles.count > 1 {
        let router =
            switch plan.stack {
            case .vllm: "a NIXL-aware proxy (vLLM's toy_proxy_server.py, or llm-d)"
            case .sglang: "SGLang's router in PD mode (python3 -m sglang_router.launch_router --pd-disaggregation)"
            case .trtllm: "trtllm-serve disaggregated -c disagg_config.yaml"
            }
        lines.append("disaggregated: clients talk to \(router), which sends prefill and decode to the servers below")
    }
    return lines
}

// MARK: - Kubernetes

/// Renders the plan as a multi-document manifest: a Deployment (or LeaderWorkerSet when a replica spans nodes) and a
/// Service per role, plus TensorRT-LLM's extra-options ConfigMap.
///
/// Resource names: `nvidia.com/gpu` (NVIDIA device plugin), `amd.com/gpu` (ROCm device plugin), `google.com/tpu` (GKE),
/// `aws.amazon.com/neuron` (Neuron device plugin), `habana.ai/gaudi` (Habana device plugin). LeaderWorkerSet API
/// `leaderworkerset.x-k8s.io/v1`, its `LWS_LEADER_ADDRESS` / `LWS_WORKER_INDEX` variables and the
/// `leaderworkerset.sigs.k8s.io/name` label: `kubernetes-sigs/lws` `docs/examples/leaderworkerset/basic/*.yaml`
/// @84d69eb.
/// Host resources follow vLLM's sizing guidance: 2 + N physical cores per N-accelerator server (requested as vCPUs,
/// two per core), and host memory equal to the accelerator memory the pod holds, so weights can stage through it.
struct ManifestRenderer {
    let plan: EmitPlan
    private static let configDirectory = "/etc/headroom"

    func render() throws(HeadroomError) -> String {
        let spec = plan.spec
        guard let image = spec.image ?? DeploymentEmitter.defaultImage(
            stack: plan.stack, vendor: plan.vendor, accelerator: spec.accelerator)
        else {
            throw HeadroomError(
                .unsupported,
                "Headroom pins no \(plan.stack.rawValue) image for \(spec.accelerator) (\(plan.vendor.rawValue)); "
                    + "set the spec's image",
                field: "image")
        }
        if spec.nodesPerReplica > 1, plan.stack == .trtllm {
            throw HeadroomError(
                .unsupported,
                "TensorRT-LLM across nodes launches every rank under MPI (srun/mpirun with trtllm-llmapi-launch); "
                    + "a LeaderWorkerSet has no MPI launcher, so emit the trtllm shell command for Slurm instead",
                field: "tensorParallel")
        }
        var documents: [[String]] = []
        for (role, replicas) in plan.roles {
            let name = resourceName(role)
            let configMap = try configMapName(role)
            if let configMap { documents.append(try configMapDocument(role, name: configMap)) }
            if spec.nodesPerReplica == 1 {
                documents.append(
                    try deployment(role, name: name, replicas: replicas, image: image, configMap: configMap))
            } else {
                documents.append(
                    try leaderWorkerSet(role, name: name, replicas: replicas, image: image, configMap: configMap))
            }
            documents.append(service(role, name: name))
        }
        let head = header(plan).map { "# " + $0 }.joined(separator: "\n")
        let body = documents.map { $0.joined(separator: "\n") }.joined(separator: "\n---\n")
        return head + "\n" + body + "\n"
    }

    // MARK: Names and labels

    private var appName: String {
        let model = plan.spec.modelRepo.split(separator: "/").last.map(String.init) ?? plan.spec.modelRepo
        var slug = ""
        for character in "\(plan.stack.rawValue)-\(model)".lowercased() {
            let keep = character.isASCII && (character.isLetter || character.isNumber)
            if keep {
                slug.append(character)
            } else if slug.last != "-" {
                slug.append("-")
            }
        }
        slug = String(slug.prefix(40))
        while slug.last == "-" { slug.removeLast() }
        return slug
    }

    private func resourceName(_ role: EmitPlan.Role) -> String {
        role == .aggregated ? appName : "\(appName)-\(role.rawValue)"
    }

    private func labels(_ role: EmitPlan.Role) -> [(String, String)] {
        [
            ("app.kubernetes.io/name", appName), ("app.kubernetes.io/component", role.rawValue),
            ("app.kubernetes.io/managed-by", "headroom"),
        ]
    }

    private func configMapName(_ role: EmitPlan.Role) throws(HeadroomError) -> String? {
        let probe = try plan.command(for: role, rendezvous: nil, extraOptionsPath: "")
        return probe.extraOptions.isEmpty ? nil : "\(resourceName(role))-extra-llm-api-options"
    }

    private func configFile(_ role: EmitPlan.Role) -> String { "\(Self.configDirectory)/extra-llm-api-options.yaml" }

    // MARK: Documents

    private func metadata(_ name: String, _ role: EmitPlan.Role) -> [String] {
        ["metadata:", "  name: \(name)", "  labels:"] + labels(role).map { "    \($0.0): \(q($0.1))" }
    }

    private func configMapDocument(_ role: EmitPlan.Role, name: String) throws(HeadroomError) -> [String] {
        let command = try plan.command(for: role, rendezvous: nil, extraOptionsPath: configFile(role))
        return ["apiVersion: v1", "kind: ConfigMap"] + metadata(name, role) + [
            "data:", "  extra-llm-api-options.yaml: |",
        ] + command.extraOptions.map { "    " + $0 }
    }

    private func deployment(
        _ role: EmitPlan.Role, name: String, replicas: Int, image: String, configMap: String?
    ) throws(HeadroomError) -> [String] {
        var lines = ["apiVersion: apps/v1", "kind: Deployment"] + metadata(name, role)
        lines += ["spec:", "  replicas: \(replicas)", "  selector:", "    matchLabels:"]
        lines += labels(role).prefix(2).map { "      \($0.0): \(q($0.1))" }
        lines += ["  template:", "    metadata:", "      labels:"]
        lines += labels(role).map { "        \($0.0): \(q($0.1))" }
        lines += ["    spec:"]
        lines += try podSpec(role, image: image, configMap: configMap, rendezvous: nil).map { "      " + $0 }
        return lines
    }

    private func leaderWorkerSet(
        _ role: EmitPlan.Role, name: String, replicas: Int, image: String, configMap: String?
    ) throws(HeadroomError) -> [String] {
        let nodes = plan.spec.nodesPerReplica
        var lines = ["apiVersion: leaderworkerset.x-k8s.io/v1", "kind: LeaderWorkerSet"] + metadata(name, role)
        lines += [
            "spec:", "  replicas: \(replicas)", "  leaderWorkerTemplate:", "    size: \(nodes)",
            "    restartPolicy: RecreateGroupOnPodRestart",
        ]
        for isLeader in [true, false] {
            let rendezvous = EmitPlan.Rendezvous(
                nodes: nodes, leaderAddress: "$(LWS_LEADER_ADDRESS)", rank: "$(LWS_WORKER_INDEX)",
                isLeader: isLeader)
            lines += [isLeader ? "    leaderTemplate:" : "    workerTemplate:", "      metadata:", "        labels:"]
            lines += (labels(role) + [("role", isLeader ? "leader" : "worker")]).map { "          \($0.0): \(q($0.1))" }
            lines += ["      spec:"]
            lines += try podSpec(role, image: image, configMap: configMap, rendezvous: rendezvous).map {
                "        " + $0
            }
        }
        return lines
    }

    private func service(_ role: EmitPlan.Role, name: String) -> [String] {
        var lines = ["apiVersion: v1", "kind: Service"] + metadata(name, role)
        lines += ["spec:", "  type: ClusterIP", "  selector:"]
        if plan.spec.nodesPerReplica > 1 {
            lines += ["    leaderworkerset.sigs.k8s.io/name: \(q(name))", "    role: \"leader\""]
        } else {
            lines += labels(role).prefix(2).map { "    \($0.0): \(q($0.1))" }
        }
        lines += ["  ports:", "    - name: http", "      port: \(plan.spec.port)", "      targetPort: http"]
        return lines
    }

    /// A pod spec (unindented) running one server process.
    private func podSpec(
        _ role: EmitPlan.Role, image: String, configMap: String?, rendezvous: EmitPlan.Rendezvous?
    ) throws(HeadroomError) -> [String] {
        let spec = plan.spec
        let command = try plan.command(for: role, rendezvous: rendezvous, extraOptionsPath: configFile(role))
        let serves = rendezvous?.isLeader ?? true
        let count = plan.acceleratorsPerProcess
        let resource =
            switch plan.vendor {
            case .nvidia: "nvidia.com/gpu"
            case .amd: "amd.com/gpu"
            case .google: "google.com/tpu"
            case .aws: "aws.amazon.com/neuron"
            case .intel: "habana.ai/gaudi"
            }
        var lines: [String] = []
        let selector = tpuSelector(chips: count)
        if !selector.isEmpty {
            lines.append("nodeSelector:")
            lines += selector.map { "  \($0.0): \(q($0.1))" }
        }
        lines += ["containers:", "  - name: \(plan.stack.rawValue)", "    image: \(q(image))"]
        let words: [String]
        switch plan.stack {
        case .vllm: words = Array(command.program.prefix(2))
        case .sglang: words = command.program
        case .trtllm: words = Array(command.program.prefix(1))
        }
        lines.append("    command:")
        lines += words.map { "      - \(q($0))" }
        lines.append("    args:")
        lines += (Array(command.program.dropFirst(words.count)) + command.arguments).map { "      - \(q($0))" }
        lines += [
            "    env:", "      - name: HF_TOKEN", "        valueFrom:", "          secretKeyRef:",
            "            name: hf-token", "            key: token", "            optional: true",
        ]
        if role != .aggregated, plan.stack == .vllm {
            lines += [
                "      - name: VLLM_NIXL_SIDE_CHANNEL_HOST", "        valueFrom:", "          fieldRef:",
                "            fieldPath: status.podIP",
            ]
        }
        if serves {
            lines += ["    ports:", "      - name: http", "        containerPort: \(spec.port)"]
        }
        let cpus = 2 * (2 + count)
        let memory = Int((spec.memoryGiBPerAccelerator * Double(count)).rounded(.up))
        lines += [
            "    resources:", "      requests:", "        \(resource): \"\(count)\"", "        cpu: \"\(cpus)\"",
            "        memory: \(memory)Gi", "      limits:", "        \(resource): \"\(count)\"",
        ]
        if serves {
            lines += probe("startupProbe", period: 10, failures: 180, timeout: 5)
            lines += probe("readinessProbe", period: 10, failures: 3, timeout: 5)
            lines += probe("livenessProbe", period: 30, failures: 5, timeout: 10)
        }
        lines += ["    volumeMounts:", "      - name: dshm", "        mountPath: /dev/shm"]
        if configMap != nil {
            lines += [
                "      - name: extra-llm-api-options", "        mountPath: \(Self.configDirectory)",
                "        readOnly: true",
            ]
        }
        lines += [
            "volumes:", "  - name: dshm", "    emptyDir:", "      medium: Memory",
            "      sizeLimit: \(max(8, 2 * count))Gi",
        ]
        if let configMap {
            lines += ["  - name: extra-llm-api-options", "    configMap:", "      name: \(configMap)"]
        }
        return lines
    }

    private func probe(_ kind: String, period: Int, failures: Int, timeout: Int) -> [String] {
        [
            "    \(kind):", "      httpGet:", "        path: /health", "        port: http",
            "      periodSeconds: \(period)", "      timeoutSeconds: \(timeout)", "      failureThreshold: \(failures)",
        ]
    }

    /// GKE's TPU node labels for a single-host slice (`cloud.google.com/gke-tpu-accelerator`, `…-topology`).
    private func tpuSelector(chips: Int) -> [(String, String)] {
        guard plan.vendor == .google else { return [] }
        let id = plan.spec.accelerator.lowercased()
        let accelerator: String
        let topologies: [Int: String]
        switch id {
        case "tpu-v6e": (accelerator, topologies) = ("tpu-v6e-slice", [1: "1x1", 4: "2x2", 8: "2x4"])
        case "tpu-v5e": (accelerator, topologies) = ("tpu-v5-lite-podslice", [1: "1x1", 4: "2x2", 8: "2x4"])
        case "tpu-v5p": (accelerator, topologies) = ("tpu-v5p-slice", [4: "2x2x1"])
        default: return []
        }
        var selector = [("cloud.google.com/gke-tpu-accelerator", accelerator)]
        if let topology = topologies[chips] { selector.append(("cloud.google.com/gke-tpu-topology", topology)) }
        return selector
    }
}

/// A YAML double-quoted scalar.
private func q(_ value: String) -> String {
    var out = "\""
    for character in value {
        switch character {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        default: out.append(character)
        }
    }
    return out + "\""
}
