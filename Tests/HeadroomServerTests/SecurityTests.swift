import Foundation
import HTTPTypes
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Synchronization
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

    /// A small workload with a negotiated H100 rate of 7.77 an hour in `pricing.overrides`.
    static let negotiatedWorkload = smallWorkload.replacingOccurrences(
        of: #""constraints": {"#,
        with: #""pricing": {"overrides": [{"accelerator": "h100-sxm", "per_hour": 7.77, "provider": "neocloud", "#
            + #""region": "any", "jurisdiction": "US", "currency": "USD"}]}, "constraints": {"#)

    /// Saves a plan without asking for confidentiality, from confidential inputs, and reads it back as a viewer.
    @Test(arguments: ["price_book", "inline_overrides", "workload_name"])
    func aPlanComputedFromConfidentialPricesIsStoredConfidential(source: String) async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(.post, "/v1/price-books", key: service.planner, json: ConfidentialityTests.negotiated)
            try await client.send(
                .post, "/v1/workloads", key: service.planner,
                json: #"{"name": "neg", "workload": \#(Self.negotiatedWorkload)}"#
            ) { #expect($0.status == .created, "\($0.text)") }
            let inputs =
                switch source {
                case "price_book": #""workload": \#(smallWorkload), "price_book": "negotiated""#
                case "inline_overrides": #""workload": \#(Self.negotiatedWorkload)"#
                default: #""workload_name": "neg""#
                }
            try await client.send(
                .post, "/v1/plans", key: service.planner, json: #"{"name": "q", \#(inputs), "with_cost": true}"#
            ) { response in
                #expect(response.status == .created, "\(response.text.prefix(300))")
                let saved = try response.json()
                #expect(saved["confidential"] == .bool(true))
            }
            let planner = try await client.send(.get, "/v1/plans/q", key: service.planner).text
            let rate = source == "price_book" ? "1.23" : "7.77"
            #expect(planner.contains(rate), "the planner sees the negotiated rate")
            let viewer = try await client.send(.get, "/v1/plans/q", key: service.viewer)
            let read = try viewer.json()
            #expect(read["redacted"] == .bool(true))
            #expect(!viewer.text.contains(rate))
            #expect(ConfidentialityTests.context(of: #""[a-z_]*(cost|price)[a-z_]*" :"#, in: viewer.text) == nil)
        }
    }

    @Test func aPlanFromPublicPricesStaysPublic() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(
                .post, "/v1/plans", key: service.planner,
                json: #"{"name": "q", "workload": \#(smallWorkload), "with_cost": true}"#
            ) { response in
                let saved = try response.json()
                #expect(saved["confidential"] == .bool(false), "\(response.text.prefix(300))")
            }
        }
    }

    @Test func aWorkloadWithPriceOverridesIsConfidentialAndViewersCannotComputeWithIt() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(
                .post, "/v1/workloads", key: service.planner,
                json: #"{"name": "neg", "workload": \#(Self.negotiatedWorkload)}"#
            ) { response in
                let saved = try response.json()
                #expect(saved["confidential"] == .bool(true), "\(response.text)")
            }
            try await client.send(
                .post, "/v1/workloads", key: service.planner,
                json: #"{"name": "open", "workload": \#(smallWorkload)}"#
            ) { response in
                let saved = try response.json()
                #expect(saved["confidential"] == .bool(false))
            }
            try await client.send(
                .post, "/v1/workloads", key: service.planner,
                json: #"{"name": "asked", "confidential": true, "workload": \#(smallWorkload)}"#
            ) { response in
                let saved = try response.json()
                #expect(saved["confidential"] == .bool(true))
            }
            let listed = try await client.send(.get, "/v1/workloads", key: service.viewer)
            #expect(!listed.text.contains("7.77"))
            #expect(!listed.text.contains("overrides"))
            #expect(try await client.send(.get, "/v1/workloads", key: service.planner).text.contains("7.77"))
            for route in ["/v1/plan", "/v1/cost", "/v1/simulate"] {
                let body =
                    route == "/v1/simulate"
                    ? #"{"workload_name": "neg", "accelerator": "h100-sxm", "count": 1}"# : #"{"workload_name": "neg"}"#
                try await client.send(.post, route, key: service.viewer, json: body) { response in
                    #expect(response.status == .forbidden, "\(route): \(response.text.prefix(200))")
                    #expect(!response.text.contains("7.77"))
                }
            }
            try await client.send(.post, "/v1/plan", key: service.planner, json: #"{"workload_name": "neg"}"#) {
                #expect($0.status == .ok, "\($0.text.prefix(300))")
            }
        }
        let events = await service.store.listAudit(limit: 100)
        #expect(events.contains { $0.target == "workload:neg" && $0.outcome == "success: confidential read" })
    }

    /// The issue's flood: unauthenticated `POST /v1/keys` and wrong keys. The address is refused once it has spent
    /// its failures, and the audit log gains a handful of aggregated rows, not one a request.
    @Test func failedAuthenticationIsRateLimitedPerAddressAndAuditedInAggregate() async throws {
        var configured = await TestService()
        configured.configuration.authFailureLimit = .init(requestsPerSecond: 0.001, burst: 5)
        let service = configured
        let before = await service.store.listAudit(limit: 10_000).count
        try await service.test { client in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<60 {
                let key = index.isMultiple(of: 2) ? nil : "hr_deadbeef0000_wrong"
                let response = try await client.send(
                    .post, "/v1/keys", key: key, json: #"{"name": "mallory", "role": "admin"}"#)
                statuses.append(response.status)
                if response.status == .tooManyRequests {
                    #expect(response.headers[.retryAfter] != nil)
                }
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unauthorized }, "\(statuses)")
            #expect(statuses.dropFirst(5).allSatisfy { $0 == .tooManyRequests }, "\(statuses)")
            // Valid credentials from the same address are still served (users behind one NAT keep working).
            try await client.send(.get, "/v1/plans", key: service.admin) { #expect($0.status == .ok) }
            try await client.send(.get, "/v1/plans", key: nil) { #expect($0.status == .tooManyRequests) }
            // Open routes answer everyone: a health probe sharing the attacker's address stays up.
            try await client.send(.get, "/healthz", key: nil) { #expect($0.status == .ok) }
            try await client.send(.get, "/readyz", key: nil) { #expect($0.status == .ok) }
        }
        let events = await service.store.listAudit(limit: 10_000).dropFirst(before)
        #expect(events.count <= 6, "\(events.map(\.outcome))")
        #expect(
            events.contains { $0.actor == "hr_deadbeef0000" && $0.outcome.contains("401") }, "a wrong key is audited")
        #expect(events.contains { $0.actor == "anonymous" && $0.outcome.contains("401") })
        #expect(events.contains { $0.outcome.contains("429") })
    }

    @Test func theFailureBucketIsPerAddressAndRepeatsAreCountedWhenTheWindowCloses() async throws {
        let clock = ManualClock()
        let guardian = AuthFailureGuard(
            failuresPerSecond: 0.5, burst: 2, window: .seconds(60), clock: { clock.seconds })
        func fail(_ address: String) async -> [AuditEventDraft] {
            await guardian.recordFailure(
                address: address, actor: "anonymous", action: "GET authenticate", status: 401,
                reason: "no credentials", requestID: "r")
        }
        #expect(await fail("10.0.0.1").count == 1)
        #expect(await fail("10.0.0.1").isEmpty)
        #expect(await guardian.retryAfter("10.0.0.1") != nil)
        #expect(await guardian.retryAfter("10.0.0.2") == nil)
        clock.seconds = 2.5
        #expect(await guardian.retryAfter("10.0.0.1") == nil, "one token back after 2 s at 0.5/s")
        #expect(await fail("10.0.0.1").isEmpty)
        clock.seconds = 61
        let rows = await fail("10.0.0.1")
        #expect(rows.count == 2)
        #expect(rows.first?.outcome.contains("repeated 2 more times") == true, "\(rows.map(\.outcome))")
        #expect(rows.allSatisfy { $0.target == "client:10.0.0.1" })
    }
}

/// A clock a test sets by hand.
final class ManualClock: Sendable {
    private let value = Mutex(0.0)

    var seconds: Double {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
