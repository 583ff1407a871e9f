import AsyncHTTPClient
public import Foundation
import HTTPTypes
import HeadroomCore
import JWTKit
import NIOCore
import NIOHTTP1

/// Verifies OIDC bearer tokens: the signature (RS256 or ES256) against the issuer's JWKS, then `iss`, `aud`,
/// `exp` and `nbf`, then maps the role claim to a ``Role``.
///
/// The key set is fetched by one request at a time (concurrent tokens wait for the same fetch). A failed fetch is
/// remembered with an exponential back-off (``firstBackOff`` doubling up to ``maxBackOff``): until it passes, tokens
/// are checked against the keys fetched before, or, when there are none, answered `503` with `Retry-After` without
/// asking the issuer again.
public actor OIDCVerifier {
    /// The wait after the first failed key fetch.
    package static let firstBackOff = 2.0
    /// The longest wait between key fetches while they fail.
    package static let maxBackOff = 60.0

    private struct Failure {
        var at: Date
        var backOff: Double
        var reason: String
    }

    private let configuration: OIDCConfiguration
    private var keys: JWTKeyCollection?
    private var fetchedAt: Date?
    private var fetching: Task<String, any Error>?
    private var failure: Failure?
    private let now: @Sendable () -> Date
    private let fetchKeys: @Sendable (URL) async throws -> String

    /// - Parameters:
    ///   - configuration: the issuer, audience, keys and role mapping.
    ///   - now: the clock `exp`, `nbf` and the key cache are judged by.
    public init(configuration: OIDCConfiguration, now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(configuration: configuration, now: now, fetch: { try await OIDCVerifier.fetch($0) })
    }

    /// - Parameter fetch: reads the JWKS document at a URL.
    package init(
        configuration: OIDCConfiguration, now: @escaping @Sendable () -> Date,
        fetch: @escaping @Sendable (URL) async throws -> String
    ) {
        self.configuration = configuration
        self.now = now
        self.fetchKeys = fetch
    }

    /// The caller a token names.
    /// - Throws: ``ServiceError`` 401 for a bad token, 403 for a valid token without a Headroom role.
    public func verify(_ token: String) async throws -> Principal {
        let algorithm = try Self.algorithm(of: token)
        guard ["RS256", "ES256"].contains(algorithm) else {
            throw ServiceError(.unauthorized, "token algorithm \(algorithm) is not accepted; RS256 or ES256")
        }
        let collection = try await keyCollection()
        let payload: OIDCClaims
        do {
            payload = try await collection.verify(token, as: OIDCClaims.self)
        } catch {
            throw ServiceError(.unauthorized, "token signature does not verify against the issuer's keys")
        }
        let current = now()
        guard payload.issuer == configuration.issuer else {
            throw ServiceError(.unauthorized, "token issuer is not \(configuration.issuer)")
        }
        guard payload.audiences.contains(configuration.audience) else {
            throw ServiceError(.unauthorized, "token audience does not include \(configuration.audience)")
        }
        guard let expiry = payload.expiry else { throw ServiceError(.unauthorized, "token has no exp") }
        guard expiry > current else { throw ServiceError(.unauthorized, "token expired") }
        if let notBefore = payload.notBefore, notBefore > current {
            throw ServiceError(.unauthorized, "token not valid yet (nbf)")
        }
        guard let role = role(from: payload.claims[configuration.roleClaim]) ?? configuration.defaultRole else {
            throw ServiceError(.forbidden, "token carries no Headroom role in '\(configuration.roleClaim)'")
        }
        let subject = payload.subject ?? "unknown"
        let name = payload.claims["preferred_username"]?.stringValue ?? payload.claims["email"]?.stringValue ?? subject
        return Principal(name: name, role: role, source: .oidc, id: subject)
    }

    /// The highest role the claim grants: a role name, a mapped group, or a list of either.
    func role(from claim: JSONValue?) -> Role? {
        let names: [String]
        switch claim {
        case .string(let value): names = [value]
        case .array(let values): names = values.compactMap(\.stringValue)
        default: return nil
        }
        return names.compactMap { configuration.groupRoles[$0] ?? Role(rawValue: $0.lowercased()) }.max()
    }

    /// The issuer's keys: cached, fetched once for all waiting tokens, and not fetched again while a failure's
    /// back-off runs.
    /// - Throws: ``ServiceError`` 503 with `Retry-After` when the keys cannot be had and none were fetched before.
    private func keyCollection() async throws -> JWTKeyCollection {
        if let keys, let fetchedAt, now().timeIntervalSince(fetchedAt) < configuration.keyCacheSeconds {
            return keys
        }
        if let failure {
            let waited = now().timeIntervalSince(failure.at)
            if waited < failure.backOff {
                if let keys { return keys }
                throw Self.unavailable(failure.reason, retryAfter: failure.backOff - waited)
            }
        }
        let json: String
        switch configuration.keys {
        case .inline(let text): json = text
        case .url(let url):
            let task =
                fetching
                ?? Task { [fetchKeys] in
                    try await fetchKeys(url)
                }
            fetching = task
            do {
                json = try await task.value
            } catch {
                return try fetchFailed(task, reason: (error as? ServiceError)?.message ?? "\(error)")
            }
            if fetching == task { fetching = nil }
        }
        let collection = JWTKeyCollection()
        do {
            _ = try await collection.add(jwksJSON: json)
        } catch {
            guard case .url = configuration.keys else { throw error }
            return try fetchFailed(nil, reason: "the issuer's JWKS is not a key set: \(error)")
        }
        keys = collection
        fetchedAt = now()
        failure = nil
        return collection
    }

    /// Records a failed fetch (once per fetch, however many tokens waited for it) and answers with the keys
    /// fetched before, if any.
    private func fetchFailed(_ task: Task<String, any Error>?, reason: String) throws -> JWTKeyCollection {
        if task == nil || fetching == task {
            fetching = nil
            let backOff = failure.map { min($0.backOff * 2, Self.maxBackOff) } ?? Self.firstBackOff
            failure = Failure(at: now(), backOff: backOff, reason: reason)
        }
        if let keys { return keys }
        throw Self.unavailable(reason, retryAfter: failure?.backOff ?? Self.firstBackOff)
    }

    private static func unavailable(_ reason: String, retryAfter: Double) -> ServiceError {
        let seconds = max(Int(retryAfter.rounded(.up)), 1)
        return ServiceError(
            .serviceUnavailable, "the identity provider's keys are unavailable (\(reason)); retry in \(seconds) s",
            headers: [.retryAfter: String(seconds)])
    }

    private static func fetch(_ url: URL) async throws -> String {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "accept", value: "application/json")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        guard response.status == .ok else {
            throw ServiceError(.serviceUnavailable, "the issuer's JWKS answered \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        return String(buffer: body)
    }

    /// The `alg` of a token's header, read before any key is chosen.
    static func algorithm(of token: String) throws -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Data(base64URL: String(parts[0])),
            case .object(let header) = try? JSONDecoder().decode(JSONValue.self, from: data),
            let alg = header["alg"]?.stringValue
        else {
            throw ServiceError(.unauthorized, "bearer token is neither an API key nor a JWT")
        }
        return alg
    }
}

extension Data {
    /// Decodes unpadded base64url.
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
