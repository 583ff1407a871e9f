import Foundation
import HTTPTypes
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The web page in headless Chromium against a live server: plan, save, diff, screenshot.
///
/// Chromium comes from `$HEADROOM_CHROMIUM`, else `/usr/bin/chromium` (`scripts/chromium` installs it). Without it
/// the test is skipped, unless `HEADROOM_REQUIRE_CHROMIUM=1`, which makes a missing browser a failure.
/// The page takes its inputs from the URL's fragment (`#key=…&model=…&autorun=1`), so no WebDriver is needed:
/// `--dump-dom` prints the DOM once the page's script has run, and `--screenshot` captures it.
@Suite(.timeLimit(.minutes(3)))
struct WebPageTests {
    @Test(.enabled(if: HeadlessChromium.path != nil || HeadlessChromium.required, "chromium is not installed"))
    func plansSavesAndDiffsInHeadlessChromium() async throws {
        guard let chromium = HeadlessChromium.path.map(HeadlessChromium.init) else {
            let message = "HEADROOM_REQUIRE_CHROMIUM=1 but no chromium at $HEADROOM_CHROMIUM or /usr/bin/chromium"
            Issue.record(Comment(rawValue: message + "; run scripts/chromium"))
            return
        }
        var service = await TestService()
        service.configuration.port = 0
        // The test client's connection waits, idle, while Chromium plans (tens of seconds on a loaded machine).
        service.configuration.idleTimeout = .seconds(600)
        service.configuration.requestReadTimeout = .seconds(600)
        let app = try await buildServiceApplication(configuration: service.configuration, store: service.store)
        let admin = service.admin
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let base = "http://localhost:\(port)/"
            let workload =
                "model=llama-3.1-8b&input=500&output=200&ttft=2000&tpot=100&accelerators=h100-sxm&stacks=vllm"
                + "&requests=300"

            // Plan through the form, then save the plan as version 1 of web-test.
            let saved = try await chromium.dom(
                base + "#key=\(admin)&\(workload)&rate=4&autorun=1&save=web-test")
            #expect(saved.contains("data-autorun=\"done\""))
            #expect(saved.contains("data-state=\"ready\""))
            #expect(saved.contains("<svg"))
            #expect(saved.contains("h100-sxm"))
            #expect(saved.contains("Recommendation"))
            #expect(saved.contains("data-saved=\"web-test@1\""))
            #expect(saved.contains("data-plan=\"web-test\""))
            #expect(!saved.contains("class=\"banner error\""))

            // Version 2 at twice the rate, through the API.
            let doubled = smallWorkload.replacingOccurrences(of: #""peak_rps": 4"#, with: #""peak_rps": 8"#)
            try await client.send(
                .post, "/v1/plans", key: admin, json: #"{"name": "web-test", "workload": \#(doubled)}"#
            ) { response in
                #expect(response.status == .created)
            }

            // Plan version 2's workload and show the diff of the two versions beside it.
            let compared = base + "#key=\(admin)&\(workload)&rate=8&autorun=1&diff=web-test&from=1&to=2"
            let diffed = try await chromium.dom(compared)
            #expect(diffed.contains("data-autorun=\"done\""))
            #expect(diffed.contains("Diff web-test: v1 → v2"))
            #expect(diffed.contains("workload.peak_rps"))
            #expect(diffed.contains("<svg"))
            #expect(!diffed.contains("class=\"banner error\""))

            // A wrong key is refused, and the page says so.
            let refused = try await chromium.dom(base + "#key=hr_wrong_key&\(workload)&rate=4&autorun=1")
            #expect(refused.contains("class=\"banner error\""))
            #expect(refused.contains("Check the API key"))

            let screenshot = try await chromium.screenshot(compared)
            let bytes = try Data(contentsOf: screenshot)
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            #expect(bytes.count > 20_000, "the screenshot is \(bytes.count) bytes")
            try? FileManager.default.removeItem(at: screenshot)
            // A copy to look at, only where asked: an absolute path to a .png file (written, never removing anything).
            if let keep = ProcessInfo.processInfo.environment["HEADROOM_WEB_SCREENSHOT"], keep.hasPrefix("/"),
                keep.hasSuffix(".png")
            {
                try bytes.write(to: URL(fileURLWithPath: keep), options: .atomic)
            }
        }
    }
}

/// Runs Chromium headless on one URL at a time.
struct HeadlessChromium: Sendable {
    let executable: String

    init(_ executable: String) {
        self.executable = executable
    }

    static var path: String? {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["HEADROOM_CHROMIUM"], "/usr/bin/chromium"].compactMap { $0 }
        return candidates.first { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var required: Bool { ProcessInfo.processInfo.environment["HEADROOM_REQUIRE_CHROMIUM"] == "1" }

    /// The DOM after the page's scripts ran (virtual time runs 20 s past the last network fetch).
    func dom(_ url: String) async throws -> String {
        let output = try await run(["--dump-dom", url])
        return String(decoding: output, as: UTF8.self)
    }

    /// A PNG of the page, 1280 pixels wide.
    func screenshot(_ url: String) async throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-web-\(UUID()).png")
        _ = try await run(["--screenshot=\(file.path)", "--window-size=1280,2000", "--hide-scrollbars", url])
        return file
    }

    /// Runs Chromium with a throw-away profile; its standard output.
    func run(_ arguments: [String]) async throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-chromium-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let stdout = directory.appendingPathComponent("stdout")
        let stderr = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
                "--virtual-time-budget=20000", "--timeout=60000",
            ] + arguments
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let output = try Data(contentsOf: stdout)
        guard status == 0 else {
            let log = String(decoding: try Data(contentsOf: stderr), as: UTF8.self)
            throw ChromiumFailure(status: status, log: String(log.suffix(4000)))
        }
        return output
    }
}

struct ChromiumFailure: Error, CustomStringConvertible {
    var status: Int32
    var log: String
    var description: String { "chromium exited with \(status):\n\(log)" }
}
