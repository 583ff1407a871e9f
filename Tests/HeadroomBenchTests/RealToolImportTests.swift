import Foundation
import HeadroomCore
import Testing

/// The tools' own output files (captured against llama-server; Fixtures/README.md has the commands): every figure
/// the tool reports in the file must come out of the import equal to the tool's own, within 1 %.
@Suite struct RealToolImportTests {
    /// A JSON document read loosely, to check the import against the file itself (not against numbers copied here).
    struct JSON {
        var value: Any?

        init(_ value: Any?) { self.value = value }

        init(file name: String) throws {
            value = try JSONSerialization.jsonObject(with: try ImportTests.fixture(name))
        }

        subscript(_ key: String) -> JSON { JSON((value as? [String: Any])?[key]) }
        subscript(_ index: Int) -> JSON {
            guard let list = value as? [Any], list.indices.contains(index) else { return JSON(nil) }
            return JSON(list[index])
        }
        var double: Double? { (value as? NSNumber)?.doubleValue }
        var int: Int? { (value as? NSNumber)?.intValue }
        var string: String? { value as? String }
        var array: [JSON] { (value as? [Any])?.map(JSON.init) ?? [] }
    }

    /// Equal within 1 % of the tool's figure (or 1e-9 absolute for zeros).
    static func expectClose(
        _ imported: Double?, _ reported: Double?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let imported, let reported else {
            Issue.record(
                "\(what): imported \(String(describing: imported)), reported \(String(describing: reported))",
                sourceLocation: sourceLocation)
            return
        }
        #expect(
            abs(imported - reported) <= max(abs(reported) * 0.01, 1e-9),
            "\(what): imported \(imported), tool \(reported)",
            sourceLocation: sourceLocation)
    }

    /// Compares a distribution with the tool's summary (each value times `scale` to seconds).
    static func expectDistribution(
        _ d: BenchDistribution?, mean: Double?, p50: Double?, p90: Double?, p95: Double?, p99: Double?, max: Double?,
        scale: Double, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let d else {
            Issue.record("\(what): not imported", sourceLocation: sourceLocation)
            return
        }
        for (name, imported, reported) in [
            ("mean", d.mean, mean), ("p50", d.p50, p50), ("p90", d.p90, p90), ("p95", d.p95, p95), ("p99", d.p99, p99),
            ("max", d.max, max),
        ] {
            expectClose(imported, reported.map { $0 * scale }, "\(what) \(name)", sourceLocation: sourceLocation)
        }
    }

    // MARK: GuideLLM 0.8.1

    static let guidellmFiles = ["guidellm-0.8.1-concurrent-chat.json", "guidellm-0.8.1-constant-completions.json"]

    @Test(arguments: guidellmFiles)
    func guidellmFiguresEqualTheToolsOwn(_ file: String) throws {
        let raw = try JSON(file: file)
        let results = try BenchImport.results(from: try ImportTests.fixture(file), file: file)
        #expect(BenchImport.detect(data: try ImportTests.fixture(file)) == .guidellm)
        let benchmarks = raw["benchmarks"].array
        #expect(results.count == benchmarks.count)
        for (b, result) in zip(benchmarks, results) {
            let m = b["metrics"]
            func ok(_ name: String) -> JSON { m[name]["successful"] }
            let totals = m["request_totals"]
            #expect(result.aggregates.completed == totals["successful"].int)
            #expect(result.aggregates.outcomes["success"] == totals["successful"].int)
            #expect(result.aggregates.outcomes[BenchOutcome.httpError.rawValue] ?? 0 == totals["errored"].int)
            Self.expectClose(result.aggregates.durationSeconds, b["duration"].double, "duration")
            Self.expectClose(result.aggregates.requestsPerSecond, ok("requests_per_second")["mean"].double, "req/s")
            Self.expectClose(
                result.aggregates.outputTokensPerSecond, ok("output_tokens_per_second")["mean"].double, "output tok/s")
            Self.expectClose(result.aggregates.totalTokensPerSecond, ok("tokens_per_second")["mean"].double, "tok/s")
            Self.expectClose(result.aggregates.meanInputTokens, ok("prompt_token_count")["mean"].double, "input")
            Self.expectClose(result.aggregates.meanOutputTokens, ok("output_token_count")["mean"].double, "output")
            for (name, d, scale) in [
                ("time_to_first_token_ms", result.aggregates.ttftSeconds, 1e-3),
                ("inter_token_latency_ms", result.aggregates.tpotSeconds, 1e-3),
                ("inter_token_latency_ms", result.aggregates.itlSeconds, 1e-3),
                ("request_latency", result.aggregates.e2eSeconds, 1.0),
            ] {
                let s = ok(name)
                let p = s["percentiles"]
                Self.expectDistribution(
                    d, mean: s["mean"].double, p50: p["p50"].double, p90: p["p90"].double, p95: p["p95"].double,
                    p99: p["p99"].double, max: s["max"].double, scale: scale, name)
            }
            // Load and target.
            let strategy = b["config"]["strategy"]
            switch strategy["type_"].string {
            case "concurrent":
                #expect(result.load.mode == "concurrency")
                #expect(result.load.concurrency == strategy["streams"].int)
            case "constant", "poisson":
                #expect(result.load.mode == strategy["type_"].string)
                #expect(result.load.rateRequestsPerSecond == strategy["rate"].double)
            default:
                Issue.record("fixture strategy \(String(describing: strategy["type_"].string)) not covered")
            }
            let backend = b["config"]["backend"]
            #expect(result.target.url == backend["target"].string)
            #expect(result.target.model == backend["model"].string)
            let format = try #require(backend["request_format"].string)
            #expect(result.target.api == (format.contains("chat") ? "chat" : "completions"))
            #expect(result.startedAt == ImportSupportProbe.isoDate(b["start_time"].double))
            // Every request record kept, each as GuideLLM measured it.
            let requests = b["requests"]["successful"].array
            #expect(result.requests.count == requests.count)
            #expect(!result.warnings.contains { $0.contains("sampled") })
            let byStart = requests.sorted {
                ($0["request_start_time"].double ?? 0) < ($1["request_start_time"].double ?? 0)
            }
            for (record, request) in zip(result.requests, byStart) {
                #expect(record.outcome == .success)
                #expect(record.inputTokens == request["prompt_tokens"].int)
                #expect(record.outputTokens == request["output_tokens"].int)
                Self.expectClose(record.ttftSeconds, request["time_to_first_token_ms"].double.map { $0 / 1000 }, "ttft")
                Self.expectClose(record.e2eSeconds, request["request_latency"].double, "e2e")
                Self.expectClose(record.tpotSeconds, request["inter_token_latency_ms"].double.map { $0 / 1000 }, "tpot")
            }
            // The records reproduce GuideLLM's own TTFT summary.
            let ttfts = result.requests.compactMap(\.ttftSeconds)
            Self.expectClose(
                ttfts.reduce(0, +) / Double(ttfts.count), ok("time_to_first_token_ms")["mean"].double.map { $0 / 1000 },
                "mean TTFT of the records")
        }
    }

    // MARK: AIPerf 0.13.0

    static let aiperfFiles = ["aiperf-0.13.0-concurrency-chat.json", "aiperf-0.13.0-poisson-completions.json"]

    @Test(arguments: aiperfFiles)
    func aiperfFiguresEqualTheToolsOwn(_ file: String) throws {
        let raw = try JSON(file: file)
        #expect(BenchImport.detect(data: try ImportTests.fixture(file)) == .aiperf)
        let result = try #require(try BenchImport.results(from: try ImportTests.fixture(file), file: file).first)
        #expect(result.tool == "import:aiperf")
        let a = result.aggregates
        #expect(a.completed == raw["request_count"]["avg"].int)
        #expect(a.outcomes[BenchOutcome.httpError.rawValue] ?? 0 == raw["error_request_count"]["avg"].int ?? 0)
        Self.expectClose(a.requestsPerSecond, raw["request_throughput"]["avg"].double, "req/s")
        Self.expectClose(a.outputTokensPerSecond, raw["output_token_throughput"]["avg"].double, "output tok/s")
        Self.expectClose(a.totalTokensPerSecond, raw["total_token_throughput"]["avg"].double, "total tok/s")
        Self.expectClose(a.durationSeconds, raw["benchmark_duration"]["avg"].double, "duration")
        Self.expectClose(a.meanInputTokens, raw["input_sequence_length"]["avg"].double, "input")
        Self.expectClose(a.meanOutputTokens, raw["output_sequence_length"]["avg"].double, "output")
        for (name, d) in [
            ("time_to_first_token", a.ttftSeconds), ("inter_token_latency", a.tpotSeconds),
            ("inter_chunk_latency", a.itlSeconds), ("request_latency", a.e2eSeconds),
        ] {
            let m = raw[name]
            #expect(m["unit"].string == "ms")
            Self.expectDistribution(
                d, mean: m["avg"].double, p50: m["p50"].double, p90: m["p90"].double, p95: m["p95"].double,
                p99: m["p99"].double, max: m["max"].double, scale: 1e-3, name)
        }
        let config = raw["input_config"]
        let phase = config["phases"][0]
        switch phase["type"].string {
        case "concurrency":
            #expect(result.load.mode == "concurrency")
            #expect(result.load.concurrency == phase["concurrency"].int)
        case let type?:
            #expect(result.load.mode == type)
            #expect(result.load.rateRequestsPerSecond == phase["rate"].double)
        case nil:
            Issue.record("fixture has no phase")
        }
        #expect(result.load.mode != BenchLoad.unknownMode)
        #expect(result.target.url == config["endpoint"]["urls"][0].string)
        #expect(result.target.model == config["models"]["items"][0]["name"].string)
        #expect(result.target.api == config["endpoint"]["type"].string)
        let started = try #require(raw["start_time"].string)
        #expect(result.startedAt.hasPrefix(started))
    }
}

