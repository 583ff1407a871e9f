#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `vllm bench serve --save-result [--save-detailed]` JSON, as `vllm/benchmarks/serve.py` (vllm-project/vllm) writes
/// it: run settings (`date`, `backend`, `model_id`, `num_prompts`, `request_rate`, `burstiness`, `max_concurrency`),
/// totals and throughputs, `{mean,median,std,pNN}_{ttft,tpot,itl,e2el}_ms`, and with `--save-detailed` per-request
/// arrays (`input_lens`, `output_lens`, `ttfts`, `itls`, `latencies`, `start_times`, `errors`; seconds). The older
/// `benchmarks/benchmark_serving.py` wrote the same file with `request_goodput:` (colon in the key), no `failed`
/// and its `--metadata` pairs merged at the top level (ignored here).
enum VLLMImport {
    static let tool = "vllm bench serve"

    static func result(from data: Data, file: String) throws(HeadroomError) -> BenchResult {
        let run = try ImportSupport.decode(VLLMRun.self, from: data, file: file, tool: tool)
        return try convert(run, file: file)
    }

    /// The coefficient of variation of gamma-distributed gaps with shape `k`: 1/√k. vLLM's `burstiness` is the
    /// shape (1 is Poisson, lower is burstier); Headroom's ``BenchLoad/burstiness`` is the CV (higher is burstier).
    /// - Returns: nil for a shape that is not a positive finite number.
    static func coefficientOfVariation(gammaShape k: Double) -> Double? {
        guard k.isFinite, k > 0 else { return nil }
        return 1 / k.squareRoot()
    }

    static func convert(_ run: VLLMRun, file: String) throws(HeadroomError) -> BenchResult {
        var warnings: [String] = []
        let completed = run.completed
        guard completed > 0 else {
            throw HeadroomError(.invalidFile, "no request completed", file: file, field: "completed")
        }
        // Load: vLLM sends at `request_rate` (inf: all at once), Poisson or gamma by `burstiness`, capped at
        // `max_concurrency` clients when set.
        let requests = run.numPrompts ?? (completed + (run.failed ?? 0))
        var load = BenchLoad(mode: "constant", requests: requests, dataset: "vllm:\(run.datasetName ?? "unknown")")
        load.burstiness = run.burstiness.flatMap(Self.coefficientOfVariation(gammaShape:))
        load.concurrency = run.maxConcurrency
        if let strategy = run.rampUpStrategy {
            load.mode = "ramp"
            load.rampStartRequestsPerSecond = run.rampUpStartRPS
            load.rateRequestsPerSecond = run.rampUpEndRPS
            warnings.append("vllm ramped the rate \(strategy)ly; calibration cannot use a ramp")
        } else if let rate = run.requestRate {
            load.mode = (run.burstiness ?? 1) == 1 ? "poisson" : "gamma"
            load.rateRequestsPerSecond = rate
        } else if let concurrency = run.maxConcurrency {
            load.mode = "concurrency"
            load.concurrency = concurrency
        } else {
            warnings.append("request_rate inf without max_concurrency: every request was sent at once")
        }
        let meanInput = Double(run.totalInputTokens) / Double(completed)
        let meanOutput = Double(run.totalOutputTokens) / Double(completed)
        load.meanInputTokens = meanInput
        load.meanOutputTokens = meanOutput

        var records: [BenchRequestRecord] = []
        if let detail = run.detail {
            records = detail.records()
        }
        let successes = records.filter { $0.outcome == .success }
        var filled: [String] = []
        func summary(_ metric: String) -> BenchDistribution? {
            let stats = run.latencies[metric] ?? [:]
            var percentiles: [Double: Double] = [:]
            for (key, value) in stats {
                if key == "median" { percentiles[0.5] = value / 1000 }
                if key.hasPrefix("p"), let q = Double(key.dropFirst()), q > 0, q < 100 {
                    percentiles[q / 100] = value / 1000
                }
            }
            return ImportSupport.distribution(
                mean: stats["mean"].map { $0 / 1000 }, percentiles: percentiles, max: nil, count: completed,
                name: metric, filled: &filled)
        }
        var ttft = summary("ttft")
        var tpot = summary("tpot")
        var itl = summary("itl")
        var e2e = summary("e2el")
        if !successes.isEmpty {
            // The detailed arrays hold every sample: compute the full distributions from them.
            filled = []
            ttft = ImportSupport.distribution(successes.compactMap(\.ttftSeconds)) ?? ttft
            tpot = ImportSupport.distribution(successes.compactMap(\.tpotSeconds)) ?? tpot
            itl = ImportSupport.distribution(successes.flatMap(\.itlSeconds)) ?? itl
            e2e = ImportSupport.distribution(successes.compactMap(\.e2eSeconds)) ?? e2e
        }
        warnings += ImportSupport.interpolationWarning(filled, tool: tool)
        var outcomes = ["success": completed]
        if records.isEmpty {
            if let failed = run.failed, failed > 0 {
                outcomes[BenchOutcome.httpError.rawValue] = failed
                warnings.append("\(failed) requests failed; without --save-detailed the kind of failure is unknown")
            }
        } else {
            for record in records where record.outcome != .success {
                outcomes[record.outcome.rawValue, default: 0] += 1
            }
        }
        let aggregates = BenchAggregates(
            durationSeconds: run.duration, completed: completed, outcomes: outcomes,
            requestsPerSecond: run.requestThroughput, outputTokensPerSecond: run.outputThroughput,
            totalTokensPerSecond: run.totalTokenThroughput
                ?? Double(run.totalInputTokens + run.totalOutputTokens) / max(run.duration, 1e-12),
            goodputRequestsPerSecond: run.requestGoodput, ttftSeconds: ttft, tpotSeconds: tpot, itlSeconds: itl,
            e2eSeconds: e2e, meanInputTokens: meanInput, meanOutputTokens: meanOutput, outputTokensFromUsage: false,
            clientBottleneck: false)
        let api = (run.backend ?? "").contains("chat") ? "chat" : "completions"
        let target = BenchTarget(
            url: run.baseURL ?? "unknown", api: api, model: run.modelID ?? "unknown",
            notes: ["vllm bench serve", run.backend.map { "backend \($0)" }, run.label.map { "label \($0)" }]
                .compactMap { $0 }.joined(separator: ", "))
        return BenchResult(
            tool: "import:vllm", startedAt: run.date.map(ImportSupport.isoDate(compact:)) ?? "", target: target,
            load: load,
            definitions: ImportSupport.definitions(
                source: "vllm bench serve --save-result (vllm/benchmarks/serve.py); times converted from ms to s",
                overrides: [
                    "output_tokens": "output tokens as vllm bench serve counts them: the server's usage where sent, "
                        + "otherwise the re-tokenised generated text (output_tokens_source = tokenizer)",
                    "duration": "vllm's benchmark duration: from the first request's send to the last one's end",
                    "burstiness": "the coefficient of variation of the gaps between sends, 1/sqrt(k) from vllm's "
                        + "burstiness k (the shape of its gamma-distributed gaps; 1 is Poisson)",
                ]),
            requests: records, aggregates: aggregates, warnings: warnings)
    }
}

