import HeadroomCore

/// The on-disk form of a catalog file: any of four top-level lists, snake_case keys.
struct CatalogFile: Decodable {
    var accelerators: [AcceleratorEntry]?
    var models: [ModelEntry]?
    var stacks: [StackEntry]?
    var efficiencies: [EfficiencyEntry]?
}

/// A semantic problem found after decoding, located by its path.
struct EntryProblem: Error {
    var path: [any CodingKey]
    var message: String
}

struct LinkEntry: Decodable {
    var name: String
    var bandwidthGbps: Double
    var domainSize: Int?

    enum CodingKeys: String, CodingKey {
        case name
        case bandwidthGbps = "bandwidth_gbps"
        case domainSize = "domain_size"
    }
}

struct AcceleratorEntry: Decodable {
    var id: String
    var name: String
    var vendor: String
    var aliases: [String]?
    var memoryGib: Double
    var memoryType: String?
    var memoryBandwidthGbps: Double
    var tflops: [String: Double]
    var precisions: [String]
    var scaleUp: LinkEntry?
    var scaleOut: LinkEntry?
    var tdpWatts: Double?
    var formFactor: String?
    var cooling: String?
    var nodeSize: Int?
    var measuredMatmulTflops: [String: Double]?
    var source: String
    var asOf: String
    var notes: String?
    var assumptions: [String]?

    enum CodingKeys: String, CodingKey {
        case id, name, vendor, aliases, tflops, precisions, cooling, source, notes, assumptions
        case memoryGib = "memory_gib"
        case memoryType = "memory_type"
        case memoryBandwidthGbps = "memory_bandwidth_gbps"
        case scaleUp = "scale_up"
        case scaleOut = "scale_out"
        case tdpWatts = "tdp_watts"
        case formFactor = "form_factor"
        case nodeSize = "node_size"
        case measuredMatmulTflops = "measured_matmul_tflops"
        case asOf = "as_of"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> Accelerator {
        func problem(_ key: String, _ message: String) -> EntryProblem {
            EntryProblem(path: path + [PathKey(key)], message: message)
        }
        guard memoryGib > 0 else { throw problem("memory_gib", "must be positive, got \(memoryGib)") }
        guard memoryBandwidthGbps > 0 else {
            throw problem("memory_bandwidth_gbps", "must be positive, got \(memoryBandwidthGbps)")
        }
        var peaks: [Precision: Double] = [:]
        for (key, value) in tflops {
            guard let precision = Precision(userInput: key) else {
                throw problem("tflops", "unknown precision '\(key)'")
            }
            guard value > 0 else { throw problem("tflops", "'\(key)' must be positive, got \(value)") }
            peaks[precision] = value
        }
        guard !peaks.isEmpty else { throw problem("tflops", "needs at least one precision") }
        var formats: [Precision] = []
        for key in precisions {
            guard let precision = Precision(userInput: key) else {
                throw problem("precisions", "unknown precision '\(key)'")
            }
            formats.append(precision)
        }
        for (key, link) in [("scale_up", scaleUp), ("scale_out", scaleOut)] {
            if let link, link.bandwidthGbps <= 0 { throw problem(key, "bandwidth_gbps must be positive") }
        }
        var measured: [Precision: Double] = [:]
        for (key, value) in measuredMatmulTflops ?? [:] {
            guard let precision = Precision(userInput: key), value > 0 else {
                throw problem("measured_matmul_tflops", "'\(key)' needs a known precision and a positive value")
            }
            measured[precision] = value
        }
        var accelerator = Accelerator(
            id: id.lowercased(), name: name, vendor: vendor, aliases: (aliases ?? []).map { $0.lowercased() },
            memoryGiB: memoryGib, memoryType: memoryType, memoryBandwidthGBps: memoryBandwidthGbps, tflops: peaks,
            precisions: formats,
            scaleUp: scaleUp.map { .init(name: $0.name, bandwidthGBps: $0.bandwidthGbps, domainSize: $0.domainSize) },
            scaleOut: scaleOut.map { .init(name: $0.name, bandwidthGBps: $0.bandwidthGbps, domainSize: $0.domainSize) },
            tdpWatts: tdpWatts, formFactor: formFactor, cooling: cooling, nodeSize: nodeSize,
            provenance: Provenance(source: source, asOf: asOf, notes: notes, assumptions: assumptions ?? [])
        )
        accelerator.measuredMatmulTFLOPS = measured
        return accelerator
    }
}

struct ModelEntry: Decodable {
    struct Attention: Decodable {
        var kind: String
        var slidingWindow: Int?
        var slidingWindowLayers: String?

