/// One dispatched Server-Sent Event: the fields gathered since the last blank line.
public struct SSEEvent: Sendable, Hashable {
    /// The `event:` field, or nil for the default ("message").
    public var event: String?
    /// The `data:` lines joined with "\n", as the bytes the server sent (usually UTF-8 JSON).
    public var data: [UInt8]
    /// The last event ID seen so far in the stream (`id:` persists across events, as the spec says).
    public var id: String?

    public init(event: String? = nil, data: [UInt8], id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }

    /// The data decoded as UTF-8 (invalid sequences replaced).
    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// What the parser hands back: an event, or a comment line (`: ping`), which servers send as keep-alives.
public enum SSEMessage: Sendable, Hashable {
    case event(SSEEvent)
    /// The comment's text after the colon (one leading space removed).
    case comment(String)
}

/// An incremental Server-Sent Events parser over raw bytes, after the WHATWG HTML "event stream interpretation".
///
/// Feed it the body as it arrives, in chunks of any size; lines may split anywhere, including between the `\r` and
/// `\n` of a CRLF. It handles `\n`, `\r\n` and `\r` line ends, a leading UTF-8 byte-order mark, comment lines
/// (`:` first), the `event`, `data`, `id` and `retry` fields with or without a space after the colon, multi-line
/// data joined with `\n`, dispatch on a blank line, and ``finish(emit:)`` flushes a last event the stream did not
/// close with a blank line.
///
/// One deliberate difference from the spec: a block with an `event:` field but no `data:` line is still dispatched
/// (with empty data), so a bare `event: error` is not lost. A block with neither is dropped, as in the spec.
///
/// - Complexity: O(n) in the bytes fed: each byte is looked at once, lines are read in place from the chunk, and
///   only a line split across chunks is copied (once). One allocation per event, for its data.
public struct SSEParser: Sendable {
    /// Bytes of a line not yet ended by a line break.
    private var partial: [UInt8] = []
    /// The last byte seen was `\r`: a `\n` at the start of the next chunk belongs to the same line break.
    private var skipLeadingLF = false
    /// No line has been processed yet (a byte-order mark may start the stream).
    private var atStart = true
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var lastEventID: String?
    /// The reconnection time the server asked for with `retry:`, in milliseconds.
    public private(set) var retryMilliseconds: Int?

    public init() {}

    /// Parses the next chunk of the body.
    /// - Parameters:
    ///   - bytes: The chunk, as it came off the wire.
    ///   - emit: Called for each complete event and comment, in order.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, emit: (SSEMessage) -> Void) {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var start = 0
        if skipLeadingLF {
            skipLeadingLF = false
            if base[0] == 0x0A { start = 1 }
        }
        var index = start
        while index < count {
            let byte = base[index]
            if byte != 0x0A && byte != 0x0D {
                index += 1
                continue
            }
            // A complete line: `partial` (if any) followed by base[start..<index].
            let line = UnsafeBufferPointer(start: base + start, count: index - start)
            if partial.isEmpty {
                processLine(line, emit: emit)
            } else {
                partial.append(contentsOf: line)
                let joined = partial
                partial.removeAll(keepingCapacity: true)
                joined.withUnsafeBufferPointer { processLine($0, emit: emit) }
            }
            index += 1
            if byte == 0x0D {
                if index < count {
                    if base[index] == 0x0A { index += 1 }
                } else {
                    skipLeadingLF = true
                }
            }
            start = index
        }
        if start < count {
            partial.append(contentsOf: UnsafeBufferPointer(start: base + start, count: count - start))
        }
    }

    /// Parses the next chunk of the body.
    public mutating func feed(_ bytes: some Collection<UInt8>, emit: (SSEMessage) -> Void) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            feed(UnsafeRawBufferPointer(buffer), emit: emit)
        }
        if done == nil {
            let array = Array(bytes)
            array.withUnsafeBytes { feed($0, emit: emit) }
        }
    }

    /// The stream ended: treats an unterminated last line as complete and dispatches a pending event.
    public mutating func finish(emit: (SSEMessage) -> Void) {
        if !partial.isEmpty {
            let line = partial
            partial.removeAll()
            line.withUnsafeBufferPointer { processLine($0, emit: emit) }
        }
        dispatch(emit: emit)
        skipLeadingLF = false
    }

    /// Parses a whole body at once.
    public static func parse(_ bytes: some Collection<UInt8>) -> [SSEMessage] {
        var parser = SSEParser()
        var messages: [SSEMessage] = []
        parser.feed(bytes) { messages.append($0) }
        parser.finish { messages.append($0) }
        return messages
    }

    private mutating func processLine(_ rawLine: UnsafeBufferPointer<UInt8>, emit: (SSEMessage) -> Void) {
        var line = rawLine
        if atStart {
            atStart = false
            if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                line = UnsafeBufferPointer(rebasing: line[3...])
            }
        }
        if line.isEmpty {
            dispatch(emit: emit)
            return
        }
        let colon = line.firstIndex(of: 0x3A) ?? line.count
        var valueStart = Swift.min(colon + 1, line.count)
        if valueStart < line.count, line[valueStart] == 0x20 { valueStart += 1 }
        let value = UnsafeBufferPointer(rebasing: line[valueStart...])
        if colon == 0 {
            emit(.comment(String(decoding: value, as: UTF8.self)))
            return
        }
        let name = UnsafeBufferPointer(rebasing: line[..<colon])
        if Self.equals(name, "data") {
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        } else if Self.equals(name, "event") {
            eventType = String(decoding: value, as: UTF8.self)
        } else if Self.equals(name, "id") {
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        } else if Self.equals(name, "retry") {
            if !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), value.count < 18 {
                retryMilliseconds = value.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            }
        }
        // Other field names are ignored, as the spec says.
    }

    private mutating func dispatch(emit: (SSEMessage) -> Void) {
        guard hasData || eventType != nil else { return }
        let event = SSEEvent(event: eventType, data: data, id: lastEventID)
        data.removeAll(keepingCapacity: true)
        hasData = false
        eventType = nil
        emit(.event(event))
    }

    private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        let expected = name.utf8Start
        for offset in 0..<bytes.count where bytes[offset] != expected[offset] { return false }
        return true
    }
}
