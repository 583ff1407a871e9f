import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomReport

/// `headroom validate`: the performance model against every calibration row.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Compare predictions with every calibration measurement; print the errors and their medians."
    )

    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Calibration CSV files (default: the bundled ones).") var calibration: [String] = []
    @Option(help: "table or json.") var format: OutputFormat = .table
    @Flag(help: "Exit non-zero when a median error misses its target.") var strict = false
    @Flag(help: "Print only the summary.") var summaryOnly = false
    @Flag(help: "Validate the training planner against published runs instead.") var training = false
    @Option(
        help:
            "Bundled rows: include (all), exclude (only those fits may use) or only (the held-out runs no fit saw).")
    var holdout: HoldoutOption = .include

    func run() throws {
        try reportingErrors {
            let catalog = try catalogOptions.load()
            if training { return try TrainValidation.run(catalog: catalog, json: format == .json, strict: strict) }
            var points: [CalibrationPoint] = []
            var skipped: [(origin: String, reason: String)] = []
            if calibration.isEmpty {
                let loaded = try CalibrationLoader.bundled(holdout: holdout.selection)
                points = loaded.measurements
                skipped = loaded.skipped
            } else {
                for path in calibration {
                    let loaded = try CalibrationLoader.load(url: URL(fileURLWithPath: path))
                    points += loaded.measurements
                    skipped += loaded.skipped
                }
            }
            let report = Validator(catalog: catalog).validate(points)
            skipped += report.skipped.map { ($0.measurement.origin, $0.reason) }
            switch format {
            case .json: emit(try JSONRendering.render(ValidationDocument(report, skipped: skipped)))
            case .table: emit(ValidationTable.render(report, skipped: skipped, summaryOnly: summaryOnly))
            }
            if strict && report.summaries.contains(where: { !$0.meetsTarget }) { throw ExitCode.failure }
        }
    }
}

/// `--holdout` as the command line spells it.
enum HoldoutOption: String, ExpressibleByArgument, CaseIterable {
    case include, exclude, only

    var selection: CalibrationLoader.Holdout {
        switch self {
        case .include: .include
        case .exclude: .exclude
        case .only: .only
        }
    }
}
