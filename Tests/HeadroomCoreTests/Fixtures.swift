import HeadroomCore

/// Architectures and parts built from their published figures, so Core tests need no catalog files.
enum Fixtures {
    static let provenance = Provenance(source: "test fixture", asOf: "2026-11-25")

    /// meta-llama/Llama-3.1-70B-Instruct config.json.
    static let llama70B = ModelArchitecture(
        id: "meta-llama/Llama-3.1-70B-Instruct", name: "Llama 3.1 70B", layers: 80, hiddenSize: 8192,
        attentionHeads: 64, kvHeads: 8, headDim: 128, intermediateSize: 28672, vocabSize: 128256,
        maxContext: 131072, attention: .gqa, provenance: provenance
    )

    /// meta-llama/Llama-3.1-8B-Instruct config.json.
    static let llama8B = ModelArchitecture(
        id: "meta-llama/Llama-3.1-8B-Instruct", name: "Llama 3.1 8B", layers: 32, hiddenSize: 4096,
        attentionHeads: 32, kvHeads: 8, headDim: 128, intermediateSize: 14336, vocabSize: 128256,
        maxContext: 131072, attention: .gqa, provenance: provenance
    )

    /// deepseek-ai/DeepSeek-V3 config.json.
    static let deepseekV3 = ModelArchitecture(
        id: "deepseek-ai/DeepSeek-V3", name: "DeepSeek-V3", layers: 61, hiddenSize: 7168, attentionHeads: 128,
        kvHeads: 128, headDim: 192, intermediateSize: 18432, vocabSize: 129280, maxContext: 163840, attention: .mla,
        mla: .init(qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128),
        moe: .init(experts: 256, active: 8, shared: 1, expertIntermediateSize: 2048, denseLayers: 3), mtpLayers: 1,
        weightsQuantization: .fp8, provenance: provenance
    )

    /// mistralai/Mistral-7B-v0.1 config.json (sliding window 4096).
    static let mistral7B = ModelArchitecture(
        id: "mistralai/Mistral-7B-v0.1", name: "Mistral 7B", layers: 32, hiddenSize: 4096, attentionHeads: 32,
        kvHeads: 8, headDim: 128, intermediateSize: 14336, vocabSize: 32000, maxContext: 32768, attention: .gqa,
        slidingWindow: 4096, provenance: provenance
    )

    /// H100 SXM figures from shared/calibration/hardware.csv.
    static let h100 = Accelerator(
        id: "h100-sxm", name: "NVIDIA H100 SXM5 80GB", vendor: "nvidia", memoryGiB: 80, memoryBandwidthGBps: 3350,
        tflops: [.bf16: 989, .fp16: 989, .fp8: 1979, .int8: 1979], precisions: [.bf16, .fp16, .fp8, .int8, .int4AWQ],
        scaleUp: .init(name: "NVLink 4", bandwidthGBps: 450, domainSize: 8),
        scaleOut: .init(name: "ConnectX-7", bandwidthGBps: 50), tdpWatts: 700, provenance: provenance
    )

    static let vllm = ServingStack(
        id: "vllm", name: "vLLM", memorySemantics: .total, defaultMemoryFraction: 0.9, defaultMaxNumSeqs: 256,
        defaultMaxBatchedTokens: 8192, runtimeOverheadGiB: 1,
        support: [.init(accelerators: ["h100-sxm"], precisions: [.bf16, .fp16, .fp8, .int8, .int4AWQ])],
        provenance: provenance
    )

    static let trtllm = ServingStack(
        id: "trtllm", name: "TensorRT-LLM", memorySemantics: .freeAfterWeights, defaultMemoryFraction: 0.9,
        defaultMaxNumSeqs: 2048, defaultMaxBatchedTokens: 8192, chunkedPrefill: false, kvReservation: .fullSequence,
        runtimeOverheadGiB: 1, support: [.init(accelerators: ["h100-sxm"], precisions: [.bf16, .fp16, .fp8])],
        provenance: provenance
    )

    static let efficiency = EfficiencyProfile(
        stack: "*", accelerators: ["*"], compute: 0.6, attentionCompute: 0.35, memory: 0.9, overlap: 0.3,
        network: 0.5, collectiveLatencyMicroseconds: 5, stepOverheadMilliseconds: 2.5,
        perSequenceOverheadMicroseconds: 6, requestOverheadMilliseconds: 4, provenance: provenance
    )

    static func deployment(
        model: ModelArchitecture = llama8B, stack: ServingStack = vllm, count: Int = 1, tp: Int = 1,
        precision: Precision = .bf16
    ) throws -> Deployment {
        try Deployment(
            model: model, accelerator: h100, stack: stack, count: count, tensorParallel: tp, precision: precision)
    }

    static func estimator(
        _ deployment: Deployment, input: Int = 1024, output: Int = 256
    ) throws -> Estimator {
        Estimator(
            deployment: deployment, shape: try RequestShape(inputTokens: input, outputTokens: output),
            efficiency: (efficiency, 3)
        )
    }
}
