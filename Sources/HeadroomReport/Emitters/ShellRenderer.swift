import HeadroomCore

/// Renders the plan as a shell script: one command per role, one flag per line.
struct ShellRenderer {
    let plan: EmitPlan

    func render() throws(HeadroomError) -> String {
        var out = plan.header.map { "# " + $0 }
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
        if plan.stack == .trtllm, plan.roles.count > 1 { out += trtllmRouterLines() }
        return out.joined(separator: "\n") + "\n"
    }

    /// TensorRT-LLM's disaggregated router (`trtllm-serve disaggregated -c disagg_config.yaml`, TensorRT-LLM
    /// `examples/disaggregated/README.md`), with one URL per prefill (context) and decode (generation) server.
    private func trtllmRouterLines() -> [String] {
        let port = plan.spec.port
        var lines = [
            "", "# router: clients send requests here; on its own host (it uses port \(port) too), after replacing",
            "# each PREFILL_HOST_n / DECODE_HOST_n below with the host that runs that server",
            "cat > disagg_config.yaml <<'EOF'", "hostname: 0.0.0.0", "port: \(port)", "backend: pytorch",
        ]
        for (key, role, host) in [
            ("context_servers", EmitPlan.Role.prefill, "PREFILL_HOST"), ("generation_servers", .decode, "DECODE_HOST"),
        ] {
            let count = plan.roles.first { $0.role == role }?.replicas ?? 0
            lines += ["\(key):", "  num_instances: \(count)", "  urls:"]
            lines += (1...max(count, 1)).map { "    - \"\(host)_\($0):\(port)\"" }
        }
        lines += ["EOF", "trtllm-serve disaggregated -c disagg_config.yaml"]
        return lines
    }

    private func commandLines(
        role: EmitPlan.Role, rendezvous: EmitPlan.Rendezvous?
    ) throws(HeadroomError)
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
