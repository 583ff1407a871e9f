/// One benchmark run against an OpenAI-compatible endpoint, measured by `headroom bench` or imported from another
/// tool: what ran (the target and the load), every request's record, and the aggregates. Written as JSON (snake_case
/// keys, SI units in the names); every file carries the ``definitions`` of its metrics.
///
/// The schema is versioned by ``schemaVersion``; readers refuse a newer major version.
public struct BenchResult: Sendable, Codable, Hashable {
    /// "headroom.bench/1".
    public var schemaVersion: String
    /// What produced it: "headroom bench 0.x", "import:vllm", "import:guidellm", "import:aiperf".
    public var tool: String
    /// ISO 8601 UTC start of the run.
    public var startedAt: String
    public var target: BenchTarget
    public var load: BenchLoad
    /// The SLO the run was scored against (goodput and attainment), if any.
    public var slo: BenchSLO?
    /// The written definition of each metric, keyed by metric name.
    public var definitions: [String: String]
    /// Per-request records (empty for imports that carry only aggregates).
    public var requests: [BenchRequestRecord]
    public var aggregates: BenchAggregates
    /// Rate-sweep steps, when the run was a sweep (each step's aggregates; records are in ``requests``, tagged with
    /// their step).
    public var sweep: [BenchSweepStep]?
    /// Observations a reader should weigh: the client as bottleneck, tokens counted from chunks, a run stopped early.
    public var warnings: [String]

    public static let currentSchemaVersion = "headroom.bench/1"

    public init(
        tool: String, startedAt: String, target: BenchTarget, load: BenchLoad, slo: BenchSLO? = nil,
        definitions: [String: String] = BenchResult.standardDefinitions, requests: [BenchRequestRecord],
        aggregates: BenchAggregates, sweep: [BenchSweepStep]? = nil, warnings: [String] = []
    ) {
        schemaVersion = BenchResult.currentSchemaVersion
        self.tool = tool
        self.startedAt = startedAt
        self.target = target
        self.load = load
        self.slo = slo
        self.definitions = definitions
        self.requests = requests
        self.aggregates = aggregates
        self.sweep = sweep
        self.warnings = warnings
    }

    /// The definitions every Headroom result file carries.
    public static let standardDefinitions: [String: String] = [
        "ttft": "time to first token: from the moment the request was sent to the arrival of the first streamed chunk "
            + "whose delta carries non-empty content (text or reasoning); role-only and empty chunks do not count",
        "tpot": "time per output token: (e2e - ttft) / (output_tokens - 1); undefined for one-token outputs",
        "itl": "inter-token latency: the gap between consecutive content-bearing chunks, one sample per gap",
        "e2e": "end-to-end latency: from send to the end of the stream ([DONE] or connection close)",
        "output_tokens": "completion tokens from the server's usage block when it sends one (output_tokens_source = "
            + "usage), otherwise the count of content-bearing chunks (output_tokens_source = chunks)",
        "goodput": "requests that succeeded and met every SLO term, divided by the measured duration",
        "slo_attainment": "requests that succeeded and met every SLO term, divided by the measured requests less "
            + "those cancelled by the user (a second Ctrl-C): a request the client gave up on says nothing about "
            + "the server",
        "duration": "from the first measured request's send to the last measured request's end; warm-up requests "
            + "are excluded from every aggregate",
        "send_lag": "actual send time minus intended send time; a p99 above 10 ms, or a growing lag, marks the client "
            + "as the bottleneck",
        "waited_for_connection": "the request was sent while more requests were in flight than the client's "
            + "connection pool holds, so it may have queued for a connection; that wait is inside its TTFT and E2E "
            + "and not in its send lag. Any such measured request marks the client as the bottleneck",
        "success": "HTTP 200, a well-formed stream with at least one content chunk, no error event, and a "
            + "finish_reason (with or without [DONE] after it)",
        "no_finish_reason": "the stream ended with [DONE] and had content, but no chunk carried a finish_reason: "
            + "counted in the outcomes, never as a success (so not in throughput, latency or goodput)",
        "chunk_counts": "in the aggregates, the per-request chunk counts (role_only, empty_delta, usage_only, "
            + "comment, content, finish, error, malformed, done) summed over every measured request, whatever its "
            + "outcome",
    ]
}

