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
