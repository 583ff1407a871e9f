import HTTPTypes
public import Hummingbird
public import HummingbirdAuth
import Logging

/// Authenticates `Authorization: Bearer hr_…` against the store; other bearer tokens pass on to the OIDC
/// authenticator.
public struct APIKeyAuthenticator: AuthenticatorMiddleware {
    public typealias Context = ServiceRequestContext
    let store: any ServiceStore

    public init(store: any ServiceStore) {
        self.store = store
    }

    public func authenticate(request: Request, context: Context) async throws -> Principal? {
        guard let token = request.headers.bearer?.token, token.hasPrefix("hr_") else { return nil }
        guard let owner = try await store.authenticate(apiKey: token) else {
            // Log the prefix only: never the secret.
            context.logger.notice(
                "unknown or revoked API key", metadata: ["key_prefix": "\(APIKeyAuthenticator.prefix(of: token))"])
            throw ServiceError(.unauthorized, "the API key is unknown or revoked")
        }
        return Principal(name: owner.name, role: owner.role, source: .apiKey, id: owner.keyID)
    }

    /// `hr_<id>` of a key, safe to log.
    static func prefix(of token: String) -> String {
        let parts = token.split(separator: "_")
        return parts.count >= 2 ? "hr_\(parts[1])" : "hr_"
    }
}
