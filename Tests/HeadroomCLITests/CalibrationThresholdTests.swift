import HeadroomCatalog
import HeadroomCore
import Testing

@Suite struct CalibrationThresholdTests {
    /// The targets on the shared calibration rows: median |error| ≤ 15 % throughput, ≤ 25 % TTFT and TPOT.
    @Test func sharedCalibrationRowsMeetTheirTargets() throws {
        let loaded = try CalibrationLoader.bundled()
        let shared = loaded.measurements.filter { $0.origin.hasPrefix("measured_inference.csv") }
        let report = Validator(catalog: try CatalogLoader.bundled()).validate(shared)
        #expect(report.skipped.isEmpty, "\(report.skipped.prefix(3).map(\.reason))")
        let groups = Set(report.summaries.map(\.group))
        #expect(groups == [.throughput, .ttft, .tpot])
        for summary in report.summaries {
            #expect(summary.medianAPE <= summary.target, "\(summary.group): \(summary.medianAPE)")
        }
    }

    /// Rows never used in fitting (MLPerf and other published runs on other hardware and stacks) stay within 30 %.
    @Test func heldOutRowsStayClose() throws {
        let loaded = try CalibrationLoader.bundled()
        let held = loaded.measurements.filter { $0.origin.hasPrefix("extra_inference.csv") }
        let report = Validator(catalog: try CatalogLoader.bundled()).validate(held)
        let throughput = try #require(report.summaries.first { $0.group == .throughput })
        #expect(throughput.count >= 20)
        #expect(throughput.medianAPE <= 0.30, "held-out median \(throughput.medianAPE)")
    }

    /// A fit restricted to some constants leaves the others exactly where they started.
    @Test func aRestrictedFitMovesOnlyTheNamedConstants() throws {
        let catalog = try CatalogLoader.bundled()
        let points = try CalibrationLoader.bundled().measurements
            .filter { $0.origin.hasPrefix("measured_inference.csv") && $0.acceleratorID == "l40s" }.prefix(12)
        let start = try #require(catalog.efficiency(stack: "trtllm", accelerator: "l40s")).profile
        let (fitted, loss) = EfficiencyFitter(catalog: catalog, iterations: 60)
            .fit(Array(points), start: start, parameters: ["compute"])
        #expect(loss.isFinite)
        #expect(fitted.memory == start.memory && fitted.overlap == start.overlap)
        #expect(fitted.stepOverheadMilliseconds == start.stepOverheadMilliseconds)
        #expect(fitted.requestOverheadMilliseconds == start.requestOverheadMilliseconds)
    }
}
