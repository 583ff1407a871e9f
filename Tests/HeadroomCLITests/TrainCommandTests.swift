import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `headroom train` end to end, through the built executable.
@Suite(.serialized) struct TrainCommandTests {
    let cli = CommandLineTests()
    static let doneWhen = [
        "train", "--model", "llama-3.1-405b", "--tokens", "15.6e12", "--accelerator", "h100-sxm", "--count", "16384",
        "--mfu", "0.4",
    ]

    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try cli.run(arguments + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func printsTheContractKeys() throws {
        let json = try json(Self.doneWhen)
        for key in [
            "total_flops", "gpu_hours", "wall_days", "mfu", "memory_per_accelerator_gib", "expected_interruptions",
            "checkpoint_interval_minutes", "goodput_fraction",
        ] {
            #expect(json[key] is Double, "missing \(key)")
        }
        // Beside the Llama 3 paper: 3.8e25 FLOPs, 30.84M H100-hours (model card).
        let flops = try #require(json["total_flops"] as? Double)
        let hours = try #require(json["gpu_hours"] as? Double)
        #expect(abs(flops / 3.8e25 - 1) < 0.05)
        #expect(abs(hours / 30.84e6 - 1) < 0.10)
        #expect(json["mfu"] as? Double == 0.4)
        #expect((json["goodput_fraction"] as? Double ?? 0) > 0.9)
        let procurement = try #require(json["procurement"] as? [String: Any])
        #expect(procurement["nodes"] as? Int == 2048)
        #expect(!((procurement["costs"] as? [Any]) ?? []).isEmpty)
    }

    @Test func paramsAloneWork() throws {
        let json = try json([
            "train", "--params", "7B", "--tokens", "2T", "--accelerator", "a100-80g", "--count", "256", "--mfu", "0.45",
        ])
        #expect(abs((json["total_flops"] as? Double ?? 0) / (6 * 7e9 * 2e12) - 1) < 1e-9)
        #expect((json["assumptions"] as? [String] ?? []).contains { $0.contains("parameter count only") })
    }

    @Test func specFileAndFlagsOverride() throws {
        let spec = CommandLineTests.repositoryRoot.appendingPathComponent("examples/train-llama405b.yaml").path
        let fromFile = try json(["train", spec])
        #expect(fromFile["mfu"] as? Double == 0.4)
        let overridden = try json(["train", spec, "--mfu", "0.2"])
        #expect(overridden["mfu"] as? Double == 0.2)
        #expect((overridden["wall_days"] as? Double ?? 0) > (fromFile["wall_days"] as? Double ?? 0))
        let deadline = try #require(fromFile["deadline"] as? [String: Double])
        #expect(deadline["accelerators_needed"] ?? 0 > 16384)
    }

    @Test func badSpecNamesFileLineAndField() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-train-\(UUID()).yaml")
        try "model: llama-3.1-405b\ntokens: 15.6T\naccelerator: h100-sxm\ncount: 64\nparallelism:\n  zero: 7\n"
            .write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try cli.run(["train", url.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(url.path):6"), "\(result.stderr)")
        #expect(result.stderr.contains("parallelism.zero"))
    }

    @Test func modelThatDoesNotFitExitsNonZero() throws {
        let result = try cli.run([
            "train", "--model", "llama-3.1-405b", "--tokens", "1T", "--accelerator", "h100-sxm", "--count", "8",
            "--tp", "8", "--zero", "0",
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("over by"))
    }

    @Test(arguments: ["table", "markdown", "html"])
    func rendersEveryFormat(format: String) throws {
        let result = try cli.run(Self.doneWhen + ["--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        switch format {
        case "html":
            #expect(result.stdout.hasPrefix("<!DOCTYPE html>"))
            #expect(result.stdout.contains("<svg"))
            #expect(!result.stdout.contains("<script"))
            let xml = String(result.stdout.drop { $0 != "\n" })
            #expect(XMLParser(data: Data(xml.utf8)).parse(), "the page is not well-formed XML")
        case "markdown": #expect(result.stdout.contains("| --- |"))
        default: #expect(result.stdout.contains("goodput"))
        }
    }
}
