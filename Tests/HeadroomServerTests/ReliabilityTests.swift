import Foundation
import HTTPTypes
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Testing

/// What `scripts/reliability`'s schemathesis run found, pinned: methods a path lacks, bodies that break the schema,
/// the responses the OpenAPI document declares, the bootstrap admin key and the API-key cache.
@Suite(.timeLimit(.minutes(5)))
struct ReliabilityTests {
    @Test func aKnownPathWithAnotherMethodAnswers405WithAllow() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(.patch, "/v1/estimate", key: service.viewer) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
                let body = try response.json()
                #expect(body["error"]?["status"] == .number(405))
            }
            try await client.send(.put, "/v1/plans", key: service.viewer) {
                #expect($0.status == .methodNotAllowed)
                #expect($0.headers[.allow] == "GET, POST")
            }
            try await client.send(.init("QUERY")!, "/v1/plans/q3", key: service.viewer) {
                #expect($0.status == .methodNotAllowed)
                #expect($0.headers[.allow] == "GET")
            }
            try await client.send(.get, "/v1/nowhere", key: service.viewer) { #expect($0.status == .notFound) }
        }
    }

    @Test func bodiesAreCheckedAgainstTheirSchema() async throws {
        let service = await TestService()
        try await service.test { client in
            // A field typed object must be one, and null is no value of a string field.
            try await client.send(.post, "/v1/bench-runs", key: service.planner, json: #"{"name": "b", "run": "x"}"#) {
                response in
                #expect(response.status == .badRequest)
                let body = try response.json()
                #expect(body["error"]?["field"] == .string("run"))
            }
            try await client.send(
                .post, "/v1/estimate", key: service.viewer,
                json: #"{"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1, "input_tokens": 512, "#
                    + #""output_tokens": 128, "concurrency": 8, "stack": null}"#
            ) { response in
                #expect(response.status == .badRequest)
                let body = try response.json()
                #expect(body["error"]?["field"] == .string("stack"))
            }
            try await client.send(
                .post, "/v1/estimate", key: service.viewer,
                json: #"{"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1.5, "input_tokens": 512, "#
                    + #""output_tokens": 128, "concurrency": 8}"#
            ) { #expect($0.status == .badRequest) }
            // Numbers past a field's range are 422 naming it, before any computation (and any overflow).
            try await client.send(
                .post, "/v1/estimate", key: service.viewer,
                json: #"{"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1, "input_tokens": 512, "#
                    + #""output_tokens": 128, "concurrency": 8, "seed": -334208318745746289398472141973632319488}"#
            ) { response in
                #expect(response.status == .unprocessableContent)
                let body = try response.json()
                #expect(body["error"]?["field"] == .string("seed"))
            }
        }
    }

    @Test func queryAndPathNumbersAreChecked() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(.get, "/v1/audit?limit=many", key: service.admin) {
                #expect($0.status == .badRequest)
            }
            try await client.send(.get, "/v1/audit?limit=0", key: service.admin) { #expect($0.status == .badRequest) }
            try await client.send(.get, "/v1/audit?limit=5", key: service.admin) { #expect($0.status == .ok) }
            try await client.send(.get, "/v1/plans/q3/versions/x", key: service.viewer) {
                #expect($0.status == .badRequest)
            }
            try await client.send(.get, "/v1/plans/q3/versions/44467662658354360062706712576", key: service.viewer) {
                #expect($0.status == .badRequest)
            }
            try await client.send(.get, "/v1/plans/q3/versions/1", key: service.viewer) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func theDocumentDeclaresEveryErrorStatusTheRoutesAnswer() {
        let document = OpenAPIDocument.build(serviceRoutes())
        let version = document["paths"]?["/v1/plans/{name}/versions/{n}"]?["get"]
        #expect(version?["responses"]?["404"] != nil)
        #expect(version?["responses"]?["400"] != nil)
        guard case .array(let parameters) = version?["parameters"] else {
            Issue.record("no parameters")
            return
        }
        #expect(parameters.contains { $0["name"] == .string("n") && $0["schema"]?["type"] == .string("integer") })
        #expect(document["paths"]?["/v1/plans/{name}/diff"]?["get"]?["responses"]?["400"] != nil)
        #expect(document["paths"]?["/readyz"]?["get"]?["responses"]?["503"] != nil)
        #expect(document["paths"]?["/v1/keys"]?["post"]?["responses"]?["409"] != nil)
        let key = document["paths"]?["/v1/keys"]?["post"]?["requestBody"]?["content"]?["application/json"]?["schema"]
        #expect(key?["properties"]?["role"]?["enum"] == .array(["viewer", "planner", "admin"].map(JSONValue.string)))
        let estimate = document["paths"]?["/v1/estimate"]?["post"]?["requestBody"]?["content"]?["application/json"]?[
            "schema"]
        #expect(estimate?["properties"]?["count"]?["minimum"] == .number(1))
    }

    @Test func theBootstrapAdminKeyIsAnAdmin() async throws {
        var service = await TestService()
        let secret = "hr_bootstrap_" + String(repeating: "k", count: 40)
        service.configuration.bootstrapAdminKey = secret
        try await service.test { client in
            try await client.send(.get, "/v1/audit", key: secret) { #expect($0.status == .ok) }
            try await client.send(.get, "/v1/audit", key: secret + "x") { #expect($0.status == .unauthorized) }
            try await client.send(.post, "/v1/keys", key: secret, json: #"{"name": "ops", "role": "viewer"}"#) {
                #expect($0.status == .created)
            }
        }
        let events = await service.store.listAudit(limit: 10)
        #expect(events.last?.actor == "bootstrap-admin (key bootstrap)")
    }

    @Test func aRevokedKeyStopsAtOnceDespiteTheCache() async throws {
        let service = await TestService()
        try await service.test { client in
            let created = try await client.send(
                .post, "/v1/keys", key: service.admin, json: #"{"name": "temp", "role": "viewer"}"#)
            let body = try created.json()
            let secret = try #require(body["secret"]?.stringValue)
            let id = try #require(body["id"]?.stringValue)
            // Twice, so the second is answered from the cache.
            for _ in 0..<2 {
                try await client.send(.get, "/v1/catalog/stacks", key: secret) { #expect($0.status == .ok) }
            }
            try await client.send(.delete, "/v1/keys/\(id)", key: service.admin) { #expect($0.status == .noContent) }
            try await client.send(.get, "/v1/catalog/stacks", key: secret) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func concurrentRequestsShareOneStoreLookup() async throws {
        let cache = APIKeyCache(ttl: .seconds(60))
        let lookups = Counter()
        let owner = APIKeyOwner(keyID: "k1", name: "vic", role: .viewer)
        try await withThrowingTaskGroup(of: APIKeyOwner?.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    try await cache.owner(of: "hr_k1_secret") {
                        await lookups.increment()
                        try await Task.sleep(for: .milliseconds(50))
                        return owner
                    }
                }
            }
            for try await found in group { #expect(found == owner) }
        }
        #expect(await lookups.value == 1)
        // Unknown keys are not cached.
        let unknown = try await cache.owner(of: "hr_nope_secret") { nil }
        #expect(unknown == nil)
        let again = try await cache.owner(of: "hr_nope_secret") { owner }
        #expect(again == owner)
    }
}

/// Counts calls across tasks.
private actor Counter {
    var value = 0

    func increment() { value += 1 }
}
