/// Aggregates of a benchmark run computed from its per-request records.
///
/// Rules:
/// - Only measured (non-warm-up) records count.
/// - Duration runs from the first measured actual send to the last measured end (`actualSendSeconds + e2eSeconds`;
///   a record without an e2e ends at its send).
/// - ``BenchAggregates/completed``, requests/s, output tok/s and total tok/s count successful requests only (total
///   tokens are the client's input tokens plus output tokens); goodput counts requests that
///   ``BenchRequestRecord/meets(_:)`` the SLO; attainment is that count over the measured requests less those the
///   user cancelled (``BenchOutcome/cancelled``). Every other outcome, ``BenchOutcome/noFinishReason`` included,
///   counts against attainment and never toward goodput.
/// - ``BenchAggregates/outcomes`` counts every measured request by outcome; ``BenchAggregates/chunkCounts`` sums
///   their chunk counts by kind, whatever the outcome.
/// - Latency distributions (TTFT, TPOT, ITL, E2E) use successful requests only; TPOT only those with more than one
///   output token; ITL pools every gap. The send lag (actual − intended send) uses every measured request.
/// - Mean input and output tokens are over successful requests.
/// - Percentiles are exact: samples sorted, then linear interpolation between the order statistics at rank
///   `(n − 1) · p` (Hyndman and Fan's type 7, NumPy's default); `max` is the largest sample.
/// - The client is the bottleneck when any measured request ``BenchRequestRecord/waitedForConnection`` (its wait
///   for a pooled connection is in its TTFT, invisible to the send lag), when the send lag's p99 exceeds 10 ms, or
///   when the lag grows: the least-squares slope of lag against intended send time (over at least 3 requests)
///   exceeds 1 ms per second and, over the run's span of intended times, adds up to more than 2 ms. The growth floor
///   keeps timer jitter in a sub-second run from passing for a trend; in a run longer than 10 s a slope that large
///   already shows in the p99.
/// - Non-finite samples are dropped; empty sets give nil distributions and zero rates, so nothing is NaN.
public enum BenchAggregation {
    /// Send-lag p99 above which the client is the bottleneck, seconds.
    public static let sendLagP99Limit = 0.010
    /// Growth of the send lag, seconds per second of run, above which the client is falling behind.
    public static let sendLagSlopeLimit = 0.001
    /// The least growth of the send lag over the run, seconds, for the slope rule to apply.
    public static let sendLagGrowthLimit = 0.002

