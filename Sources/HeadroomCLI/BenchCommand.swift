import ArgumentParser
import Dispatch
import Foundation
import HeadroomBench
import HeadroomCatalog
import HeadroomCore
import HeadroomReport
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `headroom bench`: measure an OpenAI-compatible endpoint, import other tools' results.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark an OpenAI-compatible endpoint (vLLM, SGLang, TensorRT-LLM, TGI, llama.cpp, serve-sim).",
        subcommands: [BenchRunCommand.self, BenchImportCommand.self, BenchListCommand.self],
        defaultSubcommand: BenchRunCommand.self
    )
}

struct BenchRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Send a load to an endpoint and write a result file (per-request records, aggregates, definitions).",
        discussion: """
            Load: --concurrency N (closed loop), --rate R [--arrival constant|poisson|gamma --burstiness CV], \
            --ramp-from R0 --rate R1, --trace FILE, or --sweep --sweep-low R0 --sweep-high R1 with an SLO.
            Prompts: synthetic of exact token length (--input-tokens/--output-tokens, sized with the server's \
            /tokenize), --preset NAME, --dataset jsonl:FILE or sharegpt:FILE.
            Ctrl-C stops sending, lets the requests in flight finish and writes the result of what was sent; a second \
            Ctrl-C cancels the requests in flight (left out of SLO attainment), a third exits at once.
            """
    )

    @Option(help: "Endpoint base URL (with or without /v1).") var url: String
    @Option(help: "Model name to send.") var model: String
    @Option(help: "API: chat or completions.") var api: String = "chat"
    @Option(help: "Bearer token (default: $OPENAI_API_KEY).") var apiKey: String?

    @Option(help: "Closed loop of N clients.") var concurrency: Int?
    @Option(help: "Open-loop arrivals per second (the end rate of a ramp).") var rate: Double?
    @Option(help: "Arrival process for --rate: constant, poisson or gamma.") var arrival: String = "poisson"
    @Option(help: "Coefficient of variation of gaps for --arrival gamma (1 = Poisson, >1 bursty).")
    var burstiness: Double?
    @Option(help: "Ramp: start rate, rising linearly to --rate over the run.") var rampFrom: Double?
    @Option(help: "Replay a trace (Headroom JSONL/CSV, Mooncake or Azure format): its arrival times and lengths.")
    var trace: String?
    @Option(help: "Trace replay speed-up.") var traceSpeed: Double = 1
    @Flag(help: "Find the highest Poisson rate meeting the SLO by bisection.") var sweep = false
    @Option(help: "Sweep: lowest rate.") var sweepLow: Double?
    @Option(help: "Sweep: highest rate.") var sweepHigh: Double?
    @Option(help: "Sweep: relative precision of the answer.") var sweepTolerance: Double = 0.05
    @Option(help: "Sweep: most steps.") var sweepSteps: Int = 8
    @Option(help: "Confidence of the bound on SLO attainment.") var confidence: Double = 0.95

    @Option(help: "Prompt tokens (synthetic prompts).") var inputTokens: Int = 256
    @Option(help: "Output tokens (max_tokens).") var outputTokens: Int = 128
    @Option(help: "Prompt length distribution: fixed, lognormal[:sigma], normal[:stddev], uniform[:min-max].")
    var inputDist: String = "fixed"
    @Option(help: "Output length distribution, as --input-dist.") var outputDist: String = "fixed"
    @Option(help: "Simulator workload preset for lengths: chat, code, rag, agent, tool-agent, long-chat.")
    var preset: String?
    @Option(help: "jsonl:FILE or sharegpt:FILE.") var dataset: String?

    @Option(help: "Measured requests (per step in a sweep).") var requests: Int = 100
    @Option(help: "Warm-up requests, sent first and excluded.") var warmup: Int = 0
    @Option(
        help:
            "Seed for prompts and arrivals (default: a new one each run, recorded in the result, so that a server's prompt cache never serves an earlier run's prompts)."
    )
    var seed: UInt64?
    @Option(name: .customLong("timeout-s"), help: "Per-request timeout, seconds.") var timeout: Double = 600
    @Flag(inversion: .prefixedNo, help: "Send ignore_eos so outputs have the requested length.") var ignoreEos = true

    @Option(help: "SLO: p-th percentile TTFT, ms.") var sloTtftMs: Double?
    @Option(help: "SLO: TPOT, ms.") var sloTpotMs: Double?
    @Option(help: "SLO: end-to-end latency, ms.") var sloE2eMs: Double?
    @Option(help: "SLO: fraction of requests that must meet it.") var sloAttainment: Double = 0.99

    @Option(help: "What serves the endpoint, for calibration and comparison: accelerator id.") var accelerator: String?
    @Option(help: "Accelerators serving the endpoint.") var count: Int?
    @Option(help: "Serving stack id (vllm, sglang, trtllm, llama.cpp…).") var stack: String?
    @Option(help: "Weight precision.") var precision: String?
    @Option(help: "Catalog model id, when the served name differs.") var catalogModel: String?
    @Option(help: "Tensor parallelism.") var tp: Int?
    @Option(help: "Free-text notes stored with the result.") var notes: String?

    @Option(help: "Write the result JSON here (default bench-<time>.json).") var output: String?
    @Option(help: "Summary on standard output: table or json.") var format: OutputFormat = .table
    @Flag(help: "No live progress on standard error.") var quiet = false
    @Option(help: "Also store the result in the database under this name (see `headroom bench list`).")
    var save: String?
    @OptionGroup var store: ServeCommand.StoreOptions

    func validate() throws {
        if let save, !PlansCommand.isValidName(save) {
            throw ValidationError("--save takes letters, digits, '-', '_' and '.' (at most 128), not '\(save)'")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let (result, path) = try await execute()
            switch format {
            case .json: emit(String(decoding: result.encoded(), as: UTF8.self))
            case .table: emit(BenchSummary.render(result))
            }
            FileHandle.standardError.write(Data("wrote \(path)\n".utf8))
            if let save {
                try await PlansCommand.saveBenchRun(
                    name: save, document: String(decoding: result.encoded(), as: UTF8.self),
                    action: "headroom bench --save",
                    url: store.resolved)
                FileHandle.standardError.write(Data("saved bench run '\(save)'\n".utf8))
            }
            if result.aggregates.completed == 0 { throw failure("no request was measured") }
        }
    }

    func execute() async throws -> (BenchResult, String) {
        let modes = [concurrency != nil, rate != nil && rampFrom == nil, rampFrom != nil, trace != nil, sweep]
        guard modes.filter({ $0 }).count == 1 else {
            throw HeadroomError(
                .invalidInput, "choose one load: --concurrency, --rate, --ramp-from with --rate, --trace or --sweep",
                field: "concurrency")
        }
        guard let api = BenchAPI(rawValue: api) else {
            throw HeadroomError(.invalidInput, "api must be chat or completions, got '\(api)'", field: "api")
        }
        let slo: BenchSLO? =
            (sloTtftMs ?? sloTpotMs ?? sloE2eMs) == nil
            ? nil
            : BenchSLO(
                ttftSeconds: try positive(sloTtftMs, "slo-ttft-ms").map { $0 / 1000 },
                tpotSeconds: try positive(sloTpotMs, "slo-tpot-ms").map { $0 / 1000 },
                e2eSeconds: try positive(sloE2eMs, "slo-e2e-ms").map { $0 / 1000 }, attainment: sloAttainment)
        // A closed loop never has more than its clients in flight. An open loop's in-flight count is the server's to
        // decide, so its pool is large enough not to be what limits the run (a request past it is marked
        // waited_for_connection, and the client flagged as the bottleneck).
        let connections = concurrency.map { max($0, 64) } ?? EndpointClient.openLoopConnections
        Self.raiseOpenFileLimit(toAtLeast: connections + 64)
        let client = EndpointClient(
            baseURL: url, model: model, api: api,
            apiKey: apiKey ?? ProcessInfo.processInfo.environment["OPENAI_API_KEY"], ignoreEOS: ignoreEos,
            connections: connections)
        do {
            let result = try await measure(client: client, slo: slo)
            try await client.shutdown()
            let path = output ?? "bench-\(result.startedAt.replacingOccurrences(of: ":", with: "")).json"
            do {
                try result.encoded().write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw HeadroomError(.invalidFile, "cannot write: \(error.localizedDescription)", file: path)
            }
            return (result, path)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Raises the soft limit on open files toward `count` (at most the hard limit), so that a large pool of
    /// connections does not fail for want of descriptors; a lower limit is left as it is.
    static func raiseOpenFileLimit(toAtLeast count: Int) {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < rlim_t(count) else { return }
        limit.rlim_cur = min(rlim_t(count), limit.rlim_max)
        _ = setrlimit(resource, &limit)
    }

    func positive(_ value: Double?, _ field: String) throws(HeadroomError) -> Double? {
        guard let value else { return nil }
        guard value.isFinite, value > 0 else {
            throw HeadroomError(.invalidInput, "\(field) must be positive, got \(value)", field: field)
        }
        return value
    }

    func measure(client: EndpointClient, slo: BenchSLO?) async throws -> BenchResult {
        let hasTokenizer = await client.hasTokenizer()
        let synthesizer = hasTokenizer ? try await PromptSynthesizer.prepare(using: client) : PromptSynthesizer()
        let stop = BenchStop()
        let session = BenchSession(
            runner: BenchRunner(client: client, timeout: timeout, stop: stop), synthesizer: synthesizer,
            tokenizer: hasTokenizer ? client : nil)
        let (pattern, data) = try loadAndDataset()
        let configuration = BenchConfiguration(
            target: BenchTarget(
                url: client.baseURL, api: client.api.rawValue, model: model, acceleratorID: accelerator,
                acceleratorCount: count, stackID: stack, precision: precision, catalogModelID: catalogModel,
                tensorParallel: tp, notes: notes),
            pattern: pattern, dataset: data, requests: requests, warmup: warmup,
            seed: seed ?? UInt64.random(in: 1...UInt64(UInt32.max)), timeout: timeout, slo: slo)
        let recorder = BenchRecorder(clock: BenchClock())
        let sweep = self.sweep
        let (low, high) = (sweepLow, sweepHigh)
        let (tolerance, steps, confidence) = (sweepTolerance, sweepSteps, self.confidence)
        let work = Task {
            if sweep {
                guard let high else {
                    throw HeadroomError(.invalidInput, "--sweep needs --sweep-high", field: "sweep-high")
                }
                return try await session.sweep(
                    configuration, low: low ?? high / 32, high: high, tolerance: tolerance, maxSteps: steps,
                    confidence: confidence, recorder: recorder
                ) { step in
                    FileHandle.standardError.write(
                        Data(
                            ("\nstep \(step.step): \(humanNumber(step.rateRequestsPerSecond)) req/s, attainment ≥ "
                                + "\(humanNumber(step.attainmentLowerBound * 100))% → "
                                + "\(step.passed ? "pass" : "fail")\n").utf8))
                }
            }
            return try await session.run(configuration, recorder: recorder)
        }
        let interrupt = Interrupt(
            onStop: {
                stop.request()
                let progress = recorder.snapshot()
                return "\ninterrupted: sending stopped; waiting for the \(progress.sent - progress.done) requests in "
                    + "flight to finish (Ctrl-C again cancels them)…\n"
            },
            onCancel: { work.cancel() })
        let progress = quiet ? nil : ProgressDisplay(recorder: recorder)
        defer {
            progress?.stop()
            interrupt.stop()
        }
        return try await work.value
    }

    func loadAndDataset() throws -> (BenchLoadPattern, BenchDataset) {
        var lengths: (LengthDistribution, LengthDistribution) = (
            try SimulationInputs.distribution(inputDist, mean: inputTokens, field: "input-dist"),
            try SimulationInputs.distribution(outputDist, mean: outputTokens, field: "output-dist")
        )
        var data: BenchDataset = .synthetic(input: lengths.0, output: lengths.1)
        if let preset {
            let found = try WorkloadPreset.named(preset)
            lengths = (found.input, found.output)
            data = .preset(found)
        }
        if let dataset {
            let parts = dataset.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["jsonl", "sharegpt"].contains(parts[0]) else {
                throw HeadroomError(
                    .invalidInput, "dataset must be jsonl:FILE or sharegpt:FILE, got '\(dataset)'", field: "dataset")
            }
            let text = try readFile(parts[1])
            data =
                parts[0] == "jsonl"
                ? .jsonl(path: parts[1], text: text, defaultOutputTokens: outputTokens)
                : .sharegpt(path: parts[1], text: text)
        }
        let pattern: BenchLoadPattern
        if let concurrency {
            pattern = .concurrency(concurrency)
        } else if let trace {
            let requests = try TraceParser.parse(try readFile(trace), file: trace)
            pattern = .trace(times: requests.map(\.arrival), speed: traceSpeed)
            if dataset == nil { data = .trace(path: trace, requests: requests) }
        } else if let rampFrom {
            guard let rate else {
                throw HeadroomError(.invalidInput, "--ramp-from needs --rate (the end rate)", field: "rate")
            }
            pattern = .ramp(from: rampFrom, to: rate, cv: arrival == "constant" ? 0 : burstiness ?? 1)
        } else if let rate {
            let process: ArrivalProcess
            switch arrival {
            case "poisson": process = .poisson(rate: rate)
            case "constant": process = .constant(rate: rate)
            case "gamma": process = .gamma(rate: rate, cv: burstiness ?? 1)
            default:
                throw HeadroomError(
                    .invalidInput, "arrival must be constant, poisson or gamma, got '\(arrival)'", field: "arrival")
            }
            pattern = .arrivals(try process.validated())
        } else {
            pattern = .arrivals(.poisson(rate: 1))  // sweep: replaced per step
        }
        return (pattern, data)
    }

    func readFile(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw HeadroomError(.invalidFile, "cannot read: \(error.localizedDescription)", file: path)
        }
    }
}

