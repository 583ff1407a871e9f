import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomReport

/// `headroom calibrate`: fit a stack's efficiency constants on measurements and write a catalog override.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit efficiency constants for a stack and accelerators on measurements; print before/after error."
    )

    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Calibration CSV files (default: the bundled ones).") var calibration: [String] = []
    @Option(help: "Stack whose rows to fit.") var stack: String
    @Option(parsing: .upToNextOption, help: "Accelerator ids whose rows to fit together.") var accelerators: [String]
    @Option(help: "Write the fitted profile as a catalog override YAML here.") var output: String?
    @Option(help: "Simplex iterations.") var iterations: Int = 1500
    @Option(
        parsing: .upToNextOption,
        help:
            "Constants to fit (default all): compute attention_compute memory overlap network collective_latency_us step_overhead_ms per_sequence_overhead_us request_overhead_ms."
    )
    var parameters: [String] = []

    func run() throws {
        try reportingErrors {
            let catalog = try catalogOptions.load()
            let loaded =
                calibration.isEmpty
                ? try CalibrationLoader.bundled()
                : try calibration.reduce(into: CalibrationLoader.Loaded(measurements: [], skipped: [])) {
                    result, path in
                    let one = try CalibrationLoader.load(url: URL(fileURLWithPath: path))
                    result.measurements += one.measurements
                    result.skipped += one.skipped
                }
            let ids = try accelerators.map { try catalog.accelerator($0).id }
            let stackID = try catalog.stack(stack).id
            let points = loaded.measurements.filter { $0.stackID == stackID && ids.contains($0.acceleratorID) }
            guard !points.isEmpty else {
                throw HeadroomError(
                    .invalidInput, "no calibration rows for \(stackID) on \(ids.joined(separator: ", "))")
            }
            guard let start = catalog.efficiency(stack: stackID, accelerator: ids[0])?.profile else {
                throw HeadroomError(.unknownEntry, "no starting efficiency profile for \(stackID)")
            }
            let fitter = EfficiencyFitter(catalog: catalog, iterations: iterations)
            let before = Validator(catalog: catalog).validate(points)
            for name in parameters where !EfficiencyFitter.parameterNames.contains(name) {
                throw HeadroomError(.invalidInput, "unknown constant '\(name)'", field: "parameters")
            }
            var (fitted, loss) = fitter.fit(
                points, start: start,
                parameters: parameters.isEmpty ? Set(EfficiencyFitter.parameterNames) : Set(parameters)
            )
            fitted.stack = stackID
            fitted.accelerators = ids
            var after = Catalog()
            after.efficiencies = [fitted]
            var merged = catalog
            merged.merge(after)
            let afterReport = Validator(catalog: merged).validate(points)
            let summary = afterReport.summaries.map {
                "\($0.group.rawValue) median \(humanNumber($0.medianAPE * 100))% (n=\($0.count))"
            }
            fitted.provenance = Provenance(
                source:
                    "fitted by `headroom calibrate --stack \(stackID) --accelerators \(ids.joined(separator: " "))` "
                    + "on \(points.count) rows of \(Set(points.map { $0.origin.split(separator: ":").first.map(String.init) ?? "" }).sorted().joined(separator: ", "))",
                asOf: today(),
                notes: "mean squared log error \(humanNumber(loss)); " + summary.joined(separator: "; ")
            )
            var table = TextTable(header: ["metric", "rows", "median error before", "after", "max after"])
            for (old, new) in zip(before.summaries, afterReport.summaries) {
                table.rows.append([
                    old.group.rawValue, String(new.count), humanNumber(old.medianAPE * 100) + "%",
                    humanNumber(new.medianAPE * 100) + "%", humanNumber(new.maxAPE * 100) + "%",
                ])
            }
            emit(table.render())
            let yaml = EfficiencyYAML.render([fitted])
            if let output {
                do {
                    try yaml.write(toFile: output, atomically: true, encoding: .utf8)
                } catch {
                    throw HeadroomError(.invalidFile, "cannot write: \(error.localizedDescription)", file: output)
                }
                emit("wrote \(output)")
            } else {
                emit(yaml)
            }
        }
    }
}
