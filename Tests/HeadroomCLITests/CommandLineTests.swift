import Foundation
import Testing

/// Runs the built `headroom` executable end to end.
@Suite(.serialized) struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The package root (tests run from the build folder).
    static var repositoryRoot: URL {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            folder = folder.deletingLastPathComponent()
        }
        return folder
    }

    static var executable: URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("headroom")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/headroom")
    }

    func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HEADROOM_CONFIG_DIR"] = "/nonexistent-headroom-config"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }

    static let base = [
        "estimate", "--model", "llama-3.1-70b", "--accelerator", "h100-sxm", "--count", "8", "--tp", "4",
        "--precision", "fp8", "--stack", "vllm", "--input-tokens", "1024", "--output-tokens", "256", "--format", "json",
    ]

    @Test(arguments: [
        ["--rate", "4"], ["--concurrency", "32"], ["--offline"],
        ["--slo-ttft-ms", "500", "--slo-tpot-ms", "50", "--max-rate"],
    ])
    func estimatePrintsTheContract(load: [String]) throws {
        let result = try run(Self.base + load)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in [
            "output_tokens_per_second", "output_tokens_per_second_per_accelerator", "requests_per_second",
            "max_rate_requests_per_second", "ttft_ms", "tpot_ms", "e2e_ms", "memory", "assumptions",
        ] {
            #expect(json.keys.contains(key), "missing \(key)")
        }
        for key in ["ttft_ms", "tpot_ms", "e2e_ms"] {
            let latency = try #require(json[key] as? [String: Double])
            #expect(Set(latency.keys) == ["p50", "p90", "p99"])
            #expect(latency["p50"]! <= latency["p99"]! && latency["p50"]! > 0)
        }
        let memory = try #require(json["memory"] as? [String: Any])
        for key in ["weights_gib", "kv_cache_gib", "max_concurrent_sequences", "fits"] {
            #expect(memory.keys.contains(key))
        }
        #expect(memory["fits"] as? Bool == true)
        if load.contains("--max-rate") { #expect(json["max_rate_requests_per_second"] as? Double ?? 0 > 0) }
    }

    struct BadInvocation: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var mentions: String
        var testDescription: String { mentions }
    }

    static let bad: [BadInvocation] = [
        .init(
            arguments: [
                "estimate", "--model", "llama-9", "--accelerator", "h100-sxm", "--count", "1", "--input-tokens", "10",
                "--output-tokens", "10", "--rate", "1",
            ], mentions: "unknown model"),
        .init(
            arguments: [
                "estimate", "--model", "llama-3.1-8b", "--accelerator", "h100-sxm", "--count", "1", "--input-tokens",
                "-5", "--output-tokens", "10", "--rate", "1",
            ], mentions: "input-tokens"),
        // Core errors name fields (`count`, `tp`); the CLI names them as its flags.
        .init(
            arguments: [
                "estimate", "--model", "llama-3.1-8b", "--accelerator", "h100-sxm", "--count", "3", "--tp", "2",
                "--input-tokens", "10", "--output-tokens", "10", "--rate", "1",
            ], mentions: "--count 3 is not a multiple of tp·pp = 2"),
        .init(
            arguments: [
                "estimate", "--model", "llama-3.1-8b", "--accelerator", "h100-sxm", "--count", "3", "--tp", "3",
                "--input-tokens", "10", "--output-tokens", "10", "--rate", "1",
            ], mentions: "--tp 3 must divide the model's 32 attention heads"),
        .init(
            arguments: [
                "estimate", "--model", "llama-3.1-8b", "--accelerator", "h100-sxm", "--count", "1", "--input-tokens",
                "10", "--output-tokens", "10", "--max-rate",
            ], mentions: "--max-rate needs --slo-ttft-ms and/or --slo-tpot-ms"),
        .init(
            arguments: [
                "estimate", "--model", "llama-3.1-70b", "--accelerator", "h100-sxm", "--count", "1", "--precision",
                "bf16", "--input-tokens", "10", "--output-tokens", "10", "--rate", "1",
            ], mentions: "does not fit"),
        .init(
            arguments: [
                "estimate", "--model", "llama-3.1-8b", "--accelerator", "mi300x", "--count", "1", "--stack", "trtllm",
                "--input-tokens", "10", "--output-tokens", "10", "--rate", "1",
            ], mentions: "does not run"),
        .init(
            arguments: [
                "estimate", "--model", "llama-3.1-8b", "--accelerator", "h100-sxm", "--count", "1", "--input-tokens",
                "10", "--output-tokens", "10",
            ], mentions: "give a load"),
        .init(
            arguments: [
                "estimate", "--model", "llama-3.1-8b", "--accelerator", "h100-sxm", "--count", "1", "--input-tokens",
                "1000", "--output-tokens", "100", "--rate", "100000",
            ], mentions: "--rate 100000 req/s exceeds the deployment's capacity"),
        .init(
            arguments: [
                "estimate", "--model", "llama-3.1-8b", "--accelerator", "h100-sxm", "--count", "1", "--input-tokens",
                "10", "--output-tokens", "10", "--rate", "1", "--precision", "fp9",
            ], mentions: "unknown precision"),
    ]

    @Test(arguments: bad)
    func badInputExitsNonZeroWithAClearError(bad: BadInvocation) throws {
        let result = try run(bad.arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(bad.mentions), "stderr: \(result.stderr)")
        #expect(!result.stderr.lowercased().contains("nan"))
    }

    @Test func importsAConfigJSON() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hf-\(UUID().uuidString)/my-model")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("config.json")
        try
            #"{"num_hidden_layers": 32, "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 128256, "max_position_embeddings": 131072}"#
            .write(to: config, atomically: true, encoding: .utf8)
        let result = try run([
            "estimate", "--model", config.path, "--accelerator", "h100-sxm", "--count", "1", "--input-tokens", "512",
            "--output-tokens", "128", "--concurrency", "8", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("my-model"))
    }

    @Test func validatePrintsMediansWithinTargets() throws {
        let result = try run(["validate", "--summary-only", "--strict"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(
            result.stdout.contains("throughput") && result.stdout.contains("ttft") && result.stdout.contains("tpot"))
    }

    @Test func sameInputSameBytes() throws {
        let first = try run(Self.base + ["--rate", "3"])
        let second = try run(Self.base + ["--rate", "3"])
        #expect(first.stdout == second.stdout)
    }
}
