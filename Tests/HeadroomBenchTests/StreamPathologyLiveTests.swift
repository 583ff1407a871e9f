import HeadroomBench
import HeadroomCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The client end to end, over real HTTP: a server that answers each path with one of the streams real servers
/// send (and the broken ones), and the outcome the record must carry.
struct StreamPathologyLiveTests {
    static let head = #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":"#

    static func chunk(_ delta: String, finish: String? = nil) -> String {
        let reason = finish.map { "\"\($0)\"" } ?? "null"
        return "data: \(head)[{\"index\":0,\"delta\":\(delta),\"finish_reason\":\(reason)}]}\n\n"
    }

    static let usage = "data: \(head)[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}\n\n"
    static let done = "data: [DONE]\n\n"

    /// (path, status, body pieces, expected outcome, expected output tokens)
    static let cases: [(String, Int, [String], BenchOutcome, Int)] = [
        (
            "vllm", 200,
            [
                chunk(#"{"role":"assistant","content":""}"#), chunk(#"{"content":"a"}"#), chunk(#"{"content":"b"}"#),
                chunk(#"{"content":"c"}"#), chunk("{}", finish: "length"), usage, done,
            ], .success, 3
        ),
        (
            "comments", 200,
            [
                ": ping\n\n", chunk(#"{"content":"a"}"#), ": keep-alive\n\n",
                chunk(#"{"content":"b"}"#, finish: "stop"), done,
            ],
            .success, 2
        ),
        ("no-finish", 200, [chunk(#"{"content":"a"}"#), chunk(#"{"content":"b"}"#), done], .noFinishReason, 2),
        ("no-finish-usage", 200, [chunk(#"{"content":"a"}"#), usage, done], .noFinishReason, 3),
        ("truncated", 200, [chunk(#"{"content":"a"}"#), chunk(#"{"content":"b"}"#)], .truncated, 2),
        (
            "error-event", 200,
            [chunk(#"{"content":"a"}"#), "event: error\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\n", done],
            .streamError, 1
        ),
        (
            "error-payload", 200, [chunk(#"{"content":"a"}"#), "data: {\"error\":{\"message\":\"boom\"}}\n\n", done],
            .streamError, 1
        ),
        ("role-only", 200, [chunk(#"{"role":"assistant"}"#), chunk("{}", finish: "stop"), done], .noContent, 0),
        ("malformed", 200, [chunk(#"{"content":"a"}"#), "data: {not json\n\n", done], .malformed, 1),
        ("busy", 503, [#"{"error":{"message":"server busy"}}"#], .httpError, 0),
    ]

    func app() -> some ApplicationProtocol {
        let router = Router()
        for (path, status, pieces, _, _) in Self.cases {
            router.post("/\(path)/v1/chat/completions") { _, _ -> Response in
                Response(
                    status: HTTPResponse.Status(code: status),
                    headers: [.contentType: status == 200 ? "text/event-stream" : "application/json"],
                    body: ResponseBody { writer in
                        for piece in pieces {
                            try await writer.write(ByteBuffer(string: piece))
                        }
                        try await writer.finish(nil)
                    })
            }
        }
        router.post("/slow/v1/chat/completions") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: Self.chunk(#"{"content":"a"}"#)))
                    try await Task.sleep(for: .seconds(30))
                    try await writer.finish(nil)
                })
        }
        return Application(router: router)
    }

    @Test(.timeLimit(.minutes(1)))
    func everyStreamIsClassified() async throws {
        try await app().test(.live) { client in
            let port = try #require(client.port)
            for (path, status, _, outcome, tokens) in Self.cases {
                let endpoint = EndpointClient(
                    baseURL: "http://127.0.0.1:\(port)/\(path)", model: "m", api: .chat, apiKey: nil, ignoreEOS: true,
                    connections: 2)
                let request = PlannedRequest(
                    index: 0, intendedSeconds: 0, prompt: .text("hi"), inputTokens: 1, outputTokens: 3)
                let record = await endpoint.send(
                    request, body: endpoint.body(for: request), clock: BenchClock(), intended: 0, timeout: 10)
                #expect(record.outcome == outcome, "\(path)")
                #expect(record.outputTokens == tokens, "\(path)")
                if status != 200 { #expect(record.httpStatus == status) }
                if outcome == .success { #expect(record.ttftSeconds != nil) }
                #expect((outcome == .success) == record.meets(nil), "\(path): only a success counts toward goodput")
                try await endpoint.shutdown()
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func timeoutIsRecordedAsTimeout() async throws {
        try await app().test(.live) { client in
            let port = try #require(client.port)
            let endpoint = EndpointClient(
                baseURL: "http://127.0.0.1:\(port)/slow", model: "m", api: .chat, apiKey: nil, ignoreEOS: true,
                connections: 2)
            let request = PlannedRequest(
                index: 0, intendedSeconds: 0, prompt: .text("hi"), inputTokens: 1, outputTokens: 3)
            let record = await endpoint.send(
                request, body: endpoint.body(for: request), clock: BenchClock(), intended: 0, timeout: 0.5)
            #expect(record.outcome == .timeout)
            #expect((record.e2eSeconds ?? 0) < 10, "the stream stalls for 30 s; the timeout must end it long before")
            try await endpoint.shutdown()
        }
    }
}
