import HeadroomCore
import HeadroomReport
import Testing
import Yams

/// Flags each server's current release accepts, with where each set was read. A flag the emitters write that is not
/// here fails the suite: add it only after reading it in the server's own source.
enum KnownFlags {
    /// vLLM, read 2026-11:
    /// - `vllm/engine/arg_utils.py` @99d7eb5 (`EngineArgs.add_cli_args`; booleans are `BooleanOptionalAction`, which
    ///   also registers `--no-<flag>`);
    /// - `vllm/entrypoints/openai/cli_args.py` @0052233 (`FrontendArgs.host`, `.port`);
    /// - `vllm/config/parallel.py` @00193b8 (`nnodes`, `node_rank`, `master_addr`) with the launch in
    ///   `docs/serving/parallelism_scaling.md` @096bd6a;
    /// - `vllm/entrypoints/cli/serve.py` @00a5fdd (`--headless`).
    static let vllm: Set<String> = [
        "--host", "--port", "--tensor-parallel-size", "--pipeline-parallel-size", "--enable-expert-parallel",
        "--dtype", "--quantization", "--kv-cache-dtype", "--gpu-memory-utilization", "--max-num-seqs",
        "--max-num-batched-tokens", "--enable-chunked-prefill", "--no-enable-chunked-prefill",
        "--enable-prefix-caching", "--no-enable-prefix-caching", "--max-model-len", "--kv-transfer-config",
        "--nnodes", "--node-rank", "--master-addr", "--headless",
        // `parallel_group.add_argument("--data-parallel-size", "-dp", …)` in `vllm/engine/arg_utils.py`, read 2026-12.
        "--data-parallel-size",
    ]

    /// Choices: `ModelDType` (arg_utils.py @99d7eb5), `CacheDType` (`vllm/config/cache.py` @002f10e), `fp8` in
    /// `QUANTIZATION_METHODS`.
    static let vllmChoices: [String: Set<String>] = [
        "--dtype": ["auto", "half", "float16", "bfloat16", "float", "float32"],
        "--kv-cache-dtype": ["auto", "float16", "bfloat16", "fp8", "fp8_e4m3", "fp8_e5m2", "nvfp4"],
        "--quantization": ["fp8"],
    ]

    /// SGLang, read 2026-11: `python/sglang/srt/server_args.py` @001067f (`ServerArgs` fields; the flag is the field
    /// name with dashes).
    static let sglang: Set<String> = [
        "--model-path", "--host", "--port", "--tp-size", "--pp-size", "--ep-size", "--dtype", "--quantization",
        "--kv-cache-dtype", "--mem-fraction-static", "--max-running-requests", "--chunked-prefill-size",
        "--max-prefill-tokens", "--disable-radix-cache", "--context-length", "--disaggregation-mode",
        "--disaggregation-transfer-backend", "--dist-init-addr", "--nnodes", "--node-rank",
        // `enable_dp_attention` and `dp_size` fields of `ServerArgs` (same file, read 2026-12).
        "--enable-dp-attention", "--dp-size",
    ]

    /// Choices from the same file: `dtype`, `kv_cache_dtype`, `QUANTIZATION_CHOICES`, `disaggregation_mode`,
    /// `DISAGG_TRANSFER_BACKEND_CHOICES`.
    static let sglangChoices: [String: Set<String>] = [
        "--dtype": ["auto", "half", "float16", "bfloat16", "float", "float32"],
        "--kv-cache-dtype": ["auto", "fp8_e5m2", "fp8_e4m3", "mxfp8", "bf16", "bfloat16", "nvfp4", "fp4_e2m1"],
        "--quantization": ["fp8", "awq", "gptq", "w8a8_int8", "w8a8_fp8", "mxfp4", "modelopt_fp4"],
        "--disaggregation-mode": ["null", "prefill", "decode"],
        "--disaggregation-transfer-backend": ["mooncake", "nixl", "ascend", "fake", "mori", "mooncake_tcp"],
    ]