extension RealToolImportTests {
    /// AIPerf's per-request records (`profile_export.jsonl`, committed as `<fixture>.jsonl`) reproduce its own
    /// aggregates: every request, the failed ones as failures, TTFT and latency means within 1 %.
    @Test(arguments: aiperfFiles)
    func aiperfRecordsMatchItsAggregates(_ file: String) throws {
        let raw = try JSON(file: file)
        var result = try #require(try BenchImport.results(from: try ImportTests.fixture(file), file: file).first)
        let jsonl = file.replacing(".json", with: ".jsonl")
        try BenchImport.attachAIPerfRecords(to: &result, jsonl: try ImportTests.fixture(jsonl), file: jsonl)
        let measured = result.requests.filter { !$0.warmup }
        let ok = measured.filter { $0.outcome == .success }
        #expect(ok.count == raw["request_count"]["avg"].int)
        #expect(measured.count - ok.count == raw["error_request_count"]["avg"].int ?? 0)
        #expect(!result.warnings.contains { $0.contains("measured requests") })
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
        Self.expectClose(
            mean(ok.compactMap(\.ttftSeconds)), raw["time_to_first_token"]["avg"].double.map { $0 / 1000 },
            "records' mean TTFT")
        Self.expectClose(
            mean(ok.compactMap(\.e2eSeconds)), raw["request_latency"]["avg"].double.map { $0 / 1000 },
            "records' mean latency")
        Self.expectClose(
            mean(ok.map { Double($0.outputTokens) }), raw["output_sequence_length"]["avg"].double, "records' output")
        #expect(
            zip(result.requests, result.requests.dropFirst()).allSatisfy {
                $0.actualSendSeconds <= $1.actualSendSeconds
            })
        #expect(ok.allSatisfy { !$0.itlSeconds.isEmpty })
    }

    /// A records file that is not AIPerf's is refused with its line.
    @Test func aiperfRecordsThatAreNotAIPerfsNameTheLine() throws {
        var result = try #require(
            try BenchImport.results(
                from: try ImportTests.fixture("aiperf-0.13.0-concurrency-chat.json"), file: "a.json"
            ).first)
        let error = #expect(throws: HeadroomError.self) {
            try BenchImport.attachAIPerfRecords(to: &result, jsonl: Data("{\"metadata\": {}}\n".utf8), file: "r.jsonl")
        }
        #expect(error?.line == 1)
        #expect(error?.file == "r.jsonl")
    }

    // MARK: inference-perf 0.7.0

    static let inferencePerfFiles = [
        "inference-perf-0.7.0-concurrent-chat-summary.json", "inference-perf-0.7.0-concurrent-chat-stage_0.json",
        "inference-perf-0.7.0-constant-completion-summary.json",
        "inference-perf-0.7.0-constant-completion-stage_0.json",
    ]

    @Test(arguments: inferencePerfFiles)
    func inferencePerfFiguresEqualTheToolsOwn(_ file: String) throws {
        let raw = try JSON(file: file)
        #expect(BenchImport.detect(data: try ImportTests.fixture(file)) == .inferencePerf)
        let result = try #require(try BenchImport.results(from: try ImportTests.fixture(file), file: file).first)
        #expect(result.tool == "import:inference-perf")
        let s = raw["successes"]
        let a = result.aggregates
        #expect(a.completed == s["count"].int)
        #expect(a.outcomes[BenchOutcome.httpError.rawValue] ?? 0 == raw["failures"]["count"].int)
        #expect(result.load.requests == raw["load_summary"]["count"].int)
        let t = s["throughput"]
        Self.expectClose(a.requestsPerSecond, t["requests_per_sec"].double, "req/s")
        Self.expectClose(a.outputTokensPerSecond, t["output_tokens_per_sec"].double, "output tok/s")
        Self.expectClose(a.totalTokensPerSecond, t["total_tokens_per_sec"].double, "total tok/s")
        Self.expectClose(a.durationSeconds, raw["benchmark_time_seconds"].double, "duration")
        Self.expectClose(a.meanInputTokens, s["prompt_tokens"]["mean"].double, "input")
        Self.expectClose(a.meanOutputTokens, s["output_len"]["mean"].double, "output")
        for (name, d) in [
            ("time_to_first_token", a.ttftSeconds), ("time_per_output_token", a.tpotSeconds),
            ("inter_token_latency", a.itlSeconds), ("request_latency", a.e2eSeconds),
        ] {
            let m = s["latency"][name]
            Self.expectDistribution(
                d, mean: m["mean"].double, p50: m["median"].double, p90: m["p90"].double, p95: m["p95"].double,
                p99: m["p99"].double, max: m["max"].double, scale: 1, name)
        }
        // The whole-run summary holds no load; a stage file holds its rate and, for a concurrent stage, its clients.
        let load = raw["load_summary"]
        if let concurrency = load["concurrency"].int {
            #expect(result.load.mode == "concurrency")
            #expect(result.load.concurrency == concurrency)
        } else if let rate = load["requested_rate"].double {
            #expect(result.load.mode == "constant")
            #expect(result.load.rateRequestsPerSecond == rate)
        } else {
            #expect(result.load.mode == BenchLoad.unknownMode)
            #expect(result.warnings.contains { $0.contains("no load") })
        }
    }

    /// inference-perf's per-request report reproduces its own summary: every request, TTFT and latency means and
    /// output lengths within 1 %.
    @Test func inferencePerfRecordsMatchItsSummary() throws {
        let file = "inference-perf-0.7.0-per-request-summary.json"
        let raw = try JSON(file: file)
        var result = try #require(try BenchImport.results(from: try ImportTests.fixture(file), file: file).first)
        let records = "inference-perf-0.7.0-per-request-records.json"
        try BenchImport.attachInferencePerfRecords(
            to: &result, perRequest: try ImportTests.fixture(records), file: records)
        let s = raw["successes"]
        let ok = result.requests.filter { $0.outcome == .success }
        #expect(result.requests.count == raw["load_summary"]["count"].int)
        #expect(ok.count == s["count"].int)
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
        let latency = s["latency"]
        Self.expectClose(
            mean(ok.compactMap(\.ttftSeconds)), latency["time_to_first_token"]["mean"].double, "records' mean TTFT")
        Self.expectClose(
            mean(ok.compactMap(\.e2eSeconds)), latency["request_latency"]["mean"].double, "records' mean latency")
        Self.expectClose(mean(ok.flatMap(\.itlSeconds)), latency["inter_token_latency"]["mean"].double, "records' ITL")
        Self.expectClose(
            mean(ok.map { Double($0.outputTokens) }), s["output_len"]["mean"].double, "records' output tokens")
        // A records file that does not match the report's count is left out, with a warning.
        var other = try #require(
            try BenchImport.results(
                from: try ImportTests.fixture("inference-perf-0.7.0-constant-completion-summary.json"), file: "c.json"
            ).first)
        try BenchImport.attachInferencePerfRecords(
            to: &other, perRequest: Data("[]".utf8), file: "empty.json")
        #expect(other.requests.isEmpty)
        #expect(other.warnings.contains { $0.contains("left out") })
    }

    /// A file of a layout Headroom does not know is refused with the tool's version and the field it lacks.
    @Test(arguments: [
        (
            "guidellm-0.8.1-concurrent-chat.json", #""requests_per_second""#, "GuideLLM 0.8.1",
            "benchmarks[0].metrics.requests_per_second"
        ),
        ("aiperf-0.13.0-concurrency-chat.json", #""request_throughput""#, "AIPerf 0.13.0", "request_throughput"),
    ])
    func anUnknownLayoutNamesTheVersionAndField(
        _ file: String, _ key: String, _ version: String, _ field: String
    )
        throws
    {
        let text = String(decoding: try ImportTests.fixture(file), as: UTF8.self)
        let edited = text.replacing(key, with: #""renamed_in_a_later_version""#)
        #expect(edited != text)
        let error = #expect(throws: HeadroomError.self) {
            try BenchImport.results(from: Data(edited.utf8), file: file)
        }
        #expect(error?.message.contains(version) == true, "\(String(describing: error))")
        #expect(error?.field == field)
        #expect(error?.file == file)
    }

    /// Numbers no count or date holds (1e300 where a time, a client count or a length goes) are refused or left
    /// out, never a trap.
    @Test(arguments: [
        ("guidellm-0.8.1-concurrent-chat.json", #""start_time": 1796673939.825261"#, #""start_time": 1e300"#),
        ("guidellm-0.8.1-concurrent-chat.json", #""prompt_tokens": 94"#, #""prompt_tokens": 1e300"#),
        ("aiperf-0.13.0-concurrency-chat.json", #""concurrency": 4"#, #""concurrency": 1e300"#),
        ("aiperf-0.13.0-concurrency-chat.json", #""avg": 23.0"#, #""avg": -1e300"#),
    ])
    func hugeNumbersDoNotTrap(_ file: String, _ from: String, _ to: String) throws {
        let text = String(decoding: try ImportTests.fixture(file), as: UTF8.self)
        let edited = text.replacing(from, with: to)
        #expect(edited != text)
        do {
            let results = try BenchImport.results(from: Data(edited.utf8), file: file)
            #expect(!results.isEmpty)
        } catch {
            #expect(!error.message.isEmpty)
        }
    }

    /// A run whose load the file does not give is imported with an unknown load, which calibration refuses by name.
    @Test func anUnknownLoadIsNotCalibrated() throws {
        let file = "aiperf-0.13.0-concurrency-chat.json"
        let text = String(decoding: try ImportTests.fixture(file), as: UTF8.self)
        let edited = text.replacing(#""type": "concurrency""#, with: #""type": "user_centric""#)
        #expect(edited != text)
        var result = try #require(try BenchImport.results(from: Data(edited.utf8), file: file).first)
        #expect(result.load.mode == BenchLoad.unknownMode)
        #expect(result.warnings.contains { $0.contains("user_centric") })
        result.target.acceleratorID = "h100-sxm"
        result.target.stackID = "vllm"
        result.target.catalogModelID = "meta-llama/Llama-3.1-8B-Instruct"
        result.target.precision = "bf16"
        result.target.acceleratorCount = 1
        result.target.tensorParallel = 1
        let error = #expect(throws: HeadroomError.self) { try result.calibrationPoints(origin: file) }
        #expect(error?.field == "load.mode")
        #expect(error?.message.contains("not known") == true)
    }
}

/// The ISO text ``BenchImport`` gives an epoch time, recomputed independently here with Foundation.
enum ImportSupportProbe {
    static func isoDate(_ seconds: Double?) -> String? {
        guard let seconds else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down)))
    }
}
