import Foundation
import Testing

/// `headroom bench` → `calibrate` → `compare` against the local llama.cpp server (scripts/test starts it).
enum LlamaEnvironment {
    static var url: String? { ProcessInfo.processInfo.environment["HEADROOM_LLAMA_URL"] }
    /// scripts/test sets HEADROOM_REQUIRE_LLAMA=1: a missing server is then a failure, not a skip.
    static var available: Bool {
        url != nil || ProcessInfo.processInfo.environment["HEADROOM_REQUIRE_LLAMA"] == "1"
    }
}

@Suite(.serialized, .enabled(if: LlamaEnvironment.available))
struct BenchCommandTests {

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-bench-\(getpid())")

    func bench(concurrency: Int, file: String) throws -> URL {
        let url = try #require(LlamaEnvironment.url, "scripts/test starts llama-server and sets HEADROOM_LLAMA_URL")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent(file)
        let run = try CommandLineTests().run([
            "bench", "--url", url, "--model", "smollm2-135m", "--concurrency", String(concurrency), "--requests", "8",
            "--warmup", "1", "--input-tokens", "96", "--output-tokens", "24", "--accelerator", "cpu-x86-core",
            "--count", "1", "--stack", "llamacpp", "--precision", "q4_1", "--catalog-model", "smollm2-135m",
            "--output", output.path, "--quiet",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("TTFT"))
        return output
    }

    @Test(.timeLimit(.minutes(5)))
    func benchCalibrateCompare() throws {
        let one = try bench(concurrency: 1, file: "c1.json")
        let four = try bench(concurrency: 4, file: "c4.json")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: one)) as? [String: Any])
        #expect(object["schema_version"] as? String == "headroom.bench/1")
        #expect((object["definitions"] as? [String: String])?["ttft"] != nil)
        #expect((object["requests"] as? [Any])?.count == 9)

        let override = folder.appendingPathComponent("fitted.yaml")
        let calibrate = try CommandLineTests().run(["calibrate", one.path, four.path, "--output", override.path])
        // Calibration never writes a fit worse than the current constants on its own rows: either the median error
        // per metric group, averaged over the groups, does not rise and the profile is written, or the command fails
        // saying so and leaves --output alone.
        let errors = Self.medianErrors(calibrate.stdout)
        #expect(errors.count >= 2, "expected a before/after row per metric group in:\n\(calibrate.stdout)")
        let before = errors.map(\.before).reduce(0, +) / Double(max(errors.count, 1))
        let after = errors.map(\.after).reduce(0, +) / Double(max(errors.count, 1))
        if calibrate.status == 0 {
            #expect(after <= before, "calibration made the median error worse: \(errors)")
            #expect(FileManager.default.fileExists(atPath: override.path))
        } else {
            #expect(calibrate.stderr.contains("no profile is written"), "\(calibrate.stderr)")
            #expect(!FileManager.default.fileExists(atPath: override.path))
        }

        let html = folder.appendingPathComponent("compare.html")
        let compare = try CommandLineTests().run([
            "compare", one.path, four.path, "--format", "html", "--output", html.path,
        ])
        #expect(compare.status == 0, "\(compare.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        // The latency-against-load charts (concurrency 1 and 4), each a line through the loads, not just any SVG.
        for metric in ["p99 TTFT", "p99 TPOT"] {
            let title = "<title>\(metric) against load</title>"
            let chart = try #require(page.range(of: title), "no '\(metric) against load' chart in the page")
            let end = try #require(page.range(of: "</svg>", range: chart.upperBound..<page.endIndex))
            let svg = page[chart.lowerBound..<end.lowerBound]
            #expect(svg.contains("<polyline"), "the \(metric) chart has no line")
            #expect(svg.contains("concurrency"), "the \(metric) chart's x axis is not the concurrency")
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// The rows of `headroom calibrate`'s summary table (metric, rows, median error before, after, max after):
    /// each group's median error before and after the fit, percent.
    static func medianErrors(_ output: String) -> [(group: String, before: Double, after: Double)] {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.firstIndex(where: { $0.contains("median error before") }) else { return [] }
        var rows: [(group: String, before: Double, after: Double)] = []
        for line in lines.dropFirst(header + 2) {
            let cells = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard cells.count >= 5 else { break }
            func percent(_ cell: String) -> Double? {
                guard cell.hasSuffix("%") else { return nil }
                return Double(cell.dropLast().replacingOccurrences(of: ",", with: ""))
            }
            guard let before = percent(cells[cells.count - 3]), let after = percent(cells[cells.count - 2]) else {
                break
            }
            rows.append((cells[0], before, after))
        }
        return rows
    }
}
