import HeadroomBench
import HeadroomCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Requests in flight beyond the client's connection pool: each is marked as having waited for a connection, and
/// the run's aggregates flag the client as the bottleneck.
struct ConnectionPoolLiveTests {
    @Test func gaugeMarksRequestsPastThePool() {
        let gauge = ConnectionGauge(limit: 2)
        #expect(!gauge.enter())
        #expect(!gauge.enter())
        #expect(gauge.enter(), "a third request in flight on two connections may wait")
        gauge.leave()
        #expect(gauge.enter(), "still three in flight")
        gauge.leave()
        gauge.leave()
        #expect(gauge.count == 1)
        #expect(!gauge.enter())

        let unknown = ConnectionGauge(limit: nil)
        for _ in 0..<100 { #expect(!unknown.enter()) }
    }

    @Test func poolSizeIsAtLeastEight() {
        #expect(EndpointClient.poolSize(1) == 8)
        #expect(EndpointClient.poolSize(300) == 300)
        #expect(EndpointClient.openLoopConnections >= 1024)
    }

    /// Each stream takes `hold` seconds after its first token.
    static let hold = 0.6

    func app() -> some ApplicationProtocol {
        let router = Router()
        router.post("/v1/chat/completions") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: StreamPathologyLiveTests.chunk(#"{"content":"a"}"#)))
                    try await Task.sleep(for: .seconds(Self.hold))
                    try await writer.write(
                        ByteBuffer(string: StreamPathologyLiveTests.chunk("{}", finish: "stop") + "data: [DONE]\n\n"))
                    try await writer.finish(nil)
                })
        }
        return Application(router: router)
    }

    @Test(.timeLimit(.minutes(1)))
    func openLoopPastThePoolMarksTheWaitingRequests() async throws {
        try await app().test(.live) { client in
            let port = try #require(client.port)
            // A pool of 8 connections; 12 requests at once, each holding its connection for 0.6 s.
            let endpoint = EndpointClient(
                baseURL: "http://127.0.0.1:\(port)", model: "m", api: .chat, apiKey: nil, ignoreEOS: true,
                connections: 8)
            #expect(endpoint.connectionLimit == 8)
            let requests = (0..<12).map {
                PlannedRequest(index: $0, intendedSeconds: 0, prompt: .text("hi"), inputTokens: 1, outputTokens: 2)
            }
            let recorder = BenchRecorder(clock: BenchClock())
            await BenchRunner(client: endpoint, timeout: 10).run(requests, clients: nil, recorder: recorder)
            try await endpoint.shutdown()
            let records = recorder.records
            #expect(records.count == 12)
            #expect(records.allSatisfy { $0.outcome == .success }, "\(records.map(\.outcome))")
            let waited = records.filter { $0.waitedForConnection == true }
            #expect(waited.count == 4)
            // As many really waited: their first token came after a whole stream on the connection they got. (Which
            // requests the pool made wait is its own order; the flag marks those sent past its size, so the counts
            // agree, not necessarily the requests.)
            let slow = records.filter { ($0.ttftSeconds ?? 0) >= Self.hold * 0.9 }
            #expect(slow.count == 4, "TTFTs \(records.map { $0.ttftSeconds ?? 0 })")
            let aggregates = BenchAggregation.aggregate(records, slo: nil)
            #expect(aggregates.waitedForConnection == 4)
            #expect(aggregates.clientBottleneck)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func closedLoopWithinThePoolMarksNothing() async throws {
        try await app().test(.live) { client in
            let port = try #require(client.port)
            let endpoint = EndpointClient(
                baseURL: "http://127.0.0.1:\(port)", model: "m", api: .chat, apiKey: nil, ignoreEOS: true,
                connections: 8)
            let requests = (0..<16).map {
                PlannedRequest(index: $0, intendedSeconds: nil, prompt: .text("hi"), inputTokens: 1, outputTokens: 2)
            }
            let recorder = BenchRecorder(clock: BenchClock())
            await BenchRunner(client: endpoint, timeout: 10).run(requests, clients: 8, recorder: recorder)
            try await endpoint.shutdown()
            #expect(recorder.records.count == 16)
            #expect(recorder.records.allSatisfy { $0.waitedForConnection == nil })
            #expect(BenchAggregation.aggregate(recorder.records, slo: nil).waitedForConnection == 0)
        }
    }
}
