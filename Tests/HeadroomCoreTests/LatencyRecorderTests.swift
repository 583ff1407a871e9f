import Histogram
import Testing

@testable import HeadroomCore

/// The recorder answers from its kept values until ``LatencyRecorder/exactLimit`` recordings and from an HDR
/// histogram after: both paths must give the histogram's figures, so no result depends on a run's length.
///
/// A hang guard, not a timer: in scripts/test's CPU-bound group a test may wait minutes for a pool thread on a
/// loaded 2-core machine (two `yes` and other builds beside it starved 2-minute limits).
@Suite(.timeLimit(.minutes(15)))
struct LatencyRecorderTests {
    /// (recordings, weight of each, seed): short runs on the exact path, long ones past the spill, weighted ones.
    static let cases: [(Int, Int, UInt64)] = [
        (1, 1, 1), (2, 1, 2), (7, 1, 3), (64, 1, 4), (1000, 1, 5), (4096, 1, 6), (4097, 1, 7), (9000, 1, 8),
        (50, 3, 9), (300, 17, 10),
    ]

    @Test(arguments: cases)
    func percentilesAreTheHistogramsAtEveryRunLength(recordings: Int, weight: Int, seed: UInt64) {
        var generator = SplitMix(seed)
        var recorder = LatencyRecorder()
        var histogram = Histogram<UInt64>(
            highestTrackableValue: 100_000_000_000, numberOfSignificantValueDigits: .three)
        for index in 0..<recordings {
            // Latencies from 0 (an instant answer) to ~40 s, spread over many orders of magnitude.
            let seconds = index == 0 ? 0 : Double(generator.next() % 40_000_000_000) / 1e9 * Double(index % 3) / 2
            recorder.record(seconds, count: weight)
            _ = histogram.record(UInt64(min((seconds * 1e6).rounded(), 1e11)), count: UInt64(weight))
        }
        let summary = recorder.summary
        let expected = [50.0, 90, 95, 99].map { Double(histogram.valueAtPercentile($0)) / 1e6 }
        #expect([summary.p50, summary.p90, summary.p95, summary.p99] == expected)
        #expect(summary.count == recordings * weight)
        for percentile in [0.0, 0.1, 33.3, 50, 99.9, 100] {
            #expect(
                recorder.value(atPercentile: percentile) == Double(histogram.valueAtPercentile(percentile)) / 1e6,
                "p\(percentile) of \(recordings)")
        }
    }

    @Test func nothingRecordedIsZero() {
        let recorder = LatencyRecorder()
        #expect(recorder.summary == .empty)
        #expect(recorder.value(atPercentile: 99) == 0)
    }

    /// SplitMix64: a seeded generator, so each case's values are fixed.
    struct SplitMix {
        var state: UInt64
        init(_ seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
