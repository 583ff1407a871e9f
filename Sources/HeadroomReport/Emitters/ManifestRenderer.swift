import HeadroomCore

/// Renders the plan as a multi-document manifest: a Deployment (or LeaderWorkerSet when a replica spans nodes) and a
/// Service per role, plus TensorRT-LLM's extra-options ConfigMap and, for a disaggregated TensorRT-LLM plan, its
/// router (`trtllm-serve disaggregated`) with its `disagg_config.yaml`.
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
        guard
            let image = spec.image
                ?? DeploymentEmitter.defaultImage(
                    stack: plan.stack, vendor: plan.vendor, accelerator: spec.accelerator)
        else {
            throw HeadroomError(
                .unsupported,
                "Headroom pins no \(plan.stack.rawValue) image for \(spec.accelerator) (\(plan.vendor.rawValue)); "
                    + "set the spec's image (`headroom plan --emit kubernetes --image <image>`)",
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
        if plan.stack == .trtllm, plan.roles.count > 1 {
            documents += trtllmRouter(image: image)
        }
        let head = plan.header.map { "# " + $0 }.joined(separator: "\n")
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

    /// TensorRT-LLM's disaggregated router (`trtllm-serve disaggregated -c disagg_config.yaml`, TensorRT-LLM
    /// `examples/disaggregated/README.md`): its config as a ConfigMap, a Deployment without accelerators and the
    /// Service clients talk to. The config names each role's Service once (`num_instances: 1`): Kubernetes spreads
    /// the router's requests over that role's pods, and the KV cache's location travels in the context server's
    /// response, so any decode pod can fetch it.
    private func trtllmRouter(image: String) -> [[String]] {
        let name = "\(appName)-router"
        let role = "router"
        func metadata() -> [String] {
            ["metadata:", "  name: \(name)", "  labels:"] + routerLabels.map { "    \($0.0): \(q($0.1))" }
        }
        let port = plan.spec.port
        var config = ["hostname: 0.0.0.0", "port: \(port)", "backend: pytorch"]
        for (key, server) in [("context_servers", EmitPlan.Role.prefill), ("generation_servers", .decode)] {
            config += [
                "\(key):", "  num_instances: 1", "  urls:", "    - \(q("\(resourceName(server)):\(port)"))",
            ]
        }
        let configMap =
            ["apiVersion: v1", "kind: ConfigMap"] + metadata() + ["data:", "  disagg_config.yaml: |"]
            + config.map { "    " + $0 }
        var deployment = ["apiVersion: apps/v1", "kind: Deployment"] + metadata()
        deployment += ["spec:", "  replicas: 1", "  selector:", "    matchLabels:"]
        deployment += routerLabels.prefix(2).map { "      \($0.0): \(q($0.1))" }
        deployment += ["  template:", "    metadata:", "      labels:"]
        deployment += routerLabels.map { "        \($0.0): \(q($0.1))" }
        deployment += [
            "    spec:", "      containers:", "        - name: \(role)", "          image: \(q(image))",
            "          command:", "            - \"trtllm-serve\"", "          args:",
            "            - \"disaggregated\"",
            "            - \"-c\"", "            - \"\(Self.configDirectory)/disagg_config.yaml\"",
            "          ports:", "            - name: http", "              containerPort: \(port)",
            "          resources:", "            requests:", "              cpu: \"2\"", "              memory: 4Gi",
        ]
        deployment += probe("readinessProbe", period: 10, failures: 3, timeout: 5).map { "      " + $0 }
        deployment += [
            "          volumeMounts:", "            - name: disagg-config",
            "              mountPath: \(Self.configDirectory)",
            "              readOnly: true", "      volumes:", "        - name: disagg-config", "          configMap:",
            "            name: \(name)",
        ]
        var service = ["apiVersion: v1", "kind: Service"] + metadata()
        service += ["spec:", "  type: ClusterIP", "  selector:"]
        service += routerLabels.prefix(2).map { "    \($0.0): \(q($0.1))" }
        service += ["  ports:", "    - name: http", "      port: \(port)", "      targetPort: http"]
        return [configMap, deployment, service]
    }

    private var routerLabels: [(String, String)] {
        [
            ("app.kubernetes.io/name", appName), ("app.kubernetes.io/component", "router"),
            ("app.kubernetes.io/managed-by", "headroom"),
        ]
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