    /// Aggregates over the measured records.
    /// - Parameters:
    ///   - records: Every record of the run (warm-up records are skipped).
    ///   - slo: The SLO for goodput and attainment; nil leaves them nil.
    ///   - clientCPUSeconds: Client CPU time spent, when measured.
    /// - Returns: The aggregates; zero rates and nil distributions when nothing was measured.
    /// - Complexity: O(n log n) in the records and ITL samples (sorting).
    public static func aggregate(
        _ records: [BenchRequestRecord], slo: BenchSLO?, clientCPUSeconds: Double? = nil
    ) -> BenchAggregates {
        let measured = records.filter { !$0.warmup }
        let successes = measured.filter { $0.outcome == .success }

        var start = Double.infinity
        var end = -Double.infinity
        for record in measured where record.actualSendSeconds.isFinite {
            start = Swift.min(start, record.actualSendSeconds)
            let e2e = record.e2eSeconds.flatMap { $0.isFinite ? $0 : nil } ?? 0
            end = Swift.max(end, record.actualSendSeconds + e2e)
        }
        let duration = end > start ? end - start : 0
        func rate(_ amount: Double) -> Double { duration > 0 ? amount / duration : 0 }

        var outcomes: [String: Int] = [:]
        var chunkCounts: [String: Int] = [:]
        for record in measured {
            outcomes[record.outcome.rawValue, default: 0] += 1
            chunkCounts.merge(record.chunkCounts, uniquingKeysWith: +)
        }
        let waited = measured.count(where: { $0.waitedForConnection == true })

        let outputTokens = successes.reduce(0) { $0 + Swift.max(0, $1.outputTokens) }
        let inputTokens = successes.reduce(0) { $0 + Swift.max(0, $1.inputTokens) }

        var goodput: Double?
        var attainment: Double?
        if let slo {
            let meeting = measured.count(where: { $0.meets(slo) })
            let scored = measured.count(where: { $0.outcome != .cancelled })
            goodput = rate(Double(meeting))
            attainment = scored == 0 ? nil : Double(meeting) / Double(scored)
        }

        let lags = measured.map { $0.actualSendSeconds - $0.intendedSendSeconds }
        let lagDistribution = distribution(lags)

        return BenchAggregates(
            durationSeconds: duration, completed: successes.count, outcomes: outcomes,
            requestsPerSecond: rate(Double(successes.count)), outputTokensPerSecond: rate(Double(outputTokens)),
            totalTokensPerSecond: rate(Double(outputTokens + inputTokens)), goodputRequestsPerSecond: goodput,
            sloAttainment: attainment, ttftSeconds: distribution(successes.compactMap(\.ttftSeconds)),
            tpotSeconds: distribution(successes.compactMap(\.tpotSeconds)),
            itlSeconds: distribution(successes.flatMap(\.itlSeconds)),
            e2eSeconds: distribution(successes.compactMap(\.e2eSeconds)), sendLagSeconds: lagDistribution,
            meanInputTokens: mean(successes.map { Double($0.inputTokens) }) ?? 0,
            meanOutputTokens: mean(successes.map { Double($0.outputTokens) }) ?? 0,
            outputTokensFromUsage: !successes.isEmpty && successes.allSatisfy { $0.outputTokensSource == "usage" },
            clientBottleneck: waited > 0 || clientIsBottleneck(measured, lagP99: lagDistribution?.p99),
            clientCPUSeconds: clientCPUSeconds.flatMap { $0.isFinite ? $0 : nil }, waitedForConnection: waited,
            chunkCounts: chunkCounts
        )
    }

    /// Mean, percentiles, max and count of the finite samples; nil when there are none.
    /// - Complexity: O(n log n).
    public static func distribution(_ samples: [Double]) -> BenchDistribution? {
        let sorted = samples.filter(\.isFinite).sorted()
        guard let last = sorted.last, let mean = mean(sorted) else { return nil }
        return BenchDistribution(
            mean: mean, p50: percentile(sorted: sorted, 0.50), p90: percentile(sorted: sorted, 0.90),
            p95: percentile(sorted: sorted, 0.95), p99: percentile(sorted: sorted, 0.99), max: last, count: sorted.count
        )
    }

    /// The `p` quantile (0…1) of sorted samples: linear interpolation between the order statistics around rank
    /// `(n − 1) · p` (type 7). Zero for no samples.
    public static func percentile(sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Swift.min(Swift.max(p, 0), 1) * Double(sorted.count - 1)
        let lower = Int(saturating: rank.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = rank - Double(lower)
        return sorted[lower] + fraction * (sorted[upper] - sorted[lower])
    }

    private static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }

    /// The p99 rule, then the growth rule (least-squares slope of lag on intended send time).
    private static func clientIsBottleneck(_ records: [BenchRequestRecord], lagP99: Double?) -> Bool {
        if let lagP99, lagP99 > sendLagP99Limit { return true }
        let points = records.compactMap { record -> (x: Double, y: Double)? in
            let lag = record.actualSendSeconds - record.intendedSendSeconds
            guard record.intendedSendSeconds.isFinite, lag.isFinite else { return nil }
            return (record.intendedSendSeconds, lag)
        }
        guard points.count >= 3 else { return false }
        let meanX = points.reduce(0) { $0 + $1.x } / Double(points.count)
        let meanY = points.reduce(0) { $0 + $1.y } / Double(points.count)
        var covariance = 0.0
        var variance = 0.0
        var minX = Double.infinity
        var maxX = -Double.infinity
        for point in points {
            covariance += (point.x - meanX) * (point.y - meanY)
            variance += (point.x - meanX) * (point.x - meanX)
            minX = Swift.min(minX, point.x)
            maxX = Swift.max(maxX, point.x)
        }
        guard variance > 0 else { return false }
        let slope = covariance / variance
        return slope > sendLagSlopeLimit && slope * (maxX - minX) > sendLagGrowthLimit
    }
}
