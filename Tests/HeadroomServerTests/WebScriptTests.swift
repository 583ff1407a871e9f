import Crypto
import Foundation
import HTTPTypes
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The web page's script as served: valid JavaScript (`node --check`) and the one text its content security policy
/// allows (by SHA-256); it is the file `Sources/HeadroomServer/Service/Web/page.js`, compiled in.
///
/// Node comes from `$HEADROOM_NODE`, else the first `node` on `PATH`. Without it the syntax check is skipped, unless
/// `HEADROOM_REQUIRE_NODE=1`, which makes a missing node a failure.
@Suite(.timeLimit(.minutes(2)))
struct WebScriptTests {
    /// Runs `body` on the page, its content security policy and its one inline script, as `GET /` serves them.
    static func withServedPage(
        _ body: @escaping @Sendable (_ page: String, _ policy: String, _ script: String) async throws -> Void
    ) async throws {
        let service = await TestService()
        try await service.test { client in
            let response = try await client.send(.get, "/", key: nil)
            let page = response.text
            let policy = response.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
            let parts = page.components(separatedBy: "<script>")
            #expect(parts.count == 2)
            let script = parts.count == 2 ? parts[1].components(separatedBy: "</script>").first ?? "" : ""
            try await body(page, policy, script)
        }
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    @Test func theServedScriptIsTheFileAndThePolicyAllowsItByHash() async throws {
        let web = Self.repositoryRoot.appendingPathComponent("Sources/HeadroomServer/Service/Web")
        let js = try String(contentsOf: web.appendingPathComponent("page.js"), encoding: .utf8)
        let css = try String(contentsOf: web.appendingPathComponent("page.css"), encoding: .utf8)
        try await Self.withServedPage { page, policy, script in
            #expect(script == "\n" + js)
            let digest = Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString()
            #expect(policy.contains("script-src 'sha256-\(digest)'"), "\(policy)")
            #expect(page.contains("<style>\n" + css + "</style>"))
        }
    }

    @Test(.enabled(if: NodeJS.path != nil || NodeJS.required, "node is not installed"))
    func theServedScriptIsValidJavaScript() async throws {
        guard let node = NodeJS.path else {
            Issue.record("HEADROOM_REQUIRE_NODE=1 but no node at $HEADROOM_NODE or on PATH")
            return
        }
        try await Self.withServedPage { _, _, script in
            #expect(script.contains("'use strict'"))
            try Self.check(script, with: node)
        }
    }

    /// `node --check` passes `script` and fails it with a syntax error added.
    static func check(_ script: String, with node: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-node-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("page.js")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let (status, log) = try NodeJS.check(node, file)
        #expect(status == 0, "node --check failed:\n\(log)")
        // The check itself catches a syntax error.
        try (script + "\n})(;\n").write(to: file, atomically: true, encoding: .utf8)
        #expect(try NodeJS.check(node, file).status != 0)
    }
}

/// Finds and runs Node.js.
enum NodeJS {
    static var path: String? {
        let environment = ProcessInfo.processInfo.environment
        if let given = environment["HEADROOM_NODE"], !given.isEmpty {
            return FileManager.default.isExecutableFile(atPath: given) ? given : nil
        }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/node" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var required: Bool { ProcessInfo.processInfo.environment["HEADROOM_REQUIRE_NODE"] == "1" }

    /// `node --check file`: its exit status and what it printed.
    static func check(_ node: String, _ file: URL) throws -> (status: Int32, log: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = ["--check", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
