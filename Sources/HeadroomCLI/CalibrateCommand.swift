import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomReport

/// `headroom calibrate`: fit a stack's efficiency constants on measurements and write a catalog override.
///
/// The measurements are calibration CSV rows (`--calibration`, default the bundled ones) or benchmark result files
/// (positional: Headroom results or any format `headroom bench import` reads), whose targets name the accelerator,
/// stack, model, precision, count and tensor parallelism (the flags fill or replace them).
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit efficiency constants for a stack and accelerators on measurements; print before/after error."
    )

    @Argument(
        help: "Benchmark result files (Headroom, vLLM, GuideLLM, AIPerf, GenAI-Perf or inference-perf JSON) to fit on.")
    var results: [String] = []
    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Calibration CSV files (default: the bundled ones, unless result files are given).")
    var calibration: [String] = []
    @Option(help: "Stack whose rows to fit (default with result files: the files' stack).") var stack: String?
    @Option(
        parsing: .upToNextOption,
        help: "Accelerator ids whose rows to fit together (default with result files: theirs).")
    var accelerators: [String] = []
    @Option(help: "Write the fitted profile as a catalog override YAML here.") var output: String?
    @Flag(name: .customLong("rows"), help: "Print every row: measured, predicted before and after (SI units).")
    var showRows = false
    @Option(help: "Simplex iterations.") var iterations: Int = 1500
    @Option(
        parsing: .upToNextOption,
        help:
            "Constants to fit (default all): compute attention_compute memory overlap network collective_latency_us step_overhead_ms per_sequence_overhead_us request_overhead_ms expert_memory moe_layer_overhead_us (the last two only with mixture-of-experts rows)."
    )
    var parameters: [String] = []
    @Option(help: "Result files: the format (auto, headroom, vllm, guidellm, aiperf, inference-perf).")
    var importFormat: String =
        "auto"
    @Option(help: "Result files: the accelerator that ran them (catalog id).") var accelerator: String?
    @Option(help: "Result files: the catalog model that ran (Hugging Face id or alias).") var model: String?
    @Option(help: "Result files: the weight precision (bf16, fp8, …).") var precision: String?
    @Option(help: "Result files: accelerators behind the endpoint.") var count: Int?
    @Option(help: "Result files: tensor-parallel degree.") var tp: Int?

    func validate() throws {
        if results.isEmpty {
            guard stack != nil else { throw ValidationError("--stack is required without result files") }
            guard !accelerators.isEmpty else {
                throw ValidationError("--accelerators is required without result files")
            }
        }
    }

    func run() throws {
        try reportingErrors {
            let catalog = try catalogOptions.load()
            var points: [CalibrationPoint] = []
            if !results.isEmpty {
                let fromResults = try resultPoints(catalog: catalog)
                points += fromResults.points
                if !fromResults.skipped.isEmpty {
                    var skipped = TextTable(header: ["run not fitted", "reason"])
                    skipped.rows = fromResults.skipped.map { [$0.origin, $0.reason] }
                    emit(skipped.render())
                }
                guard !fromResults.points.isEmpty || !calibration.isEmpty else {
                    throw HeadroomError(
                        .invalidInput,
                        "none of the \(fromResults.skipped.count) runs has a load the model predicts; nothing to fit",
                        field: "results")
                }
            }
            if results.isEmpty || !calibration.isEmpty {
                let loaded =
                    calibration.isEmpty
                    ? try CalibrationLoader.bundled(holdout: .exclude)
                    : try calibration.reduce(into: CalibrationLoader.Loaded(measurements: [], skipped: [])) {
                        result, path in
                        let one = try CalibrationLoader.load(url: URL(fileURLWithPath: path))
                        result.measurements += one.measurements
                        result.skipped += one.skipped
                    }
                points += loaded.measurements
            }
            let stackID: String
            if let stack {
                stackID = try catalog.stack(stack).id
            } else {
                let stacks = Set(points.map(\.stackID))
                guard stacks.count == 1, let only = stacks.first else {
                    throw HeadroomError(
                        .invalidInput,
                        "the result files name \(stacks.isEmpty ? "no stack" : "stacks \(stacks.sorted().joined(separator: ", "))"); pass --stack",
                        field: "stack")
                }
                stackID = only
            }
            let ids =
                accelerators.isEmpty
                ? Array(Set(points.filter { $0.stackID == stackID }.map(\.acceleratorID))).sorted()
                : try accelerators.map { try catalog.accelerator($0).id }
            let fit = try Self.fit(
                points: points.filter { $0.stackID == stackID && ids.contains($0.acceleratorID) }, stackID: stackID,
                accelerators: ids, catalog: catalog, iterations: iterations, parameters: parameters)
            if showRows { emit(fit.rows) }
            emit(fit.table)
            guard fit.improved else {
                throw HeadroomError(
                    .invalidInput,
                    "the fitted constants score worse than the current ones on these rows, so no profile is "
                        + "written\(output.map { " (\($0) left as it was)" } ?? ""); more rows, or rows at more loads, "
                        + "give the fit more to go on",
                    field: "results")
            }
            if let output {
                do {
                    try fit.yaml.write(toFile: output, atomically: true, encoding: .utf8)
                } catch {
                    throw HeadroomError(.invalidFile, "cannot write: \(error.localizedDescription)", file: output)
                }
                emit("wrote \(output)")
            } else {
                emit(fit.yaml)
            }
        }
    }

    /// The calibration points of the result files, their targets filled or replaced by the flags; the runs whose
    /// load the model cannot predict (unknown, ramp, trace) are left out and listed with the reason.
    /// - Throws: ``HeadroomError`` when a file cannot be read or a run does not say what ran.
    func resultPoints(
        catalog: Catalog
    ) throws -> (points: [CalibrationPoint], skipped: [(origin: String, reason: String)]) {
        let format = try BenchImportCommand.format(importFormat)
        var points: [CalibrationPoint] = []
        var skipped: [(origin: String, reason: String)] = []
        for path in results {
            let loaded = try BenchImportCommand.load(path, format: format)
            for (index, var result) in loaded.enumerated() {
                if let accelerator { result.target.acceleratorID = try catalog.accelerator(accelerator).id }
                if let stack { result.target.stackID = try catalog.stack(stack).id }
                if let model { result.target.catalogModelID = try catalog.model(model).id }
                if let precision { result.target.precision = precision }
                if let count { result.target.acceleratorCount = count }
                if let tp { result.target.tensorParallel = tp }
                if result.target.tensorParallel == nil, let n = result.target.acceleratorCount {
                    result.target.tensorParallel = n
                }
                let origin = loaded.count > 1 ? "\(path)#\(index + 1)" : path
                let run = result
                switch Result(catching: { () throws(HeadroomError) in try run.calibrationPoints(origin: origin) }) {
                case .success(let more):
                    points += more
                case .failure(let error):
                    // A load the model cannot predict leaves this run out; anything else (a missing target) stops.
                    guard let field = error.field, field.hasPrefix("load.") else { throw error }
                    skipped.append((origin, "\(field) \(run.load.mode): \(error.message)"))
                }
            }
        }
        return (points, skipped)
    }

    /// Fits `accelerators`' efficiency profile for `stackID` on `points` and reports the error before and after.
    /// - Returns: the before/after table and the fitted profile as catalog YAML.
    static func fit(
        points: [CalibrationPoint], stackID: String, accelerators ids: [String], catalog: Catalog, iterations: Int,
        parameters: [String]
    ) throws -> (table: String, yaml: String, profile: EfficiencyProfile, rows: String, improved: Bool) {
        guard !points.isEmpty, let first = ids.first else {
            throw HeadroomError(
                .invalidInput, "no calibration rows for \(stackID) on \(ids.joined(separator: ", "))")
        }
        guard let found = catalog.efficiency(stack: stackID, accelerator: first)?.profile else {
            throw HeadroomError(.unknownEntry, "no starting efficiency profile for \(stackID)")
        }
        let fitter = EfficiencyFitter(catalog: catalog, iterations: iterations)
        let before = Validator(catalog: catalog).validate(points)
        for name in parameters where !EfficiencyFitter.parameterNames.contains(name) {
            throw HeadroomError(.invalidInput, "unknown constant '\(name)'", field: "parameters")
        }
        // The mixture-of-experts constants move only when MoE rows can inform them.
        let hasMoE = points.contains { (try? catalog.model($0.modelID))?.isMoE == true }
        var free = parameters.isEmpty ? Set(EfficiencyFitter.parameterNames) : Set(parameters)
        if !hasMoE { free.subtract(EfficiencyFitter.moeParameterNames) }
        // A constant no row measures would wander to wherever the simplex leaves it: keep its starting value.
        if !points.contains(where: { $0.metric.group == .ttft }) { free.remove("request_overhead_ms") }
        var start = found
        if start.moeProvenance != nil {
            // Constants borrowed from another profile are not this fit's to write unless it fits them.
            if free.isDisjoint(with: EfficiencyFitter.moeParameterNames) {
                start.expertMemory = nil
                start.moeLayerOverheadMicroseconds = 0
            }
            start.moeProvenance = nil
        }
        var (fitted, loss) = fitter.fit(points, start: start, parameters: free)
        fitted.stack = stackID
        fitted.accelerators = ids
        var after = Catalog()
        after.efficiencies = [fitted]
        var merged = catalog
        merged.merge(after)
        var afterReport = Validator(catalog: merged).validate(points)
        // The fitter's loss is a closed form, the report simulates closed-loop runs: on few or noisy rows the fit can
        // score worse than where it started. Never hand back a profile worse than the current one on its own rows.
        func score(_ report: ValidationReport) -> Double {
            report.summaries.map(\.medianAPE).reduce(0, +) / Double(max(report.summaries.count, 1))
        }
        var kept = false
        if score(afterReport) > score(before) {
            kept = true
            fitted = start
            fitted.stack = stackID
            fitted.accelerators = ids
            afterReport = before
        }
        let medians = Dictionary(uniqueKeysWithValues: afterReport.summaries.map { ($0.group, $0.medianAPE) })
        fitted.validatedError = ValidatedError(
            throughput: medians[.throughput], ttft: medians[.ttft], tpot: medians[.tpot], rows: afterReport.rows.count)
        let summary = afterReport.summaries.map {
            "\($0.group.rawValue) median \(humanNumber($0.medianAPE * 100))% (n=\($0.count))"
        }
        let origins = Set(points.map { $0.origin.split(separator: ":").first.map(String.init) ?? "" }).sorted()
        fitted.provenance = Provenance(
            source:
                "fitted by `headroom calibrate --stack \(stackID) --accelerators \(ids.joined(separator: " "))` "
                + "on \(points.count) rows of \(origins.joined(separator: ", "))",
            asOf: today(),
            notes: (kept ? "the fit did not beat the starting constants on these rows; they are kept; " : "")
                + "mean squared log error \(humanNumber(loss)); " + summary.joined(separator: "; ")
        )
        var table = TextTable(header: ["metric", "rows", "median error before", "after", "max after"])
        for (old, new) in zip(before.summaries, afterReport.summaries) {
            table.rows.append([
                old.group.rawValue, String(new.count), humanNumber(old.medianAPE * 100) + "%",
                humanNumber(new.medianAPE * 100) + "%", humanNumber(new.maxAPE * 100) + "%",
            ])
        }
        var rows = TextTable(header: ["row", "metric", "load", "measured", "before", "after"])
        for (old, new) in zip(before.rows, afterReport.rows) {
            let m = old.measurement
            let load: String =
                switch m.scenario {
                case .offline: "offline"
                case .concurrency(let n): "concurrency \(n)"
                case .closedLoop(let c, let n): "concurrency \(c), \(n) requests"
                case .online(let rate, let requests): rate.map { "\(humanNumber($0)) req/s" } ?? "\(requests) at once"
                }
            rows.rows.append([
                m.origin, m.metric.rawValue, load, humanNumber(m.value), humanNumber(old.predicted),
                humanNumber(new.predicted),
            ])
        }
        let notice = kept ? "\nthe fit did not lower the median error on these rows" : ""
        return (table.render() + notice, EfficiencyYAML.render([fitted]), fitted, rows.render(), !kept)
    }
}