    /// TensorRT-LLM, read 2026-11: `tensorrt_llm/commands/serve.py` @00209af (click options of `serve`; `--tp_size`,
    /// `--pp_size`, `--ep_size`, `--kv_cache_free_gpu_memory_fraction` are aliases it declares).
    static let trtllm: Set<String> = [
        "--backend", "--host", "--port", "--tp_size", "--pp_size", "--ep_size", "--max_batch_size",
        "--max_num_tokens", "--max_seq_len", "--kv_cache_free_gpu_memory_fraction", "--enable_chunked_prefill",
        "--extra_llm_api_options",
    ]

    /// `--backend` choices (serve.py @00209af).
    static let trtllmChoices: [String: Set<String>] = ["--backend": ["pytorch", "tensorrt", "_autodeploy"]]

    /// Keys of the `--extra_llm_api_options` YAML: `kv_cache_config.{dtype, free_gpu_memory_fraction,
    /// enable_block_reuse}` (`docs/source/commands/trtllm-serve.rst` @000d771,
    /// `examples/serve/deepseek_r1_reasoning_parser.sh`), `cache_transceiver_config.backend`,
    /// `disable_overlap_scheduler` (`examples/disaggregated/README.md`).
    static let trtllmYAMLKeys: Set<String> = [
        "kv_cache_config", "dtype", "free_gpu_memory_fraction", "enable_block_reuse", "cache_transceiver_config",
        "backend", "disable_overlap_scheduler",
        // `enable_attention_dp` of the PyTorch backend's LLM arguments (`tensorrt_llm/llmapi/llm_args.py`; the
        // DeepSeek-R1 guide's `extra-llm-api-config.yml`), read 2026-12.
        "enable_attention_dp",
    ]

    static func flags(_ stack: String) -> Set<String> {
        switch stack {
        case "vllm": vllm
        case "sglang": sglang
        default: trtllm
        }
    }

    static func choices(_ stack: String) -> [String: Set<String>] {
        switch stack {
        case "vllm": vllmChoices
        case "sglang": sglangChoices
        default: trtllmChoices
        }
    }

    /// The word after which a command's flags start.
    static func program(_ stack: String) -> String {
        switch stack {
        case "vllm": "serve"
        case "sglang": "sglang.launch_server"
        default: "trtllm-serve"
        }
    }
}

/// The plans every stack is emitted for.
enum EmitCase: String, CaseIterable, CustomTestStringConvertible {
    case denseFP8OnH100
    case moeWithExpertParallelOnH200
    case multiNodeTP8PP2
    case disaggregated
    case amdMI300X
    case moeWithDataParallelAttention

    var testDescription: String { rawValue }

    func spec(stack: String) -> EmitSpec {
        switch self {
        case .denseFP8OnH100:
            EmitSpec(
                modelRepo: "nvidia/Llama-3.1-70B-Instruct-FP8", stack: stack, accelerator: "h100-sxm",
                acceleratorVendor: "nvidia", tensorParallel: 4, replicas: 2, precision: "fp8", kvCachePrecision: "fp8",
                maxNumSeqs: 256, maxBatchedTokens: 8192, memoryFraction: 0.9, maxModelLen: 32768,
                memoryGiBPerAccelerator: 80)
        case .moeWithExpertParallelOnH200:
            EmitSpec(
                modelRepo: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", stack: stack, accelerator: "h200",
                acceleratorVendor: "nvidia", tensorParallel: 8, expertParallel: 8, replicas: 3, precision: "fp8",
                kvCachePrecision: "fp8", maxBatchedTokens: 16384, memoryFraction: 0.92, prefixCaching: false,
                memoryGiBPerAccelerator: 141)
        case .multiNodeTP8PP2:
            EmitSpec(
                modelRepo: "meta-llama/Llama-3.1-405B-Instruct", stack: stack, accelerator: "h100-sxm",
                acceleratorVendor: "nvidia", tensorParallel: 8, pipelineParallel: 2, replicas: 2, precision: "bf16",
                kvCachePrecision: "bf16", maxNumSeqs: 128, maxBatchedTokens: 16384, memoryFraction: 0.9,
                chunkedPrefill: false, maxModelLen: 16384, memoryGiBPerAccelerator: 80)
        case .disaggregated:
            EmitSpec(
                modelRepo: "meta-llama/Llama-3.3-70B-Instruct", stack: stack, accelerator: "h200",
                acceleratorVendor: "nvidia", tensorParallel: 4, precision: "bf16", kvCachePrecision: "bf16",
                maxBatchedTokens: 8192, memoryFraction: 0.88, prefillReplicas: 2, decodeReplicas: 3,
                memoryGiBPerAccelerator: 141)
        case .amdMI300X:
            EmitSpec(
                modelRepo: "amd/Llama-3.1-70B-Instruct-FP8-KV", stack: stack, accelerator: "mi300x",
                acceleratorVendor: "amd", tensorParallel: 8, replicas: 1, precision: "fp8", kvCachePrecision: "fp8",
                maxNumSeqs: 512, maxBatchedTokens: 16384, memoryFraction: 0.9, memoryGiBPerAccelerator: 192)
        case .moeWithDataParallelAttention:
            {
                var spec = EmitSpec(
                    modelRepo: "deepseek-ai/DeepSeek-R1-0528", stack: stack, accelerator: "b200",
                    acceleratorVendor: "nvidia", tensorParallel: 8, expertParallel: 8, replicas: 1,
                    precision: "fp8", kvCachePrecision: "fp8", maxNumSeqs: 512, maxBatchedTokens: 8192,
                    memoryFraction: 0.85,
                    memoryGiBPerAccelerator: 180, preQuantizedCheckpoint: true)
                spec.attentionDataParallel = true
                return spec
            }()
        }
    }
}