        enum CodingKeys: String, CodingKey {
            case kind
            case slidingWindow = "sliding_window"
            case slidingWindowLayers = "sliding_window_layers"
        }
    }

    struct MLAEntry: Decodable {
        var qLoraRank: Int?
        var kvLoraRank: Int
        var qkNopeHeadDim: Int
        var qkRopeHeadDim: Int
        var vHeadDim: Int

        enum CodingKeys: String, CodingKey {
            case qLoraRank = "q_lora_rank"
            case kvLoraRank = "kv_lora_rank"
            case qkNopeHeadDim = "qk_nope_head_dim"
            case qkRopeHeadDim = "qk_rope_head_dim"
            case vHeadDim = "v_head_dim"
        }
    }

    struct MoEEntry: Decodable {
        var experts: Int
        var active: Int
        var shared: Int?
        var expertIntermediateSize: Int
        var denseLayers: Int?

        enum CodingKeys: String, CodingKey {
            case experts, active, shared
            case expertIntermediateSize = "expert_intermediate_size"
            case denseLayers = "dense_layers"
        }
    }

    var id: String
    var aliases: [String]?
    var name: String
    var layers: Int
    var hiddenSize: Int
    var attentionHeads: Int
    var kvHeads: Int
    var headDim: Int?
    var intermediateSize: Int
    var vocabSize: Int
    var tieWordEmbeddings: Bool?
    var maxContext: Int
    var attentionBias: Bool?
    var attention: Attention
    var mla: MLAEntry?
    var moe: MoEEntry?
    var mtpLayers: Int?
    var nativeDtype: String?
    var weightsQuantization: String?
    var quantizedExports: [ExportEntry]?
    var publishedTotalParams: Double?
    var publishedActiveParams: Double?
    var source: String
    var asOf: String
    var notes: String?

    enum CodingKeys: String, CodingKey {
        case id, aliases, name, layers, attention, mla, moe, source, notes
        case hiddenSize = "hidden_size"
        case attentionHeads = "attention_heads"
        case kvHeads = "kv_heads"
        case headDim = "head_dim"
        case intermediateSize = "intermediate_size"
        case vocabSize = "vocab_size"
        case tieWordEmbeddings = "tie_word_embeddings"
        case maxContext = "max_context"
        case attentionBias = "attention_bias"
        case mtpLayers = "mtp_layers"
        case nativeDtype = "native_dtype"
        case weightsQuantization = "weights_quantization"
        case quantizedExports = "quantized_exports"
        case publishedTotalParams = "published_total_params"
        case publishedActiveParams = "published_active_params"
        case asOf = "as_of"
    }

