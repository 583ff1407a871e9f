import Foundation
import HTTPTypes
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Confidential price books and plans: a viewer never gets a cost back, by any route, and every use is audited.
@Suite(.timeLimit(.minutes(3)))
struct ConfidentialityTests {
    /// A confidential negotiated book: H100s at 1.23 EUR an hour.
    static let negotiated = """
        {"name": "negotiated", "confidential": true, "price_book": {"price_books": [{"name": "negotiated",
         "currency": "EUR", "as_of": "2026-10-01", "source": "our contract", "instances": [{"provider": "acme",
         "region": "fra1", "jurisdiction": "EU", "accelerator": "h100-sxm", "accelerators_per_instance": 8,
         "on_demand": 1.23, "source": "contract 17", "as_of": "2026-10-01"}]}]}}
        """

    static func workload(book: String?) -> String {
        let book = book.map { #", "price_book": "\#($0)""# } ?? ""
        return #"{"workload": \#(smallWorkload), "with_cost": true\#(book)}"#
    }

    @Test(arguments: ["/v1/plan", "/v1/cost", "/ui/plan"])
    func viewersCannotComputeWithAConfidentialPriceBook(route: String) async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(.post, "/v1/price-books", key: service.planner, json: Self.negotiated) {
                #expect($0.status == .created || $0.status == .ok, "\($0.text)")
            }
            let body =
                route == "/v1/cost"
                ? #"{"workload": \#(smallWorkload), "price_book": "negotiated"}"# : Self.workload(book: "negotiated")
            try await client.send(.post, route, key: service.viewer, json: body) { response in
                #expect(response.status == .forbidden)
                #expect(!response.text.contains("1.23"))
                #expect(response.text.contains("price_book"))
            }
            try await client.send(.post, route, key: service.planner, json: body) { response in
                #expect(response.status == .ok, "\(response.text.prefix(300))")
            }
        }
        let events = await service.store.listAudit(limit: 100)
        #expect(events.contains { $0.target == "price-book:negotiated" && $0.actor.contains("pat") })
        #expect(!events.contains { $0.target == "price-book:negotiated" && $0.actor.contains("vic") })
    }

    @Test func trainWithAConfidentialBookIsRefusedToViewers() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(.post, "/v1/price-books", key: service.planner, json: Self.negotiated)
            let body =
                #"{"params": "8B", "tokens": "1T", "accelerator": "h100-sxm", "count": 64, "price_book": "negotiated"}"#
            try await client.send(.post, "/v1/train", key: service.viewer, json: body) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    /// The text around the first match of `pattern`, or nil.
    static func context(of pattern: String, in text: String) -> String? {
        guard let found = text.range(of: pattern, options: .regularExpression) else { return nil }
        let start = text.index(found.lowerBound, offsetBy: -120, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(found.upperBound, offsetBy: 120, limitedBy: text.endIndex) ?? text.endIndex
        return String(text[start..<end])
    }

    /// A real plan with costs, an explanation and an over-budget advisory, saved confidential and read by a viewer.
    @Test func viewersSeeNoMoneyInAConfidentialPlan() async throws {
        let service = await TestService()
        let workload = smallWorkload.replacingOccurrences(
            of: #""constraints": {"#, with: #""constraints": {"budget_per_hour": 0.5, "#)
        try await service.test { client in
            let save =
                #"{"name": "q4", "confidential": true, "workload": \#(workload), "with_cost": true, "explain": true}"#
            try await client.send(.post, "/v1/plans", key: service.planner, json: save) {
                #expect($0.status == .created, "\($0.text)")
            }
            let planner = try await client.send(.get, "/v1/plans/q4", key: service.planner).text
            #expect(planner.contains("budget"), "the plan has the over-budget advisory to redact")
            let viewer = try await client.send(.get, "/v1/plans/q4", key: service.viewer)
            let text = viewer.text
            #expect(try viewer.json()["redacted"] == .bool(true))
            #expect(text.contains("[confidential]"), "the advisory's amounts are replaced")
            for money in [
                #"[0-9]/h\b"#, #"[0-9] ?USD"#, #"\$ ?[0-9]"#, #""[a-z_]*(cost|price)[a-z_]*" :"#, "cost per hour",
            ] {
                #expect(Self.context(of: money, in: text) == nil, "\(money)")
            }
        }
    }

    @Test(arguments: [
        (
            "The cheapest plan costs 12.5/h, over the 10/h budget",
            "The cheapest plan costs [confidential]/h, over the [confidential]/h budget"
        ),
        ("a100 fp8 2× tp=1: 4.1/h against 6.2 /h", "a100 fp8 2× tp=1: [confidential]/h against [confidential] /h"),
        ("$1,234.5 a month, or 0.89 USD per 1M", "[confidential] a month, or [confidential] per 1M"),
        ("peak 47.8 req/s at 92% utilisation, p99 TTFT 467 ms", "peak 47.8 req/s at 92% utilisation, p99 TTFT 467 ms"),
    ])
    func amountsInTextAreScrubbed(text: String, expected: String) {
        #expect(Redaction.scrubbingAmounts(text) == expected)
    }
}
