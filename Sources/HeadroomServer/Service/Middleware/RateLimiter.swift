import Foundation
import HTTPTypes

/// Token buckets per principal: `burst` requests at once, refilled at `requestsPerSecond`.
public actor RateLimiter {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private let requestsPerSecond: Double
    private let burst: Double
    private var buckets: [String: Bucket] = [:]
    private let clock: @Sendable () -> Double

    /// - Parameters:
    ///   - requestsPerSecond: the sustained rate each principal may send.
    ///   - burst: the requests a principal may send at once.
    ///   - clock: seconds on a monotonic clock.
    public init(
        requestsPerSecond: Double, burst: Int,
        clock: (@Sendable () -> Double)? = nil
    ) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = Double(max(burst, 1))
        self.clock = clock ?? { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    }

    /// Takes a token for `key`.
    /// - Returns: nil when allowed, else the seconds until a token is available.
    public func acquire(_ key: String) -> Double? {
        let now = clock()
        var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * requestsPerSecond)
        bucket.updated = now
        defer { buckets[key] = bucket }
        guard bucket.tokens >= 1 else {
            return (1 - bucket.tokens) / max(requestsPerSecond, 1e-9)
        }
        bucket.tokens -= 1
        return nil
    }
}