@Suite struct EmitterTests {
    static let stacks = ["vllm", "sglang", "trtllm"]

    @Test(arguments: stacks, EmitCase.allCases)
    func shellCommandUsesOnlyKnownFlags(stack: String, plan: EmitCase) throws {
        let spec = plan.spec(stack: stack)
        let target = try #require(EmitTarget(rawValue: stack))
        if stack == "trtllm", plan == .amdMI300X {
            let error = #expect(throws: HeadroomError.self) { try DeploymentEmitter.emit(spec, target: target) }
            #expect(error?.code == .unsupported)
            return
        }
        let script = try DeploymentEmitter.emit(spec, target: target)
        #expect(script.hasPrefix("# generated by headroom plan: \(spec.modelRepo)"))
        let commands = ShellScript.commands(script, after: KnownFlags.program(stack))
        // A disaggregated TensorRT-LLM plan adds its router: `trtllm-serve disaggregated -c disagg_config.yaml`.
        let router = spec.isDisaggregated && stack == "trtllm" ? 1 : 0
        let expected = (spec.nodesPerReplica > 1 && stack != "trtllm" ? 2 : 1) * (spec.isDisaggregated ? 2 : 1) + router
        #expect(commands.count == expected, "one command per role and node kind")
        for words in commands { check(words, stack: stack) }
        if stack == "trtllm" {
            for key in ShellScript.heredocKeys(script) {
                #expect(KnownFlags.trtllmYAMLKeys.contains(key), "unknown extra_llm_api_options key \(key)")
            }
        }
    }