    /// A published pre-quantized export of the checkpoint, with where it was read.
    struct ExportEntry: Decodable {
        var precision: String
        var repo: String
        var source: String
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> ModelArchitecture {
        func problem(_ key: String, _ message: String) -> EntryProblem {
            EntryProblem(path: path + [PathKey(key)], message: message)
        }
        for (key, value) in [
            ("layers", layers), ("hidden_size", hiddenSize), ("attention_heads", attentionHeads),
            ("kv_heads", kvHeads), ("intermediate_size", intermediateSize), ("vocab_size", vocabSize),
            ("max_context", maxContext),
        ] where value <= 0 {
            throw problem(key, "must be positive, got \(value)")
        }
        guard attentionHeads % kvHeads == 0 else {
            throw problem("kv_heads", "\(kvHeads) must divide attention_heads \(attentionHeads)")
        }
        guard let kind = ModelArchitecture.AttentionKind(rawValue: attention.kind.lowercased()) else {
            throw EntryProblem(
                path: path + [PathKey("attention"), PathKey("kind")],
                message: "unknown attention kind '\(attention.kind)' (mha, gqa or mla)"
            )
        }
        if kind == .mla, mla == nil { throw problem("mla", "attention kind mla needs an mla block") }
        var layersKind = ModelArchitecture.SlidingWindowLayers.all
        if let text = attention.slidingWindowLayers {
            guard let value = ModelArchitecture.SlidingWindowLayers(rawValue: text) else {
                throw EntryProblem(
                    path: path + [PathKey("attention"), PathKey("sliding_window_layers")],
                    message: "must be 'all' or 'alternate', got '\(text)'"
                )
            }
            layersKind = value
        }
        if let moe {
            guard moe.experts > 0, moe.active > 0, moe.active <= moe.experts else {
                throw problem("moe", "needs 0 < active (\(moe.active)) ≤ experts (\(moe.experts))")
            }
            guard (moe.denseLayers ?? 0) < layers else { throw problem("moe", "dense_layers must be below layers") }
        }
        func precision(_ key: String, _ text: String?) throws(EntryProblem) -> Precision? {
            guard let text else { return nil }
            guard let value = Precision(userInput: text) else { throw problem(key, "unknown precision '\(text)'") }
            return value
        }
        var exports: [String: String] = [:]
        for entry in quantizedExports ?? [] {
            guard let format = try precision("quantized_exports", entry.precision) else { continue }
            exports[format.rawValue] = entry.repo
        }
        var model = ModelArchitecture(
            id: id, name: name, aliases: (aliases ?? []).map { $0.lowercased() }, layers: layers,
            hiddenSize: hiddenSize, attentionHeads: attentionHeads, kvHeads: kvHeads,
            headDim: headDim ?? hiddenSize / attentionHeads, intermediateSize: intermediateSize, vocabSize: vocabSize,
            tieWordEmbeddings: tieWordEmbeddings ?? false, maxContext: maxContext,
            attentionBias: attentionBias ?? false, attention: kind, slidingWindow: attention.slidingWindow,
            slidingWindowLayers: layersKind,
            mla: mla.map {
                .init(
                    qLoraRank: $0.qLoraRank, kvLoraRank: $0.kvLoraRank, qkNopeHeadDim: $0.qkNopeHeadDim,
                    qkRopeHeadDim: $0.qkRopeHeadDim, vHeadDim: $0.vHeadDim
                )
            },
            moe: moe.map {
                .init(
                    experts: $0.experts, active: $0.active, shared: $0.shared ?? 0,
                    expertIntermediateSize: $0.expertIntermediateSize, denseLayers: $0.denseLayers ?? 0
                )
            },
            mtpLayers: mtpLayers ?? 0, nativePrecision: try precision("native_dtype", nativeDtype) ?? .bf16,
            weightsQuantization: try precision("weights_quantization", weightsQuantization),
            publishedTotalParams: publishedTotalParams, publishedActiveParams: publishedActiveParams,
            provenance: Provenance(source: source, asOf: asOf, notes: notes)
        )
        model.quantizedExports = exports.isEmpty ? nil : exports
        return model
    }
}

struct StackEntry: Decodable {
    struct SupportEntry: Decodable {
        var accelerators: [String]
        var precisions: [String]
    }

    struct TuningEntry: Decodable {
        var maxBatchCap: Int
        var maxTokensCap: Int

        enum CodingKeys: String, CodingKey {
            case maxBatchCap = "max_batch_cap"
            case maxTokensCap = "max_tokens_cap"
        }
    }

    var id: String
    var name: String
    var version: String?
    var memorySemantics: String
    var defaultMemoryFraction: Double
    struct OverrideEntry: Decodable {
        var accelerators: [String]
        var maxNumSeqs: Int?
        var maxNumBatchedTokens: Int?

        enum CodingKeys: String, CodingKey {
            case accelerators
            case maxNumSeqs = "max_num_seqs"
            case maxNumBatchedTokens = "max_num_batched_tokens"
        }
    }

    var defaultMaxNumSeqs: Int?
    var defaultMaxNumBatchedTokens: Int
    var defaultOverrides: [OverrideEntry]?
    var kvBlockSize: Int?
    var chunkedPrefill: Bool?
    var kvReservation: String?
    var runtimeOverheadGib: Double
    var slidingWindowSavesKv: Bool?
    var newTokenRatio: NewTokenRatioEntry?

    struct NewTokenRatioEntry: Decodable {
        var initial: Double
        var minimumFactor: Double
        var decaySteps: Int
        var clipMaxNewTokens: Int

        enum CodingKeys: String, CodingKey {
            case initial
            case minimumFactor = "minimum_factor"
            case decaySteps = "decay_steps"
            case clipMaxNewTokens = "clip_max_new_tokens"
        }
    }
    var offlineBatchTuning: TuningEntry?
    var reservedMemoryRule: ReservedRuleEntry?
    var support: [SupportEntry]

