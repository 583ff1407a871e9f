import HTTPTypes
package import Hummingbird
import HummingbirdAuth
import Logging

/// Rate limits and audits failed authentication per client address (``AuthFailureGuard``). Once an address has spent
/// its failures, a request from it that would be answered `401` (credentials refused, or none on a protected route)
/// gets `429` with `Retry-After` instead; valid credentials are still served, and so are open routes (`/healthz`,
/// `/readyz`), so users and health probes behind the same address as an attacker keep working. Every `401` (unknown key, bad token, no credentials on a protected route) is
/// appended to the audit log, identical ones aggregated.
package struct AuthFailureMiddleware: RouterMiddleware {
    package typealias Context = ServiceRequestContext
    let guardian: AuthFailureGuard?
    let store: any ServiceStore

    package init(guardian: AuthFailureGuard?, store: any ServiceStore) {
        self.guardian = guardian
        self.store = store
    }

    package func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let guardian else { return try await next(request, context) }
        let address = context.clientAddress
        let action = "\(request.method.rawValue) authenticate"
        // Only an answer of 401 counts and is refused: a request without credentials to an open route (`/healthz`,
        // `/readyz`, the page) is served even from an address that has spent its failures, so an attacker sharing
        // the prober's address cannot take the health checks down with it.
        do {
            return try await next(request, context)
        } catch let error as ServiceError where error.status == .unauthorized {
            if let wait = await guardian.retryAfter(address) {
                throw await refuse(request, context: context, wait: wait, address: address, action: action)
            }
            await audit(
                guardian.recordFailure(
                    address: address, actor: Self.actor(request), action: action, status: 401,
                    reason: error.message, requestID: context.requestID), context: context)
            throw error
        }
    }

    /// Audits (aggregated) and answers a request from an address that has spent its failures.
    private func refuse(
        _ request: Request, context: Context, wait: Double, address: String, action: String
    ) async -> ServiceError {
        let seconds = max(Int(wait.rounded(.up)), 1)
        if let guardian {
            await audit(
                guardian.recordFailure(
                    address: address, actor: Self.actor(request), action: action, status: 429,
                    reason: "too many failed authentications", requestID: context.requestID), context: context)
        }
        return ServiceError(
            .tooManyRequests, "too many failed authentications from this address; retry in \(seconds) s",
            headers: [.retryAfter: String(seconds)])
    }

    private func audit(_ drafts: [AuditEventDraft], context: Context) async {
        for draft in drafts {
            do {
                _ = try await store.appendAudit(draft)
            } catch {
                context.logger.error("audit append failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Who the request claimed to be, safe to log: an API key's `hr_<id>`, `oidc-token`, or `anonymous`.
    static func actor(_ request: Request) -> String {
        guard let token = request.headers.bearer?.token else { return "anonymous" }
        if token.hasPrefix("hr_") { return APIKeyAuthenticator.prefix(of: token) }
        return "bearer-token"
    }
}
