import Foundation
import HTTPTypes
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import PropertyBased
import Testing

/// Issue 14's fuzz harness: every compute operation, called over HTTP with bodies whose fields are replaced by hostile
/// values (±0, subnormals, 1e308, numbers past Double's range, Int.max, suffixed strings, deep nesting, long strings),
/// answers a result or a typed error (200, 400, 413 or 422, never a 500, a trap or a hang) within a time budget.
///
/// Each operation runs a fixed number of cases; a case sets two fields. The budget per case is an upper bound for a
/// busy two-core machine, not a benchmark: each case alone answers in well under a second.
@Suite(.timeLimit(.minutes(5)))
struct FuzzTests {
    /// How many times the fixed case counts to run: 1 unless `HEADROOM_FUZZ_SCALE` asks for a longer local run.
    static let scale =
        ProcessInfo.processInfo.environment["HEADROOM_FUZZ_SCALE"].flatMap(Int.init).map { max($0, 1) } ?? 1

    /// A case's time limit: an upper bound that holds while the other service suites run plans on the same two
    /// cores (a refusal then waits seconds for a thread); a hang or an unbounded search still fails it.
    static let budget = Duration.seconds(30)

    /// Raw JSON literals a field is replaced with, kept as text so values JSON cannot hold in a `Double` (1e999,
    /// 2^64) reach the decoder as they were written.
    static let values: [String] = [
        "0", "-0", "-0.0", "5e-324", "1e-320", "2.2250738585072014e-308", "1e-9", "0.5", "1", "3", "-1", "1e9", "1e12",
        "1e30", "1e300", "1e308", "-1e308", "1e999", "-1e999", "9223372036854775807", "-9223372036854775808",
        "18446744073709551616", "4294967296", #""1e30T""#, #""99999999999999999999999T""#, #""NaN""#, #""Infinity""#,
        #""-inf""#, #""15.6T""#, #""""#, "\"" + String(repeating: "x", count: 10_000) + "\"", "null", "true", "[]",
        "{}", String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "[1e308, -0, 5e-324]",
        #"{"dist": "fixed", "value": 9223372036854775807}"#, #"{"dist": "lognormal", "mean": 1e300, "sigma": 10}"#,
    ]

    /// One operation's route, valid base body and the fields the harness replaces (dotted paths into the body).
    struct Operation: Sendable, CustomStringConvertible {
        var path: String
        var base: String
        var fields: [String]
        var cases: Int
        var description: String { path }
    }