/// The endpoint measured.
public struct BenchTarget: Sendable, Codable, Hashable {
    /// Base URL, e.g. http://127.0.0.1:8080.
    public var url: String
    /// "completions" or "chat".
    public var api: String
    /// The model name sent in the request.
    public var model: String
    /// What is behind the endpoint, when known: catalog ids used by calibration and comparison.
    public var acceleratorID: String?
    public var acceleratorCount: Int?
    public var stackID: String?
    public var precision: String?
    /// Catalog model id (may differ from ``model``, the served name).
    public var catalogModelID: String?
    public var tensorParallel: Int?
    /// Free text, e.g. "llama.cpp b4xxx, 1 thread".
    public var notes: String?

    public init(
        url: String, api: String, model: String, acceleratorID: String? = nil, acceleratorCount: Int? = nil,
        stackID: String? = nil, precision: String? = nil, catalogModelID: String? = nil, tensorParallel: Int? = nil,
        notes: String? = nil
    ) {
        self.url = url
        self.api = api
        self.model = model
        self.acceleratorID = acceleratorID
        self.acceleratorCount = acceleratorCount
        self.stackID = stackID
        self.precision = precision
        self.catalogModelID = catalogModelID
        self.tensorParallel = tensorParallel
        self.notes = notes
    }
}

/// The load offered.
public struct BenchLoad: Sendable, Codable, Hashable {
    /// "concurrency", "constant", "poisson", "gamma", "ramp", "trace", "sweep", or ``unknownMode`` for an
    /// imported run whose file does not say how its requests were sent.
    public var mode: String
    /// Closed-loop clients (concurrency mode).
    public var concurrency: Int?
    /// Requests per second offered (open-loop modes; the end rate of a ramp).
    public var rateRequestsPerSecond: Double?
    /// Start rate of a ramp.
    public var rampStartRequestsPerSecond: Double?
    /// Coefficient of variation of inter-arrival gaps (gamma).
    public var burstiness: Double?
    /// Requests measured (after warm-up).
    public var requests: Int
    /// Requests sent first and excluded from the aggregates.
    public var warmupRequests: Int
    /// "synthetic", "jsonl:<file>", "sharegpt:<file>", "preset:<name>", "trace:<file>".
    public var dataset: String
    /// Mean prompt and output lengths asked for (tokens).
    public var meanInputTokens: Double?
    public var meanOutputTokens: Double?
    public var seed: UInt64?
    public var timeoutSeconds: Double?

    /// The mode of an imported run whose file does not say how its requests were sent: it is neither compared at
    /// equal load nor calibrated on.
    public static let unknownMode = "unknown"

    public init(
        mode: String, concurrency: Int? = nil, rateRequestsPerSecond: Double? = nil,
        rampStartRequestsPerSecond: Double? = nil, burstiness: Double? = nil, requests: Int, warmupRequests: Int = 0,
        dataset: String, meanInputTokens: Double? = nil, meanOutputTokens: Double? = nil, seed: UInt64? = nil,
        timeoutSeconds: Double? = nil
    ) {
        self.mode = mode
        self.concurrency = concurrency
        self.rateRequestsPerSecond = rateRequestsPerSecond
        self.rampStartRequestsPerSecond = rampStartRequestsPerSecond
        self.burstiness = burstiness
        self.requests = requests
        self.warmupRequests = warmupRequests
        self.dataset = dataset
        self.meanInputTokens = meanInputTokens
        self.meanOutputTokens = meanOutputTokens
        self.seed = seed
        self.timeoutSeconds = timeoutSeconds
    }
}

/// Latency targets a request must meet to count toward goodput (each term optional).
public struct BenchSLO: Sendable, Codable, Hashable {
    public var ttftSeconds: Double?
    public var tpotSeconds: Double?
    public var e2eSeconds: Double?
    /// The fraction of requests that must meet it for a sweep step to pass (e.g. 0.99).
    public var attainment: Double

    public init(ttftSeconds: Double? = nil, tpotSeconds: Double? = nil, e2eSeconds: Double? = nil, attainment: Double) {
        self.ttftSeconds = ttftSeconds
        self.tpotSeconds = tpotSeconds
        self.e2eSeconds = e2eSeconds
        self.attainment = attainment
    }
}

