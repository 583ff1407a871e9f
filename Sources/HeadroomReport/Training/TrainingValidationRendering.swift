public import HeadroomCore

/// `headroom validate --training` as a table.
public enum TrainingValidationTable {
    public static func render(_ report: TrainingValidationReport) -> String {
        var out: [String] = []
        var table = TextTable(header: ["run", "metric", "published", "predicted", "error", "basis", "row"])
        table.rows = report.rows.map { r in
            [
                r.run + (r.enforced ? "" : " (reference)"), r.metric, TrainingSections.sci(r.published),
                TrainingSections.sci(r.predicted), signed(r.error), r.basis, r.origin,
            ]
        }
        out.append("Published training runs\n" + table.render())
        var summary = TextTable(header: ["metric", "rows", "median |error|", "max |error|", "target", "met"])
        summary.rows = report.summaries.map {
            [
                $0.metric, String($0.count), TrainingSections.pct($0.medianAbsoluteError),
                TrainingSections.pct($0.maxAbsoluteError), "≤ " + TrainingSections.pct($0.target),
                $0.meetsTarget ? "yes" : "NO",
            ]
        }
        out.append("Summary (every enforced row must meet the target)\n" + summary.render())
        if !report.references.isEmpty {
            var refs = TextTable(header: ["run", "implied MFU", "row", "notes"])
            refs.rows = report.references.map { [$0.run, TrainingSections.pct($0.impliedMFU), $0.origin, $0.notes] }
            out.append("Runs without a published throughput (reference)\n" + refs.render())
        }
        if let t = report.throughput {
            var fit = TextTable(header: ["accelerator/precision", "matmul efficiency", "attention efficiency"])
            fit.rows = t.kernelEfficiency.keys.filter { $0.contains("/") }.sorted().map {
                [
                    $0, TrainingSections.num(t.kernelEfficiency[$0]?.matmul ?? 0),
                    TrainingSections.num(t.kernelEfficiency[$0]?.attention ?? 0),
                ]
            }
            out.append(
                "MFU model fitted to \(t.rows.filter(\.fitted).count) published throughput rows: median |error| "
                    + "\(TrainingSections.pct(t.medianAbsoluteError)), max \(TrainingSections.pct(t.maxAbsoluteError))\n"
                    + fit.render())
        }
        return out.joined(separator: "\n\n")
    }

    static func signed(_ v: Double) -> String { (v >= 0 ? "+" : "") + TrainingSections.pct(v) }
}
