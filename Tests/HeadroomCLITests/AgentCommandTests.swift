import Foundation
import Testing

/// `headroom agent --brief-file` end to end: questions asked on the terminal (here, piped answers) or listed with
/// exit code 2.
@Suite(.timeLimit(.minutes(2)))
struct AgentCommandTests {
    static let brief = """
        description: a support chat; the model is not chosen yet
        traffic:
          requests: 1500
        lengths:
          preset: chat
        slo:
          ttft_ms: 1000
          tpot_ms: 80
        constraints:
          accelerators: [h100-sxm, l40s]
        """

    /// Runs `headroom agent` with `input` on standard input.
    func run(_ arguments: [String], input: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("agent-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("brief.yaml")
        try Self.brief.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = ["agent", "--brief-file", file.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HEADROOM_CONFIG_DIR"] = "/nonexistent-headroom-config"
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test func interactiveModeAsksForTheMissingFactsAndPlans() throws {
        let (status, stdout, stderr) = try run(["--interactive"], input: "llama-3.1-8b\n12\n")
        #expect(status == 0, "\(stderr)")
        #expect(stderr.contains("(field: model)") && stderr.contains("(field: traffic.peak_rps"))
        #expect(stdout.contains("answer: llama-3.1-8b") && stdout.contains("answer: 12"))
        #expect(stdout.contains("# Capacity plan: Llama 3.1 8B") && stdout.contains("peak 12 req/s"))
        #expect(stdout.contains("slo.availability"), "the assumption it makes is stated")
    }

    @Test func withoutATerminalTheQuestionsAreListedWithExitCode2() throws {
        let (status, _, stderr) = try run([], input: "")
        #expect(status == 2)
        #expect(stderr.contains("model") && stderr.contains("traffic.peak_rps"))
    }
}
