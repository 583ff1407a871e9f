import Foundation
public import HeadroomCore

/// `headroom validate --format json`.
public struct ValidationDocument: Encodable, Sendable {
    public struct Row: Encodable, Sendable {
        var origin: String
        var model: String
        var accelerator: String
        var count: Int
        var tp: Int
        var stack: String
        var precision: String
        var inputTokens: Int
        var outputTokens: Int
        var scenario: String
        var metric: String
        var measured: Double
        var predicted: Double
        var errorPercent: Double

        enum CodingKeys: String, CodingKey {
            case origin, model, accelerator, count, tp, stack, precision, scenario, metric, measured, predicted
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
            case errorPercent = "error_percent"
        }
    }

    public struct Summary: Encodable, Sendable {
        var metric: String
        var rows: Int
        var medianAbsPercentError: Double
        var maxAbsPercentError: Double
        var meanSignedPercentError: Double
        var targetPercent: Double
        var meetsTarget: Bool

        enum CodingKeys: String, CodingKey {
            case metric, rows
            case medianAbsPercentError = "median_abs_percent_error"
            case maxAbsPercentError = "max_abs_percent_error"
            case meanSignedPercentError = "mean_signed_percent_error"
            case targetPercent = "target_percent"
            case meetsTarget = "meets_target"
        }
    }

    public struct Skipped: Encodable, Sendable {
        var origin: String
        var reason: String
    }

    public struct Group: Encodable, Sendable {
        var family: String
        var stack: String
        var accelerator: String
        var summary: [Summary]
    }

    var summary: [Summary]
    var groups: [Group]
    var rows: [Row]
    var skipped: [Skipped]

    public init(_ report: ValidationReport, skipped: [(origin: String, reason: String)]) {
        func summarise(_ s: ValidationReport.Summary) -> Summary {
            Summary(
                metric: s.group.rawValue, rows: s.count, medianAbsPercentError: s.medianAPE * 100,
                maxAbsPercentError: s.maxAPE * 100, meanSignedPercentError: s.meanSignedError * 100,
                targetPercent: s.target * 100, meetsTarget: s.meetsTarget
            )
        }
        summary = report.summaries.map(summarise)
        groups = report.groups.map {
            Group(
                family: $0.group.family, stack: $0.group.stack, accelerator: $0.group.accelerator,
                summary: $0.summaries.map(summarise))
        }
        rows = report.rows.map { row in
            let m = row.measurement
            return Row(
                origin: m.origin, model: m.modelID, accelerator: m.acceleratorID, count: m.count, tp: m.tensorParallel,
                stack: m.stackID, precision: m.precision.rawValue, inputTokens: m.inputTokens,
                outputTokens: m.outputTokens, scenario: ValidationTable.describe(m.scenario), metric: m.metric.rawValue,
                measured: m.value, predicted: row.predicted, errorPercent: row.error * 100
            )
        }
        self.skipped = skipped.map { Skipped(origin: $0.origin, reason: $0.reason) }
    }
}

/// `headroom validate` for people.
public enum ValidationTable {
    public static func render(
        _ report: ValidationReport, skipped: [(origin: String, reason: String)], summaryOnly: Bool
    ) -> String {
        var lines: [String] = []
        if !summaryOnly {
            var table = TextTable(header: [
                "row", "model", "accelerator", "tp", "stack", "prec", "in/out", "load", "metric", "measured",
                "predicted", "error",
            ])
            for row in report.rows {
                let m = row.measurement
                table.rows.append([
                    m.origin, m.modelID, m.acceleratorID, String(m.tensorParallel), m.stackID, m.precision.rawValue,
                    "\(m.inputTokens)/\(m.outputTokens)", describe(m.scenario), m.metric.rawValue,
                    humanNumber(display(m.value, m.metric)), humanNumber(display(row.predicted, m.metric)),
                    (row.error >= 0 ? "+" : "") + humanNumber(row.error * 100) + "%",
                ])
            }
            lines.append(table.render())
            lines.append("")
        }
        var summary = TextTable(header: [
            "metric", "rows", "median |error|", "max |error|", "mean signed", "target", "ok",
        ])
        for s in report.summaries {
            summary.rows.append([
                s.group.rawValue, String(s.count), humanNumber(s.medianAPE * 100) + "%",
                humanNumber(s.maxAPE * 100) + "%",
                (s.meanSignedError >= 0 ? "+" : "") + humanNumber(s.meanSignedError * 100) + "%",
                "≤ " + humanNumber(s.target * 100) + "%", s.meetsTarget ? "yes" : "NO",
            ])
        }
        lines.append(summary.render())
        let groups = report.groups
        if groups.count > 1 {
            lines.append("")
            lines.append("by calibration group (model family, stack, accelerator):")
            var table = TextTable(header: ["group", "metric", "rows", "median |error|", "max |error|", "ok"])
            for (group, summaries) in groups {
                for s in summaries {
                    table.rows.append([
                        group.label, s.group.rawValue, String(s.count), humanNumber(s.medianAPE * 100) + "%",
                        humanNumber(s.maxAPE * 100) + "%", s.meetsTarget ? "yes" : "NO",
                    ])
                }
            }
            lines.append(table.render())
        }
        if !skipped.isEmpty {
            lines.append("")
            lines.append("skipped \(skipped.count) rows:")
            var reasons: [String: Int] = [:]
            for item in skipped { reasons[item.reason, default: 0] += 1 }
            for (reason, count) in reasons.sorted(by: { $0.value > $1.value }) { lines.append("  \(count)× \(reason)") }
        }
        return lines.joined(separator: "\n")
    }

