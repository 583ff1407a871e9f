import HTTPTypes
public import Hummingbird
import Logging

/// One structured log line per request: method, route, status, latency and the caller's name (never a secret).
public struct AccessLogMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let metrics: ServiceMetrics

    public init(metrics: ServiceMetrics) {
        self.metrics = metrics
    }

    public func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - started
            let route = context.endpointPath ?? "unmatched"
            metrics.recordRequest(method: request.method.rawValue, route: route, status: status, duration: elapsed)
            context.logger.info(
                "request",
                metadata: [
                    "method": "\(request.method)", "route": "\(route)", "status": "\(status)",
                    "duration_ms":
                        "\(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)",
                ])
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as any HTTPResponseError {
            status = error.status.code
            throw error
        }
    }
}
