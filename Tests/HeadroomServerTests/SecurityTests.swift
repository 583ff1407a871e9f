import Foundation
import HTTPTypes
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 14's security items: challenges on 401, confidentiality that follows the prices a plan was computed with,
/// rate limits and aggregated audit rows for failed authentication.
@Suite(.timeLimit(.minutes(3)))
struct SecurityTests {
    @Test(arguments: [nil, "hr_nope_nope", "not-a-jwt"])
    func everyUnauthorizedAnswerCarriesABearerChallenge(token: String?) async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(.get, "/v1/plans", key: token) { response in
                #expect(response.status == .unauthorized)
                let challenge = try #require(response.headers[.wwwAuthenticate])
                #expect(challenge.hasPrefix(#"Bearer realm="headroom""#))
                #expect(challenge.contains(#"error="invalid_token""#) == (token != nil))
            }
        }
    }
}
