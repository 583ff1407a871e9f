import HeadroomCore

/// Each stack's server command: the flags of ``DeploymentEmitter``'s sources, per role and rendezvous.
extension EmitPlan {
    /// The launch for one role, as the program, its flags (one per line) and TensorRT-LLM's extra-options YAML.
    ///
    /// - Parameters:
    ///   - role: aggregated, prefill or decode.
    ///   - rendezvous: this process's place in a multi-node replica, nil on one node.
    ///   - extraOptionsPath: where TensorRT-LLM's YAML is written (a heredoc file, or a mounted ConfigMap).
    func command(
        for role: Role, rendezvous: Rendezvous?, extraOptionsPath: String
    ) throws(HeadroomError)
        -> ServerCommand
    {
        switch stack {
        case .vllm: try vllmCommand(role, rendezvous)
        case .sglang: try sglangCommand(role, rendezvous)
        case .trtllm: try trtllmCommand(role, rendezvous, extraOptionsPath)
        }
    }

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
        if spec.attentionDataParallel {
            // vLLM's data-parallel attention: tp 1 per rank, dp ranks, experts split over tp × dp.
            command.add("--tensor-parallel-size", "1")
            command.add("--data-parallel-size", String(spec.tensorParallel))
            command.add("--pipeline-parallel-size", String(spec.pipelineParallel))
            command.add("--enable-expert-parallel")
        } else {
            command.add("--tensor-parallel-size", String(spec.tensorParallel))
            command.add("--pipeline-parallel-size", String(spec.pipelineParallel))
            if spec.expertParallel > 1 { command.add("--enable-expert-parallel") }
        }
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
        if let seqs = spec.maxNumSeqs {
            // Each data-parallel engine keeps its own max_num_seqs: the replica's limit is shared over the ranks.
            let perRank =
                spec.attentionDataParallel ? (seqs + spec.tensorParallel - 1) / max(spec.tensorParallel, 1) : seqs
            command.add("--max-num-seqs", String(perRank))
        }
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
        if spec.attentionDataParallel {
            command.add("--enable-dp-attention")
            command.add("--dp-size", String(spec.tensorParallel))
        }
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

    private func trtllmCommand(
        _ role: Role, _ rendezvous: Rendezvous?, _ extraOptionsPath: String
    )
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
        if let seqs = spec.maxNumSeqs {
            // Under attention DP, TensorRT-LLM's max_batch_size is per rank ("max_batch_size 128 (per rank)" in its
            // DeepSeek-R1 guide): the replica's limit is shared over its ranks.
            let perRank =
                spec.attentionDataParallel ? (seqs + spec.tensorParallel - 1) / max(spec.tensorParallel, 1) : seqs
            command.add("--max_batch_size", String(perRank))
        }
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
        if spec.attentionDataParallel { yaml.append("enable_attention_dp: true") }
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
