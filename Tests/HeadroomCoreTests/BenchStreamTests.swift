import HeadroomCore
import Testing

struct BenchStreamTests {
    // MARK: - SSE parser

    /// A stream with every line ending, a BOM, comments, multi-line data, ids, retry and an unterminated last event.
    static let awkwardStream: [UInt8] =
        [0xEF, 0xBB, 0xBF]
        + Array(
            (": welcome\r\n" + "event: update\r\n" + "id: 7\r\n" + "data: first\r\n" + "data:second\r\n" + "\r\n"
                + "retry: 1500\r" + "data: {\"a\":1}\r" + "\r" + ": ping\n" + "data:  two spaces\n" + "ignored: x\n"
                + "\n" + "data\n" + "\n" + "event: error\n" + "\n" + "data: tail").utf8)

    static let awkwardEvents: [SSEMessage] = [
        .comment("welcome"),
        .event(SSEEvent(event: "update", data: Array("first\nsecond".utf8), id: "7")),
        .event(SSEEvent(data: Array("{\"a\":1}".utf8), id: "7")),
        .comment("ping"),
        .event(SSEEvent(data: Array(" two spaces".utf8), id: "7")),
        .event(SSEEvent(data: [], id: "7")),
        .event(SSEEvent(event: "error", data: [], id: "7")),
        .event(SSEEvent(data: Array("tail".utf8), id: "7")),
    ]

    @Test func sseParsesEveryFieldAndLineEnding() {
        #expect(SSEParser.parse(Self.awkwardStream) == Self.awkwardEvents)
    }

    @Test func sseSplitAtEveryByteBoundaryGivesTheSameEvents() {
        let bytes = Self.awkwardStream
        for cut in 0...bytes.count {
            var parser = SSEParser()
            var messages: [SSEMessage] = []
            parser.feed(bytes[..<cut]) { messages.append($0) }
            parser.feed(bytes[cut...]) { messages.append($0) }
            parser.finish { messages.append($0) }
            #expect(messages == Self.awkwardEvents, "split at byte \(cut)")
        }
        var parser = SSEParser()
        var messages: [SSEMessage] = []
        for byte in bytes { parser.feed([byte]) { messages.append($0) } }
        parser.finish { messages.append($0) }
        #expect(messages == Self.awkwardEvents)
        #expect(parser.retryMilliseconds == 1500)
    }

    @Test func sseCRLFSplitBetweenCarriageReturnAndLineFeedIsOneLineBreak() {
        var parser = SSEParser()
        var messages: [SSEMessage] = []
        parser.feed(Array("data: a\r".utf8)) { messages.append($0) }
        parser.feed(Array("\n\r".utf8)) { messages.append($0) }
        parser.feed(Array("\ndata: b\n\n".utf8)) { messages.append($0) }
        #expect(messages == [.event(SSEEvent(data: Array("a".utf8))), .event(SSEEvent(data: Array("b".utf8)))])
    }

    // MARK: - Stream classification

    struct StreamCase: Sendable, CustomTestStringConvertible {
        var name: String
        var api: BenchAPI = .chat
        var status = 200
        var body: String
        var failure: StreamFailure?
        var outcome: BenchOutcome
        var counts: [String: Int]
        var finishReason: String?
        var outputTokens: Int
        var source = "chunks"
        var error: String?

        var testDescription: String { name }
    }

