import HTTPTypes
public import Hummingbird

/// Answers 429 with `Retry-After` once an authenticated principal exceeds its token bucket.
public struct RateLimitMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let limiter: RateLimiter?

    public init(limiter: RateLimiter?) {
        self.limiter = limiter
    }

    public func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let limiter, let principal = context.identity, let wait = await limiter.acquire(principal.id) {
            let seconds = max(Int(wait.rounded(.up)), 1)
            throw ServiceError(
                .tooManyRequests, "rate limit exceeded; retry in \(seconds) s",
                headers: [.retryAfter: String(seconds)])
        }
        return try await next(request, context)
    }
}