    struct ReservedRuleEntry: Decodable {
        var baseMib: Double
        var perChunkTokenMib: Double
        var minimumChunkTokens: Int
        var perGraphBatchMib: Double
        var perGraphBatchPerDpRankMib: Double
        var perRankMib: Double
        var floorMib: Double
        var floorAboveGib: Double
        var buckets: [BucketEntry]

        struct BucketEntry: Decodable {
            var belowGib: Double?
            var chunkTokens: Int
            var graphBatchSmallTp: Int
            var graphBatch: Int

            enum CodingKeys: String, CodingKey {
                case belowGib = "below_gib", chunkTokens = "chunk_tokens"
                case graphBatchSmallTp = "graph_batch_small_tp", graphBatch = "graph_batch"
            }
        }

        enum CodingKeys: String, CodingKey {
            case buckets
            case baseMib = "base_mib", perChunkTokenMib = "per_chunk_token_mib"
            case minimumChunkTokens = "minimum_chunk_tokens", perGraphBatchMib = "per_graph_batch_mib"
            case perGraphBatchPerDpRankMib = "per_graph_batch_per_dp_rank_mib", perRankMib = "per_rank_mib"
            case floorMib = "floor_mib", floorAboveGib = "floor_above_gib"
        }
    }
    var source: String
    var asOf: String
    var notes: String?
    var assumptions: [String]?