    static let cases: [StreamCase] = [
        StreamCase(
            name: "vLLM chat with include_usage",
            body: """
                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}

                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" world"},"logprobs":null,"finish_reason":null}]}

                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"!"},"logprobs":null,"finish_reason":null}]}

                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"length","stop_reason":null}]}

                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":12,"total_tokens":17,"completion_tokens":5}}

                data: [DONE]


                """,
            outcome: .success,
            counts: ["role_only": 1, "content": 3, "finish": 1, "usage_only": 1, "done": 1], finishReason: "length",
            outputTokens: 5, source: "usage"
        ),
        StreamCase(
            name: "OpenAI chat, role chunk with empty content and null usage fields",
            body: """
                data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt","system_fingerprint":"fp","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

                data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt","system_fingerprint":"fp","choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}],"usage":null}

                data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt","system_fingerprint":"fp","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

                data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt","system_fingerprint":"fp","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}}

                data: [DONE]


                """,
            outcome: .success, counts: ["role_only": 1, "content": 1, "finish": 1, "usage_only": 1, "done": 1],
            finishReason: "stop", outputTokens: 1, source: "usage"
        ),
        StreamCase(
            name: "SGLang chat with keep-alive comments and reasoning content",
            body: """
                : ping

                data: {"id":"s","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":"Think"},"logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":null}

                : ping

                data: {"id":"s","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":null,"content":"Answer","reasoning_content":null},"logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":null}

                data: {"id":"s","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":null,"content":null,"reasoning_content":null},"logprobs":null,"finish_reason":"stop","matched_stop":128009}],"usage":null}

                data: [DONE]


                """,
            outcome: .success, counts: ["comment": 2, "content": 2, "finish": 1, "done": 1], finishReason: "stop",
            outputTokens: 2
        ),
        StreamCase(
            name: "llama.cpp completions, CRLF, finish_reason but no [DONE]",
            api: .completions,
            body:
                "data: {\"choices\":[{\"text\":\"Once\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}],"
                + "\"created\":1,\"model\":\"gguf\",\"object\":\"text_completion\",\"id\":\"cmpl-1\"}\r\n\r\n"
                + "data: {\"choices\":[{\"text\":\" upon\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}],"
                + "\"created\":1,\"model\":\"gguf\",\"object\":\"text_completion\",\"id\":\"cmpl-1\"}\r\n\r\n"
                + "data: {\"choices\":[{\"text\":\"\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"length\"}],"
                + "\"created\":1,\"model\":\"gguf\",\"object\":\"text_completion\",\"id\":\"cmpl-1\","
                + "\"usage\":{\"completion_tokens\":2,\"prompt_tokens\":4,\"total_tokens\":6},"
                + "\"timings\":{\"predicted_ms\":20.5}}\r\n\r\n",
            outcome: .success, counts: ["content": 2, "finish": 1], finishReason: "length", outputTokens: 2,
            source: "usage"
        ),
        StreamCase(
            name: "[DONE] without any finish_reason is no_finish_reason, not a success",
            body: """
                data: {"choices":[{"index":0,"delta":{"content":"a"}}]}

                data: {"choices":[{"index":0,"delta":{"content":"b"}}]}

                data: [DONE]


                """,
            outcome: .noFinishReason, counts: ["content": 2, "done": 1], outputTokens: 2,
            error: "the stream ended with [DONE] but no chunk carried a finish_reason"
        ),
        StreamCase(
            name: "[DONE] without a finish_reason but with usage is still no_finish_reason",
            api: .completions,
            body: """
                data: {"choices":[{"index":0,"text":"a","finish_reason":null}]}

                data: {"choices":[{"index":0,"text":"b","finish_reason":""}]}

                data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}

                data: [DONE]


                """,
            outcome: .noFinishReason, counts: ["content": 2, "usage_only": 1, "done": 1], outputTokens: 2,
            source: "usage"
        ),
        StreamCase(
            name: "a finish_reason on the last content chunk, then [DONE], is a success",
            body: """
                data: {"choices":[{"index":0,"delta":{"content":"a"}}]}

                data: {"choices":[{"index":0,"delta":{"content":"b"},"finish_reason":"length"}]}

                data: [DONE]


                """,
            outcome: .success, counts: ["content": 2, "done": 1], finishReason: "length", outputTokens: 2
        ),
        StreamCase(
            name: "closed without [DONE] or finish_reason is truncated",
            body: """
                data: {"choices":[{"index":0,"delta":{"role":"assistant"}}]}

                data: {"choices":[{"index":0,"delta":{"content":"a"}}]}


                """,
            outcome: .truncated, counts: ["role_only": 1, "content": 1], outputTokens: 1
        ),
        StreamCase(
            name: "an empty 200 body is truncated",
            body: "", outcome: .truncated, counts: [:], outputTokens: 0
        ),
        StreamCase(
            name: "[DONE] with no content is no_content",
            body: """
                data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}

                data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

                data: [DONE]


                """,
            outcome: .noContent, counts: ["role_only": 1, "finish": 1, "done": 1], finishReason: "stop",
            outputTokens: 0
        ),
        StreamCase(
            name: "event: error is a stream error",
            body: """
                data: {"choices":[{"index":0,"delta":{"content":"a"}}]}

                event: error
                data: {"error":{"message":"engine overloaded","type":"server_error","code":503}}


                """,
            outcome: .streamError, counts: ["content": 1, "error": 1], outputTokens: 1, error: "engine overloaded"
        ),
        StreamCase(
            name: "an error payload in data is a stream error",
            body: """
                data: {"choices":[{"index":0,"delta":{"content":"a"}}]}

                data: {"error":{"object":"error","message":"max_tokens is too large","type":"BadRequestError","param":null,"code":400}}

                data: [DONE]


                """,
            outcome: .streamError, counts: ["content": 1, "error": 1, "done": 1], outputTokens: 1,
            error: "max_tokens is too large"
        ),
        StreamCase(
            name: "vLLM's older object:error payload is a stream error",
            body: """
                data: {"object":"error","message":"out of KV cache","type":"InternalServerError","param":null,"code":500}


                """,
            outcome: .streamError, counts: ["error": 1], outputTokens: 0, error: "out of KV cache"
        ),
        StreamCase(
            name: "one invalid JSON chunk makes the request malformed",
            body: """
                data: {"choices":[{"index":0,"delta":{"content":"a"}}]}

                data: {"choices":[{"index":0,"delta":{"content":

                data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

                data: [DONE]


                """,
            outcome: .malformed, counts: ["content": 1, "malformed": 1, "finish": 1, "done": 1],
            finishReason: "stop", outputTokens: 1
        ),
        StreamCase(
            name: "JSON that is not a completion chunk is malformed",
            body: """
                data: {"choices":[{"index":0,"delta":{"content":"a"}}]}

                data: {"hello":"world"}

                data: [DONE]


                """,
            outcome: .malformed, counts: ["content": 1, "malformed": 1, "done": 1], outputTokens: 1
        ),
        StreamCase(
            name: "an error outranks a malformed chunk",
            body: """
                data: not json

                data: {"error":"boom"}


                """,
            outcome: .streamError, counts: ["malformed": 1, "error": 1], outputTokens: 0, error: "boom"
        ),
        StreamCase(
            name: "a non-200 answer is an HTTP error with its body",
            status: 503,
            body: #"{"error":{"message":"Service Unavailable","code":503}}"#,
            outcome: .httpError, counts: [:], outputTokens: 0,
            error: #"{"error":{"message":"Service Unavailable","code":503}}"#
        ),
        StreamCase(
            name: "a timeout mid-stream",
            body: "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n", failure: .timeout,
            outcome: .timeout, counts: ["content": 1], outputTokens: 1
        ),
        StreamCase(
            name: "cancelled", body: "", failure: .cancelled, outcome: .cancelled, counts: [:], outputTokens: 0
        ),
        StreamCase(
            name: "a transport error", body: "", failure: .transport("connection reset by peer"),
            outcome: .transportError, counts: [:], outputTokens: 0, error: "connection reset by peer"
        ),
        StreamCase(
            name: "a close error after [DONE] does not matter",
            body: """
                data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}]}

                data: [DONE]


                """,
            failure: .transport("connection reset by peer"), outcome: .success, counts: ["content": 1, "done": 1],
            finishReason: "stop", outputTokens: 1
        ),
    ]