/// Ctrl-C during a run: the first stops sending and lets the requests in flight finish, the second cancels them
/// (they end as `cancelled`), a third exits at once.
final class Interrupt {
    private let source: any DispatchSourceSignal

    /// - Parameters:
    ///   - onStop: stops the sending; returns the message to print.
    ///   - onCancel: cancels the run.
    init(onStop: @escaping @Sendable () -> String, onCancel: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let presses = Mutex(0)
        source.setEventHandler {
            let press = presses.withLock { count in
                count += 1
                return count
            }
            if press == 1 {
                FileHandle.standardError.write(Data(onStop().utf8))
            } else {
                FileHandle.standardError.write(
                    Data("\ninterrupted again: cancelling the requests in flight (Ctrl-C again exits at once)…\n".utf8))
                onCancel()
                signal(SIGINT, SIG_DFL)
            }
        }
        source.resume()
        self.source = source
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

/// A live line on standard error: requests done, rate achieved, median TTFT.
final class ProgressDisplay: Sendable {
    private let task: Task<Void, Never>

    init(recorder: BenchRecorder) {
        let terminal = isatty(STDERR_FILENO) != 0
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(terminal ? 250 : 5000))
                let p = recorder.snapshot()
                let ttft = p.medianTTFTSeconds.map { humanNumber($0 * 1000) + " ms" } ?? "–"
                let line =
                    "done \(p.done)/\(p.total)  in flight \(p.sent - p.done)  \(humanNumber(p.achievedRate)) req/s  "
                    + "p50 TTFT \(ttft)  \(humanNumber(Double(p.outputTokens) / max(p.elapsedSeconds, 1e-9))) tok/s  "
                    + "failed \(p.failed)"
                FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
            }
        }
    }

    func stop() {
        task.cancel()
    }
}
