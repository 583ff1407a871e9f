import HTTPTypes
import HeadroomCatalog
import HeadroomCore
import HeadroomOperations
public import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import UnixSignals

/// Builds `headroom serve`'s application: shared by the command and the tests (hummingbird-examples'
/// `Application+build` pattern).
/// - Parameters:
///   - configuration: where to listen, whom to trust, limits.
///   - store: persistence.
/// - Returns: the application; `runService()` runs it until SIGTERM or SIGINT, then shuts down gracefully.
/// - Throws: when the catalog cannot be loaded.
public func buildServiceApplication(
    configuration: ServiceConfiguration, store: any ServiceStore
) async throws -> some ApplicationProtocol {
    let router = try await buildServiceRouter(configuration: configuration, store: store)
    // Saturating: a timeout of centuries is "never", not a trap.
    let idleTimeout = configuration.idleTimeout.map {
        TimeAmount.nanoseconds(Int64(Int(saturating: $0 / .nanoseconds(1))))
    }
    let readTimeout = configuration.requestReadTimeout.map {
        TimeAmount.nanoseconds(Int64(Int(saturating: $0 / .nanoseconds(1))))
    }
    return Application(
        router: router,
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [ConnectionGuard(readTimeout: readTimeout)],
                idleTimeout: idleTimeout)),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "headroom"),
        logger: configuration.logger
    )
}

/// Builds the application and runs it until SIGTERM or SIGINT, then shuts down gracefully (a `ServiceGroup`).
/// - Throws: when the catalog cannot be loaded or the port cannot be bound.
public func runService(configuration: ServiceConfiguration, store: any ServiceStore) async throws {
    let app = try await buildServiceApplication(configuration: configuration, store: store)
    configuration.logger.info(
        "headroom serve listening", metadata: ["host": "\(configuration.host)", "port": "\(configuration.port)"])
    try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
}

/// The router with every route of ``serviceRoutes()`` and the middleware chain: request id, access log and
/// metrics, API-key then OIDC authentication, rate limiting.
package func buildServiceRouter(
    configuration: ServiceConfiguration, store: any ServiceStore
) async throws -> Router<ServiceRequestContext> {
    let catalog = try configuration.catalog ?? CatalogLoader.standard(extraDirectories: [])
    let keyCache = APIKeyCache(ttl: configuration.apiKeyCacheTTL)
    let environment = ServiceEnvironment(
        store: store, catalog: catalog, configuration: configuration, keyCache: keyCache)
    // The training-throughput fit (hundreds of milliseconds) and the bundled price books, made ready on the compute
    // threads while the server starts rather than inside the first request that needs them.
    Task(executorPreference: ComputeExecutor.shared) {
        _ = ThroughputCalibrationLoader.calibration(catalog: catalog)
        _ = BundledData.priceBooks
        _ = BundledData.economics
    }
    let router = Router(context: ServiceRequestContext.self)
    let routes = serviceRoutes(extra: configuration.extraRoutes)
    router.addMiddleware {
        RequestIDMiddleware()
        AccessLogMiddleware(metrics: configuration.metrics)
        MethodNotAllowedMiddleware(routes: routes)
        AuthFailureMiddleware(
            guardian: configuration.authFailureLimit.map {
                AuthFailureGuard(
                    failuresPerSecond: $0.requestsPerSecond, burst: $0.burst,
                    window: configuration.authFailureAuditWindow)
            }, store: store)
        APIKeyAuthenticator(store: store, bootstrapKey: configuration.bootstrapAdminKey, cache: keyCache)
        OIDCAuthenticator(verifier: configuration.oidc.map { OIDCVerifier(configuration: $0) })
        RateLimitMiddleware(
            limiter: configuration.rateLimit.map {
                RateLimiter(requestsPerSecond: $0.requestsPerSecond, burst: $0.burst)
            })
    }
    for route in routes {
        router.on(RouterPath(route.routerPath), method: route.method) { request, context in
            try await RouteDispatcher.run(route, request: request, context: context, environment: environment)
        }
    }
    return router
}

