/// A serving stack (vLLM, SGLang, TensorRT-LLM): its defaults, memory semantics and portability matrix.
public struct ServingStack: Sendable, Hashable, Codable, Identifiable {
    /// How the stack sizes its KV cache.
    public enum MemorySemantics: String, Sendable, Hashable, Codable {
        /// A fraction of the accelerator's *total* memory holds weights, activations and KV cache (vLLM
        /// `gpu_memory_utilization`, SGLang `mem_fraction_static`).
        case total
        /// A fraction of the memory *free after loading weights* becomes KV cache (TensorRT-LLM
        /// `kv_cache_free_gpu_mem_fraction`).
        case freeAfterWeights = "free"
    }

    /// How the scheduler reserves KV blocks for a request.
    public enum KVReservation: String, Sendable, Hashable, Codable {
        /// Blocks are taken as the sequence grows; full cache preempts (vLLM, SGLang).
        case onDemand = "on_demand"
        /// Blocks for prompt + maximum output are reserved at admission (TensorRT-LLM GUARANTEED_NO_EVICT).
        case fullSequence = "full_sequence"
        /// Blocks are taken as sequences grow, but a request is admitted only when the free cache also covers an
        /// estimated share (`new_token_ratio`) of every running request's remaining output (SGLang).
        case estimated
    }

    /// SGLang's estimate of how much of their remaining output running requests will still write: starts at `initial`,
    /// decays by `(initial − initial·minimumFactor) / decaySteps` each step without retraction, resets on retraction
    /// and when idle; each request's remaining output is clipped at `clip` tokens.
    public struct NewTokenRatio: Sendable, Hashable, Codable {
        public var initial: Double
        public var minimumFactor: Double
        public var decaySteps: Int
        public var clip: Int

        public init(initial: Double, minimumFactor: Double, decaySteps: Int, clip: Int) {
            self.initial = initial
            self.minimumFactor = minimumFactor
            self.decaySteps = decaySteps
            self.clip = clip
        }

        public var minimum: Double { initial * minimumFactor }
        public var decay: Double { (initial - minimum) / Double(max(decaySteps, 1)) }
    }

    /// One row of the portability matrix.
    public struct Support: Sendable, Hashable, Codable {
        public var accelerators: [String]
        public var precisions: [Precision]

        public init(accelerators: [String], precisions: [Precision]) {
            self.accelerators = accelerators
            self.precisions = precisions
        }
    }

    /// Batch-limit defaults a stack applies on particular accelerators.
    public struct DefaultOverride: Sendable, Hashable, Codable {
        public var accelerators: [String]
        public var maxNumSeqs: Int?
        public var maxBatchedTokens: Int?

        public init(accelerators: [String], maxNumSeqs: Int? = nil, maxBatchedTokens: Int? = nil) {
            self.accelerators = accelerators
            self.maxNumSeqs = maxNumSeqs
            self.maxBatchedTokens = maxBatchedTokens
        }
    }

    /// How a benchmark harness sizes batch limits from KV capacity for offline runs (trtllm-bench does).
    public struct OfflineBatchTuning: Sendable, Hashable, Codable {
        /// Upper bound on the batch size derived from KV capacity.
        public var maxBatchCap: Int
        /// Upper bound on the per-step token budget, derived as batch × (1 + input/output).
        public var maxTokensCap: Int

        public init(maxBatchCap: Int, maxTokensCap: Int) {
            self.maxBatchCap = maxBatchCap
            self.maxTokensCap = maxTokensCap
        }
    }

    public var id: String
    public var name: String
    public var version: String?
    public var memorySemantics: MemorySemantics
    public var defaultMemoryFraction: Double
    /// Default most running sequences; nil where the stack derives it from KV capacity (SGLang: half the KV tokens).
    public var defaultMaxNumSeqs: Int?
    public var defaultMaxBatchedTokens: Int
    /// Per-accelerator defaults that differ from the general ones (vLLM on A100/L40S).
    public var defaultOverrides: [DefaultOverride]
    public var kvBlockSize: Int
    public var chunkedPrefill: Bool
    public var kvReservation: KVReservation
    /// Whether sliding-window layers keep only the window's KV blocks (vLLM V1's hybrid allocator); when false they
    /// hold the whole context like full-attention layers.
    public var slidingWindowSavesKV: Bool
    /// The admission estimate of a stack with `estimated` reservation.
    public var newTokenRatio: NewTokenRatio?
    /// Memory outside weights, KV and activations: CUDA context, graphs, communication buffers (GiB per accelerator).
    public var runtimeOverheadGiB: Double
    public var offlineBatchTuning: OfflineBatchTuning?
    /// SGLang's default `mem_fraction_static`: not a constant but total memory less a reserve sized from the prefill
    /// chunk, the CUDA-graph batch and the parallel ranks. nil where the stack's default fraction is a constant.
    public var reservedMemoryRule: ReservedMemoryRule?
    public var support: [Support]
    public var provenance: Provenance

    /// A memory reserve that the stack subtracts from total memory to find its static pool (weights + KV cache):
    /// `fraction = (total − reserve) / total`, `reserve = base + per_chunk_token·max(chunk, minimum_chunk) +
    /// per_graph_batch·graph_bs (+ per_graph_batch_per_dp_rank·graph_bs·dp) + per_rank·tp·pp`, floored above a
    /// memory size. Activations and CUDA graphs live in the reserve, outside the pool.
    public struct ReservedMemoryRule: Sendable, Hashable, Codable {
        /// The prefill chunk and CUDA-graph batch the stack picks for a part's memory size.
        public struct Bucket: Sendable, Hashable, Codable {
            /// Applies to parts with less memory than this (nil: any larger part).
            public var belowGiB: Double?
            public var chunkTokens: Int
            /// CUDA-graph batch below tp 4, and from tp 4 on.
            public var graphBatchSmallTP: Int
            public var graphBatch: Int