    static let workload = #"""
        {"model": "llama-3.1-8b", "traffic": {"peak_rps": 2, "requests": 100},
         "lengths": {"input": {"dist": "fixed", "value": 300}, "output": {"dist": "fixed", "value": 60}},
         "slo": {"ttft_ms": 2000, "tpot_ms": 100}, "constraints": {"accelerators": ["h100-sxm"], "stacks": ["vllm"]},
         "integration": {"bytes_per_token": 4}, "pricing": {"overrides": [{"accelerator": "h100-sxm", "per_hour": 3}]}}
        """#

    static let workloadFields = [
        "workload.traffic.peak_rps", "workload.traffic.requests", "workload.traffic.growth_per_month",
        "workload.traffic.horizon_months", "workload.traffic.hour_seconds", "workload.traffic.diurnal",
        "workload.traffic.burstiness", "workload.traffic.requests_per_day", "workload.constraints.min_replicas",
        "workload.constraints.min_replicas_per_region", "workload.constraints.budget_per_hour",
        "workload.integration.bytes_per_token", "workload.integration.retention_days",
        "workload.pricing.overrides.0.per_hour", "workload.lengths.input", "workload.lengths.output.value",
        "workload.slo.ttft_ms", "workload.slo.percentile", "workload.slo.availability", "workload.prefix",
    ]

    static let deploymentFields = [
        "count", "tp", "pp", "ep", "gpu_memory_utilization", "max_num_seqs", "max_batched_tokens", "input_tokens",
        "output_tokens", "rate", "requests", "seed", "slo_ttft_ms", "slo_tpot_ms", "concurrency", "model",
    ]

    static let operations: [Operation] = [
        Operation(
            path: "/v1/estimate",
            base: #"""
                {"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1, "input_tokens": 100,
                 "output_tokens": 20, "rate": 2, "requests": 100}
                """#,
            fields: deploymentFields + ["max_rate", "offline"], cases: 40),
        Operation(
            path: "/v1/simulate",
            base: #"""
                {"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1, "input_tokens": 100,
                 "output_tokens": 20, "rate": 2, "requests": 100}
                """#,
            fields: deploymentFields + ["burstiness", "warmup", "slo_e2e_ms", "workload"], cases: 40),
        Operation(
            path: "/v1/simulate",
            base: #"{"workload": \#(workload), "accelerator": "h100-sxm", "count": 1, "requests": 100}"#,
            fields: workloadFields, cases: 30),
        Operation(
            path: "/v1/plan", base: #"{"workload": \#(workload), "requests": 100}"#,
            fields: workloadFields + ["top", "requests", "seed"], cases: 24),
        Operation(
            path: "/v1/cost", base: #"{"workload": \#(workload), "requests": 100, "horizon": "week"}"#,
            fields: workloadFields + ["tco_years", "spot_max_share", "violation_penalty", "horizon"], cases: 12),
        Operation(
            path: "/v1/train", base: #"{"params": "8B", "tokens": "1T", "accelerator": "h100-sxm", "count": 64}"#,
            fields: [
                "params", "active_params", "tokens", "count", "mfu", "seq_len", "global_batch_tokens", "tp", "pp", "cp",
                "ep", "micro_batch", "interleave", "failures_per_1000_node_days", "restart_minutes",
                "storage_tb_per_s", "checkpoint_interval_minutes", "serving_tokens", "cost_per_million_tokens",
                "deadline_days", "pue", "rack_kw", "servers_per_rack", "electricity_per_kwh",
            ], cases: 40),
    ]

    /// `base` with the value at each dotted path replaced by a raw JSON literal (a missing object member is added).
    static func body(_ base: String, replacing replacements: [(path: String, literal: String)]) throws -> String {
        var value = try JSONValue(json: base)
        for (index, replacement) in replacements.enumerated() {
            value = setting(
                value, at: replacement.path.split(separator: ".").map(String.init)[...], to: .string("\u{1}\(index)"))
        }
        var text = try value.jsonText()
        for (index, replacement) in replacements.enumerated() {
            text = text.replacingOccurrences(of: #""\u0001\#(index)""#, with: replacement.literal)
        }
        return text
    }

    static func setting(_ value: JSONValue, at path: ArraySlice<String>, to new: JSONValue) -> JSONValue {
        guard let key = path.first else { return new }
        switch value {
        case .object(var object):
            object[key] = setting(object[key] ?? .object([:]), at: path.dropFirst(), to: new)
            return .object(object)
        case .array(var array):
            guard let index = Int(key), array.indices.contains(index) else { return value }
            array[index] = setting(array[index], at: path.dropFirst(), to: new)
            return .array(array)
        default:
            return setting(.object([:]), at: path, to: new)
        }
    }

    @Test func theHarnessSubstitutesRawLiterals() throws {
        let text = try Self.body(
            #"{"a": {"b": [1, {"c": 2}]}, "d": 3}"#, replacing: [("a.b.1.c", "1e999"), ("e", #""1e30T""#)])
        #expect(text.contains("1e999"))
        #expect(text.contains(#""1e30T""#))
        #expect(!text.contains("\\u0001"))
    }

    /// What the harness found, kept as named cases: each answered 500 (a NaN in the JSON it rendered, from a gamma
    /// shape of 10^640) or ran for seconds (a demand curve grown 10^30-fold walked replica by replica).
    @Test(
        arguments: [
            (1, "burstiness", "1e-320", "slo_e2e_ms", "5e-324", "burstiness"),
            (
                2, "workload.traffic.burstiness", "1e-320", "workload.traffic.arrival", #""gamma""#,
                "workload.traffic.burstiness"
            ),
            (
                4, "workload.integration.bytes_per_token", "null", "workload.traffic.growth_per_month", "1e30",
                "workload.traffic.growth_per_month"
            ),
        ] as [(Int, String, String, String, String, String)])
    func fuzzFindingsAreRefused(
        operation index: Int, firstField: String, firstValue: String, secondField: String, secondValue: String,
        field: String
    ) async throws {
        let service = await TestService()
        let operation = Self.operations[index]
        try await service.test { client in
            let json = try Self.body(operation.base, replacing: [(firstField, firstValue), (secondField, secondValue)])
            let started = ContinuousClock.now
            let response = try await client.send(.post, operation.path, key: service.viewer, json: json)
            #expect(response.status == .unprocessableContent, "\(response.text)")
            #expect(try response.json()["error"]?["field"]?.stringValue == field)
            #expect(ContinuousClock.now - started < Self.budget)
        }
    }

    @Test(arguments: operations)
    func everyOperationAnswersWithinBudget(operation: Operation) async throws {
        let service = await TestService()
        try await service.test { client in
            // The base body is valid: the harness is not vacuous.
            let base = try await client.send(.post, operation.path, key: service.viewer, json: operation.base)
            #expect(base.status == .ok, "\(operation.path): \(base.text)")
            await propertyCheck(
                count: operation.cases * Self.scale, input: Gen.element(of: operation.fields),
                Gen.element(of: Self.values),
                Gen.element(of: operation.fields), Gen.element(of: Self.values)
            ) { firstField, firstValue, secondField, secondValue in
                guard let firstField, let firstValue, let secondField, let secondValue else { return }
                let json = try Self.body(
                    operation.base, replacing: [(firstField, firstValue), (secondField, secondValue)])
                let started = ContinuousClock.now
                let response = try await client.send(.post, operation.path, key: service.viewer, json: json)
                let elapsed = ContinuousClock.now - started
                let label =
                    "\(operation.path) \(firstField)=\(firstValue.prefix(40)) \(secondField)=\(secondValue.prefix(40))"
                #expect([200, 400, 413, 422].contains(response.status.code), "\(label): \(response.text.prefix(300))")
                #expect(elapsed < Self.budget, "\(label) took \(elapsed)")
                if response.status != .ok {
                    let error = try response.json()["error"]
                    #expect(error?["message"]?.stringValue?.isEmpty == false, "\(label): \(response.text.prefix(300))")
                }
            }
        }
    }
}
