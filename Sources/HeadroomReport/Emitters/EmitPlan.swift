import HeadroomCore

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
}

extension EmitPlan {
    /// The summary lines both renderers start with.
    var header: [String] {
        let replicas =
            roles.count == 1
            ? "\(spec.replicas) replica\(spec.replicas == 1 ? "" : "s")"
            : roles.map { "\($0.replicas) \($0.role.rawValue)" }.joined(separator: " + ") + " replicas"
        let total = spec.acceleratorsPerReplica * roles.reduce(0) { $0 + $1.replicas }
        var lines = [
            "generated by headroom plan: \(spec.modelRepo) on \(total) × \(spec.accelerator) with \(stack.rawValue)",
            "tp \(spec.tensorParallel), pp \(spec.pipelineParallel), ep \(spec.expertParallel), \(replicas); "
                + "weights \(weights.rawValue), KV cache \(kvCache.rawValue)",
        ]
        if roles.count > 1 {
            let router =
                switch stack {
                case .vllm: "a NIXL-aware proxy (vLLM's toy_proxy_server.py, or llm-d)"
                case .sglang: "SGLang's router in PD mode (python3 -m sglang_router.launch_router --pd-disaggregation)"
                case .trtllm: "trtllm-serve disaggregated -c disagg_config.yaml"
                }
            lines.append(
                "disaggregated: clients talk to \(router), which sends prefill and decode to the servers below")
        }
        return lines
    }
}
