public import HeadroomCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A whole `headroom bench` run: what to send, how, and how to score it.
public struct BenchConfiguration: Sendable {
    public var target: BenchTarget
    public var pattern: BenchLoadPattern
    public var dataset: BenchDataset
    /// Measured requests (per sweep step in a sweep).
    public var requests: Int
    /// Requests sent and finished before measuring, excluded from aggregates.
    public var warmup: Int
    public var seed: UInt64
    public var timeout: Double
    public var slo: BenchSLO?

    public init(
        target: BenchTarget, pattern: BenchLoadPattern, dataset: BenchDataset, requests: Int, warmup: Int,
        seed: UInt64, timeout: Double, slo: BenchSLO?
    ) {
        self.target = target
        self.pattern = pattern
        self.dataset = dataset
        self.requests = requests
        self.warmup = warmup
        self.seed = seed
        self.timeout = timeout
        self.slo = slo
    }

    func validated() throws(HeadroomError) -> BenchConfiguration {
        guard requests >= 1 else {
            throw HeadroomError(.invalidInput, "requests must be at least 1, got \(requests)", field: "requests")
        }
        guard warmup >= 0 else {
            throw HeadroomError(.invalidInput, "warm-up must not be negative, got \(warmup)", field: "warmup")
        }
        guard timeout.isFinite, timeout > 0 else {
            throw HeadroomError(.invalidInput, "timeout must be positive, got \(timeout)", field: "timeout")
        }
        if let slo {
            guard slo.attainment > 0, slo.attainment <= 1 else {
                throw HeadroomError(
                    .invalidInput, "SLO attainment must be in (0, 1], got \(slo.attainment)", field: "slo-attainment")
            }
        }
        return self
    }
}

/// Runs configurations into results.
public struct BenchSession: Sendable {
    public var runner: BenchRunner
    public var synthesizer: PromptSynthesizer
    /// Sizes file prompts; nil when the server has no `/tokenize`.
    public var tokenizer: (any BenchTokenizer)?
    public var tool: String

    public init(
        runner: BenchRunner, synthesizer: PromptSynthesizer, tokenizer: (any BenchTokenizer)?,
        tool: String = "headroom bench"
    ) {
        self.runner = runner
        self.synthesizer = synthesizer
        self.tokenizer = tokenizer
        self.tool = tool
    }

    /// Plans the requests: `warmup` warm-up requests first, then `requests` measured ones with send times from the
    /// pattern (nil in a closed loop).
    public func plan(
        _ configuration: BenchConfiguration, rate: ArrivalProcess? = nil, seed: UInt64? = nil
    )
        async throws -> [PlannedRequest]
    {
        let seed = seed ?? configuration.seed
        let total = configuration.warmup + configuration.requests
        let items = try await configuration.dataset.items(
            count: total, seed: seed, synthesizer: synthesizer, tokenizer: tokenizer)
        let pattern = rate.map { BenchLoadPattern.arrivals($0) } ?? configuration.pattern
        let times = try pattern.sendTimes(count: configuration.requests, seed: seed)
        return items.enumerated().map { index, item in
            let measured = index - configuration.warmup
            return PlannedRequest(
                index: index, intendedSeconds: measured >= 0 ? times?[measured] : nil, prompt: item.prompt,
                inputTokens: item.inputTokens, outputTokens: item.outputTokens, warmup: measured < 0)
        }
    }

