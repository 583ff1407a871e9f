import Foundation
import HeadroomBench
import HeadroomCore
import HeadroomSimServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Every load pattern and dataset end to end against the digital twin (`serve-sim`, 50× real time), and Ctrl-C's
/// cancellation keeping the results so far.
@Suite(.serialized) struct LoadPatternLiveTests {
    func withTwin(timeScale: Double = 50, _ body: @Sendable (EndpointClient) async throws -> Void) async throws {
        let app = buildSimApplication(configuration: try SimServerTests.configuration(timeScale: timeScale))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let endpoint = EndpointClient(
                baseURL: "http://127.0.0.1:\(port)", model: "twin", api: .completions, apiKey: nil, ignoreEOS: true,
                connections: 16)
            do {
                try await body(endpoint)
            } catch {
                try? await endpoint.shutdown()
                throw error
            }
            try await endpoint.shutdown()
        }
    }

    func session(_ client: EndpointClient, stop: BenchStop = BenchStop()) async throws -> BenchSession {
        // The twin's /tokenize counts words, so synthetic prompts are verified exactly.
        let synthesizer = try await PromptSynthesizer.prepare(using: client)
        return BenchSession(
            runner: BenchRunner(client: client, timeout: 30, stop: stop), synthesizer: synthesizer,
            tokenizer: client)
    }

    func configuration(
        _ pattern: BenchLoadPattern, dataset: BenchDataset? = nil, requests: Int = 24
    )
        -> BenchConfiguration
    {
        BenchConfiguration(
            target: BenchTarget(url: "", api: "completions", model: "twin"), pattern: pattern,
            dataset: dataset ?? .synthetic(input: .fixed(32), output: .fixed(16)), requests: requests, warmup: 2,
            seed: 5, timeout: 30, slo: BenchSLO(ttftSeconds: 5, attainment: 0.9))
    }

    static let patterns: [(String, BenchLoadPattern)] = [
        ("constant", .arrivals(.constant(rate: 40))),
        ("poisson", .arrivals(.poisson(rate: 40))),
        ("gamma", .arrivals(.gamma(rate: 40, cv: 3))),
        ("ramp", .ramp(from: 10, to: 80, cv: 1)),
        ("trace", .trace(times: (0..<24).map { Double($0) * 0.02 }, speed: 2)),
        ("concurrency", .concurrency(4)),
    ]

    @Test(.timeLimit(.minutes(2)), arguments: patterns.map(\.0))
    func everyPatternMeasuresEveryRequest(_ name: String) async throws {
        let pattern = try #require(Self.patterns.first { $0.0 == name }?.1)
        try await withTwin { client in
            let result = try await session(client).run(
                configuration(pattern), recorder: BenchRecorder(clock: BenchClock()))
            #expect(result.load.mode == pattern.mode)
            #expect(result.requests.count == 26)
            #expect(result.requests.filter(\.warmup).count == 2)
            #expect(result.aggregates.outcomes["success"] == 24, "\(result.aggregates.outcomes)")
            #expect(result.aggregates.outputTokensFromUsage)
            for record in result.requests {
                #expect(record.outputTokens == 16)
                #expect(record.promptTokensReported == 32, "the twin counts words; the prompt has exactly 32")
            }
            if case .concurrency = pattern {
            } else {
                // Open loop: the intended times follow the pattern, and the client kept to them.
                let intended = result.requests.filter { !$0.warmup }.map(\.intendedSendSeconds)
                #expect(intended == intended.sorted())
                #expect(try #require(result.aggregates.sendLagSeconds).p50 < 0.05)
            }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func jsonlAndShareGPTDatasets() async throws {
        let jsonl = """
            {"prompt": "one two three four five six", "output_tokens": 5}
            {"messages": [{"role": "user", "content": "seven eight nine"}], "max_tokens": 7}
            """
        let words = (0..<40).map { "w\($0)" }.joined(separator: " ")
        let sharegpt = """
            [{"conversations": [{"from": "human", "value": "\(words)"}, {"from": "gpt", "value": "a b c d e f g h"}]},
             {"conversations": [{"from": "human", "value": "too short"}, {"from": "gpt", "value": "x"}]}]
            """
        try await withTwin { client in
            let session = try await session(client)
            let fromJSONL = try await session.run(
                configuration(
                    .concurrency(2), dataset: .jsonl(path: "p.jsonl", text: jsonl, defaultOutputTokens: 9), requests: 4),
                recorder: BenchRecorder(clock: BenchClock()))
            #expect(fromJSONL.aggregates.outcomes["success"] == 4)
            #expect(Set(fromJSONL.requests.map(\.requestedOutputTokens)) == [5, 7])
            #expect(Set(fromJSONL.requests.map(\.inputTokens)) == [6, 3], "sized by the server's /tokenize")
            let fromShareGPT = try await session.run(
                configuration(.concurrency(2), dataset: .sharegpt(path: "s.json", text: sharegpt), requests: 3),
                recorder: BenchRecorder(clock: BenchClock()))
            #expect(fromShareGPT.aggregates.outcomes["success"] == 3)
            // The short pair fails vLLM's length filter; the long one is replayed.
            #expect(fromShareGPT.requests.allSatisfy { $0.inputTokens == 40 && $0.requestedOutputTokens == 8 })
        }
    }

    /// The first Ctrl-C: no request is sent after the stop, and every request in flight finishes and is measured.
    @Test(.timeLimit(.minutes(2)), arguments: ["open", "closed"])
    func stoppingLetsTheRequestsInFlightFinish(_ loop: String) async throws {
        try await withTwin(timeScale: 1) { client in
            let stop = BenchStop()
            let session = try await session(client, stop: stop)
            let recorder = BenchRecorder(clock: BenchClock())
            let pattern: BenchLoadPattern = loop == "open" ? .arrivals(.constant(rate: 20)) : .concurrency(4)
            let run = Task {
                try await session.run(configuration(pattern, requests: 400), recorder: recorder)
            }
            try await Task.sleep(for: .seconds(1.5))
            stop.request()
            let inFlight = recorder.snapshot()
            let result = try await run.value
            let measured = result.requests.filter { !$0.warmup }
            #expect(measured.count > 5 && measured.count < 100, "stopped sending soon after the stop")
            // Nothing was sent after the stop but what was already on its way (one send per client racing it).
            #expect(result.requests.count <= inFlight.sent + 4)
            #expect(measured.allSatisfy { $0.outcome == .success }, "\(result.aggregates.outcomes)")
            #expect(result.aggregates.sloAttainment == 1)
            #expect(result.warnings.contains { $0.contains("stopped early (interrupted") })
        }
    }

    /// The second Ctrl-C: the task is cancelled, the requests in flight end as cancelled and are left out of
    /// attainment.
    @Test(.timeLimit(.minutes(2)))
    func cancellingKeepsTheResultsSoFar() async throws {
        // Real time: each request takes about 16 decode steps of ~7 ms plus queueing, and 400 arrive over 20 s.
        try await withTwin(timeScale: 1) { client in
            let session = try await session(client)
            let recorder = BenchRecorder(clock: BenchClock())
            let run = Task {
                try await session.run(
                    configuration(.arrivals(.constant(rate: 20)), requests: 400), recorder: recorder)
            }
            try await Task.sleep(for: .seconds(1.5))
            run.cancel()
            let result = try await run.value
            let measured = result.requests.filter { !$0.warmup }
            #expect(measured.count > 5 && measured.count < 100, "stopped sending soon after the cancel")
            #expect(result.warnings.contains { $0.contains("stopped early") })
            #expect(result.aggregates.outcomes["success", default: 0] > 0)
            #expect(measured.allSatisfy { $0.outcome == .success || $0.outcome == .cancelled })
            #expect(result.aggregates.sloAttainment == 1, "cancelled requests say nothing about the server")
        }
    }
}
