import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomReport

/// `headroom validate --training`: the training model against published runs.
enum TrainValidation {
    /// Builds the report from the bundled published runs and throughput benchmarks.
    static func report(catalog: Catalog) throws -> TrainingValidationReport {
        let runs = try TrainingCalibrationLoader.publishedRuns(catalog: catalog)
        let throughput = try ThroughputCalibrationLoader.bundled(catalog: catalog)
        return TrainingValidationReport(runs: runs, throughput: ThroughputCalibration(points: throughput.points))
    }

    /// Prints the report; with `strict`, exits non-zero when an enforced row misses its target.
    static func run(catalog: Catalog, json: Bool, strict: Bool) throws {
        let report = try report(catalog: catalog)
        if json {
            emit(try JSONRendering.render(report))
        } else {
            emit(TrainingValidationTable.render(report))
        }
        if strict && report.summaries.contains(where: { !$0.meetsTarget }) { throw ExitCode.failure }
    }
}
