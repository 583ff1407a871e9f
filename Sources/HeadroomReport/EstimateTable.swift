import HeadroomCore

/// The human-readable form of an estimate.
public enum EstimateTable {
    public static func render(_ document: EstimateDocument) -> String {
        let d = document.deployment
        var lines: [String] = []
        lines.append(
            "\(d.model) on \(d.count)× \(d.accelerator) (tp=\(d.tp) pp=\(d.pp)\(d.ep > 1 ? " ep=\(d.ep)" : ""), "
                + "\(d.replicas) replica\(d.replicas == 1 ? "" : "s")), \(d.precision) weights, \(d.kvCachePrecision) KV, \(d.stack)"
        )
        lines.append("")
        var throughput = TextTable(header: ["throughput", "value"])
        throughput.rows = [
            ["output tokens/s", humanNumber(document.outputTokensPerSecond)],
            ["output tokens/s per accelerator", humanNumber(document.outputTokensPerSecondPerAccelerator)],
            ["requests/s", humanNumber(document.requestsPerSecond)],
            ["batch (sequences per replica)", humanNumber(document.batchSize)],
        ]
        if let rate = document.maxRateRequestsPerSecond {
            throughput.rows.append(["max rate meeting SLO (req/s)", humanNumber(rate)])
        }
        lines.append(throughput.render())
        lines.append("")
        var latency = TextTable(header: ["latency (ms)", "p50", "p90", "p99"])
        for (name, value) in [("TTFT", document.ttftMs), ("TPOT", document.tpotMs), ("E2E", document.e2eMs)] {
            latency.rows.append([name, humanNumber(value.p50), humanNumber(value.p90), humanNumber(value.p99)])
        }
        lines.append(latency.render())
        lines.append("")
        let m = document.memory
        var memory = TextTable(header: ["memory per accelerator", "value"])
        memory.rows = [
            ["weights (GiB)", humanNumber(m.weightsGib)],
            ["KV cache (GiB)", humanNumber(m.kvCacheGib)],
            ["activations (GiB)", humanNumber(m.activationsGib)],
            ["KV cache tokens per replica", String(m.kvCacheTokens)],
            ["max concurrent sequences", String(m.maxConcurrentSequences)],
        ]
        lines.append(memory.render())
        if let explain = document.explain {
            lines.append("")
            var table = TextTable(header: ["quantity", "value", "from"])
            table.rows = explain.map { [$0.quantity, $0.value, $0.formula] }
            lines.append(table.render())
        }
        lines.append("")
        if let calibration = document.calibration {
            lines.append("calibration: \(calibration.summary)")
            lines.append("")
        }
        lines.append("assumptions:")
        lines += document.assumptions.map { "  - \($0)" }
        return lines.joined(separator: "\n")
    }
}