    @Test(arguments: stacks, EmitCase.allCases)
    func kubernetesManifestIsWellFormed(stack: String, plan: EmitCase) throws {
        let spec = plan.spec(stack: stack)
        if stack == "trtllm", plan == .amdMI300X || plan == .multiNodeTP8PP2 {
            let error = #expect(throws: HeadroomError.self) {
                try DeploymentEmitter.emit(spec, target: .kubernetes)
            }
            #expect(error?.code == .unsupported)
            return
        }
        let yaml = try DeploymentEmitter.emit(spec, target: .kubernetes)
        let documents = try #require(YAMLStructure.documents(yaml))
        let kinds = documents.map(YAMLStructure.kind)
        let workload = spec.nodesPerReplica > 1 ? "LeaderWorkerSet" : "Deployment"
        // A disaggregated TensorRT-LLM plan adds its router: a Deployment and a Service besides the two roles'.
        let servers = spec.isDisaggregated ? 2 : 1
        let router = spec.isDisaggregated && stack == "trtllm" ? 1 : 0
        #expect(kinds.filter { $0 == workload }.count == servers + (workload == "Deployment" ? router : 0))
        #expect(kinds.filter { $0 == "Service" }.count == servers + router)
        if spec.nodesPerReplica > 1 {
            #expect(yaml.contains("apiVersion: leaderworkerset.x-k8s.io/v1"))
            #expect(yaml.contains("size: \(spec.nodesPerReplica)"))
        }
        if spec.isDisaggregated {
            #expect(yaml.contains("app.kubernetes.io/component: \"prefill\""))
            #expect(yaml.contains("app.kubernetes.io/component: \"decode\""))
        }
        let resource = spec.acceleratorVendor == "amd" ? "amd.com/gpu" : "nvidia.com/gpu"
        #expect(yaml.contains("\(resource): \"\(min(spec.acceleratorsPerReplica, spec.acceleratorsPerNode))\""))
        #expect(yaml.contains("path: /health"))
        #expect(yaml.contains("medium: Memory"))
        for args in YAMLStructure.containerArgs(yaml) {
            check(args, stack: stack)
        }
        let parsed = try Yams.load_all(yaml: yaml).map { $0 as? [String: Any] }
        #expect(parsed.count == documents.count)
        for document in parsed {
            let fields = try #require(document)
            #expect(fields["apiVersion"] is String)
            #expect(fields["kind"] is String)
            #expect((fields["metadata"] as? [String: Any])?["name"] is String)
        }
    }

    /// The router the header sends clients to exists: `trtllm-serve disaggregated -c` on a mounted
    /// `disagg_config.yaml` whose context and generation URLs are the prefill and decode Services, on their port.
    @Test func trtllmDisaggregatedManifestRunsItsRouter() throws {
        let spec = EmitCase.disaggregated.spec(stack: "trtllm")
        let yaml = try DeploymentEmitter.emit(spec, target: .kubernetes)
        let documents = try Yams.load_all(yaml: yaml).compactMap { $0 as? [String: Any] }
        func named(_ kind: String, _ suffix: String) -> [String: Any]? {
            documents.first {
                $0["kind"] as? String == kind
                    && ((($0["metadata"] as? [String: Any])?["name"] as? String)?.hasSuffix(suffix) ?? false)
            }
        }
        let configMap = try #require(named("ConfigMap", "-router"))
        let text = try #require((configMap["data"] as? [String: Any])?["disagg_config.yaml"] as? String)
        let config = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(config["port"] as? Int == spec.port)
        #expect(config["backend"] as? String == "pytorch")
        let prefill = try #require(named("Service", "-prefill"))
        let decode = try #require(named("Service", "-decode"))
        for (key, service) in [("context_servers", prefill), ("generation_servers", decode)] {
            let servers = try #require(config[key] as? [String: Any])
            let name = try #require((service["metadata"] as? [String: Any])?["name"] as? String)
            #expect(servers["urls"] as? [String] == ["\(name):\(spec.port)"])
            #expect(servers["num_instances"] as? Int == 1)
        }
        let deployment = try #require(named("Deployment", "-router"))
        let pod = try #require(
            ((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        #expect(container["command"] as? [String] == ["trtllm-serve"])
        let args = try #require(container["args"] as? [String])
        #expect(args.prefix(2) == ["disaggregated", "-c"])
        let mount = try #require((container["volumeMounts"] as? [[String: Any]])?.first?["mountPath"] as? String)
        #expect(args.last == "\(mount)/disagg_config.yaml")
        #expect(container["resources"].map { "\($0)" }?.contains("nvidia.com/gpu") == false)
        // The router's Service selects the router's pods, not a server's.
        let service = try #require(named("Service", "-router"))
        let selector = try #require((service["spec"] as? [String: Any])?["selector"] as? [String: String])
        let labels = try #require(
            (((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["metadata"] as? [String: Any])?[
                "labels"] as? [String: String])
        #expect(selector["app.kubernetes.io/component"] == "router")
        #expect(selector.allSatisfy { labels[$0.key] == $0.value })
        // Aggregated and other stacks' plans have no router.
        for other in [
            EmitCase.denseFP8OnH100.spec(stack: "trtllm"), EmitCase.disaggregated.spec(stack: "vllm"),
        ] {
            #expect(!(try DeploymentEmitter.emit(other, target: .kubernetes)).contains("disagg_config.yaml: |"))
        }
    }

    /// The shell script starts the router too, its config listing one URL per prefill and decode replica.
    @Test func trtllmDisaggregatedShellRunsItsRouter() throws {
        let spec = EmitCase.disaggregated.spec(stack: "trtllm")
        let script = try DeploymentEmitter.emit(spec, target: .trtllm)
        #expect(script.contains("\ntrtllm-serve disaggregated -c disagg_config.yaml\n"))
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let open = try #require(lines.firstIndex(of: "cat > disagg_config.yaml <<'EOF'"))
        let close = try #require(lines[open...].firstIndex(of: "EOF"))
        let config = try #require(
            try Yams.load(yaml: lines[(open + 1)..<close].joined(separator: "\n")) as? [String: Any])
        #expect(config["port"] as? Int == spec.port)
        for (key, replicas, host) in [
            ("context_servers", spec.prefillReplicas, "PREFILL_HOST"),
            ("generation_servers", spec.decodeReplicas, "DECODE_HOST"),
        ] {
            let servers = try #require(config[key] as? [String: Any])
            #expect(servers["num_instances"] as? Int == replicas)
            let urls = try #require(servers["urls"] as? [String])
            #expect(urls == (1...(replicas ?? 0)).map { "\(host)_\($0):\(spec.port)" })
        }
        #expect(
            !(try DeploymentEmitter.emit(EmitCase.denseFP8OnH100.spec(stack: "trtllm"), target: .trtllm))
                .contains("disaggregated"))
    }

    @Test func vllmQuantizesOnlineOnlyWhenTheCheckpointIsNotFP8() throws {
        var spec = EmitCase.denseFP8OnH100.spec(stack: "vllm")
        let prequantized = try DeploymentEmitter.emit(spec, target: .vllm)
        #expect(!prequantized.contains("\n  --quantization"))
        #expect(prequantized.contains("--kv-cache-dtype fp8"))
        spec.modelRepo = "meta-llama/Llama-3.1-70B-Instruct"
        let online = try DeploymentEmitter.emit(spec, target: .vllm)
        #expect(online.contains("\n  --quantization fp8 \\\n"))
    }

    @Test func trtllmHasNoOnlineQuantization() {
        var spec = EmitCase.denseFP8OnH100.spec(stack: "trtllm")
        spec.modelRepo = "meta-llama/Llama-3.1-70B-Instruct"
        let error = #expect(throws: HeadroomError.self) { try DeploymentEmitter.emit(spec, target: .trtllm) }
        #expect(error?.code == .unsupported)
    }

    @Test func trtllmWritesKVDtypeInItsExtraOptions() throws {
        let script = try DeploymentEmitter.emit(EmitCase.denseFP8OnH100.spec(stack: "trtllm"), target: .trtllm)
        #expect(script.contains("cat > extra-llm-api-options.yaml <<'EOF'\nkv_cache_config:\n  dtype: fp8\n"))
        #expect(script.contains("--extra_llm_api_options extra-llm-api-options.yaml"))
    }

    @Test func sglangDisablesChunkedPrefillWithMinusOne() throws {
        let script = try DeploymentEmitter.emit(EmitCase.multiNodeTP8PP2.spec(stack: "sglang"), target: .sglang)
        #expect(script.contains("--chunked-prefill-size -1"))
        #expect(script.contains("--max-prefill-tokens 16384"))
        #expect(script.contains("--dist-init-addr \"$HEAD_NODE_IP:20000\""))
    }

    @Test func vllmMultiNodeWorkersRunHeadless() throws {
        let yaml = try DeploymentEmitter.emit(EmitCase.multiNodeTP8PP2.spec(stack: "vllm"), target: .kubernetes)
        #expect(yaml.contains("- \"--headless\""))
        #expect(yaml.contains("- \"$(LWS_LEADER_ADDRESS)\""))
        #expect(yaml.contains("image: \"vllm/vllm-openai:v0.31.0\""))
    }

    @Test func amdUsesTheROCmImages() throws {
        let vllm = try DeploymentEmitter.emit(EmitCase.amdMI300X.spec(stack: "vllm"), target: .kubernetes)
        #expect(vllm.contains("image: \"vllm/vllm-openai-rocm:v0.31.0\""))
        let sglang = try DeploymentEmitter.emit(EmitCase.amdMI300X.spec(stack: "sglang"), target: .kubernetes)
        #expect(sglang.contains("image: \"lmsysorg/sglang:v0.5.21-rocm10-mi30x\""))
    }

    @Test func vllmCannotExpressExpertParallelSmallerThanTP() {
        var spec = EmitCase.moeWithExpertParallelOnH200.spec(stack: "vllm")
        spec.expertParallel = 4
        let error = #expect(throws: HeadroomError.self) { try DeploymentEmitter.emit(spec, target: .vllm) }
        #expect(error?.code == .unsupported)
    }

    @Test func vllmRefusesLimitsItsSchedulerRejects() {
        var spec = EmitCase.multiNodeTP8PP2.spec(stack: "vllm")
        spec.maxBatchedTokens = 8192
        let error = #expect(throws: HeadroomError.self) { try DeploymentEmitter.emit(spec, target: .vllm) }
        #expect(error?.code == .invalidInput)
        spec.chunkedPrefill = true
        #expect(throws: Never.self) { try DeploymentEmitter.emit(spec, target: .vllm) }
    }

    @Test func shellTargetMustMatchThePlansStack() {
        let spec = EmitCase.denseFP8OnH100.spec(stack: "vllm")
        let error = #expect(throws: HeadroomError.self) { try DeploymentEmitter.emit(spec, target: .sglang) }
        #expect(error?.code == .invalidInput)
    }

    @Test func tpuNeedsAnImageAndGetsGKELabels() throws {
        var spec = EmitSpec(
            modelRepo: "meta-llama/Llama-3.1-8B-Instruct", stack: "vllm", accelerator: "tpu-v6e",
            acceleratorVendor: "google", acceleratorsPerNode: 8, tensorParallel: 4, memoryGiBPerAccelerator: 32)
        let error = #expect(throws: HeadroomError.self) { try DeploymentEmitter.emit(spec, target: .kubernetes) }
        #expect(error?.code == .unsupported)
        spec.image = "vllm/vllm-tpu:latest"
        let yaml = try DeploymentEmitter.emit(spec, target: .kubernetes)
        #expect(yaml.contains("google.com/tpu: \"4\""))
        #expect(yaml.contains("cloud.google.com/gke-tpu-accelerator: \"tpu-v6e-slice\""))
        #expect(yaml.contains("cloud.google.com/gke-tpu-topology: \"2x2\""))
    }

    @Test func unsupportedPrecisionsThrow() {
        var spec = EmitCase.denseFP8OnH100.spec(stack: "sglang")
        spec.precision = "fp6"
        let error = #expect(throws: HeadroomError.self) { try DeploymentEmitter.emit(spec, target: .sglang) }
        #expect(error?.code == .unsupported)
    }

    /// Every `--flag` is known to the stack, and flags with fixed choices carry one of them.
    private func check(_ words: [String], stack: String) {
        let known = KnownFlags.flags(stack)
        let choices = KnownFlags.choices(stack)
        for (index, word) in words.enumerated() where word.hasPrefix("--") {
            #expect(known.contains(word), "\(stack) has no flag \(word)")
            if let allowed = choices[word], index + 1 < words.count {
                #expect(allowed.contains(words[index + 1]), "\(word) \(words[index + 1]) is not a \(stack) choice")
            }
        }
    }
}

