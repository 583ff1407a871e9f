public import HeadroomCore

/// A bench result as a short table for the terminal.
public enum BenchSummary {
    public static func render(_ result: BenchResult) -> String {
        let a = result.aggregates
        func ms(_ d: BenchDistribution?) -> [String] {
            guard let d else { return ["–", "–", "–"] }
            return [humanNumber(d.p50 * 1000), humanNumber(d.p90 * 1000), humanNumber(d.p99 * 1000)]
        }
        var lines: [String] = []
        lines.append(
            "\(result.target.model) at \(result.target.url) (\(result.target.api)); load \(result.load.mode), "
                + "\(a.completed) requests in \(humanNumber(a.durationSeconds)) s")
        var table = TextTable(header: ["metric", "p50 ms", "p90 ms", "p99 ms"])
        table.rows.append(["TTFT"] + ms(a.ttftSeconds))
        table.rows.append(["TPOT"] + ms(a.tpotSeconds))
        table.rows.append(["ITL"] + ms(a.itlSeconds))
        table.rows.append(["E2E"] + ms(a.e2eSeconds))
        table.rows.append(["send lag"] + ms(a.sendLagSeconds))
        lines.append(table.render())
        lines.append(
            "throughput: \(humanNumber(a.requestsPerSecond)) req/s, \(humanNumber(a.outputTokensPerSecond)) output "
                + "tok/s, \(humanNumber(a.totalTokensPerSecond)) total tok/s")
        if let goodput = a.goodputRequestsPerSecond, let attainment = a.sloAttainment {
            lines.append(
                "goodput: \(humanNumber(goodput)) req/s; SLO attainment \(humanNumber(attainment * 100))%")
        }
        lines.append(
            "outcomes: "
                + a.outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                + "; output tokens from " + (a.outputTokensFromUsage ? "usage" : "counted chunks"))
        if let cpu = a.clientCPUSeconds, a.outputTokensPerSecond > 0, a.durationSeconds > 0 {
            let tokens = a.outputTokensPerSecond * a.durationSeconds
            lines.append("client CPU: \(humanNumber(cpu)) s, \(humanNumber(cpu / tokens * 1000)) s per 1,000 tokens")
        }
        for step in result.sweep ?? [] {
            lines.append(
                "sweep step \(step.step): \(humanNumber(step.rateRequestsPerSecond)) req/s → attainment lower bound "
                    + "\(humanNumber(step.attainmentLowerBound * 100))% \(step.passed ? "pass" : "fail")")
        }
        lines += result.warnings.map { "note: " + $0 }
        return lines.joined(separator: "\n")
    }
}