    enum CodingKeys: String, CodingKey {
        case id, name, version, support, source, notes, assumptions
        case memorySemantics = "memory_semantics"
        case defaultMemoryFraction = "default_memory_fraction"
        case defaultMaxNumSeqs = "default_max_num_seqs"
        case defaultMaxNumBatchedTokens = "default_max_num_batched_tokens"
        case defaultOverrides = "default_overrides"
        case kvBlockSize = "kv_block_size"
        case chunkedPrefill = "chunked_prefill"
        case kvReservation = "kv_reservation"
        case runtimeOverheadGib = "runtime_overhead_gib"
        case slidingWindowSavesKv = "sliding_window_saves_kv"
        case newTokenRatio = "new_token_ratio"
        case offlineBatchTuning = "offline_batch_tuning"
        case reservedMemoryRule = "reserved_memory_rule"
        case asOf = "as_of"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> ServingStack {
        func problem(_ key: String, _ message: String) -> EntryProblem {
            EntryProblem(path: path + [PathKey(key)], message: message)
        }
        guard let semantics = ServingStack.MemorySemantics(rawValue: memorySemantics) else {
            throw problem("memory_semantics", "must be 'total' or 'free', got '\(memorySemantics)'")
        }
        guard runtimeOverheadGib >= 0, runtimeOverheadGib.isFinite else {
            throw problem("runtime_overhead_gib", "must be zero or positive, got \(runtimeOverheadGib)")
        }
        if let seqs = defaultMaxNumSeqs, seqs < 1 { throw problem("default_max_num_seqs", "must be at least 1") }
        guard defaultMaxNumBatchedTokens >= 1 else {
            throw problem("default_max_num_batched_tokens", "must be at least 1")
        }
        guard defaultMemoryFraction > 0, defaultMemoryFraction <= 1 else {
            throw problem("default_memory_fraction", "must be in (0, 1], got \(defaultMemoryFraction)")
        }
        let reservation =
            try kvReservation.map { (text: String) throws(EntryProblem) -> ServingStack.KVReservation in
                guard let value = ServingStack.KVReservation(rawValue: text) else {
                    throw problem(
                        "kv_reservation", "must be 'on_demand', 'full_sequence' or 'estimated', got '\(text)'")
                }
                return value
            } ?? .onDemand
        var rows: [ServingStack.Support] = []
        for (index, row) in support.enumerated() {
            var formats: [Precision] = []
            for key in row.precisions {
                guard let precision = Precision(userInput: key) else {
                    throw EntryProblem(
                        path: path + [PathKey("support"), PathKey(index: index), PathKey("precisions")],
                        message: "unknown precision '\(key)'"
                    )
                }
                formats.append(precision)
            }
            rows.append(.init(accelerators: row.accelerators.map { $0.lowercased() }, precisions: formats))
        }
        if reservation == .estimated, newTokenRatio == nil {
            throw problem("new_token_ratio", "kv_reservation 'estimated' needs new_token_ratio")
        }
        if let r = newTokenRatio,
            !(r.initial > 0 && r.initial <= 1 && r.minimumFactor > 0 && r.minimumFactor <= 1 && r.decaySteps >= 1
                && r.clipMaxNewTokens >= 1)
        {
            throw problem(
                "new_token_ratio",
                "needs 0 < initial ≤ 1, 0 < minimum_factor ≤ 1, decay_steps ≥ 1, clip_max_new_tokens ≥ 1")
        }
        var stack = ServingStack(
            id: id.lowercased(), name: name, version: version, memorySemantics: semantics,
            defaultMemoryFraction: defaultMemoryFraction, defaultMaxNumSeqs: defaultMaxNumSeqs,
            defaultMaxBatchedTokens: defaultMaxNumBatchedTokens,
            defaultOverrides: (defaultOverrides ?? []).map {
                .init(
                    accelerators: $0.accelerators.map { $0.lowercased() }, maxNumSeqs: $0.maxNumSeqs,
                    maxBatchedTokens: $0.maxNumBatchedTokens
                )
            },
            kvBlockSize: kvBlockSize ?? 16,
            chunkedPrefill: chunkedPrefill ?? true, kvReservation: reservation,
            slidingWindowSavesKV: slidingWindowSavesKv ?? true,
            runtimeOverheadGiB: runtimeOverheadGib,
            offlineBatchTuning: offlineBatchTuning.map {
                .init(maxBatchCap: $0.maxBatchCap, maxTokensCap: $0.maxTokensCap)
            },
            support: rows,
            provenance: Provenance(source: source, asOf: asOf, notes: notes, assumptions: assumptions ?? [])
        )
        if let rule = reservedMemoryRule {
            let values = [
                rule.baseMib, rule.perChunkTokenMib, rule.perGraphBatchMib, rule.perGraphBatchPerDpRankMib,
                rule.perRankMib, rule.floorMib, rule.floorAboveGib,
            ]
            guard values.allSatisfy({ $0 >= 0 && $0.isFinite }), !rule.buckets.isEmpty,
                rule.buckets.allSatisfy({ $0.chunkTokens >= 1 && $0.graphBatch >= 0 && $0.graphBatchSmallTp >= 0 })
            else {
                throw problem(
                    "reserved_memory_rule", "needs finite, non-negative sizes and at least one bucket")
            }
            stack.reservedMemoryRule = .init(
                baseMiB: rule.baseMib, perChunkTokenMiB: rule.perChunkTokenMib,
                minimumChunkTokens: rule.minimumChunkTokens, perGraphBatchMiB: rule.perGraphBatchMib,
                perGraphBatchPerDPRankMiB: rule.perGraphBatchPerDpRankMib, perRankMiB: rule.perRankMib,
                floorMiB: rule.floorMib, floorAboveGiB: rule.floorAboveGib,
                buckets: rule.buckets.map {
                    .init(
                        belowGiB: $0.belowGib, chunkTokens: $0.chunkTokens, graphBatchSmallTP: $0.graphBatchSmallTp,
                        graphBatch: $0.graphBatch)
                })
        }
        stack.newTokenRatio = newTokenRatio.map {
            .init(
                initial: $0.initial, minimumFactor: $0.minimumFactor, decaySteps: $0.decaySteps,
                clip: $0.clipMaxNewTokens)
        }
        return stack
    }
}

struct EfficiencyEntry: Decodable {
    var stack: String
    var accelerators: [String]
    var compute: Double
    var attentionCompute: Double
    var memory: Double
    var overlap: Double
    var network: Double
    var collectiveLatencyUs: Double
    var stepOverheadMs: Double
    var perSequenceOverheadUs: Double
    var requestOverheadMs: Double
    var expertMemory: Double?
    var moeLayerOverheadUs: Double?
    var prefillLayerOverheadUs: Double?
    var validatedErrorPercent: ValidatedErrorEntry?
    var modelClass: String?

    struct ValidatedErrorEntry: Decodable {
        var throughput: Double?
        var ttft: Double?
        var tpot: Double?
        var rows: Int
    }
    var referenceAccelerator: String?
    var source: String
    var asOf: String
    var notes: String?

