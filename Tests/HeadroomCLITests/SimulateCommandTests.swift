import Foundation
import Testing

@Suite(.serialized) struct SimulateCommandTests {
    let cli = CommandLineTests()

    static let flags = [
        "simulate", "--model", "llama-3.1-8b", "--accelerator", "h100-sxm", "--count", "2", "--precision", "fp8",
        "--input-tokens", "800", "--output-tokens", "150", "--input-dist", "lognormal", "--output-dist",
        "lognormal:0.6",
        "--rate", "15", "--requests", "1500", "--format", "json", "--slo-ttft-ms", "300", "--slo-tpot-ms", "40",
    ]

    @Test func jsonHasTheContractAndReplaysByteForByte() throws {
        let first = try cli.run(Self.flags)
        let second = try cli.run(Self.flags)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        for key in [
            "output_tokens_per_second", "requests_per_second", "ttft_ms", "tpot_ms", "e2e_ms", "memory",
            "simulated_requests", "simulated_seconds", "goodput_requests_per_second", "preemptions",
        ] {
            #expect(json.keys.contains(key), "missing \(key)")
        }
        #expect(json["simulated_requests"] as? Int == 1500)
        #expect(!json.keys.contains("wall_seconds"), "wall time only with --timing")
        let other = try cli.run(Self.flags.map { $0 == "1500" ? "1500" : $0 } + ["--seed", "2"])
        #expect(other.stdout != first.stdout)
    }

    @Test func timingAndTimeSeries() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ts-\(UUID().uuidString).csv").path
        let result = try cli.run(Self.flags + ["--timing", "--timeseries", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"wall_seconds\""))
        let csv = try String(contentsOfFile: path, encoding: .utf8)
        #expect(csv.hasPrefix("time_s,running,waiting,kv_utilisation\n"))
        #expect(csv.split(separator: "\n").count > 10)
    }

    @Test func workloadFileRunsAndBadFieldsNameTheLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let good = """
            model: llama-3.1-8b
            traffic:
              requests: 800
              arrival: gamma
              rate_rps: 10
              burstiness: 2
            lengths:
              preset: chat
            slo:
              ttft_ms: 400
            deployment:
              accelerator: h100-sxm
              count: 1
              precision: fp8
            """
        let goodPath = folder.appendingPathComponent("good.yaml")
        try good.write(to: goodPath, atomically: true, encoding: .utf8)
        let ok = try cli.run(["simulate", goodPath.path])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("goodput"))

        let bad = good.replacingOccurrences(of: "burstiness: 2", with: "burstiness: -2")
        let badPath = folder.appendingPathComponent("bad.yaml")
        try bad.write(to: badPath, atomically: true, encoding: .utf8)
        let failed = try cli.run(["simulate", badPath.path])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("bad.yaml:6"), "\(failed.stderr)")
        #expect(failed.stderr.contains("traffic.burstiness"))
    }

    @Test func deploymentInOneFlag() throws {
        let file = CommandLineTests.repositoryRoot.appendingPathComponent("examples/chat-llama8b.yaml").path
        let ok = try cli.run([
            "simulate", file, "--deployment", "accelerator=h200,count=2,precision=fp8,stack=sglang", "--requests",
            "500",
            "--format", "json",
        ])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("\"accelerator\" : \"h200\"") && ok.stdout.contains("\"stack\" : \"sglang\""))
        let bad = try cli.run(["simulate", file, "--deployment", "accelerator=h200,colour=red", "--requests", "100"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unknown key 'colour'"))
    }

    @Test func sweepPrintsEveryRate() throws {
        let result = try cli.run([
            "simulate", "--model", "llama-3.1-8b", "--accelerator", "h100-sxm", "--count", "1", "--precision", "fp8",
            "--preset", "chat", "--sweep", "5,15,25", "--requests", "600",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 5)
    }

    @Test func estimateTakesItsLatenciesFromTheSimulator() throws {
        let result = try cli.run(CommandLineTests.base + ["--rate", "4", "--format", "table"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("discrete-event simulation"))
    }
}