/// How a streamed request ended.
public enum BenchOutcome: String, Sendable, Codable, Hashable, CaseIterable {
    /// 200, content, a finish_reason, no error event.
    case success
    /// The server answered with a status other than 200.
    case httpError = "http_error"
    /// An `event: error` or an `{"error": …}` payload inside the stream.
    case streamError = "stream_error"
    /// The stream ended (or [DONE] came) without any content chunk.
    case noContent = "no_content"
    /// [DONE] came after content, but no chunk carried a finish_reason: the stream closed in order, yet nothing says
    /// the generation ended as it should. Not a success.
    case noFinishReason = "no_finish_reason"
    /// The connection closed before [DONE] and before any finish_reason.
    case truncated
    /// A chunk that is not valid JSON, or JSON that is not a completion chunk.
    case malformed
    /// The per-request timeout fired.
    case timeout
    /// Could not connect or the connection failed.
    case transportError = "transport_error"
    /// Cancelled (a second Ctrl-C) before it finished. Left out of SLO attainment.
    case cancelled
}

/// One request as the client saw it. Times are seconds from the run's start (monotonic clock).
public struct BenchRequestRecord: Sendable, Codable, Hashable {
    public var index: Int
    /// Warm-up requests are recorded but excluded from aggregates.
    public var warmup: Bool
    /// Sweep step index, when the run was a sweep.
    public var step: Int?
    public var intendedSendSeconds: Double
    public var actualSendSeconds: Double
    public var inputTokens: Int
    /// Output tokens asked for (max_tokens).
    public var requestedOutputTokens: Int
    public var outcome: BenchOutcome
    public var httpStatus: Int?
    public var error: String?
    /// Seconds from send to the first content chunk.
    public var ttftSeconds: Double?
    public var e2eSeconds: Double?
    /// Gaps between content chunks, seconds.
    public var itlSeconds: [Double]
    public var outputTokens: Int
    /// "usage" or "chunks".
    public var outputTokensSource: String
    /// Content chunks received (equals output tokens when the server streams one token per chunk).
    public var contentChunks: Int
    /// Chunks seen by kind: role_only, empty_delta, usage_only, comment, content, finish, error, malformed, done.
    public var chunkCounts: [String: Int]
    public var finishReason: String?
    /// Prompt tokens the server reported in usage.
    public var promptTokensReported: Int?
    /// Times the request was re-sent because a kept-alive connection closed before any answer (the server never
    /// saw it); the send time is the last attempt's.
    public var connectionRetries: Int?
    /// True when the request was sent while more requests were in flight than the client's connection pool holds:
    /// it may have waited for a connection, and that wait is inside its TTFT rather than its send lag. Nil otherwise.
    public var waitedForConnection: Bool?

    public init(
        index: Int, warmup: Bool = false, step: Int? = nil, intendedSendSeconds: Double, actualSendSeconds: Double,
        inputTokens: Int, requestedOutputTokens: Int, outcome: BenchOutcome, httpStatus: Int? = nil,
        error: String? = nil, ttftSeconds: Double? = nil, e2eSeconds: Double? = nil, itlSeconds: [Double] = [],
        outputTokens: Int = 0, outputTokensSource: String = "chunks", contentChunks: Int = 0,
        chunkCounts: [String: Int] = [:], finishReason: String? = nil, promptTokensReported: Int? = nil
    ) {
        self.index = index
        self.warmup = warmup
        self.step = step
        self.intendedSendSeconds = intendedSendSeconds
        self.actualSendSeconds = actualSendSeconds
        self.inputTokens = inputTokens
        self.requestedOutputTokens = requestedOutputTokens
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.error = error
        self.ttftSeconds = ttftSeconds
        self.e2eSeconds = e2eSeconds
        self.itlSeconds = itlSeconds
        self.outputTokens = outputTokens
        self.outputTokensSource = outputTokensSource
        self.contentChunks = contentChunks
        self.chunkCounts = chunkCounts
        self.finishReason = finishReason
        self.promptTokensReported = promptTokensReported
    }

    /// (e2e − ttft) / (output tokens − 1), when defined.
    public var tpotSeconds: Double? {
        guard let e2e = e2eSeconds, let ttft = ttftSeconds, outputTokens > 1 else { return nil }
        return (e2e - ttft) / Double(outputTokens - 1)
    }

    /// Whether it succeeded and met every term of `slo`.
    public func meets(_ slo: BenchSLO?) -> Bool {
        guard outcome == .success else { return false }
        guard let slo else { return true }
        if let limit = slo.ttftSeconds, (ttftSeconds ?? .infinity) > limit { return false }
        if let limit = slo.tpotSeconds, let tpot = tpotSeconds, tpot > limit { return false }
        if let limit = slo.e2eSeconds, (e2eSeconds ?? .infinity) > limit { return false }
        return true
    }
}

