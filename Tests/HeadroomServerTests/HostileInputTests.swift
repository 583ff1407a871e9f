import Foundation
import HTTPTypes
import HeadroomCore
import HeadroomOperations
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 14's reproductions, one named test each: every one used to kill or hang the server (a trap on a numeric
/// conversion, a terabyte allocation, a simulation of 10^300 seconds, an unbounded search) and is now a 4xx that
/// names the field and the limit, answered in moments.
@Suite(.timeLimit(.minutes(3)))
struct HostileInputTests {
    /// The small workload with `patch` merged into it (`"traffic": {"peak_rps": 1e12}` replaces that one value).
    static func workload(_ patch: [String: [String: String]]) -> String {
        var sections: [String: [String: String]] = [
            "traffic": ["peak_rps": "4", "requests": "300"],
            "lengths": [
                "input": #"{"dist": "fixed", "value": 500}"#, "output": #"{"dist": "fixed", "value": 200}"#,
            ],
            "slo": ["ttft_ms": "2000", "tpot_ms": "100"],
            "constraints": ["accelerators": #"["h100-sxm"]"#, "stacks": #"["vllm"]"#],
        ]
        for (section, values) in patch { sections[section, default: [:]].merge(values) { _, new in new } }
        let body = sections.sorted { $0.key < $1.key }.map { section, values in
            let fields = values.sorted { $0.key < $1.key }.map { #""\#($0.key)": \#($0.value)"# }
            return #""\#(section)": {\#(fields.joined(separator: ", "))}"#
        }
        return #"{"model": "llama-3.1-8b", \#(body.joined(separator: ", "))}"#
    }

    /// Sends `json` and checks the status, the field the error names, a phrase of its message and the time taken.
    func expectRefusal(
        _ path: String, _ json: String, status: HTTPResponse.Status = .unprocessableContent, field: String?,
        mentions phrase: String? = nil, within limit: Duration = .seconds(20),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let service = await TestService()
        try await service.test { client in
            let started = ContinuousClock.now
            let response = try await client.send(.post, path, key: service.viewer, json: json)
            let elapsed = ContinuousClock.now - started
            #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
            #expect(elapsed < limit, "took \(elapsed)", sourceLocation: sourceLocation)
            let error = try response.json()["error"]
            if let field {
                #expect(error?["field"]?.stringValue == field, "\(response.text)", sourceLocation: sourceLocation)
            }
            if let phrase {
                #expect(
                    error?["message"]?.stringValue?.contains(phrase) == true, "\(response.text)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    @Test func trainWithParamsAsAHugeSuffixedStringIs422() async throws {
        try await expectRefusal(
            "/v1/train",
            #"{"params": "99999999999999999999999T", "tokens": "1T", "accelerator": "h100-sxm", "count": 64}"#,
            field: "params", mentions: "1e+16")
    }

    @Test func trainWithTokensAsAHugeSuffixedStringIs422() async throws {
        try await expectRefusal(
            "/v1/train", #"{"params": "8B", "tokens": "1e40", "accelerator": "h100-sxm", "count": 64}"#,
            field: "tokens")
    }

    @Test func planWithPeakRps1e12Is422() async throws {
        try await expectRefusal(
            "/v1/plan", #"{"workload": \#(Self.workload(["traffic": ["peak_rps": "1e12"]]))}"#,
            field: "workload.traffic.peak_rps", mentions: "1000000000")
    }

    @Test func planWithPeakRps1e308Is422() async throws {
        try await expectRefusal(
            "/v1/plan", #"{"workload": \#(Self.workload(["traffic": ["peak_rps": "1e308"]]))}"#,
            field: "workload.traffic.peak_rps")
    }

    @Test func planWithASubnormalPeakRpsIs422() async throws {
        try await expectRefusal(
            "/v1/plan", #"{"workload": \#(Self.workload(["traffic": ["peak_rps": "1e-320"]]))}"#,
            field: "workload.traffic.peak_rps", mentions: "1e-06")
    }

    @Test func planWithMinReplicas1e9Is422() async throws {
        try await expectRefusal(
            "/v1/plan", #"{"workload": \#(Self.workload(["constraints": ["min_replicas": "1000000000"]]))}"#,
            field: "workload.constraints.min_replicas", mentions: "1000")
    }

    @Test func planWithMinReplicasOverTheLimitIs422() async throws {
        try await expectRefusal(
            "/v1/plan", #"{"workload": \#(Self.workload(["constraints": ["min_replicas": "100001"]]))}"#,
            field: "workload.constraints.min_replicas", mentions: "1000")
    }

    @Test func planWithMinReplicas100000Is422() async throws {
        try await expectRefusal(
            "/v1/plan", #"{"workload": \#(Self.workload(["constraints": ["min_replicas": "100000"]]))}"#,
            field: "workload.constraints.min_replicas", mentions: "1000")
    }

    @Test func planWithBytesPerToken1e300Is422() async throws {
        try await expectRefusal(
            "/v1/plan", #"{"workload": \#(Self.workload(["integration": ["bytes_per_token": "1e300"]]))}"#,
            field: "workload.integration.bytes_per_token")
    }

    @Test func planWithAnOverridePerHourOf1e308Is422() async throws {
        let overrides = #"[{"accelerator": "h100-sxm", "per_hour": 1e308}]"#
        try await expectRefusal(
            "/v1/plan", #"{"workload": \#(Self.workload(["pricing": ["overrides": overrides]]))}"#,
            field: "workload.pricing.overrides.0.per_hour")
    }

    @Test func planWithTrafficRequests1e9Is422() async throws {
        try await expectRefusal(
            "/v1/plan", #"{"workload": \#(Self.workload(["traffic": ["requests": "1000000000"]]))}"#,
            field: "workload.traffic.requests", mentions: "1000000")
    }

    @Test func planWithRunawayGrowthIs422() async throws {
        try await expectRefusal(
            "/v1/plan",
            #"{"workload": \#(Self.workload(["traffic": ["growth_per_month": "5", "horizon_months": "120"]]))}"#,
            field: "workload.traffic.growth_per_month")
    }

    @Test func estimateWithASubnormalRateIs422EvenSentTwice() async throws {
        let body = #"""
            {"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1, "input_tokens": 100,
             "output_tokens": 20, "rate": 1e-320}
            """#
        for _ in 0..<2 { try await expectRefusal("/v1/estimate", body, field: "rate", mentions: "1e-06") }
    }

    @Test func simulateWithASubnormalRateIs422() async throws {
        try await expectRefusal(
            "/v1/simulate",
            #"""
            {"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1, "input_tokens": 100,
             "output_tokens": 20, "rate": 1e-320, "requests": 100}
            """#, field: "rate")
    }

    @Test func simulateWithAFleetOverTheWorkBudgetIs422() async throws {
        try await expectRefusal(
            "/v1/simulate",
            #"""
            {"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1000, "input_tokens": 100,
             "output_tokens": 20, "rate": 100, "requests": 1000000}
            """#, field: "requests", mentions: "10000000")
    }

    @Test func simulateWithAWorkloadOfASubnormalRateIs422() async throws {
        try await expectRefusal(
            "/v1/simulate",
            #"""
            {"workload": \#(Self.workload(["traffic": ["rate_rps": "1e-320"]])), "accelerator": "h100-sxm",
             "count": 1}
            """#, field: "workload.traffic.rate_rps")
    }

    @Test(arguments: [500, 5000, 200_000])
    func deeplyNestedBodiesAreRefusedQuickly(depth: Int) async throws {
        let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        try await expectRefusal(
            "/v1/plan", #"{"workload": {"model": \#(nested)}}"#, status: .badRequest, field: nil, mentions: "deeper",
            within: .seconds(20))
    }

    @Test func theDepthCheckIsLinear() throws {
        // A megabyte of brackets is refused after reading 65 of them; a megabyte of flat text is read once.
        let deep = Data((String(repeating: "[", count: 1 << 20)).utf8)
        let flat = Data(("[" + String(repeating: "1,", count: 1 << 19) + "1]").utf8)
        let started = ContinuousClock.now
        #expect(throws: OperationError.self) { try BodyDecoder.checkDepth(deep) }
        #expect(throws: Never.self) { try BodyDecoder.checkDepth(flat) }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func nestingWithinTheLimitStillDecodes() throws {
        let nested = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(throws: Never.self) { try BodyDecoder.checkDepth(Data(#"{"a": \#(nested), "b": "[[[[["}"#.utf8)) }
        #expect(throws: OperationError.self) {
            try BodyDecoder.checkDepth(
                Data((String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)).utf8))
        }
    }
}

/// Issue 14: computations run on threads of their own, a bounded number at a time, within a deadline.
@Suite(.timeLimit(.minutes(3)))
struct ComputeGateTests {
    /// A computation that runs until it is cancelled, checking as the planner and the simulator do.
    @Sendable static func spin() async throws -> Int {
        var turns = 0
        while !Task.isCancelled { turns &+= 1 }
        throw CancellationError()
    }

    @Test func aFullQueueIsRefusedAtOnceWith503AndRetryAfter() async throws {
        let gate = ComputeGate(slots: 1, queueLimit: 0, deadline: .seconds(60))
        let first = Task { try await gate.run(Self.spin) }
        while await gate.load.running == 0 { try await Task.sleep(for: .milliseconds(5)) }
        await #expect {
            try await gate.run { 1 }
        } throws: { error in
            guard let error = (error as? OperationError).map(ServiceError.init) else { return false }
            return error.status == .serviceUnavailable && error.headers[.retryAfter] == "1"
        }
        first.cancel()
        _ = try? await first.value
        #expect(try await gate.run { 7 } == 7)
        #expect(await gate.load.running == 0)
    }

    @Test func aComputationPastItsDeadlineIsStoppedWith503() async throws {
        let gate = ComputeGate(slots: 1, queueLimit: 1, deadline: .milliseconds(200))
        let started = ContinuousClock.now
        await #expect {
            try await gate.run(Self.spin)
        } throws: { ($0 as? OperationError).map(ServiceError.init)?.status == .serviceUnavailable }
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(await gate.load.running == 0)
    }

    @Test func waitersTakeFreedSlotsInTurn() async throws {
        let gate = ComputeGate(slots: 1, queueLimit: 8, deadline: .seconds(60))
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for value in 0..<6 { group.addTask { try await gate.run { value } } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.sorted() == Array(0..<6))
        #expect(await gate.load == (0, 0))
    }

    static func onComputeThread() -> Bool { ComputeExecutor.shared.isCurrentThread }

    @Test func computationsRunOnTheComputeThreads() async throws {
        let gate = ComputeGate(slots: 2, queueLimit: 2, deadline: .seconds(60))
        let onCompute = try await gate.run { @Sendable () async throws -> [Bool] in
            let before = Self.onComputeThread()
            await Task.yield()
            return [before, Self.onComputeThread()]
        }
        #expect(onCompute == [true, true])
        #expect(!Self.onComputeThread())
    }

    @Test func aSaturatedServerAnswers503OverHTTP() async throws {
        var configured = await TestService()
        configured.configuration.computeSlots = 1
        configured.configuration.computeQueue = 0
        configured.configuration.computeDeadline = .seconds(3)
        let service = configured
        try await service.test { client in
            // A plan with every accelerator and 100,000 requests per confirming simulation holds the only slot
            // until its deadline.
            let long =
                #"{"workload": {"model": "llama-3.1-8b", "traffic": {"peak_rps": 4}, "lengths": {"preset": "chat"}, "slo": {"ttft_ms": 2000, "tpot_ms": 100}}, "requests": 100000}"#
            async let first = client.send(.post, "/v1/plan", key: service.viewer, json: long)
            async let second = client.send(.post, "/v1/plan", key: service.viewer, json: long)
            // Whichever arrives first holds the slot until its deadline; the other finds the queue full.
            let responses = try await [first, second]
            #expect(responses.allSatisfy { $0.status == .serviceUnavailable }, "\(responses.map(\.text))")
            #expect(responses.contains { $0.text.contains("deadline") }, "\(responses.map(\.text))")
            #expect(
                responses.contains { $0.text.contains("busy") && $0.headers[.retryAfter] == "1" },
                "\(responses.map(\.text))")
        }
    }
}