    /// Runs the configuration once. Warm-up requests go first (closed loop, as many clients as the run uses or
    /// 4) and must finish before measuring starts.
    /// - Parameter recorder: receives the records as they come (a progress display reads it); when the runner's
    ///   ``BenchRunner/stop`` is requested or the task is cancelled, the result holds what was recorded.
    public func run(_ configuration: BenchConfiguration, recorder: BenchRecorder) async throws -> BenchResult {
        let configuration = try configuration.validated()
        let planned = try await plan(configuration)
        let cpuBefore = Self.cpuSeconds()
        let startedAt = Self.timestamp()
        let clients: Int? = if case .concurrency(let n) = configuration.pattern { n } else { nil }
        let warmups = planned.filter(\.warmup)
        if !warmups.isEmpty {
            await runner.run(warmups, clients: clients ?? min(4, warmups.count), recorder: recorder)
        }
        let measured = planned.filter { !$0.warmup }
        if !runner.stop.isRequested, !Task.isCancelled {
            await runner.run(measured, clients: clients, recorder: recorder, startOffset: recorder.clock.now())
        }
        let records = recorder.records.sorted { $0.index < $1.index }
        let cpu = Self.cpuSeconds() - cpuBefore
        var warnings: [String] = []
        if let stopped = stoppedEarly() {
            warnings.append(
                "stopped early (\(stopped)): \(records.filter { !$0.warmup }.count) of \(configuration.requests) "
                    + "measured requests were sent")
        }
        if !synthesizer.verified, case .synthetic = configuration.dataset {
            warnings.append(
                "the server has no /tokenize: synthetic prompt lengths are estimates (one token per word)")
        }
        let aggregates = BenchAggregation.aggregate(records, slo: configuration.slo, clientCPUSeconds: cpu)
        warnings += Self.warnings(aggregates, connectionLimit: runner.client.connectionLimit)
        return BenchResult(
            tool: tool, startedAt: startedAt, target: configuration.target,
            load: load(configuration, items: planned), slo: configuration.slo, requests: records,
            aggregates: aggregates, warnings: warnings)
    }

    /// A rate sweep: Poisson runs of `configuration.requests` requests at rates chosen by bisection between `low`
    /// and `high` until the highest rate whose SLO attainment's lower confidence bound meets the target is known
    /// to within `tolerance` (relative).
    public func sweep(
        _ configuration: BenchConfiguration, low: Double, high: Double, tolerance: Double = 0.05,
        maxSteps: Int = 10, confidence: Double = 0.95, recorder: BenchRecorder,
        stepDone: (@Sendable (BenchSweepStep) -> Void)? = nil
    ) async throws -> BenchResult {
        let configuration = try configuration.validated()
        guard let slo = configuration.slo else {
            throw HeadroomError(.invalidInput, "a sweep needs an SLO (TTFT, TPOT or E2E)", field: "slo-ttft-ms")
        }
        guard low.isFinite, high.isFinite, low > 0, high > low else {
            throw HeadroomError(
                .invalidInput, "sweep rates must satisfy 0 < low < high, got \(low) and \(high)", field: "sweep-low")
        }
        var search = SweepSearch(
            low: low, high: high, tolerance: tolerance, maxSteps: maxSteps, confidence: confidence,
            attainmentTarget: slo.attainment)
        let cpuBefore = Self.cpuSeconds()
        let startedAt = Self.timestamp()
        var steps: [BenchSweepStep] = []
        var lastPlan: [PlannedRequest] = []
        var stepIndex = 0
        while let rate = search.nextRate(), !Task.isCancelled, !runner.stop.isRequested {
            let plan = try await self.plan(
                configuration, rate: .poisson(rate: rate), seed: configuration.seed &+ UInt64(stepIndex))
            lastPlan = plan
            let tagged = plan.map { request -> PlannedRequest in
                var request = request
                request.index += stepIndex * plan.count
                return request
            }
            let warmups = tagged.filter(\.warmup)
            if !warmups.isEmpty {
                await runner.run(warmups, clients: min(4, warmups.count), recorder: recorder, step: stepIndex)
            }
            await runner.run(
                tagged.filter { !$0.warmup }, clients: nil, recorder: recorder, step: stepIndex,
                startOffset: recorder.clock.now())
            let records = recorder.records.filter { $0.step == stepIndex }
            // Requests the user cancelled say nothing about the server: left out, as in the aggregates' attainment.
            let measured = records.filter { !$0.warmup && $0.outcome != .cancelled }
            let attained = measured.filter { $0.meets(slo) }.count
            let verdict = search.record(rate: rate, attained: attained, of: measured.count)
            let step = BenchSweepStep(
                step: stepIndex, rateRequestsPerSecond: rate,
                aggregates: BenchAggregation.aggregate(records, slo: slo), attainmentLowerBound: verdict.lowerBound,
                passed: verdict.passed)
            steps.append(step)
            stepDone?(step)
            stepIndex += 1
        }
        let records = recorder.records.sorted { $0.index < $1.index }
        var warnings: [String] = []
        if let best = search.best {
            warnings.append(
                "highest rate meeting the SLO: \(humanNumber(best)) req/s (attainment lower bound at "
                    + "\(humanNumber(confidence * 100))% confidence ≥ \(humanNumber(slo.attainment * 100))%)")
        } else {
            warnings.append("no rate tried met the SLO; the lowest tried was \(humanNumber(low)) req/s")
        }
        if let stopped = stoppedEarly() { warnings.append("stopped early (\(stopped)) after \(steps.count) steps") }
        var load = self.load(configuration, items: lastPlan)
        load.mode = "sweep"
        load.rateRequestsPerSecond = search.best
        // The run's aggregates are those of the highest passing step, or of the lowest rate tried when none passed.
        let shown =
            steps.filter(\.passed).max { $0.rateRequestsPerSecond < $1.rateRequestsPerSecond }
            ?? steps.min { $0.rateRequestsPerSecond < $1.rateRequestsPerSecond }
        let aggregates = BenchAggregation.aggregate(
            records.filter { record in record.step == shown?.step }, slo: slo,
            clientCPUSeconds: Self.cpuSeconds() - cpuBefore)
        warnings += Self.warnings(aggregates, connectionLimit: runner.client.connectionLimit)
        return BenchResult(
            tool: tool, startedAt: startedAt, target: configuration.target, load: load, slo: slo,
            requests: records, aggregates: aggregates, sweep: steps, warnings: warnings)
    }

