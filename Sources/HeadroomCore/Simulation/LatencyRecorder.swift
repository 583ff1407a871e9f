import Histogram

/// Streams latencies into an HDR histogram (microsecond resolution, three significant digits) plus an exact sum.
///
/// A run's first ``exactLimit`` distinct recordings are kept as they are and the histogram is allocated only past
/// them: a calibration fit simulates thousands of bench runs of a few dozen requests each, and a histogram
/// (27,648 counts) allocated, zeroed and scanned four times per metric per run cost more than the runs themselves.
/// Percentiles of the kept values are the histogram's answers exactly (the same rank, reported as the highest value
/// equivalent to it at three significant digits, clamped to the recorded range), so no figure depends on which
/// path answered.
struct LatencyRecorder {
    /// Recordings kept exactly before the histogram takes over.
    static let exactLimit = 4096
    /// The histogram's shape, for its value-equivalence arithmetic on the exact path.
    private static let shape = Histogram<UInt64>(
        highestTrackableValue: 100_000_000_000, numberOfSignificantValueDigits: .three)

    private var exact: [(micros: UInt64, count: UInt64)] = []
    private var histogram: Histogram<UInt64>?
    private var sum = 0.0
    private var count = 0
    private var largest = 0.0

    mutating func record(_ seconds: Double, count n: Int = 1) {
        guard seconds.isFinite, seconds >= 0, n > 0 else { return }
        let micros = UInt64(min((seconds * 1e6).rounded(), 1e11))
        if histogram == nil, exact.count < Self.exactLimit {
            exact.append((micros, UInt64(n)))
        } else {
            if histogram == nil {
                var spilled = Self.shape
                for kept in exact { _ = spilled.record(kept.micros, count: kept.count) }
                exact = []
                histogram = spilled
            }
            _ = histogram?.record(micros, count: UInt64(n))
        }
        sum += seconds * Double(n)
        count += n
        largest = max(largest, seconds)
    }

    /// The latency at `percentile` (0…100), seconds; 0 when nothing was recorded.
    func value(atPercentile percentile: Double) -> Double {
        guard count > 0 else { return 0 }
        return values(atPercentiles: [min(max(percentile, 0), 100)])[0]
    }

    var summary: LatencySummary {
        guard count > 0 else { return .empty }
        let at = values(atPercentiles: [50, 90, 95, 99])
        return LatencySummary(
            mean: sum / Double(count), p50: at[0], p90: at[1], p95: at[2], p99: at[3], max: largest, count: count)
    }

    /// Seconds at each of `percentiles` (ascending, 0…100), as `Histogram.valueAtPercentile` answers.
    private func values(atPercentiles percentiles: [Double]) -> [Double] {
        if let histogram { return percentiles.map { Double(histogram.valueAtPercentile($0)) / 1e6 } }
        let sorted = exact.sorted { $0.micros < $1.micros }
        let total = sorted.reduce(UInt64(0)) { $0 + $1.count }
        guard let lowest = sorted.first?.micros, let highest = sorted.last?.micros else {
            return percentiles.map { _ in 0 }
        }
        var answers: [Double] = []
        answers.reserveCapacity(percentiles.count)
        var index = 0
        var cumulative = sorted[0].count
        for percentile in percentiles {
            guard percentile != 0 else {
                answers.append(Double(lowest) / 1e6)
                continue
            }
            guard percentile < 100 else {
                answers.append(Double(highest) / 1e6)
                continue
            }
            // The rank the histogram looks for: one ulp under the percentile, rounded up, at least the first value.
            let share = (min(max(percentile.nextDown, 0), 100) * Double(total)) / 100
            let rank = max(1, UInt64(share.rounded(.up)))
            while cumulative < rank, index + 1 < sorted.count {
                index += 1
                cumulative += sorted[index].count
            }
            let equivalent = Self.shape.highestEquivalentForValue(sorted[index].micros)
            answers.append(Double(max(min(equivalent, highest), lowest)) / 1e6)
        }
        return answers
    }
}
