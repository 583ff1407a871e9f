import Foundation
import HTTPTypes
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import JWTKit
import Testing

/// API keys, roles, rate limits and OIDC tokens.
@Suite(.timeLimit(.minutes(2)))
struct IdentityTests {
    @Test func everyRouteButHealthNeedsAuthentication() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(.get, "/healthz", key: nil) { #expect($0.status == .ok) }
            try await client.send(.get, "/readyz", key: nil) { #expect($0.status == .ok) }
            for path in ["/v1/catalog/models", "/v1/plans", "/openapi.json", "/metrics", "/v1/audit"] {
                try await client.send(.get, path, key: nil) { response in
                    #expect(response.status == .unauthorized, "\(path)")
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                }
            }
            try await client.send(.get, "/v1/plans", key: "hr_nope_nope") { #expect($0.status == .unauthorized) }
        }
    }

    @Test func rolesGateRoutes() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(
                .post, "/v1/workloads", key: service.viewer, json: #"{"name": "w", "workload": \#(smallWorkload)}"#
            ) { #expect($0.status == .forbidden) }
            try await client.send(
                .post, "/v1/workloads", key: service.planner, json: #"{"name": "w", "workload": \#(smallWorkload)}"#
            ) { #expect($0.status == .created) }
            try await client.send(.get, "/v1/audit", key: service.planner) { #expect($0.status == .forbidden) }
            try await client.send(.get, "/v1/audit", key: service.admin) { #expect($0.status == .ok) }
        }
    }

    @Test func keysAreCreatedAndRevoked() async throws {
        let service = await TestService()
        try await service.test { client in
            let created = try await client.send(
                .post, "/v1/keys", key: service.admin, json: #"{"name": "bob", "role": "viewer"}"#)
            #expect(created.status == .created)
            let body = try created.json()
            let secret = try #require(body["secret"]?.stringValue)
            let id = try #require(body["id"]?.stringValue)
            try await client.send(.get, "/v1/plans", key: secret) { #expect($0.status == .ok) }
            try await client.send(.delete, "/v1/keys/\(id)", key: service.admin) { #expect($0.status == .noContent) }
            try await client.send(.get, "/v1/plans", key: secret) { #expect($0.status == .unauthorized) }
            try await client.send(.post, "/v1/keys", key: service.admin, json: #"{"name": "x", "role": "root"}"#) {
                #expect($0.status == .badRequest)
            }
        }
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        let service = await TestService(rateLimit: .init(requestsPerSecond: 0.01, burst: 2))
        try await service.test { client in
            for _ in 0..<2 {
                try await client.send(.get, "/v1/plans", key: service.viewer) { #expect($0.status == .ok) }
            }
            try await client.send(.get, "/v1/plans", key: service.viewer) { response in
                #expect(response.status == .tooManyRequests)
                #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1)
            }
            // Buckets are per principal.
            try await client.send(.get, "/v1/plans", key: service.planner) { #expect($0.status == .ok) }
        }
    }

    struct Claims: JWTPayload {
        var iss: IssuerClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var nbf: NotBeforeClaim?
        var sub: SubjectClaim
        var headroomRole: String?

        enum CodingKeys: String, CodingKey {
            case iss, aud, exp, nbf, sub
            case headroomRole = "headroom_role"
        }

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// An issuer's key, its JWKS, and tokens signed with it.
    struct Issuer {
        let key = ES256PrivateKey()
        let kid: String

        var jwks: String {
            let parameters = key.publicKey.parameters!
            return """
                {"keys": [{"kty": "EC", "crv": "P-256", "x": "\(parameters.x)", "y": "\(parameters.y)",
                 "kid": "\(kid)", "alg": "ES256", "use": "sig"}]}
                """
        }

        func token(
            issuer: String = "https://id.example", audience: String = "headroom", expires: TimeInterval = 300,
            notBefore: TimeInterval? = nil, role: String? = "planner"
        ) async throws -> String {
            let keys = JWTKeyCollection()
            await keys.add(ecdsa: key, kid: JWKIdentifier(string: kid))
            return try await keys.sign(
                Claims(
                    iss: .init(value: issuer), aud: .init(value: [audience]),
                    exp: .init(value: Date().addingTimeInterval(expires)),
                    nbf: notBefore.map { .init(value: Date().addingTimeInterval($0)) }, sub: .init(value: "user-1"),
                    headroomRole: role),
                kid: JWKIdentifier(string: kid))
        }
    }

    @Test func oidcTokensAreChecked() async throws {
        let issuer = Issuer(kid: "k1")
        let stranger = Issuer(kid: "k1")
        let service = await TestService(
            oidc: OIDCConfiguration(issuer: "https://id.example", audience: "headroom", keys: .inline(issuer.jwks)))
        let valid = try await issuer.token()
        let expired = try await issuer.token(expires: -60)
        let early = try await issuer.token(notBefore: 600)
        let wrongAudience = try await issuer.token(audience: "someone-else")
        let wrongIssuer = try await issuer.token(issuer: "https://evil.example")
        let wrongKey = try await stranger.token()
        let noRole = try await issuer.token(role: nil)
        let viewer = try await issuer.token(role: "viewer")
        try await service.test { client in
            try await client.send(.get, "/v1/plans", key: valid) { #expect($0.status == .ok) }
            for token in [expired, early, wrongAudience, wrongIssuer, wrongKey, "not.a.jwt"] {
                try await client.send(.get, "/v1/plans", key: token) { #expect($0.status == .unauthorized) }
            }
            try await client.send(.get, "/v1/plans", key: noRole) { #expect($0.status == .forbidden) }
            try await client.send(
                .post, "/v1/workloads", key: viewer, json: #"{"name": "w", "workload": \#(smallWorkload)}"#
            ) { #expect($0.status == .forbidden) }
            try await client.send(
                .post, "/v1/workloads", key: valid, json: #"{"name": "w", "workload": \#(smallWorkload)}"#
            ) { #expect($0.status == .created) }
        }
    }
}
