import Foundation
import Testing

/// Issue 14's CLI reproductions: inputs that used to trap the `headroom` process (a Double→Int conversion) now exit
/// with status 1 and an error naming the field.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct HostileInputCommandTests {
    @Test func planWithGrowthOf5PerMonthOver120MonthsExitsWithAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("growth.yaml")
        try """
        model: llama-3.1-8b
        traffic: {peak_rps: 4, growth_per_month: 5, horizon_months: 120}
        lengths: {preset: chat}
        slo: {ttft_ms: 2000, tpot_ms: 100}
        """.write(to: file, atomically: true, encoding: .utf8)
        let run = try CommandLineTests().run(["plan", file.path, "--format", "json"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("traffic.growth_per_month"), "\(run.stderr)")
    }

    @Test(arguments: [
        ["--params", "8B", "--tokens", "1e40"], ["--params", "99999999999999999999999T", "--tokens", "1T"],
    ])
    func trainWithFiguresOutOfRangeExitsWithAnError(figures: [String]) throws {
        let run = try CommandLineTests().run(
            ["train"] + figures + ["--accelerator", "h100-sxm", "--count", "64", "--format", "json"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("must be between"), "\(run.stderr)")
    }
}
