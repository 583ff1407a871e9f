import Foundation

/// Failed authentication per client address: a token bucket that every `401` takes one token from (an address
/// that has spent its bucket is refused with `429` before its credentials are checked), and audit rows aggregated
/// per address, actor and reason, so a flood of identical failures appends a bounded number of rows instead of one
/// each.
package actor AuthFailureGuard {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private struct Window {
        var started: Double
        /// Identical failures since the window's first row, not yet written.
        var repeated: Int
    }

    private let failuresPerSecond: Double
    private let burst: Double
    private let window: Double
    private let clock: @Sendable () -> Double
    private var buckets: [String: Bucket] = [:]
    private var windows: [String: Window] = [:]
    /// Addresses and aggregation keys kept at most; beyond it full buckets and closed windows are dropped.
    private let capacity = 10_000

    /// - Parameters:
    ///   - failuresPerSecond: the sustained rate of failed authentications an address may cause.
    ///   - burst: the failures an address may cause at once.
    ///   - window: how long identical failures are counted into one audit row.
    ///   - clock: seconds on a monotonic clock.
    package init(
        failuresPerSecond: Double, burst: Int, window: Duration = .seconds(60),
        clock: (@Sendable () -> Double)? = nil
    ) {
        self.failuresPerSecond = max(failuresPerSecond, 1e-9)
        self.burst = Double(max(burst, 1))
        self.window = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        self.clock = clock ?? { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    }

    /// Whether `address` has spent its failures.
    /// - Returns: nil when it may try, else the seconds until it may.
    package func retryAfter(_ address: String) -> Double? {
        let bucket = refilled(address, now: clock())
        guard bucket.tokens < 1 else { return nil }
        return (1 - bucket.tokens) / failuresPerSecond
    }

    /// Records a failure: takes a token from `address` and says which audit rows to append.
    /// - Parameters:
    ///   - status: the answer, `401` or `429`.
    /// - Returns: the first failure of a kind in a window as a row, and, when a window with repeats has closed, a
    ///   row counting them; nothing for a repeat inside the window.
    package func recordFailure(
        address: String, actor: String, action: String, status: Int, reason: String, requestID: String
    ) -> [AuditEventDraft] {
        let now = clock()
        var bucket = refilled(address, now: now)
        if status == 401 { bucket.tokens = max(bucket.tokens - 1, 0) }
        buckets[address] = bucket
        let key = "\(address)\u{0}\(actor)\u{0}\(status)\u{0}\(reason)"
        let target = "client:\(address)"
        var drafts: [AuditEventDraft] = []
        if let open = windows[key], now - open.started < window {
            windows[key]?.repeated += 1
            return drafts
        } else if let closed = windows[key], closed.repeated > 0 {
            drafts.append(
                AuditEventDraft(
                    actor: actor, action: action, target: target, requestID: requestID,
                    outcome: "failure: \(status) \(reason) (repeated \(closed.repeated) more times within "
                        + "\(Int(window)) s)"))
        }
        windows[key] = Window(started: now, repeated: 0)
        drafts.append(
            AuditEventDraft(
                actor: actor, action: action, target: target, requestID: requestID,
                outcome: "failure: \(status) \(reason)"))
        prune(now: now)
        return drafts
    }

    private func refilled(_ address: String, now: Double) -> Bucket {
        var bucket = buckets[address] ?? Bucket(tokens: burst, updated: now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * failuresPerSecond)
        bucket.updated = now
        return bucket
    }

    private func prune(now: Double) {
        if buckets.count > capacity {
            buckets = buckets.filter { $0.value.tokens + (now - $0.value.updated) * failuresPerSecond < burst }
        }
        if windows.count > capacity {
            windows = windows.filter { now - $0.value.started < window }
        }
    }
}
