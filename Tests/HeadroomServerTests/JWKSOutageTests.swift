import Foundation
import HTTPTypes
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// The identity provider down: one fetch for many tokens, back-off between fetches, and `503`, not `401`.
@Suite(.timeLimit(.minutes(2)))
struct JWKSOutageTests {
    /// A JWKS endpoint that counts its requests and fails slowly until told to answer.
    final class FlakyIssuer: Sendable {
        let jwks: String
        private let state = Mutex((fetches: 0, up: false))

        init(jwks: String) { self.jwks = jwks }

        var fetches: Int { state.withLock { $0.fetches } }
        func comeBack() { state.withLock { $0.up = true } }

        func fetch(_ url: URL) async throws -> String {
            let up = state.withLock { state in
                state.fetches += 1
                return state.up
            }
            try await Task.sleep(for: .milliseconds(300))
            guard up else { throw ServiceError(.serviceUnavailable, "the issuer's JWKS answered 500") }
            return jwks
        }
    }

    @Test func concurrentTokensShareOneFetchAndFailuresBackOffWith503() async throws {
        let issuer = IdentityTests.Issuer(kid: "k1")
        let flaky = FlakyIssuer(jwks: issuer.jwks)
        let clock = ManualClock()
        let start = Date()
        let verifier = OIDCVerifier(
            configuration: OIDCConfiguration(
                issuer: "https://id.example", audience: "headroom",
                keys: .url(URL(string: "https://id.example/jwks")!)),
            now: { start.addingTimeInterval(clock.seconds) }, fetch: { try await flaky.fetch($0) })
        let token = try await issuer.token()
        let statuses = await withTaskGroup(of: HTTPResponse.Status?.self) { group in
            for _ in 0..<23 {
                group.addTask {
                    do {
                        _ = try await verifier.verify(token)
                        return .ok
                    } catch let error as ServiceError {
                        return error.status
                    } catch {
                        return nil
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == .serviceUnavailable }, "\(statuses)")
        #expect(flaky.fetches == 1, "23 tokens, one fetch")
        // Within the back-off: no fetch, 503 with Retry-After.
        let error = await #expect(throws: ServiceError.self) { try await verifier.verify(token) }
        #expect(error?.status == .serviceUnavailable)
        #expect(error?.headers[.retryAfter] == "2")
        #expect(flaky.fetches == 1)
        // After it, one more fetch, and a doubled back-off.
        clock.seconds = 2.5
        let again = await #expect(throws: ServiceError.self) { try await verifier.verify(token) }
        #expect(again?.headers[.retryAfter] == "4")
        #expect(flaky.fetches == 2)
        clock.seconds = 4
        _ = await #expect(throws: ServiceError.self) { try await verifier.verify(token) }
        #expect(flaky.fetches == 2)
        // The issuer comes back: the next fetch after the back-off succeeds and the token verifies.
        flaky.comeBack()
        clock.seconds = 7
        let principal = try await verifier.verify(token)
        #expect(principal.role == .planner)
        #expect(flaky.fetches == 3)
    }

    @Test func anUnreachableIssuerAnswers503NotBadSignature() async throws {
        let issuer = IdentityTests.Issuer(kid: "k1")
        // Port 9 (discard) on the loopback: nothing listens, the connection is refused.
        let service = await TestService(
            oidc: OIDCConfiguration(
                issuer: "https://id.example", audience: "headroom",
                keys: .url(URL(string: "http://127.0.0.1:9/jwks")!)))
        let token = try await issuer.token()
        try await service.test { client in
            for _ in 0..<3 {
                try await client.send(.get, "/v1/plans", key: token) { response in
                    #expect(response.status == .serviceUnavailable, "\(response.text)")
                    #expect(!response.text.contains("signature"))
                    #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1)
                }
            }
        }
    }
}