    enum CodingKeys: String, CodingKey {
        case stack, accelerators, compute, memory, overlap, network, source, notes
        case attentionCompute = "attention_compute"
        case collectiveLatencyUs = "collective_latency_us"
        case stepOverheadMs = "step_overhead_ms"
        case perSequenceOverheadUs = "per_sequence_overhead_us"
        case requestOverheadMs = "request_overhead_ms"
        case expertMemory = "expert_memory"
        case moeLayerOverheadUs = "moe_layer_overhead_us"
        case prefillLayerOverheadUs = "prefill_layer_overhead_us"
        case validatedErrorPercent = "validated_error_percent"
        case modelClass = "model_class"
        case referenceAccelerator = "reference_accelerator"
        case asOf = "as_of"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> EfficiencyProfile {
        for (key, value) in [
            ("compute", compute), ("attention_compute", attentionCompute), ("memory", memory), ("network", network),
        ] where !(value > 0 && value <= 1) {
            throw EntryProblem(path: path + [PathKey(key)], message: "must be in (0, 1], got \(value)")
        }
        guard overlap >= 0, overlap <= 1 else {
            throw EntryProblem(path: path + [PathKey("overlap")], message: "must be in [0, 1], got \(overlap)")
        }
        for (key, value) in [
            ("collective_latency_us", collectiveLatencyUs), ("step_overhead_ms", stepOverheadMs),
            ("per_sequence_overhead_us", perSequenceOverheadUs), ("request_overhead_ms", requestOverheadMs),
        ] where !(value >= 0 && value.isFinite) {
            throw EntryProblem(path: path + [PathKey(key)], message: "must be zero or positive, got \(value)")
        }
        if let expertMemory, !(expertMemory > 0 && expertMemory <= 1) {
            throw EntryProblem(
                path: path + [PathKey("expert_memory")], message: "must be in (0, 1], got \(expertMemory)")
        }
        if let moeLayerOverheadUs, !(moeLayerOverheadUs >= 0 && moeLayerOverheadUs <= 10_000) {
            throw EntryProblem(
                path: path + [PathKey("moe_layer_overhead_us")],
                message: "must be between 0 and 10000 µs, got \(moeLayerOverheadUs)")
        }
        if let prefillLayerOverheadUs, !(prefillLayerOverheadUs >= 0 && prefillLayerOverheadUs <= 100_000) {
            throw EntryProblem(
                path: path + [PathKey("prefill_layer_overhead_us")],
                message: "must be between 0 and 100000 µs, got \(prefillLayerOverheadUs)")
        }
        var profile = EfficiencyProfile(
            stack: stack.lowercased(), accelerators: accelerators.map { $0.lowercased() }, compute: compute,
            attentionCompute: attentionCompute, memory: memory, overlap: overlap, network: network,
            collectiveLatencyMicroseconds: collectiveLatencyUs, stepOverheadMilliseconds: stepOverheadMs,
            perSequenceOverheadMicroseconds: perSequenceOverheadUs, requestOverheadMilliseconds: requestOverheadMs,
            provenance: Provenance(source: source, asOf: asOf, notes: notes)
        )
        profile.referenceAccelerator = referenceAccelerator?.lowercased()
        profile.expertMemory = expertMemory
        profile.moeLayerOverheadMicroseconds = moeLayerOverheadUs ?? 0
        profile.prefillLayerOverheadMicroseconds = prefillLayerOverheadUs ?? 0
        if let modelClass {
            guard let value = EfficiencyProfile.ModelClass(rawValue: modelClass.lowercased()) else {
                throw EntryProblem(
                    path: path + [PathKey("model_class")], message: "must be dense or moe, got '\(modelClass)'")
            }
            profile.modelClass = value
        }
        if let e = validatedErrorPercent {
            for (key, value) in [("throughput", e.throughput), ("ttft", e.ttft), ("tpot", e.tpot)] {
                if let value, !(value >= 0 && value.isFinite) {
                    throw EntryProblem(
                        path: path + [PathKey("validated_error_percent"), PathKey(key)],
                        message: "must be a percentage ≥ 0, got \(value)")
                }
            }
            profile.validatedError = ValidatedError(
                throughput: e.throughput.map { $0 / 100 }, ttft: e.ttft.map { $0 / 100 },
                tpot: e.tpot.map { $0 / 100 }, rows: max(e.rows, 0))
        }
        return profile
    }
}
