import Foundation
import HeadroomCore
import Testing

// MARK: vllm bench serve (vLLM 0.34.0)

extension RealToolImportTests {
    /// `vllm bench serve --save-result` files written by vLLM 0.34.0's client against llama-server, each beside the
    /// summary table the tool printed (`<fixture>.txt`, its stdout).
    static let vllmFiles = ["vllm-0.34.0-concurrency-chat.json", "vllm-0.34.0-rate-completions.json"]

    /// The `label: value` lines of vLLM's printed summary table ("Mean TTFT (ms):  6331.45").
    static func vllmTable(_ file: String) throws -> [String: Double] {
        let text = String(decoding: try ImportTests.fixture(file.replacing(".json", with: ".txt")), as: UTF8.self)
        var rows: [String: Double] = [:]
        var inTable = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("============ Serving Benchmark Result") {
                inTable = true
                continue
            }
            guard inTable, let colon = line.lastIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if let number = Double(value) {
                rows[String(line[..<colon])] = number
            }
        }
        return rows
    }

    /// Equal to a printed figure within 1 %, or within the half unit of its last printed (second) decimal.
    static func expectPrinted(
        _ imported: Double?, _ printed: Double?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let imported, let printed else {
            Issue.record(
                "\(what): imported \(String(describing: imported)), printed \(String(describing: printed))",
                sourceLocation: sourceLocation)
            return
        }
        #expect(
            abs(imported - printed) <= max(abs(printed) * 0.01, 0.005 + 1e-9),
            "\(what): imported \(imported), printed \(printed)", sourceLocation: sourceLocation)
    }

    /// Compares a distribution with the figures vLLM reported (ms); a statistic it did not report is not compared,
    /// but mean, median and p99 must be there.
    static func expectReported(
        _ d: BenchDistribution?, mean: Double?, p50: Double?, p90: Double?, p99: Double?, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            mean != nil && p50 != nil && p99 != nil, "\(what): the file lacks a figure", sourceLocation: sourceLocation)
        for (name, imported, reported) in [
            ("mean", d?.mean, mean), ("p50", d?.p50, p50), ("p90", d?.p90, p90), ("p99", d?.p99, p99),
        ]
        where reported != nil {
            expectClose(imported, reported.map { $0 / 1000 }, "\(what) \(name)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: vllmFiles)
    func vllmFiguresEqualTheToolsOwn(_ file: String) throws {
        let raw = try JSON(file: file)
        let data = try ImportTests.fixture(file)
        #expect(BenchImport.detect(data: data) == .vllm)
        let result = try #require(try BenchImport.results(from: data, file: file).first)
        #expect(result.tool == "import:vllm")
        let a = result.aggregates
        let completed = try #require(raw["completed"].int)
        #expect(a.completed == completed)
        #expect(a.outcomes["success"] == completed)
        #expect(a.outcomes.filter { $0.key != "success" }.values.reduce(0, +) == raw["failed"].int)
        #expect(result.load.requests == raw["num_prompts"].int)
        Self.expectClose(a.durationSeconds, raw["duration"].double, "duration")
        Self.expectClose(a.requestsPerSecond, raw["request_throughput"].double, "req/s")
        Self.expectClose(a.outputTokensPerSecond, raw["output_throughput"].double, "output tok/s")
        Self.expectClose(a.totalTokensPerSecond, raw["total_token_throughput"].double, "total tok/s")
        #expect(a.goodputRequestsPerSecond == raw["request_goodput"].double)
        Self.expectClose(
            a.meanInputTokens * Double(completed), raw["total_input_tokens"].double, "total input tokens")
        Self.expectClose(
            a.meanOutputTokens * Double(completed), raw["total_output_tokens"].double, "total output tokens")
        for (name, d) in [
            ("ttft", a.ttftSeconds), ("tpot", a.tpotSeconds), ("itl", a.itlSeconds), ("e2el", a.e2eSeconds),
        ] {
            Self.expectReported(
                d, mean: raw["mean_\(name)_ms"].double, p50: raw["median_\(name)_ms"].double,
                p90: raw["p90_\(name)_ms"].double, p99: raw["p99_\(name)_ms"].double, name)
            Self.expectClose(d?.p50, raw["p50_\(name)_ms"].double.map { $0 / 1000 }, "\(name) p50 key")
        }
        // Load: request_rate "inf" with max_concurrency N is N clients; a number with max_concurrency null is a
        // Poisson rate (burstiness 1).
        if let rate = raw["request_rate"].double {
            #expect(raw["max_concurrency"].value is NSNull)
            #expect(result.load.mode == "poisson")
            #expect(result.load.rateRequestsPerSecond == rate)
            #expect(result.load.concurrency == nil)
        } else {
            #expect(raw["request_rate"].string == "inf")
            #expect(result.load.mode == "concurrency")
            #expect(result.load.concurrency == raw["max_concurrency"].int)
        }
        #expect(result.load.burstiness == 1)
        #expect(result.load.mode != BenchLoad.unknownMode)
        #expect(result.target.model == raw["model_id"].string)
        #expect(result.target.api == (raw["backend"].string == "openai-chat" ? "chat" : "completions"))
        #expect(result.startedAt.hasPrefix("2026-12-07T"))
    }

    /// The figures vLLM printed (its stdout, rounded to two decimals) come out of the import too.
    @Test(arguments: vllmFiles)
    func vllmPrintedTableEqualsTheImport(_ file: String) throws {
        let table = try Self.vllmTable(file)
        let result = try #require(try BenchImport.results(from: try ImportTests.fixture(file), file: file).first)
        let a = result.aggregates
        #expect(Double(a.completed) == table["Successful requests"])
        #expect(
            Double(a.outcomes.filter { $0.key != "success" }.values.reduce(0, +)) == table["Failed requests"])
        if let clients = table["Maximum request concurrency"] {
            #expect(result.load.concurrency.map(Double.init) == clients)
        }
        if let rate = table["Request rate configured (RPS)"] {
            Self.expectPrinted(result.load.rateRequestsPerSecond, rate, "rate")
        }
        #expect((table["Maximum request concurrency"] == nil) != (table["Request rate configured (RPS)"] == nil))
        Self.expectPrinted(a.durationSeconds, table["Benchmark duration (s)"], "duration")
        Self.expectPrinted(a.meanInputTokens * Double(a.completed), table["Total input tokens"], "input tokens")
        Self.expectPrinted(a.meanOutputTokens * Double(a.completed), table["Total generated tokens"], "output tokens")
        Self.expectPrinted(a.requestsPerSecond, table["Request throughput (req/s)"], "req/s")
        Self.expectPrinted(a.outputTokensPerSecond, table["Output token throughput (tok/s)"], "output tok/s")
        Self.expectPrinted(a.totalTokensPerSecond, table["Total token throughput (tok/s)"], "total tok/s")
        var checked = 0
        for (label, d) in [
            ("TTFT", a.ttftSeconds), ("TPOT", a.tpotSeconds), ("ITL", a.itlSeconds), ("E2EL", a.e2eSeconds),
        ] {
            for (stat, value) in [
                ("Mean", d?.mean), ("Median", d?.p50), ("P50", d?.p50), ("P90", d?.p90), ("P99", d?.p99),
            ] {
                let printed = try #require(table["\(stat) \(label) (ms)"], "\(stat) \(label) not printed")
                Self.expectPrinted(value.map { $0 * 1000 }, printed, "\(stat) \(label)")
                checked += 1
            }
        }
        #expect(checked == 20)
    }

    /// `--save-detailed` keeps every request: the failed ones as failures with vLLM's error, and the successful
    /// ones' TTFT, ITLs and latency reproduce vLLM's own summary.
    @Test func vllmDetailedRecordsMatchTheToolsSummary() throws {
        let file = "vllm-0.34.0-concurrency-chat.json"
        let raw = try JSON(file: file)
        let result = try #require(try BenchImport.results(from: try ImportTests.fixture(file), file: file).first)
        let errors = raw["errors"].array.map { $0.string ?? "" }
        #expect(result.requests.count == errors.count)
        #expect(result.requests.count == raw["num_prompts"].int)
        for (record, error) in zip(result.requests, errors) {
            #expect((record.outcome == .success) == error.isEmpty)
            if !error.isEmpty { #expect(record.error == error) }
        }
        let ok = result.requests.filter { $0.outcome == .success }
        #expect(ok.count == raw["completed"].int)
        #expect(ok.allSatisfy { $0.itlSeconds.count == $0.outputTokens - 1 })
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
        Self.expectClose(mean(ok.compactMap(\.ttftSeconds)), raw["mean_ttft_ms"].double.map { $0 / 1000 }, "TTFT")
        Self.expectClose(mean(ok.compactMap(\.tpotSeconds)), raw["mean_tpot_ms"].double.map { $0 / 1000 }, "TPOT")
        Self.expectClose(mean(ok.flatMap(\.itlSeconds)), raw["mean_itl_ms"].double.map { $0 / 1000 }, "ITL")
        Self.expectClose(mean(ok.compactMap(\.e2eSeconds)), raw["mean_e2el_ms"].double.map { $0 / 1000 }, "E2EL")
        #expect(ok.map(\.outputTokens).reduce(0, +) == raw["total_output_tokens"].int)
        #expect(ok.map(\.inputTokens).reduce(0, +) == raw["total_input_tokens"].int)
        #expect(result.requests.allSatisfy { $0.actualSendSeconds >= 0 })
        // Without --save-detailed the per-request arrays are not written, and none are made up.
        let rate = "vllm-0.34.0-rate-completions.json"
        let summary = try #require(try BenchImport.results(from: try ImportTests.fixture(rate), file: rate).first)
        #expect(summary.requests.isEmpty)
    }

    /// A published result of the older `benchmarks/benchmark_serving.py` (nerdalert/vllm-bench-automation's README,
    /// the 10 QPS block): `request_goodput:` spelled with a colon, no `failed`, `--metadata` pairs merged at the top
    /// level, `max_concurrency: null` for a rate run, only mean/median/p99 of TTFT, TPOT and ITL.
    @Test func vllmPublishedBenchmarkServingResultImports() throws {
        let file = "vllm-benchmark_serving-2025-05-30-rate10.json"
        let raw = try JSON(file: file)
        let data = try ImportTests.fixture(file)
        #expect(BenchImport.detect(data: data) == .vllm)
        let result = try #require(try BenchImport.results(from: data, file: file).first)
        let a = result.aggregates
        #expect(a.completed == raw["completed"].int)
        #expect(a.outcomes == ["success": 300])
        #expect(result.load.requests == raw["num_prompts"].int)
        Self.expectClose(a.durationSeconds, raw["duration"].double, "duration")
        Self.expectClose(a.requestsPerSecond, raw["request_throughput"].double, "req/s")
        Self.expectClose(a.outputTokensPerSecond, raw["output_throughput"].double, "output tok/s")
        Self.expectClose(a.totalTokensPerSecond, raw["total_token_throughput"].double, "total tok/s")
        #expect(a.goodputRequestsPerSecond == nil)
        Self.expectClose(a.meanInputTokens * 300, raw["total_input_tokens"].double, "input tokens")
        Self.expectClose(a.meanOutputTokens * 300, raw["total_output_tokens"].double, "output tokens")
        for (name, d) in [("ttft", a.ttftSeconds), ("tpot", a.tpotSeconds), ("itl", a.itlSeconds)] {
            Self.expectReported(
                d, mean: raw["mean_\(name)_ms"].double, p50: raw["median_\(name)_ms"].double, p90: nil,
                p99: raw["p99_\(name)_ms"].double, name)
        }
        #expect(a.e2eSeconds == nil)
        #expect(result.load.mode == "poisson")
        #expect(result.load.rateRequestsPerSecond == 10)
        #expect(result.load.concurrency == nil)
        #expect(result.target.model == "meta-llama/Llama-3.2-3B-Instruct")
        #expect(result.target.api == "completions")
        #expect(result.startedAt.hasPrefix("2025-05-30T20:38:06"))
        // The colon-spelled goodput is read when it holds a number.
        let text = String(decoding: data, as: UTF8.self)
            .replacing(#""request_goodput:": null"#, with: #""request_goodput:": 7.5"#)
        let withGoodput = try #require(try BenchImport.results(from: Data(text.utf8), file: file).first)
        #expect(withGoodput.aggregates.goodputRequestsPerSecond == 7.5)
    }
}