/// Percentiles of one latency metric, seconds.
public struct BenchDistribution: Sendable, Codable, Hashable {
    public var mean: Double
    public var p50: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var max: Double
    public var count: Int

    public init(mean: Double, p50: Double, p90: Double, p95: Double, p99: Double, max: Double, count: Int) {
        self.mean = mean
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.max = max
        self.count = count
    }
}

/// The run's aggregates over measured (non-warm-up) requests.
public struct BenchAggregates: Sendable, Codable, Hashable {
    public var durationSeconds: Double
    public var completed: Int
    /// Requests by outcome.
    public var outcomes: [String: Int]
    public var requestsPerSecond: Double
    public var outputTokensPerSecond: Double
    public var totalTokensPerSecond: Double
    public var goodputRequestsPerSecond: Double?
    /// Fraction of measured requests meeting the SLO.
    public var sloAttainment: Double?
    public var ttftSeconds: BenchDistribution?
    public var tpotSeconds: BenchDistribution?
    public var itlSeconds: BenchDistribution?
    public var e2eSeconds: BenchDistribution?
    /// Actual minus intended send time.
    public var sendLagSeconds: BenchDistribution?
    public var meanInputTokens: Double
    public var meanOutputTokens: Double
    /// Whether every output-token count came from usage.
    public var outputTokensFromUsage: Bool
    /// Whether the send lag, or requests queued for a pooled connection, say the client, not the server, limited
    /// the run.
    public var clientBottleneck: Bool
    /// Client CPU seconds spent (user + system) during the run, when measured.
    public var clientCPUSeconds: Double?
    /// Measured requests sent while more were in flight than the connection pool holds
    /// (``BenchRequestRecord/waitedForConnection``); nil in files that do not record it.
    public var waitedForConnection: Int?
    /// Chunks seen by kind, summed over every measured request's ``BenchRequestRecord/chunkCounts``; nil in files
    /// without per-request records.
    public var chunkCounts: [String: Int]?

    public init(
        durationSeconds: Double, completed: Int, outcomes: [String: Int], requestsPerSecond: Double,
        outputTokensPerSecond: Double, totalTokensPerSecond: Double, goodputRequestsPerSecond: Double? = nil,
        sloAttainment: Double? = nil, ttftSeconds: BenchDistribution? = nil, tpotSeconds: BenchDistribution? = nil,
        itlSeconds: BenchDistribution? = nil, e2eSeconds: BenchDistribution? = nil,
        sendLagSeconds: BenchDistribution? = nil, meanInputTokens: Double, meanOutputTokens: Double,
        outputTokensFromUsage: Bool, clientBottleneck: Bool, clientCPUSeconds: Double? = nil,
        waitedForConnection: Int? = nil, chunkCounts: [String: Int]? = nil
    ) {
        self.durationSeconds = durationSeconds
        self.completed = completed
        self.outcomes = outcomes
        self.requestsPerSecond = requestsPerSecond
        self.outputTokensPerSecond = outputTokensPerSecond
        self.totalTokensPerSecond = totalTokensPerSecond
        self.goodputRequestsPerSecond = goodputRequestsPerSecond
        self.sloAttainment = sloAttainment
        self.ttftSeconds = ttftSeconds
        self.tpotSeconds = tpotSeconds
        self.itlSeconds = itlSeconds
        self.e2eSeconds = e2eSeconds
        self.sendLagSeconds = sendLagSeconds
        self.meanInputTokens = meanInputTokens
        self.meanOutputTokens = meanOutputTokens
        self.outputTokensFromUsage = outputTokensFromUsage
        self.clientBottleneck = clientBottleneck
        self.clientCPUSeconds = clientCPUSeconds
        self.waitedForConnection = waitedForConnection
        self.chunkCounts = chunkCounts
    }
}

/// One step of a rate sweep.
public struct BenchSweepStep: Sendable, Codable, Hashable {
    public var step: Int
    public var rateRequestsPerSecond: Double
    public var aggregates: BenchAggregates
    /// Lower confidence bound on SLO attainment (Wilson score interval).
    public var attainmentLowerBound: Double
    public var passed: Bool

    public init(
        step: Int, rateRequestsPerSecond: Double, aggregates: BenchAggregates, attainmentLowerBound: Double,
        passed: Bool
    ) {
        self.step = step
        self.rateRequestsPerSecond = rateRequestsPerSecond
        self.aggregates = aggregates
        self.attainmentLowerBound = attainmentLowerBound
        self.passed = passed
    }
}
