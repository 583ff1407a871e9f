import Foundation
import HeadroomBench
import HeadroomCore
import Testing

/// The local llama.cpp server that `scripts/test` installs and starts (`scripts/llama-server`).
enum LlamaServer {
    static var url: String? { ProcessInfo.processInfo.environment["HEADROOM_LLAMA_URL"] }
    /// Set by scripts/test: a missing server is then a failure, not a skip.
    static var required: Bool { ProcessInfo.processInfo.environment["HEADROOM_REQUIRE_LLAMA"] == "1" }
    static var available: Bool { url != nil || required }
}

@Suite(.enabled(if: LlamaServer.available), .serialized)
struct LlamaServerTests {
    func session(_ url: String) async throws -> (BenchSession, EndpointClient) {
        let client = EndpointClient(
            baseURL: url, model: "smollm2-135m", api: .chat, apiKey: nil, ignoreEOS: true, connections: 8)
        let synthesizer = try await PromptSynthesizer.prepare(using: client)
        return (
            BenchSession(
                runner: BenchRunner(client: client, timeout: 120), synthesizer: synthesizer, tokenizer: client),
            client
        )
    }

    func configuration(concurrency: Int, requests: Int = 8) -> BenchConfiguration {
        BenchConfiguration(
            target: BenchTarget(url: LlamaServer.url ?? "", api: "chat", model: "smollm2-135m"),
            pattern: .concurrency(concurrency), dataset: .synthetic(input: .fixed(64), output: .fixed(24)),
            requests: requests, warmup: 1, seed: 3, timeout: 120, slo: nil)
    }

    @Test(.timeLimit(.minutes(3)))
    func tokensFromUsageMatchTheStreamAndTPOTGrowsWithConcurrency() async throws {
        let url = try #require(LlamaServer.url, "scripts/test starts llama-server and sets HEADROOM_LLAMA_URL")
        let (session, client) = try await session(url)
        #expect(session.synthesizer.verified)
        // Idle past llama-server's 5 s keep-alive: the pooled connections the tokenizer probes opened are closed by
        // the server, and the run must not trip over them.
        try await Task.sleep(for: .seconds(6))
        let one = try await session.run(configuration(concurrency: 1), recorder: BenchRecorder(clock: BenchClock()))
        let four = try await session.run(configuration(concurrency: 4), recorder: BenchRecorder(clock: BenchClock()))
        try await client.shutdown()
        for result in [one, four] {
            let measured = result.requests.filter { !$0.warmup }
            #expect(measured.count == 8)
            #expect(result.aggregates.outcomes["success"] == 8, "\(result.aggregates.outcomes)")
            #expect(result.aggregates.outputTokensFromUsage)
            for record in measured {
                // llama.cpp streams one token per chunk: usage and the counted chunks agree, and ignore_eos gives
                // exactly the tokens asked for.
                #expect(record.outputTokensSource == "usage")
                #expect(record.outputTokens == record.contentChunks)
                #expect(record.outputTokens == 24)
                #expect(record.itlSeconds.count == record.contentChunks - 1)
                // The synthetic prompt has exactly 64 tokens; the chat template adds a fixed number.
                let reported = try #require(record.promptTokensReported)
                #expect(reported >= 64 && reported < 64 + 40)
            }
            let templateTokens = Set(measured.compactMap { $0.promptTokensReported.map { $0 - 64 } })
            #expect(templateTokens.count == 1, "every prompt is 64 tokens plus the same template")
        }
        let tpot1 = try #require(one.aggregates.tpotSeconds?.p50)
        let tpot4 = try #require(four.aggregates.tpotSeconds?.p50)
        #expect(tpot4 > tpot1, "batching four sequences on one thread slows each one's tokens")
        #expect(four.aggregates.outputTokensPerSecond > one.aggregates.outputTokensPerSecond * 0.9)
    }
}
