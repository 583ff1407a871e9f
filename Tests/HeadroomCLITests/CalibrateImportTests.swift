import Foundation
import Testing

/// `headroom calibrate` on other tools' real result files (captured against llama-server, in HeadroomBenchTests'
/// fixtures): a run with a known load is fitted like a native one, a run whose load is unknown is listed as not
/// fitted with the reason, and with nothing left to fit the command fails instead of fitting a burst.
@Suite struct CalibrateImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("HeadroomBenchTests/Fixtures")
    static let target = [
        "--accelerator", "cpu-x86-core", "--count", "1", "--stack", "llamacpp", "--precision", "q4_1", "--model",
        "smollm2-135m", "--tp", "1", "--iterations", "40",
    ]

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    @Test(.timeLimit(.minutes(5))) func aRunWithoutAKnownLoadIsListedAndNotFitted() throws {
        let unknown = Self.fixture("inference-perf-0.7.0-concurrent-chat-summary.json")
        let known = Self.fixture("aiperf-0.13.0-concurrency-chat.json")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-cal-\(UUID()).yaml")
        defer { try? FileManager.default.removeItem(at: output) }
        let run = try CommandLineTests().run(["calibrate", known, unknown] + Self.target + ["--output", output.path])
        #expect(run.stdout.contains("run not fitted"), "\(run.stdout)\n\(run.stderr)")
        let listed = run.stdout.split(separator: "\n").filter { $0.contains("load.mode unknown") }
        #expect(listed.count == 1 && listed[0].contains("inference-perf-0.7.0-concurrent-chat-summary.json"))
        #expect(!run.stdout.split(separator: "\n").contains { $0.contains("aiperf-0.13.0") && $0.contains("unknown") })
        // The known run is fitted: a before/after table on its rows; the profile is written only if it is no worse.
        #expect(run.stdout.contains("median error before"))
        if run.status == 0 {
            #expect(FileManager.default.fileExists(atPath: output.path))
        } else {
            #expect(run.stderr.contains("no profile is written"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }

    /// `compare` puts the imports with a known load in the equal-load rows beside each other, as native runs, and
    /// leaves the unknown-load one out of them.
    @Test func compareGroupsImportsByTheirLoad() throws {
        let files = [
            "aiperf-0.13.0-concurrency-chat.json", "guidellm-0.8.1-concurrent-chat.json",
            "inference-perf-0.7.0-concurrent-chat-stage_0.json", "inference-perf-0.7.0-concurrent-chat-summary.json",
        ]
        let run = try CommandLineTests().run(["compare"] + files.map(Self.fixture) + ["--format", "table"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let section = try #require(lines.firstIndex { $0.hasPrefix("Latency at equal load") }, "\(run.stdout)")
        let rows = lines[section...].prefix { !$0.isEmpty }.filter { $0.hasPrefix("concurrency 4") }
        #expect(rows.count == 3, "\(rows)")
        for file in files.prefix(3) { #expect(rows.contains { $0.contains(file) }, "\(file) not at concurrency 4") }
        #expect(!rows.contains { $0.contains("summary") })
        #expect(lines.contains { $0.contains("concurrent-chat-summary.json") && $0.contains("load unknown") })
        #expect(!run.stdout.contains("all at once"))
    }

    @Test func onlyRunsWithoutAKnownLoadFitNothing() throws {
        let unknown = Self.fixture("inference-perf-0.7.0-constant-completion-summary.json")
        let run = try CommandLineTests().run(["calibrate", unknown] + Self.target)
        #expect(run.status != 0)
        #expect(run.stderr.contains("nothing to fit"), "\(run.stderr)")
        #expect(run.stdout.contains("load.mode unknown"))
        #expect(!run.stdout.contains("median error before"))
    }
}