    @Test(arguments: cases)
    func classifiesAndCounts(_ streamCase: StreamCase) {
        var accumulator = StreamAccumulator(
            index: 3, api: streamCase.api, intendedSendSeconds: 0.9, actualSendSeconds: 1.0, inputTokens: 12,
            requestedOutputTokens: 64
        )
        accumulator.receiveStatus(streamCase.status, at: 1.1)
        Array(streamCase.body.utf8).withUnsafeBytes { accumulator.receive($0, at: 1.5) }
        let record = accumulator.finish(at: 2.0, failure: streamCase.failure)
        #expect(record.outcome == streamCase.outcome)
        #expect(record.chunkCounts == streamCase.counts)
        #expect(record.finishReason == streamCase.finishReason)
        #expect(record.outputTokens == streamCase.outputTokens)
        #expect(record.outputTokensSource == streamCase.source)
        #expect(record.contentChunks == streamCase.counts["content", default: 0])
        #expect(record.httpStatus == streamCase.status)
        #expect(record.e2eSeconds == 1.0)
        #expect(record.index == 3 && record.intendedSendSeconds == 0.9 && record.inputTokens == 12)
        if let error = streamCase.error {
            #expect(record.error == error)
        }
        #expect((record.outcome == .success) == (record.error == nil))
    }