    /// Latencies shown in ms, throughputs as they are.
    static func display(_ value: Double, _ metric: CalibrationPoint.Metric) -> Double {
        metric.group == .throughput ? value : value * 1000
    }

    static func describe(_ scenario: CalibrationPoint.Scenario) -> String {
        switch scenario {
        case .offline: "offline"
        case .online(let rate?, let n): "\(humanNumber(rate)) req/s ×\(n)"
        case .online(nil, let n): "burst ×\(n)"
        case .concurrency(let c): "concurrency \(c)"
        case .closedLoop(let c, let n): "concurrency \(c), \(n) requests"
        }
    }
}

/// Efficiency profiles as catalog YAML (what `headroom calibrate` writes).
public enum EfficiencyYAML {
    public static func render(_ profiles: [EfficiencyProfile]) -> String {
        func number(_ value: Double) -> String {
            String((value * 10_000).rounded() / 10_000)
        }
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var lines = ["efficiencies:"]
        for p in profiles {
            lines += [
                "  - stack: \(p.stack)",
                "    accelerators: [\(p.accelerators.joined(separator: ", "))]",
                "    compute: \(number(p.compute))",
                "    attention_compute: \(number(p.attentionCompute))",
                "    memory: \(number(p.memory))",
                "    overlap: \(number(p.overlap))",
                "    network: \(number(p.network))",
                "    collective_latency_us: \(number(p.collectiveLatencyMicroseconds))",
                "    step_overhead_ms: \(number(p.stepOverheadMilliseconds))",
                "    per_sequence_overhead_us: \(number(p.perSequenceOverheadMicroseconds))",
                "    request_overhead_ms: \(number(p.requestOverheadMilliseconds))",
            ]
            if let modelClass = p.modelClass { lines.append("    model_class: \(modelClass.rawValue)") }
            if p.prefillLayerOverheadMicroseconds > 0 {
                lines.append("    prefill_layer_overhead_us: \(number(p.prefillLayerOverheadMicroseconds))")
            }
            // Borrowed mixture-of-experts constants stay with the profile they came from.
            if p.moeProvenance == nil {
                if let expert = p.expertMemory { lines.append("    expert_memory: \(number(expert))") }
                if p.moeLayerOverheadMicroseconds > 0 {
                    lines.append("    moe_layer_overhead_us: \(number(p.moeLayerOverheadMicroseconds))")
                }
            }
            if let e = p.validatedError {
                let parts = [("throughput", e.throughput), ("ttft", e.ttft), ("tpot", e.tpot)].compactMap {
                    key, value in
                    value.map { "\(key): \(number($0 * 100))" }
                }
                lines.append("    validated_error_percent: {\((parts + ["rows: \(e.rows)"]).joined(separator: ", "))}")
            }
            lines += [
                "    source: \(quoted(p.provenance.source))",
                "    as_of: \(quoted(p.provenance.asOf))",
            ]
            if let notes = p.provenance.notes { lines.append("    notes: \(quoted(notes))") }
        }
        return lines.joined(separator: "\n")
    }
}