/// Reads the commands out of an emitted shell script.
enum ShellScript {
    /// The words after `program` in each command, continuation lines joined, comments and heredocs skipped.
    static func commands(_ script: String, after program: String) -> [[String]] {
        var logical: [String] = []
        var current = ""
        var inHeredoc = false
        for line in script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if inHeredoc {
                if line == "EOF" { inHeredoc = false }
                continue
            }
            if line.hasPrefix("cat > ") && line.hasSuffix("<<'EOF'") {
                inHeredoc = true
                continue
            }
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasSuffix(" \\") {
                current += line.dropLast(2) + " "
            } else {
                logical.append(current + line)
                current = ""
            }
        }
        return logical.compactMap { line in
            let words = split(line)
            guard let start = words.firstIndex(of: program) else { return nil }
            return Array(words[(start + 1)...])
        }
    }

    /// Keys of every heredoc'd YAML file.
    /// The keys of the extra-LLM-API-options heredocs (the router's disagg_config.yaml is checked on its own).
    static func heredocKeys(_ script: String) -> [String] {
        var keys: [String] = []
        var inHeredoc = false
        for line in script.split(separator: "\n").map(String.init) {
            if line.hasSuffix("<<'EOF'") {
                inHeredoc = !line.contains("disagg_config.yaml")
            } else if line == "EOF" {
                inHeredoc = false
            } else if inHeredoc, let colon = line.firstIndex(of: ":") {
                keys.append(line[..<colon].trimmingCharacters(in: " "))
            }
        }
        return keys
    }

    /// Splits on spaces outside quotes, dropping the quotes.
    static func split(_ line: String) -> [String] {
        var words: [String] = []
        var word = ""
        var quote: Character?
        var inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(character)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }
}

