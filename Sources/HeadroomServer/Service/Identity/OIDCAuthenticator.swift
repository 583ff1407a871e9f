import HTTPTypes
public import Hummingbird
public import HummingbirdAuth
import Logging

/// Authenticates OIDC bearer tokens (JWTs) through an ``OIDCVerifier``.
public struct OIDCAuthenticator: AuthenticatorMiddleware {
    public typealias Context = ServiceRequestContext
    let verifier: OIDCVerifier?

    public init(verifier: OIDCVerifier?) {
        self.verifier = verifier
    }

    public func authenticate(request: Request, context: Context) async throws -> Principal? {
        guard context.identity == nil, let token = request.headers.bearer?.token, !token.hasPrefix("hr_") else {
            return nil
        }
        guard let verifier else {
            throw ServiceError(.unauthorized, "bearer tokens other than API keys need OIDC, which is not configured")
        }
        do {
            return try await verifier.verify(token)
        } catch let error as ServiceError {
            context.logger.notice("OIDC token refused", metadata: ["reason": "\(error.message)"])
            throw error
        }
    }
}