/// The fields of a vLLM result file Headroom reads.
struct VLLMRun: Decodable {
    var date: String?
    var backend: String?
    var label: String?
    var modelID: String?
    var baseURL: String?
    var datasetName: String?
    var numPrompts: Int?
    /// Requests per second; `nil` for "inf".
    var requestRate: Double?
    /// The shape of vLLM's gamma-distributed gaps (1: Poisson; its CV is 1/√shape).
    var burstiness: Double?
    var maxConcurrency: Int?
    var rampUpStrategy: String?
    var rampUpStartRPS: Double?
    var rampUpEndRPS: Double?
    var duration: Double
    var completed: Int
    var failed: Int?
    var totalInputTokens: Int
    var totalOutputTokens: Int
    var requestThroughput: Double
    var requestGoodput: Double?
    var outputThroughput: Double
    var totalTokenThroughput: Double?
    /// `mean`/`median`/`std`/`pNN` in ms, by metric (`ttft`, `tpot`, `itl`, `e2el`).
    var latencies: [String: [String: Double]]
    var detail: Detail?

    /// The `--save-detailed` arrays (seconds), one entry per request.
    struct Detail {
        var inputLens: [Int]
        var outputLens: [Int]
        var ttfts: [Double]
        var itls: [[Double]]
        var latencies: [Double]?
        var startTimes: [Double]?
        var errors: [String]

