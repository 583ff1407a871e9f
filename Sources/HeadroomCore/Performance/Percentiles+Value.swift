/// The one meaning of "the latency at percentile q" that every SLO check uses (the estimator's max-rate search, the
/// planner's verdicts and explanations), whichever distribution answers it.
///
/// A distribution reports a few percentiles (``Percentiles``: p50, p90, p99; ``LatencySummary``: p50, p90, p95,
/// p99). The value at `q` is the reported one where `q` is reported, the straight line between the two reported
/// percentiles around `q` elsewhere, and the nearest reported one below p50 or above p99. So p95 is the measured
/// p95 where there is one, and the interpolation between p90 and p99 where there is not.
enum PercentileInterpolation {
    /// The value at `percentile` from `knots` (percentile, value), ascending by percentile.
    static func value(at percentile: Double, knots: [(percentile: Double, value: Double)]) -> Double {
        guard let first = knots.first, let last = knots.last else { return .nan }
        if percentile <= first.percentile { return first.value }
        if percentile >= last.percentile { return last.value }
        for (low, high) in zip(knots, knots.dropFirst()) where percentile <= high.percentile {
            if percentile == high.percentile { return high.value }
            return low.value + (high.value - low.value) * (percentile - low.percentile)
                / (high.percentile - low.percentile)
        }
        return last.value
    }
}

extension Percentiles {
    /// The value at `percentile`: see ``PercentileInterpolation`` (p95 lies between p90 and p99).
    public func value(at percentile: Double) -> Double {
        PercentileInterpolation.value(at: percentile, knots: [(50, p50), (90, p90), (99, p99)])
    }
}

extension LatencySummary {
    /// The value at `percentile`: see ``PercentileInterpolation`` (p95 is the measured one).
    public func value(at percentile: Double) -> Double {
        PercentileInterpolation.value(at: percentile, knots: [(50, p50), (90, p90), (95, p95), (99, p99)])
    }
}
