import Foundation
import Logging
import MCP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard input and output as an MCP transport (one JSON-RPC message a line), reading in time linear in the input
/// and never holding more than ``maxLineBytes`` of one line.
///
/// The SDK's `StdioTransport` searches its whole pending buffer for a newline after every 4 KB read, so one long line
/// costs time quadratic in its length (a 2 MB line took over a minute) and memory without bound. Here each byte is
/// looked at once, and a line over the limit is skipped to its newline and answered with a JSON-RPC parse error.
actor BoundedStdioTransport: Transport {
    nonisolated let logger: Logger
    /// The longest line delivered; a longer one is refused.
    let maxLineBytes: Int
    private let input: Int32
    private let output: Int32
    private var connected = false
    private let stream: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation

    init(maxLineBytes: Int, input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) {
        self.maxLineBytes = maxLineBytes
        self.input = input
        self.output = output
        logger = Logger(label: "headroom.mcp.stdio")
        (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
    }

    func connect() async throws {
        guard !connected else { return }
        for descriptor in [input, output] {
            let flags = fcntl(descriptor, F_GETFL)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
        }
        connected = true
        Task { await readLoop() }
    }

    func disconnect() async {
        guard connected else { return }
        connected = false
        continuation.finish()
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { stream }

    func send(_ message: Data) async throws {
        var bytes = [UInt8](message)
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(output, $0.baseAddress! + offset, $0.count - offset) }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                try await Task.sleep(for: .milliseconds(5))
            } else {
                throw MCPError.internalError("writing to standard output failed (errno \(errno))")
            }
        }
    }

    private func readLoop() async {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var line: [UInt8] = []
        // The current line passed the limit: its bytes are dropped until its newline.
        var overlong = false
        while connected, !Task.isCancelled {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                    try? await Task.sleep(for: .milliseconds(5))
                    continue
                }
                logger.error("reading standard input failed", metadata: ["errno": "\(errno)"])
                break
            }
            var start = 0
            while start < count {
                let newline = buffer[start..<count].firstIndex(of: UInt8(ascii: "\n"))
                let end = newline ?? count
                if !overlong {
                    if line.count + (end - start) > maxLineBytes {
                        overlong = true
                        line.removeAll()
                    } else {
                        line.append(contentsOf: buffer[start..<end])
                    }
                }
                guard newline != nil else { break }
                if overlong {
                    try? await send(DrainingTransport.parseError("the message is over \(maxLineBytes) bytes"))
                } else if !line.isEmpty {
                    continuation.yield(Data(line))
                }
                line.removeAll(keepingCapacity: line.count <= 1 << 16)
                overlong = false
                start = end + 1
            }
        }
        // A last line without its newline is still a message.
        if !overlong, !line.isEmpty { continuation.yield(Data(line)) }
        continuation.finish()
    }
}
