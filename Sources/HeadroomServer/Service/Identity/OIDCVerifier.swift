import AsyncHTTPClient
public import Foundation
import HTTPTypes
import JWTKit
import NIOCore
import NIOHTTP1

/// Verifies OIDC bearer tokens: the signature (RS256 or ES256) against the issuer's JWKS, then `iss`, `aud`,
/// `exp` and `nbf`, then maps the role claim to a ``Role``.
public actor OIDCVerifier {
    private let configuration: OIDCConfiguration
    private var keys: JWTKeyCollection?
    private var fetchedAt: Date?
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - configuration: the issuer, audience, keys and role mapping.
    ///   - now: the clock `exp`, `nbf` and the key cache are judged by.
    public init(configuration: OIDCConfiguration, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.now = now
    }

    /// The caller a token names.
    /// - Throws: ``ServiceError`` 401 for a bad token, 403 for a valid token without a Headroom role.
    public func verify(_ token: String) async throws -> Principal {
        let algorithm = try Self.algorithm(of: token)
        guard ["RS256", "ES256"].contains(algorithm) else {
            throw ServiceError(.unauthorized, "token algorithm \(algorithm) is not accepted; RS256 or ES256")
        }
        let payload: OIDCClaims
        do {
            payload = try await keyCollection().verify(token, as: OIDCClaims.self)
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

    private func keyCollection() async throws -> JWTKeyCollection {
        if let keys, let fetchedAt, now().timeIntervalSince(fetchedAt) < configuration.keyCacheSeconds {
            return keys
        }
        let json: String
        switch configuration.keys {
        case .inline(let text): json = text
        case .url(let url): json = try await Self.fetch(url)
        }
        let collection = JWTKeyCollection()
        _ = try await collection.add(jwksJSON: json)
        keys = collection
        fetchedAt = now()
        return collection
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
