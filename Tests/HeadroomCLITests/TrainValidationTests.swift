import HeadroomCatalog
import HeadroomCore
import Testing

/// The targets for `headroom validate --training`.
@Suite struct TrainValidationTests {
    static func report() throws -> TrainingValidationReport {
        let catalog = try CatalogLoader.bundled()
        let throughput = try ThroughputCalibrationLoader.bundled(catalog: catalog)
        return TrainingValidationReport(
            runs: try TrainingCalibrationLoader.publishedRuns(catalog: catalog),
            throughput: ThroughputCalibration(points: throughput.points))
    }

    /// Accelerator-hours within 10 % given the published throughput and tokens; total FLOPs within 5 %.
    @Test func everyEnforcedRowMeetsItsTarget() throws {
        let report = try Self.report()
        let summaries = report.summaries
        #expect(Set(summaries.map(\.metric)) == ["accelerator_hours", "total_flops"])
        for row in report.rows where row.enforced {
            let target = TrainingValidationReport.targets[row.metric] ?? 0
            let deviation = abs(row.predicted / row.published - 1)
            let label = "\(row.run) \(row.metric)"
            #expect(deviation <= target, "\(label): \(deviation)")
        }
        let allMet = summaries.allSatisfy { $0.meetsTarget }
        #expect(allMet)
        #expect(summaries.first { $0.metric == "accelerator_hours" }?.count ?? 0 >= 4)
        #expect(summaries.first { $0.metric == "total_flops" }?.count ?? 0 >= 4)
    }

    @Test func everyRowNamesItsSource() throws {
        let catalog = try CatalogLoader.bundled()
        for run in try TrainingCalibrationLoader.publishedRuns(catalog: catalog) {
            #expect(!run.source.isEmpty && !run.sourceDate.isEmpty, "\(run.origin)")
        }
    }

    @Test func referenceRowsReportAnImpliedMFU() throws {
        let references = try Self.report().references
        #expect(references.count >= 4)
        for reference in references { #expect(reference.impliedMFU > 0.05 && reference.impliedMFU < 0.8) }
    }

    /// The MFU model reproduces the fitted llm-foundry rows to a median of 15 %.
    @Test func throughputModelFitsPublishedBenchmarks() throws {
        let catalog = try CatalogLoader.bundled()
        let loaded = try ThroughputCalibrationLoader.bundled(catalog: catalog)
        #expect(loaded.points.filter(\.fitted).count >= 150)
        let calibration = ThroughputCalibration(points: loaded.points)
        #expect(calibration.medianAbsoluteError <= 0.15, "\(calibration.medianAbsoluteError)")
        for (_, efficiency) in calibration.kernelEfficiency {
            #expect(efficiency.matmul > 0 && efficiency.matmul < 1 && efficiency.attention > 0)
        }
    }
}