    @Test(arguments: cases)
    func classificationDoesNotDependOnReadBoundaries(_ streamCase: StreamCase) {
        func run(pieceSize: Int) -> BenchRequestRecord {
            var accumulator = StreamAccumulator(
                index: 0, api: streamCase.api, intendedSendSeconds: 0, actualSendSeconds: 0, inputTokens: 1,
                requestedOutputTokens: 8
            )
            accumulator.receiveStatus(streamCase.status, at: 0)
            let bytes = Array(streamCase.body.utf8)
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + pieceSize, bytes.count)
                bytes[offset..<end].withUnsafeBytes { accumulator.receive($0, at: 1) }
                offset = end
            }
            return accumulator.finish(at: 1, failure: streamCase.failure)
        }
        let whole = run(pieceSize: .max)
        for size in [1, 2, 7, 64] {
            #expect(run(pieceSize: size) == whole, "pieces of \(size) bytes")
        }
    }

    @Test func timesTTFTAndITLFromContentChunksOnly() {
        var accumulator = StreamAccumulator(
            index: 0, api: .chat, intendedSendSeconds: 0.25, actualSendSeconds: 0.5, inputTokens: 4,
            requestedOutputTokens: 8
        )
        accumulator.receiveStatus(200, at: 0.75)
        func send(_ text: String, at seconds: Double) {
            Array(text.utf8).withUnsafeBytes { accumulator.receive($0, at: seconds) }
        }
        send("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n", at: 0.75)
        send("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n", at: 1.0)
        send(": ping\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"}}]}\n\n", at: 1.125)
        send("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}]}\n\n", at: 1.25)
        send(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"c\"}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"d\"}}]}\n\n", at: 1.75)
        send("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n", at: 2.0)
        let record = accumulator.finish(at: 2.5)
        #expect(record.outcome == .success)
        #expect(record.ttftSeconds == 0.5)
        #expect(record.itlSeconds == [0.25, 0.5, 0])
        #expect(record.e2eSeconds == 2.0)
        #expect(record.outputTokens == 4)
        #expect(record.outputTokensSource == "chunks")
        #expect(record.chunkCounts["empty_delta"] == 1)
        #expect(record.chunkCounts["comment"] == 1)
        // TPOT = (e2e − ttft) / (tokens − 1) = 1.5 / 3.
        #expect(record.tpotSeconds == 0.5)
        // Finishing twice returns the same record.
        #expect(accumulator.finish(at: 9) == record)
    }

    @Test func outputTokensComeFromUsageWhenSentElseFromChunks() {
        let content = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ab\"}}]}\n\n"
        let finish = "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
        let usage = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":7}}\n\n"
        func record(_ body: String) -> BenchRequestRecord {
            var accumulator = StreamAccumulator(
                index: 0, api: .chat, intendedSendSeconds: 0, actualSendSeconds: 0, inputTokens: 30,
                requestedOutputTokens: 8
            )
            accumulator.receiveStatus(200, at: 0)
            Array(body.utf8).withUnsafeBytes { accumulator.receive($0, at: 1) }
            return accumulator.finish(at: 2)
        }
        let counted = record(content + content + content + finish)
        #expect(counted.outputTokens == 3 && counted.outputTokensSource == "chunks")
        #expect(counted.promptTokensReported == nil)
        let reported = record(content + content + content + finish + usage + "data: [DONE]\n\n")
        #expect(reported.outputTokens == 7 && reported.outputTokensSource == "usage")
        #expect(reported.contentChunks == 3)
        #expect(reported.promptTokensReported == 30)
        // TPOT uses the reported tokens: (2 − 1) / (7 − 1).
        #expect(reported.tpotSeconds == 1.0 / 6)
    }

    @Test func tpotIsUndefinedForOneToken() {
        let one = BenchRequestRecord(
            index: 0, intendedSendSeconds: 0, actualSendSeconds: 0, inputTokens: 1, requestedOutputTokens: 1,
            outcome: .success, ttftSeconds: 0.5, e2eSeconds: 0.5, outputTokens: 1
        )
        #expect(one.tpotSeconds == nil)
    }

    @Test func keepsAtMostTwoKilobytesOfAnErrorBody() {
        var accumulator = StreamAccumulator(
            index: 0, api: .completions, intendedSendSeconds: 0, actualSendSeconds: 0, inputTokens: 1,
            requestedOutputTokens: 1
        )
        accumulator.receiveStatus(500, at: 0.1)
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1500)
        chunk.withUnsafeBytes { accumulator.receive($0, at: 0.2) }
        chunk.withUnsafeBytes { accumulator.receive($0, at: 0.3) }
        let record = accumulator.finish(at: 0.4)
        #expect(record.outcome == .httpError)
        #expect(record.httpStatus == 500)
        #expect(record.error?.utf8.count == StreamAccumulator.errorTextLimit)
    }

    @Test func noStatusIsATransportError() {
        var accumulator = StreamAccumulator(
            index: 0, api: .chat, intendedSendSeconds: 0, actualSendSeconds: 0, inputTokens: 1,
            requestedOutputTokens: 1
        )
        #expect(accumulator.finish(at: 1).outcome == .transportError)
    }
}
