import Histogram

/// Streams latencies into an HDR histogram (microsecond resolution, three significant digits) plus an exact sum.
struct LatencyRecorder {
    private var histogram = Histogram<UInt64>(
        highestTrackableValue: 100_000_000_000, numberOfSignificantValueDigits: .three)
    private var sum = 0.0
    private var count = 0
    private var largest = 0.0

    mutating func record(_ seconds: Double, count n: Int = 1) {
        guard seconds.isFinite, seconds >= 0, n > 0 else { return }
        let micros = UInt64(min((seconds * 1e6).rounded(), 1e11))
        _ = histogram.record(micros, count: UInt64(n))
        sum += seconds * Double(n)
        count += n
        largest = max(largest, seconds)
    }

    /// The latency at `percentile` (0…100), seconds; 0 when nothing was recorded.
    func value(atPercentile percentile: Double) -> Double {
        guard count > 0 else { return 0 }
        return Double(histogram.valueAtPercentile(min(max(percentile, 0), 100))) / 1e6
    }

    var summary: LatencySummary {
        guard count > 0 else { return .empty }
        func at(_ p: Double) -> Double { Double(histogram.valueAtPercentile(p)) / 1e6 }
        return LatencySummary(
            mean: sum / Double(count), p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: largest, count: count
        )
    }
}
