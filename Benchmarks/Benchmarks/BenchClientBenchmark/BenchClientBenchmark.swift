import Benchmark
import HeadroomCore

/// The bench client's per-token work, without the network: 256 streams × 256 chunk-per-token SSE events, as vLLM
/// sends them (role-only first chunk, content chunks, an empty finish delta, a usage-only final chunk, [DONE]), fed
/// in 4 KB reads through the stream accumulator. The end-to-end figure against `serve-sim` on loopback is
/// `scripts/client-efficiency`.
let benchmarks: @Sendable () -> Void = {
    let head = #"data: {"id":"cmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":"#
    var stream = head + #"[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"# + "\n\n"
    for _ in 0..<256 {
        stream += head + #"[{"index":0,"delta":{"content":" tok"},"finish_reason":null}]}"# + "\n\n"
    }
    stream += head + #"[{"index":0,"delta":{},"finish_reason":"length"}]}"# + "\n\n"
    stream += head + #"[],"usage":{"prompt_tokens":16,"completion_tokens":256,"total_tokens":272}}"# + "\n\n"
    stream += "data: [DONE]\n\n"
    let bytes = Array(stream.utf8)
    let streams = 256

    Benchmark(
        "accumulate 256 streams × 256 streamed tokens (65,536 tokens)",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], scalingFactor: .one, maxIterations: 20)
    ) { benchmark in
        var tokens = 0
        for index in 0..<streams {
            var accumulator = StreamAccumulator(
                index: index, api: .chat, intendedSendSeconds: 0, actualSendSeconds: 0, inputTokens: 16,
                requestedOutputTokens: 256)
            accumulator.receiveStatus(200, at: 0)
            var offset = 0
            var clock = 0.0
            while offset < bytes.count {
                let end = min(offset + 4096, bytes.count)
                bytes[offset..<end].withUnsafeBytes { accumulator.receive($0, at: clock) }
                offset = end
                clock += 0.001
            }
            let record = accumulator.finish(at: clock)
            precondition(record.outcome == .success && record.outputTokens == 256)
            tokens += record.outputTokens
        }
        blackHole(tokens)
    }
}
