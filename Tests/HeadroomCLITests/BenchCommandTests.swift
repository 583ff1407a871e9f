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
        #expect(calibrate.status == 0, "\(calibrate.stderr)")
        #expect(calibrate.stdout.contains("before"))
        #expect(FileManager.default.fileExists(atPath: override.path))

        let html = folder.appendingPathComponent("compare.html")
        let compare = try CommandLineTests().run([
            "compare", one.path, four.path, "--format", "html", "--output", html.path,
        ])
        #expect(compare.status == 0, "\(compare.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("<svg"))
        try? FileManager.default.removeItem(at: folder)
    }
}
