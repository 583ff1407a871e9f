import Foundation
import Testing

/// Issue 13 item 7 from the CLI: a misspelt key in a workload file stops `plan` and `simulate` with the file, the
/// line, the key and the nearest valid key.
///
/// A hang guard, not a timer: in scripts/test's CPU-bound group a test may wait minutes for a pool thread on a
/// loaded 2-core machine (two `yes` and other builds beside it starved 2-minute limits).
@Suite(.serialized, .timeLimit(.minutes(15)))
struct StrictWorkloadCommandTests {
    @Test(
        arguments: [
            (["plan"], "peak_rps", "peek_rps", 3, "traffic.peek_rps"),
            (["plan"], "traffic", "trafic", 2, "trafic"),
            (["simulate", "--deployment", "accelerator=h100-sxm,count=1"], "tpot_ms", "tpot_msec", 5, "slo.tpot_msec"),
        ])
    func aMisspeltKeyStopsTheCommand(command: [String], right: String, wrong: String, line: Int, field: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strict-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("w.yaml")
        try """
        model: llama-3.1-8b
        traffic:
          peak_rps: 4
        lengths: {preset: chat}
        slo: {ttft_ms: 2000, tpot_ms: 100}
        """.replacingOccurrences(of: right + ":", with: wrong + ":").write(to: file, atomically: true, encoding: .utf8)
        let run = try CommandLineTests().run([command[0], file.path] + command.dropFirst() + ["--format", "json"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(
            run.stderr.contains(
                "\(file.path):\(line): field '\(field)': unknown key '\(wrong)'; did you mean '\(right)'?"),
            "\(run.stderr)")
    }
}
