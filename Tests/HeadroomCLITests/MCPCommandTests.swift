import Foundation
import Testing

/// `headroom mcp` as an assistant launches it: JSON-RPC lines on standard input, answers on standard output and
/// nothing else there.
@Suite(.timeLimit(.minutes(2)))
struct MCPCommandTests {
    /// Sends `lines` and closes standard input; returns standard output's lines and the exit status.
    func exchange(
        _ lines: [String], arguments: [String] = ["mcp", "--no-store"]
    ) throws -> (
        lines: [String], status: Int32, stderr: String
    ) {
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HEADROOM_CONFIG_DIR"] = "/nonexistent-headroom-config"
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        let error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        try input.fileHandleForWriting.close()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            String(decoding: stdout, as: UTF8.self).split(separator: "\n").map(String.init), process.terminationStatus,
            String(decoding: stderr, as: UTF8.self)
        )
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func answersEveryRequestBeforeExitingOnEndOfInput() throws {
        let (lines, status, stderr) = try exchange([
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"estimate","arguments":{"model":"llama-3.1-70b","accelerator":"h200","count":2,"tp":2,"precision":"fp8","input_tokens":2000,"output_tokens":300,"concurrency":16,"analytic":true}}}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"estimate","arguments":{"model":"llama-3.1-405b","accelerator":"l40s","count":1,"input_tokens":10,"output_tokens":10,"rate":1}}}"#,
        ])
        #expect(status == 0, "\(stderr)")
        #expect(lines.count == 4, "one answer per request, nothing else on stdout: \(lines.map { $0.prefix(80) })")
        let answers = try Dictionary(
            uniqueKeysWithValues: lines.map { line in
                let object = try Self.object(line)
                return ("\(object["id"] ?? "")", object)
            })
        let tools = try #require((answers["2"]?["result"] as? [String: Any])?["tools"] as? [[String: Any]])
        #expect(tools.count == 7)
        let estimate = try #require(answers["3"]?["result"] as? [String: Any])
        #expect(estimate["isError"] as? Bool == false)
        let content = try #require(estimate["content"] as? [[String: Any]])
        #expect((content.first?["text"] as? String)?.contains("output_tokens_per_second") == true)
        let refused = try #require(answers["4"]?["result"] as? [String: Any])
        #expect(refused["isError"] as? Bool == true)
        let message = try #require((refused["content"] as? [[String: Any]])?.first?["text"] as? String)
        #expect(message.contains("does not fit"), "\(message)")
    }

    @Test func aDeeplyNestedOrOversizedMessageIsAParseErrorAndTheServerGoesOn() throws {
        let initialize =
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#
        let deep =
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"estimate","arguments":{"model":"#
            + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}}}"
        let huge =
            #"{"jsonrpc":"2.0","id":3,"method":"ping","params":{"pad":""# + String(repeating: "x", count: 2 << 20)
            + #""}}"#
        let started = ContinuousClock.now
        let (lines, status, stderr) = try exchange([
            initialize, #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, deep, huge,
            #"{"jsonrpc":"2.0","id":4,"method":"ping"}"#,
        ])
        #expect(status == 0, "\(stderr)")
        // Linear in the input: the SDK's own stdio transport took over a minute for the 2 MB line.
        #expect(ContinuousClock.now - started < .seconds(20))
        let objects = try lines.map(Self.object)
        let errors = objects.compactMap { ($0["error"] as? [String: Any])?["message"] as? String }
        #expect(errors.contains { $0.contains("deeper than 64") }, "\(errors)")
        #expect(errors.contains { $0.contains("over 1048576 bytes") }, "\(errors)")
        // The server answered the requests around them.
        #expect(
            objects.contains { "\($0["id"] ?? "")" == "4" && $0["result"] != nil }, "\(lines.map { $0.prefix(80) })")
    }
}