/// The route table: every route the server registers, and what `/openapi.json` describes.
/// - Parameter extra: routes mounted besides the API's own (``ServiceConfiguration/extraRoutes``).
package func serviceRoutes(extra: [ServiceRoute] = []) -> [ServiceRoute] {
    let routes =
        ComputeRoutes.routes() + CatalogRoutes.routes() + StoreRoutes.routes() + AdminRoutes.routes() + [
            ServiceRoute(.get, "/openapi.json", access: .role(.viewer), summary: "This API's OpenAPI 3.1 document.") {
                _, _, env in
                RouteOutput(
                    try StoreRoutes.json(OpenAPIDocument.build(serviceRoutes(extra: env.configuration.extraRoutes))))
            }
        ] + extra + WebRoutes.routes()
    return routes.map { route in
        var route = route
        route.cancelsOnDisconnect = route.method == .post && computationPaths.contains(route.path)
        return route
    }
}

/// The routes whose work is a computation that nothing stores: stopped when their client disconnects. Saving a plan
/// (`POST /v1/plans`) is left to finish, so a save and its audit event are never cut apart.
private let computationPaths: Set<String> = [
    "/v1/estimate", "/v1/simulate", "/v1/plan", "/v1/cost", "/v1/train", "/ui/plan",
]

/// Checks access, runs a route, and audits mutations (success or failure) and confidential reads.
enum RouteDispatcher {
    static func run(
        _ route: ServiceRoute, request: Request, context: ServiceRequestContext, environment: ServiceEnvironment
    ) async throws -> Response {
        let action = "\(route.method.rawValue) \(route.path)"
        do {
            try authorize(route.access, context: context, environment: environment)
            let output = try await handle(route, request: request, context: context, environment: environment)
            if (route.mutates || output.confidentialRead) && !output.audited {
                _ = try await environment.store.appendAudit(
                    AuditEventDraft(
                        actor: context.identity?.auditName ?? "anonymous", action: action,
                        target: output.auditTarget, requestID: context.requestID, outcome: "success"))
            }
            return output.response
        } catch {
            // An operation's refusal becomes the API's error here, in one place.
            let error: any Error = (error as? OperationError).map(ServiceError.init) ?? error
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            // A 401 is audited by AuthFailureMiddleware, aggregated per client address.
            if route.mutates && status != 401 {
                let reason = (error as? ServiceError)?.message ?? "internal error"
                do {
                    _ = try await environment.store.appendAudit(
                        AuditEventDraft(
                            actor: context.identity?.auditName ?? "anonymous", action: action, target: nil,
                            requestID: context.requestID, outcome: "failure: \(status) \(reason)"))
                } catch {
                    context.logger.error("audit append failed", metadata: ["error": "\(error)"])
                }
            }
            if !(error is any HTTPResponseError) {
                context.logger.error("request failed", metadata: ["error": "\(error)"])
            }
            throw error
        }
    }

    /// Runs the route's handler; a computation is cancelled when its client closes the connection (where the
    /// configuration asks for it), so a client that gives up does not leave its work running for the deadline.
    static func handle(
        _ route: ServiceRoute, request: Request, context: ServiceRequestContext, environment: ServiceEnvironment
    ) async throws -> RouteOutput {
        guard route.cancelsOnDisconnect, environment.configuration.cancelOnDisconnect else {
            return try await route.handler(request, context, environment)
        }
        // The body is read here, on the connection's own task, within the limit; the computation then runs in a task
        // of its own that the client's departure cancels.
        var request = request
        let limit = environment.configuration.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw ServiceError(.contentTooLarge, "the request body is over \(limit) bytes")
        }
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ServiceError(.contentTooLarge, "the request body is over \(limit) bytes")
        }
        let collected = request
        return try await ConnectionGuard.cancellingOnClose(of: context.channel) {
            try await route.handler(collected, context, environment)
        }
    }

    static func authorize(
        _ access: RouteAccess, context: ServiceRequestContext, environment: ServiceEnvironment
    ) throws {
        let needed: Role
        switch access {
        case .open: return
        case .metrics:
            guard environment.configuration.metricsAccess == .authenticated else { return }
            needed = .viewer
        case .role(let role): needed = role
        }
        guard let principal = context.identity else {
            throw ServiceError(
                .unauthorized, "authenticate with Authorization: Bearer <API key or OIDC token>",
                headers: [.wwwAuthenticate: ServiceError.bearerChallenge(invalidToken: false)])
        }
        guard principal.role >= needed else {
            throw ServiceError(
                .forbidden, "this needs the \(needed.rawValue) role; \(principal.name) is \(principal.role.rawValue)")
        }
    }
}