    /// Why the run ended before its plan did, when it did: stopped (the requests in flight finished) or cancelled.
    func stoppedEarly() -> String? {
        if Task.isCancelled {
            return "cancelled: the requests in flight ended as cancelled and are left out of SLO attainment"
        }
        if runner.stop.isRequested { return "interrupted: nothing was sent after it; the requests in flight finished" }
        return nil
    }

    /// What a reader of the aggregates should weigh: the client as bottleneck, streams without a finish reason.
    static func warnings(_ aggregates: BenchAggregates, connectionLimit: Int?) -> [String] {
        var warnings: [String] = []
        if let waited = aggregates.waitedForConnection, waited > 0 {
            warnings.append(
                "\(waited) requests were sent while more were in flight than the client's \(connectionLimit ?? 0) "
                    + "pooled connections: they may have waited for a connection, and that wait is in their TTFT "
                    + "(waited_for_connection in their records); the client was the bottleneck")
        }
        // The send-lag rules (when connection waits alone flagged the client, only a high p99 is worth a word).
        let lagP99 = aggregates.sendLagSeconds?.p99 ?? 0
        let waited = (aggregates.waitedForConnection ?? 0) > 0
        if aggregates.clientBottleneck, !waited || lagP99 > BenchAggregation.sendLagP99Limit {
            warnings.append(
                "the client fell behind its schedule (send lag p99 \(humanNumber(lagP99 * 1000)) ms): the load "
                    + "offered was lower than asked")
        }
        if let unfinished = aggregates.outcomes[BenchOutcome.noFinishReason.rawValue], unfinished > 0 {
            warnings.append(
                "\(unfinished) streams ended with [DONE] but no finish_reason (outcome no_finish_reason): not "
                    + "counted as successes")
        }
        return warnings
    }

    func load(_ configuration: BenchConfiguration, items: [PlannedRequest]) -> BenchLoad {
        let measured = items.filter { !$0.warmup }
        let count = Double(max(measured.count, 1))
        var load = BenchLoad(
            mode: configuration.pattern.mode, requests: configuration.requests, warmupRequests: configuration.warmup,
            dataset: configuration.dataset.label,
            meanInputTokens: Double(measured.reduce(0) { $0 + $1.inputTokens }) / count,
            meanOutputTokens: Double(measured.reduce(0) { $0 + $1.outputTokens }) / count, seed: configuration.seed,
            timeoutSeconds: configuration.timeout)
        switch configuration.pattern {
        case .concurrency(let clients):
            load.concurrency = clients
        case .arrivals(let process):
            load.rateRequestsPerSecond = process.rate
            if case .gamma(_, let cv) = process { load.burstiness = cv }
        case .ramp(let from, let to, let cv):
            load.rampStartRequestsPerSecond = from
            load.rateRequestsPerSecond = to
            load.burstiness = cv
        case .trace(let times, let speed):
            if let last = times.prefix(configuration.requests).last, let first = times.first, last > first {
                load.rateRequestsPerSecond =
                    Double(min(times.count, configuration.requests) - 1) * speed / (last - first)
            }
        }
        return load
    }

    /// User plus system CPU seconds of this process so far.
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Now, as ISO 8601 UTC (e.g. 2026-11-25T18:16:23Z).
    static func timestamp() -> String { Date.now.ISO8601Format() }
}