        func records() -> [BenchRequestRecord] {
            let start = startTimes?.min() ?? 0
            return inputLens.indices.map { i in
                let error = errors.indices.contains(i) ? errors[i] : ""
                let ok = error.isEmpty
                let gaps = itls.indices.contains(i) ? itls[i] : []
                let ttft = ttfts.indices.contains(i) ? ttfts[i] : 0
                let e2e = latencies.flatMap { $0.indices.contains(i) ? $0[i] : nil } ?? (ttft + gaps.reduce(0, +))
                let send = startTimes.flatMap { $0.indices.contains(i) ? $0[i] - start : nil } ?? 0
                let output = outputLens.indices.contains(i) ? outputLens[i] : 0
                return BenchRequestRecord(
                    index: i, intendedSendSeconds: send, actualSendSeconds: send, inputTokens: inputLens[i],
                    requestedOutputTokens: output, outcome: ok ? .success : ImportSupport.outcome(forError: error),
                    error: ok ? nil : error, ttftSeconds: ok ? ttft : nil, e2eSeconds: ok ? e2e : nil,
                    itlSeconds: ok ? gaps : [], outputTokens: output, outputTokensSource: "tokenizer",
                    contentChunks: ok ? gaps.count + 1 : 0)
            }
        }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ImportKey.self)
        func key(_ name: String) -> ImportKey { ImportKey(name) }
        date = try c.decodeIfPresent(String.self, forKey: key("date"))
        backend =
            try c.decodeIfPresent(String.self, forKey: key("backend"))
            ?? c.decodeIfPresent(String.self, forKey: key("endpoint_type"))
        label = try c.decodeIfPresent(String.self, forKey: key("label"))
        modelID = try c.decodeIfPresent(String.self, forKey: key("model_id"))
        baseURL = try? c.decodeIfPresent(String.self, forKey: key("base_url"))
        datasetName = try? c.decodeIfPresent(String.self, forKey: key("dataset_name"))
        numPrompts = try c.decodeIfPresent(Int.self, forKey: key("num_prompts"))
        if let text = try? c.decodeIfPresent(String.self, forKey: key("request_rate")) {
            guard text.lowercased() == "inf" else {
                throw ImportFieldError(field: "request_rate", message: "expected a number or \"inf\", got '\(text)'")
            }
            requestRate = nil
        } else {
            requestRate = try c.decodeIfPresent(Double.self, forKey: key("request_rate"))
            if let rate = requestRate, !rate.isFinite { requestRate = nil }
        }
        burstiness = try c.decodeIfPresent(Double.self, forKey: key("burstiness"))
        maxConcurrency = try c.decodeIfPresent(Int.self, forKey: key("max_concurrency"))
        rampUpStrategy = try c.decodeIfPresent(String.self, forKey: key("ramp_up_strategy"))
        rampUpStartRPS = try c.decodeIfPresent(Double.self, forKey: key("ramp_up_start_rps"))
        rampUpEndRPS = try c.decodeIfPresent(Double.self, forKey: key("ramp_up_end_rps"))
        duration = try c.decode(Double.self, forKey: key("duration"))
        completed = try c.decode(Int.self, forKey: key("completed"))
        failed = try c.decodeIfPresent(Int.self, forKey: key("failed"))
        totalInputTokens = try c.decode(Int.self, forKey: key("total_input_tokens"))
        totalOutputTokens = try c.decode(Int.self, forKey: key("total_output_tokens"))
        requestThroughput = try c.decode(Double.self, forKey: key("request_throughput"))
        // benchmark_serving.py (before `vllm bench serve`) spelled this key with a colon: "request_goodput:".
        requestGoodput =
            try c.decodeIfPresent(Double.self, forKey: key("request_goodput"))
            ?? c.decodeIfPresent(Double.self, forKey: key("request_goodput:"))
        outputThroughput = try c.decode(Double.self, forKey: key("output_throughput"))
        totalTokenThroughput = try c.decodeIfPresent(Double.self, forKey: key("total_token_throughput"))
        guard duration > 0, duration.isFinite else {
            throw ImportFieldError(field: "duration", message: "must be a positive number of seconds")
        }
        latencies = [:]
        for k in c.allKeys where k.stringValue.hasSuffix("_ms") {
            let parts = k.stringValue.dropLast(3).split(separator: "_", maxSplits: 1)
            guard parts.count == 2, ["ttft", "tpot", "itl", "e2el"].contains(String(parts[1])) else { continue }
            let stat = String(parts[0])
            guard stat == "mean" || stat == "median" || stat == "std" || stat.hasPrefix("p") else { continue }
            guard let value = try c.decodeIfPresent(Double.self, forKey: k) else { continue }
            latencies[String(parts[1]), default: [:]][stat] = value
        }
        if let inputs = try c.decodeIfPresent([Int].self, forKey: key("input_lens")),
            let ttfts = try c.decodeIfPresent([Double].self, forKey: key("ttfts"))
        {
            let outputs = try c.decodeIfPresent([Int].self, forKey: key("output_lens")) ?? []
            let itls = try c.decodeIfPresent([[Double]].self, forKey: key("itls")) ?? []
            let errors = try c.decodeIfPresent([String?].self, forKey: key("errors"))?.map { $0 ?? "" } ?? []
            guard ttfts.count == inputs.count, outputs.count == inputs.count else {
                throw ImportFieldError(
                    field: "ttfts",
                    message:
                        "the detailed arrays disagree in length (input_lens \(inputs.count), ttfts \(ttfts.count), "
                        + "output_lens \(outputs.count))")
            }
            detail = Detail(
                inputLens: inputs, outputLens: outputs, ttfts: ttfts, itls: itls,
                latencies: try c.decodeIfPresent([Double].self, forKey: key("latencies")),
                startTimes: try c.decodeIfPresent([Double].self, forKey: key("start_times")), errors: errors)
        }
    }
}
