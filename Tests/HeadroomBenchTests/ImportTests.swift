import Foundation
import HeadroomCore
import Testing

@Suite struct ImportTests {
    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try Data(contentsOf: url)
    }

    static let cases: [(file: String, format: BenchImport.Format, tool: String)] = [
        ("vllm-bench-serve.json", .vllm, "import:vllm"),
        ("vllm-bench-serve-summary.json", .vllm, "import:vllm"),
        ("guidellm-benchmarks.json", .guidellm, "import:guidellm"),
        ("aiperf-profile-export.json", .aiperf, "import:aiperf"),
        ("genai-perf-profile-export.json", .aiperf, "import:genai-perf"),
    ]

    @Test(arguments: cases)
    func detectsAndImports(_ c: (file: String, format: BenchImport.Format, tool: String)) throws {
        let data = try Self.fixture(c.file)
        #expect(BenchImport.detect(data: data) == c.format)
        let results = try BenchImport.results(from: data, file: c.file)
        #expect(!results.isEmpty)
        for result in results {
            #expect(result.tool == c.tool)
            #expect(result.schemaVersion == BenchResult.currentSchemaVersion)
            #expect(result.aggregates.outputTokensPerSecond > 0)
            let ttft = try #require(result.aggregates.ttftSeconds)
            // Seconds, not milliseconds: every fixture's TTFT is tens to hundreds of ms.
            #expect(ttft.mean > 0.01 && ttft.mean < 1)
            #expect(ttft.p50 <= ttft.p90 && ttft.p90 <= ttft.p95 && ttft.p95 <= ttft.p99 && ttft.p99 <= ttft.max)
            // Round trip through Headroom's own schema.
            let again = try BenchImport.results(from: result.encoded(), file: "round-trip.json")
            #expect(again.first?.aggregates.outputTokensPerSecond == result.aggregates.outputTokensPerSecond)
        }
    }

    @Test func vllmDetailedGivesRecordsMatchingItsSummary() throws {
        let data = try Self.fixture("vllm-bench-serve.json")
        let result = try #require(try BenchImport.results(from: data, file: "v.json", format: .vllm).first)
        #expect(result.requests.count == 8)
        #expect(result.requests.filter { $0.outcome != .success }.count == 1)
        #expect(result.load.mode == "concurrency")
        #expect(result.load.concurrency == 4)
        // The detailed arrays reproduce vLLM's own summary (ms in the file, seconds here).
        let summary = try JSONDecoder().decode(VLLMSummary.self, from: data)
        let ttft = try #require(result.aggregates.ttftSeconds)
        let tpot = try #require(result.aggregates.tpotSeconds)
        #expect(abs(ttft.mean - (summary.mean_ttft_ms / 1000)) < 1e-9)
        #expect(abs(ttft.p99 - (summary.p99_ttft_ms / 1000)) < 1e-9)
        #expect(abs(tpot.p50 - (summary.median_tpot_ms / 1000)) < 1e-9)
        #expect(result.aggregates.completed == 7)
        #expect(result.warnings.isEmpty)
    }

    @Test func vllmSummaryConvertsUnitsAndInterpolates() throws {
        let data = try Self.fixture("vllm-bench-serve-summary.json")
        let result = try #require(try BenchImport.results(from: data, file: "s.json").first)
        #expect(result.requests.isEmpty)
        #expect(result.load.mode == "poisson")
        #expect(result.load.rateRequestsPerSecond == 4)
        let ttft = try #require(result.aggregates.ttftSeconds)
        #expect(abs(ttft.mean - 0.0425) < 1e-12)
        #expect(abs(ttft.p90 - 0.055) < 1e-12)
        #expect(abs(ttft.p99 - 0.0713) < 1e-12)
        // p95 was not reported: halfway-ish between p90 and p99 by quantile.
        #expect(abs(ttft.p95 - (0.055 + (0.0713 - 0.055) * 5 / 9)) < 1e-12)
        #expect(abs((result.aggregates.e2eSeconds?.p50 ?? 0) - 1.6502) < 1e-12)
        #expect(result.aggregates.meanInputTokens == 512)
        #expect(result.warnings.contains { $0.contains("interpolating") })
    }

    /// vLLM's `burstiness` is the gamma shape k of its gaps; Headroom's is their coefficient of variation, 1/√k.
    @Test(arguments: [
        ("1.0", 1.0, "poisson"), ("0.25", 2.0, "gamma"), ("4", 0.5, "gamma"), ("0.5", 1 / 0.5.squareRoot(), "gamma"),
    ])
    func vllmBurstinessBecomesTheCoefficientOfVariation(_ shape: String, _ cv: Double, _ mode: String) throws {
        let text = String(decoding: try Self.fixture("vllm-bench-serve-summary.json"), as: UTF8.self)
        let edited = text.replacing(#""burstiness": 1.0,"#, with: #""burstiness": \#(shape),"#)
        #expect(shape == "1.0" || edited != text)
        let result = try #require(try BenchImport.results(from: Data(edited.utf8), file: "s.json").first)
        let burstiness = try #require(result.load.burstiness)
        #expect(abs(burstiness - cv) < 1e-12)
        #expect(result.load.mode == mode)
        // A CV survives a round trip through Headroom's schema as a CV (not converted again).
        let again = try #require(try BenchImport.results(from: result.encoded(), file: "r.json").first)
        #expect(again.load.burstiness == burstiness)
    }

    @Test func vllmBurstinessThatIsNoShapeIsDropped() throws {
        let text = String(decoding: try Self.fixture("vllm-bench-serve-summary.json"), as: UTF8.self)
        let edited = text.replacing(#""burstiness": 1.0,"#, with: #""burstiness": 0,"#)
        let result = try #require(try BenchImport.results(from: Data(edited.utf8), file: "s.json").first)
        #expect(result.load.burstiness == nil)
    }

    @Test func guidellmImportsEachBenchmark() throws {
        let data = try Self.fixture("guidellm-benchmarks.json")
        let results = try BenchImport.results(from: data, file: "g.json")
        #expect(results.count == 2)
        #expect(results[0].load.mode == "concurrency")
        #expect(results[0].load.concurrency == 1)
        #expect(results[1].load.mode == "constant")
        #expect(results[1].load.rateRequestsPerSecond == 2)
        #expect(results[1].requests.count == 3)
        // request_latency is in seconds in GuideLLM, TTFT and ITL in ms.
        let e2e = try #require(results[1].aggregates.e2eSeconds)
        let tpot = try #require(results[1].aggregates.tpotSeconds)
        #expect(e2e.mean > 1 && e2e.mean < 3)
        #expect(tpot.mean > 0.012 && tpot.mean < 0.014)
        #expect(results[1].aggregates.meanOutputTokens == 128)
    }

    @Test func aiperfReadsLoadAndUnits() throws {
        let result = try #require(
            try BenchImport.results(from: Self.fixture("aiperf-profile-export.json"), file: "a.json").first)
        #expect(result.load.mode == "concurrency")
        #expect(result.load.concurrency == 8)
        #expect(result.target.model == "meta-llama/Llama-3.1-8B-Instruct")
        #expect(abs((result.aggregates.tpotSeconds?.p99 ?? 0) - 0.0234) < 1e-12)
        #expect(abs(result.aggregates.durationSeconds - 63.277) < 1e-12)
        let genai = try #require(
            try BenchImport.results(from: Self.fixture("genai-perf-profile-export.json"), file: "g.json").first)
        #expect(genai.load.concurrency == 4)
        #expect(abs((genai.aggregates.ttftSeconds?.mean ?? 0) - 0.05581) < 1e-12)
    }

    @Test func explicitFormatOverridesDetection() throws {
        let data = try Self.fixture("aiperf-profile-export.json")
        #expect(throws: HeadroomError.self) { try BenchImport.results(from: data, file: "a.json", format: .vllm) }
    }

    static let badFiles: [(json: String, field: String)] = [
        (#"{"duration": 10, "completed": "seven", "request_throughput": 1, "output_throughput": 2}"#, "completed"),
        (
            #"{"duration": 10, "completed": 3, "request_throughput": 1, "output_throughput": 2, "total_input_tokens": 3}"#,
            "total_output_tokens"
        ),
        (#"{"benchmarks": [{"metrics": {}}]}"#, "benchmarks[0].metrics.requests_per_second"),
        (#"{"request_throughput": {"unit": "requests/sec", "avg": 2}, "input_config": {}}"#, "output_token_throughput"),
        (
            #"{"request_throughput": {"unit": "requests/sec", "avg": 2}, "output_token_throughput": {"unit": "tokens/sec", "avg": 9}, "time_to_first_token": {"unit": "furlongs", "avg": 3}}"#,
            "time_to_first_token.unit"
        ),
    ]

    @Test(arguments: badFiles)
    func badFileNamesFileAndField(_ bad: (json: String, field: String)) {
        do {
            _ = try BenchImport.results(from: Data(bad.json.utf8), file: "bad.json")
            Issue.record("imported a bad file")
        } catch {
            #expect(error.file == "bad.json")
            #expect(error.field == bad.field)
        }
    }

    @Test func unknownFileIsRefused() {
        #expect(BenchImport.detect(data: Data(#"{"hello": 1}"#.utf8)) == nil)
        #expect(BenchImport.detect(data: Data("not json".utf8)) == nil)
        #expect(throws: HeadroomError.self) { try BenchImport.results(from: Data("[]".utf8), file: "x.json") }
    }
}

/// The summary keys `vllm bench serve` writes, spelled as it spells them.
private struct VLLMSummary: Decodable {
    var mean_ttft_ms: Double
    var p99_ttft_ms: Double
    var median_tpot_ms: Double
}
