public import HeadroomCore
import Synchronization

/// What a live display shows: requests done, the rate achieved, the median TTFT so far.
public struct BenchProgress: Sendable, Hashable {
    public var sent: Int
    public var done: Int
    public var total: Int
    public var failed: Int
    public var elapsedSeconds: Double
    /// Completed requests per second since the first send.
    public var achievedRate: Double
    /// Median TTFT of the requests done so far, seconds.
    public var medianTTFTSeconds: Double?
    /// Output tokens received so far.
    public var outputTokens: Int
}

/// The records of a run as they come in, shared between the senders and a progress display.
public final class BenchRecorder: Sendable {
    private struct State {
        var records: [BenchRequestRecord] = []
        var ttfts: [Double] = []
        var sent = 0
        var failed = 0
        var outputTokens = 0
        var total = 0
        var firstSend: Double?
    }

    private let state = Mutex(State())
    public let clock: BenchClock

    public init(clock: BenchClock) {
        self.clock = clock
    }

    /// Expect `count` more requests.
    public func expect(_ count: Int) {
        state.withLock { $0.total += count }
    }

    func didSend(at seconds: Double) {
        state.withLock {
            $0.sent += 1
            if $0.firstSend == nil { $0.firstSend = seconds }
        }
    }

    func record(_ record: BenchRequestRecord) {
        state.withLock {
            $0.records.append(record)
            if record.outcome != .success { $0.failed += 1 }
            if let ttft = record.ttftSeconds { $0.ttfts.append(ttft) }
            $0.outputTokens += record.outputTokens
        }
    }

    /// Every record so far, in completion order.
    public var records: [BenchRequestRecord] { state.withLock { $0.records } }

    public func snapshot() -> BenchProgress {
        let now = clock.now()
        return state.withLock { state in
            var median: Double?
            if !state.ttfts.isEmpty {
                median = state.ttfts.sorted()[state.ttfts.count / 2]
            }
            let elapsed = now - (state.firstSend ?? now)
            return BenchProgress(
                sent: state.sent, done: state.records.count, total: state.total, failed: state.failed,
                elapsedSeconds: elapsed, achievedRate: elapsed > 0 ? Double(state.records.count) / elapsed : 0,
                medianTTFTSeconds: median, outputTokens: state.outputTokens)
        }
    }
}
