import Crypto
import HTTPTypes
public import Hummingbird
public import HummingbirdAuth
import Logging

/// Authenticates `Authorization: Bearer hr_…` against the store (or the configured bootstrap admin key); other
/// bearer tokens pass on to the OIDC authenticator.
public struct APIKeyAuthenticator: AuthenticatorMiddleware {
    public typealias Context = ServiceRequestContext
    let store: any ServiceStore
    /// SHA-256 of the bootstrap admin key, compared in constant time.
    let bootstrapDigest: SHA256.Digest?
    let cache: APIKeyCache?

    /// - Parameters:
    ///   - store: where keys live.
    ///   - bootstrapKey: a secret accepted as the admin `bootstrap-admin` besides the store's keys.
    public init(store: any ServiceStore, bootstrapKey: String? = nil) {
        self.init(store: store, bootstrapKey: bootstrapKey, cache: nil)
    }

    /// - Parameter cache: keys the store verified lately (nil: ask the store on every request).
    package init(store: any ServiceStore, bootstrapKey: String?, cache: APIKeyCache?) {
        self.store = store
        self.bootstrapDigest = bootstrapKey.map { SHA256.hash(data: Array($0.utf8)) }
        self.cache = cache
    }

    public func authenticate(request: Request, context: Context) async throws -> Principal? {
        guard let token = request.headers.bearer?.token, token.hasPrefix("hr_") else { return nil }
        if let bootstrapDigest, SHA256.hash(data: Array(token.utf8)) == bootstrapDigest {
            return Principal(name: "bootstrap-admin", role: .admin, source: .apiKey, id: "bootstrap")
        }
        let store = store
        let found =
            if let cache {
                try await cache.owner(of: token) { try await store.authenticate(apiKey: token) }
            } else {
                try await store.authenticate(apiKey: token)
            }
        guard let owner = found else {
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