/// A structural check of the emitted YAML, enough to catch malformed output without a YAML parser.
enum YAMLStructure {
    /// The documents (comment lines dropped), or nil when the text breaks a rule: tabs, odd indentation, an empty
    /// document, or a document missing `apiVersion`, `kind` or `metadata` at the top level.
    static func documents(_ yaml: String) -> [[String]]? {
        guard !yaml.contains("\t") else { return nil }
        var documents: [[String]] = [[]]
        for line in yaml.split(separator: "\n").map(String.init) {
            if line == "---" {
                documents.append([])
                continue
            }
            if line.hasPrefix("#") { continue }
            let indent = line.prefix { $0 == " " }.count
            guard indent % 2 == 0, !line.hasSuffix(" ") else { return nil }
            documents[documents.count - 1].append(line)
        }
        for document in documents {
            for key in ["apiVersion:", "kind:", "metadata:"] {
                guard document.contains(where: { $0.hasPrefix(key) }) else { return nil }
            }
        }
        return documents
    }

    static func kind(_ document: [String]) -> String {
        document.first { $0.hasPrefix("kind: ") }.map { String($0.dropFirst(6)) } ?? ""
    }

    /// The `args:` list of every container, unquoted.
    static func containerArgs(_ yaml: String) -> [[String]] {
        var all: [[String]] = []
        var current: [String]?
        var itemIndent = 0
        for line in yaml.split(separator: "\n").map(String.init) {
            let indent = line.prefix { $0 == " " }.count
            let text = line.drop { $0 == " " }
            if text == "args:" {
                current = []
                itemIndent = indent + 2
                continue
            }
            if var args = current {
                if indent == itemIndent, text.hasPrefix("- ") {
                    var value = String(text.dropFirst(2))
                    if value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                    args.append(value.replacing("\\\"", with: "\""))
                    current = args
                } else {
                    all.append(args)
                    current = nil
                }
            }
        }
        if let current { all.append(current) }
        return all
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}

/// Data-parallel attention reaches each server as its own switch.
@Suite struct DataParallelAttentionEmitTests {
    @Test(arguments: [
        (
            "vllm",
            ["--tensor-parallel-size 1", "--data-parallel-size 8", "--enable-expert-parallel", "--max-num-seqs 64"]
        ),
        ("sglang", ["--tp-size 8", "--enable-dp-attention", "--dp-size 8"]),
        ("trtllm", ["--tp_size 8", "enable_attention_dp: true", "--max_batch_size 64"]),
    ])
    func eachStackGetsItsSwitch(stack: String, expected: [String]) throws {
        let spec = EmitCase.moeWithDataParallelAttention.spec(stack: stack)
        let script = try DeploymentEmitter.emit(spec, target: try #require(EmitTarget(rawValue: stack)))
        for text in expected { #expect(script.contains(text), "\(stack) launch lacks \(text)") }
    }
}
