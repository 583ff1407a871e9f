import Foundation
import HTTPTypes
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 13 item 1: the API names the field at fault as a dotted path and an RFC 6901 JSON pointer, with a stable
/// code, and its messages name the body's keys, never a CLI flag.
@Suite(.timeLimit(.minutes(3)))
struct FieldPathTests {
    struct Refusal: Sendable, CustomTestStringConvertible {
        var path: String
        var json: String
        var field: String
        var pointer: String
        var code: String
        var mentions: String
        var testDescription: String { "\(path) \(pointer)" }
    }

    static let deployment =
        #""model": "llama-3.1-8b", "accelerator": "h100-sxm", "input_tokens": 10, "output_tokens": 10"#

    static let refusals: [Refusal] = [
        .init(
            path: "/v1/estimate", json: #"{\#(deployment), "count": 3, "tp": 2, "rate": 1}"#, field: "count",
            pointer: "/count", code: "invalid_input", mentions: "`count` 3 is not a multiple of tp·pp = 2"),
        .init(
            path: "/v1/estimate", json: #"{\#(deployment), "count": 3, "tp": 3, "rate": 1}"#, field: "tp",
            pointer: "/tp", code: "invalid_input", mentions: "`tp` 3 must divide the model's 32 attention heads"),
        .init(
            path: "/v1/estimate", json: #"{\#(deployment), "count": 1, "rate": 100000}"#, field: "rate",
            pointer: "/rate", code: "infeasible", mentions: "`rate` 100000 req/s exceeds"),
        .init(
            path: "/v1/plan", json: #"{"workload": \#(HostileInputTests.workload(["traffic": ["peak_rps": "1e12"]]))}"#,
            field: "workload.traffic.peak_rps", pointer: "/workload/traffic/peak_rps", code: "invalid_file",
            mentions: "1000000000"),
        // Issue 13 item 7: an unknown key in an inline workload, named with the nearest valid key.
        .init(
            path: "/v1/plan", json: #"{"workload": \#(HostileInputTests.workload(["traffic": ["peek_rps": "4"]]))}"#,
            field: "workload.traffic.peek_rps", pointer: "/workload/traffic/peek_rps", code: "invalid_file",
            mentions: "unknown key 'peek_rps'; did you mean 'peak_rps'?"),
        .init(
            path: "/v1/plan", json: #"{"workload": \#(HostileInputTests.workload(["slo": ["availibility": "0.99"]]))}"#,
            field: "workload.slo.availibility", pointer: "/workload/slo/availibility", code: "invalid_file",
            mentions: "unknown key 'availibility'; did you mean 'availability'?"),
    ]

    @Test(arguments: refusals)
    func refusalsGiveTheFieldAsAJSONPointer(refusal: Refusal) async throws {
        let service = await TestService()
        try await service.test { client in
            let response = try await client.send(.post, refusal.path, key: service.viewer, json: refusal.json)
            #expect(response.status == .unprocessableContent, "\(response.text)")
            let error = try response.json()["error"]
            #expect(error?["field"]?.stringValue == refusal.field, "\(response.text)")
            #expect(error?["pointer"]?.stringValue == refusal.pointer, "\(response.text)")
            #expect(error?["code"]?.stringValue == refusal.code, "\(response.text)")
            let message = error?["message"]?.stringValue ?? ""
            #expect(message.contains(refusal.mentions), "\(response.text)")
            #expect(!message.contains("--"), "\(response.text)")
        }
    }

    @Test(
        arguments: [
            ("count", "/count"), ("workload.traffic.peak_rps", "/workload/traffic/peak_rps"),
            ("workload.pricing.overrides.0.per_hour", "/workload/pricing/overrides/0/per_hour"),
            ("accelerators[3].memory_gib", "/accelerators/3/memory_gib"), ("a[0][1]", "/a/0/1"), ("x/y~z", "/x~1y~0z"),
        ])
    func dottedPathsBecomeJSONPointers(path: String, pointer: String) {
        #expect(ServiceError(.unprocessableContent, "m", field: path).pointer == pointer)
    }
}