            public init(belowGiB: Double?, chunkTokens: Int, graphBatchSmallTP: Int, graphBatch: Int) {
                self.belowGiB = belowGiB
                self.chunkTokens = chunkTokens
                self.graphBatchSmallTP = graphBatchSmallTP
                self.graphBatch = graphBatch
            }
        }

        public var baseMiB: Double
        public var perChunkTokenMiB: Double
        public var minimumChunkTokens: Int
        public var perGraphBatchMiB: Double
        public var perGraphBatchPerDPRankMiB: Double
        public var perRankMiB: Double
        public var floorMiB: Double
        public var floorAboveGiB: Double
        public var buckets: [Bucket]

        public init(
            baseMiB: Double, perChunkTokenMiB: Double, minimumChunkTokens: Int, perGraphBatchMiB: Double,
            perGraphBatchPerDPRankMiB: Double, perRankMiB: Double, floorMiB: Double, floorAboveGiB: Double,
            buckets: [Bucket]
        ) {
            self.baseMiB = baseMiB
            self.perChunkTokenMiB = perChunkTokenMiB
            self.minimumChunkTokens = minimumChunkTokens
            self.perGraphBatchMiB = perGraphBatchMiB
            self.perGraphBatchPerDPRankMiB = perGraphBatchPerDPRankMiB
            self.perRankMiB = perRankMiB
            self.floorMiB = floorMiB
            self.floorAboveGiB = floorAboveGiB
            self.buckets = buckets
        }

        /// The static-pool fraction on a part of `memoryGiB` for a replica of `tp`·`pp` ranks.
        public func fraction(memoryGiB: Double, tp: Int, pp: Int, dataParallelAttention: Bool) -> Double {
            let total = memoryGiB * 1024
            guard total > 0,
                let bucket = buckets.first(where: { $0.belowGiB.map { memoryGiB < $0 } ?? true }) ?? buckets.last
            else { return 1 }
            let graph = Double(tp < 4 ? bucket.graphBatchSmallTP : bucket.graphBatch)
            var reserve =
                baseMiB + perChunkTokenMiB * Double(max(bucket.chunkTokens, minimumChunkTokens))
                + perGraphBatchMiB * graph + perRankMiB * Double(tp * pp)
            if dataParallelAttention { reserve += perGraphBatchPerDPRankMiB * graph * Double(tp) }
            if memoryGiB > floorAboveGiB { reserve = max(reserve, floorMiB) }
            let fraction = ((total - reserve) / total * 1000).rounded() / 1000
            return min(max(fraction, 0.05), 1)
        }
    }

    public init(
        id: String, name: String, version: String? = nil, memorySemantics: MemorySemantics,
        defaultMemoryFraction: Double, defaultMaxNumSeqs: Int?, defaultMaxBatchedTokens: Int,
        defaultOverrides: [DefaultOverride] = [], kvBlockSize: Int = 16,
        chunkedPrefill: Bool = true, kvReservation: KVReservation = .onDemand, slidingWindowSavesKV: Bool = true,
        runtimeOverheadGiB: Double,
        offlineBatchTuning: OfflineBatchTuning? = nil, support: [Support], provenance: Provenance
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.memorySemantics = memorySemantics
        self.defaultMemoryFraction = defaultMemoryFraction
        self.defaultMaxNumSeqs = defaultMaxNumSeqs
        self.defaultMaxBatchedTokens = defaultMaxBatchedTokens
        self.defaultOverrides = defaultOverrides
        self.kvBlockSize = kvBlockSize
        self.chunkedPrefill = chunkedPrefill
        self.kvReservation = kvReservation
        self.slidingWindowSavesKV = slidingWindowSavesKV
        self.newTokenRatio = nil
        self.runtimeOverheadGiB = runtimeOverheadGiB
        self.offlineBatchTuning = offlineBatchTuning
        self.support = support
        self.provenance = provenance
    }

    /// Default (max running sequences, token budget) on `accelerator`.
    public func batchDefaults(on accelerator: String) -> (maxNumSeqs: Int?, maxBatchedTokens: Int) {
        let override = defaultOverrides.first { $0.accelerators.contains(accelerator) }
        return (override?.maxNumSeqs ?? defaultMaxNumSeqs, override?.maxBatchedTokens ?? defaultMaxBatchedTokens)
    }

    /// The precisions this stack serves on `accelerator`, or an empty list where it does not run there.
    public func precisions(on accelerator: String) -> [Precision] {
        support.filter { $0.accelerators.contains(accelerator) }.flatMap(\.precisions)
    }

    /// Whether the stack runs `precision` on `accelerator`.
    public func supports(_ precision: Precision, on accelerator: String) -> Bool {
        precisions(on: accelerator).contains(precision)
    }
}

extension ServingStack {
    /// Whether the stack turns a 16-bit checkpoint into `precision` weights at load time.
    ///
    /// vLLM and SGLang quantize FP8 online (`--quantization fp8`: vllm `vllm/engine/arg_utils.py`, SGLang
    /// `server_args.py`); every other quantized format, and every format in TensorRT-LLM (whose PyTorch backend reads
    /// quantization from a ModelOpt checkpoint, `tensorrt_llm/commands/serve.py`), needs a pre-quantized checkpoint.
    /// 16-bit and wider formats need nothing. The same rule is what ``DeploymentEmitter`` can launch.
    public func quantizesOnline(_ precision: Precision) -> Bool {
        guard precision.bits < 16 else { return true }
        return precision == .fp8 && (id == "vllm" || id == "sglang")
    }
}
