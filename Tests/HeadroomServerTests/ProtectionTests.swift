import Foundation
import HTTPTypes
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Audit, redaction, input validation, the OpenAPI document and request ids.
@Suite(.timeLimit(.minutes(5)))
struct ProtectionTests {
    @Test func mutationsAndConfidentialReadsAreAudited() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(
                .post, "/v1/plans", key: service.planner,
                json: #"{"name": "q3", "confidential": true, "workload": \#(smallWorkload)}"#
            ) { #expect($0.status == .created) }
            try await client.send(
                .post, "/v1/plans", key: service.planner, json: #"{"name": "q3", "workload": {"model": "nope"}}"#
            ) { #expect($0.status == .unprocessableContent) }
            try await client.send(.get, "/v1/plans/q3", key: service.viewer) { #expect($0.status == .ok) }
        }
        let events = await service.store.listAudit(limit: 100)
        #expect(events.map(\.action) == ["POST /v1/plans", "POST /v1/plans", "GET /v1/plans/{name}"])
        #expect(events[0].outcome == "success")
        #expect(events[0].target == "plan:q3@1")
        #expect(events[1].outcome.hasPrefix("failure: 422"))
        #expect(events[2].actor.hasPrefix("vic (key "))
        #expect(events.allSatisfy { !$0.requestID.isEmpty })
        #expect(await service.store.verifyAudit().valid)
        await service.store.tamper(sequence: 2, outcome: "success")
        try await service.test { client in
            try await client.send(.get, "/v1/audit/verify", key: service.admin) { response in
                let json1 = try response.json()
                #expect(json1["valid"] == .bool(false))
                let json2 = try response.json()
                #expect(json2["first_invalid_sequence"] == .number(2))
            }
        }
    }

    @Test func viewersGetConfidentialPlansWithoutCosts() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(
                .post, "/v1/plans", key: service.planner,
                json: #"{"name": "q3", "confidential": true, "workload": \#(smallWorkload)}"#)
            try await client.send(
                .post, "/v1/plans", key: service.planner, json: #"{"name": "q3", "workload": \#(smallWorkload)}"#)
            let planner = try await client.send(.get, "/v1/plans/q3/versions/1", key: service.planner)
            let json3 = try planner.json()
            #expect(json3["redacted"] == .bool(false))
            #expect(planner.text.contains("cost"))
            let viewer = try await client.send(.get, "/v1/plans/q3/versions/1", key: service.viewer)
            let json4 = try viewer.json()
            #expect(json4["redacted"] == .bool(true))
            let plan = try #require(try viewer.json()["plan"])
            #expect(Self.keys(of: plan).contains { Redaction.isCostKey($0) } == false)
            #expect(Self.keys(of: try #require(try planner.json()["plan"])).contains { Redaction.isCostKey($0) })
            let open = try await client.send(.get, "/v1/plans/q3", key: service.viewer)
            let json5 = try open.json()
            #expect(json5["version"] == .number(2))
            let json6 = try open.json()
            #expect(json6["redacted"] == .bool(false))
            try await client.send(.get, "/v1/plans/q3/diff?from=1&to=2", key: service.viewer) { response in
                #expect(response.status == .ok)
                let json7 = try response.json()
                #expect(json7["redacted"] == .bool(true))
            }
            try await client.send(.get, "/v1/plans/q3/versions", key: service.viewer) { response in
                guard case .array(let versions) = try response.json() else {
                    Issue.record("not an array")
                    return
                }
                #expect(versions.count == 2)
            }
        }
    }

    @Test func redactionStripsCostKeysAtAnyDepth() throws {
        let value = try JSONValue(
            json: #"{"a": 1, "total_cost": 2, "inner": [{"price_per_hour": 3, "USD": 4, "dollars": 5, "keep": 6}]}"#)
        #expect(Redaction.strippingCosts(value) == (try JSONValue(json: #"{"a": 1, "inner": [{"keep": 6}]}"#)))
    }

    @Test(
        arguments: [
            (
                #"{"model": "x", "accelerator": "y", "count": 1, "input_tokens": 1, "output_tokens": 1, "colour": 1}"#,
                422, "colour"
            ),
            (#"{"model": "x", "accelerator": "y", "count": "8", "input_tokens": 1, "output_tokens": 1}"#, 400, "count"),
            (#"{"model": "x", "accelerator": "y", "count": 1, "output_tokens": 1}"#, 422, "input_tokens"),
            (#"[1]"#, 400, nil),
        ] as [(String, Int, String?)])
    func badBodiesNameTheField(body: String, status: Int, field: String?) async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(.post, "/v1/estimate", key: service.viewer, json: body) { response in
                #expect(response.status.code == status)
                let json8 = try response.json()
                #expect(json8["error"]?["field"]?.stringValue == field)
            }
        }
    }

    @Test func oversizedBodiesAre413() async throws {
        let service = await TestService(maxBodyBytes: 1024)
        let big = #"{"name": "w", "workload": {"model": "\#(String(repeating: "x", count: 4096))"}}"#
        try await service.test { client in
            try await client.send(.post, "/v1/workloads", key: service.planner, json: big) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
        let events = await service.store.listAudit(limit: 10)
        #expect(events.last?.outcome.hasPrefix("failure: 413") == true)
    }

    @Test func openAPIDescribesExactlyTheRegisteredRoutes() async throws {
        let service = await TestService()
        let router = try await buildServiceRouter(configuration: service.configuration, store: service.store)
        let registered = Set(router.routes.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" })
        let document = OpenAPIDocument.build(serviceRoutes())
        guard case .object(let paths) = document["paths"] else {
            Issue.record("no paths")
            return
        }
        var described: Set<String> = []
        for (path, operations) in paths {
            guard case .object(let methods) = operations else { continue }
            for method in methods.keys { described.insert("\(method) \(path)") }
        }
        #expect(registered == described)
        #expect(document["openapi"] == .string("3.1.0"))
        try await service.test { client in
            try await client.send(.get, "/openapi.json", key: service.viewer) { response in
                let json9 = try response.json()
                #expect(json9 == document)
            }
        }
    }

    @Test func requestIDsAreEchoed() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(.get, "/healthz", key: nil, headers: [.requestID: "abc-123"]) { response in
                #expect(response.headers[.requestID] == "abc-123")
            }
            try await client.send(.get, "/v1/plans", key: nil) { response in
                #expect(response.status == .unauthorized)
                #expect((response.headers[.requestID] ?? "").count == 36)
            }
        }
    }

    @Test func metricsCountRequests() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(.get, "/healthz", key: nil)
            try await client.send(.get, "/metrics", key: service.viewer) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("headroom_http_requests_total"))
            }
        }
    }

    /// Every object key in `value`, at any depth.
    static func keys(of value: JSONValue) -> [String] {
        switch value {
        case .object(let object): object.keys + object.values.flatMap { keys(of: $0) }
        case .array(let items): items.flatMap { keys(of: $0) }
        default: []
        }
    }
}
