/// Reads a request trace — CSV or JSONL text — into requests to replay.
///
/// The format is told from the content: JSONL when the first non-empty line starts with `{`, CSV with a header row
/// otherwise. Column and key names are matched case-insensitively.
///
/// CSV columns:
/// - Headroom's own: `timestamp` (seconds, a decimal), `input_tokens`, `output_tokens`, and optionally `prefix_id`
///   and `prefix_tokens`. `input_length`/`output_length` are accepted for the lengths.
/// - The Azure LLM inference traces 2023 and 2024 (github.com/Azure/AzurePublicDataset): `TIMESTAMP`,
///   `ContextTokens`, `GeneratedTokens`, where `TIMESTAMP` is a date-time such as `2023-11-16 18:15:46.6805900`.
///   Only differences between date-times matter; they are read as UTC, with up to nine fractional digits.
///
/// JSONL keys:
/// - Mooncake (github.com/kvcache-ai/Mooncake, FAST25-release/traces): `timestamp` in **milliseconds**,
///   `input_length`, `output_length`, `hash_ids`.
/// - Headroom's own: `timestamp` in seconds, `input_tokens`, `output_tokens`, optional `prefix_id`, `prefix_tokens`.
///   A line that names its lengths `input_length` is read as Mooncake's, with milliseconds.
///
/// Prefixes: a Mooncake request's `prefixID` is its first hash id, and its `prefixTokens` are
/// ``mooncakeBlockTokens`` times the number of its leading hash ids that appeared in an earlier request (in arrival
/// order), capped at its input length. A `prefix_id` without `prefix_tokens` shares the shortest prompt of all
/// requests with that id (in a multi-turn conversation, the first turn), capped at each request's input length.
///
/// The requests come back sorted by arrival (ties keep file order), with the first arrival at time 0.
public enum TraceParser {
    /// Tokens per Mooncake hash block. Source: github.com/kvcache-ai/Mooncake FAST25-release/README.md, "hash_ids:
    /// Remapped prefix block hashes. The block size is 512 tokens."
    public static let mooncakeBlockTokens = 512

    /// Parses a trace.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - file: the file's name or path, for error messages.
    /// - Returns: the requests sorted by arrival, time-zeroed at the first.
    /// - Throws: ``HeadroomError`` `.invalidFile` naming the file, the line and the field of the first problem.
    /// - Complexity: O(n log n) in the number of requests.
    public static func parse(_ text: String, file: String) throws(HeadroomError) -> [SimRequest] {
        let records = isJSONLines(text) ? try parseJSONLines(text, file: file) : try parseCSV(text, file: file)
        guard !records.isEmpty else {
            throw HeadroomError(.invalidFile, "the trace holds no requests", file: file)
        }
        return assemble(records)
    }

    /// One request as read, before sorting and prefix resolution.
    struct Record {
        var line: Int
        var time: TraceTime
        var inputTokens: Int
        var outputTokens: Int
        var prefixID: Int?
        var prefixTokens: Int?
        var hashIDs: [Int]?
    }

    /// A point in time: whole seconds plus a fraction, kept apart so that date-times keep their sub-microsecond
    /// digits when differences are taken.
    struct TraceTime: Comparable {
        var seconds: Int64
        var fraction: Double

        static func < (lhs: TraceTime, rhs: TraceTime) -> Bool {
            (lhs.seconds, lhs.fraction) < (rhs.seconds, rhs.fraction)
        }

        func since(_ start: TraceTime) -> Double {
            Double(seconds - start.seconds) + (fraction - start.fraction)
        }
    }

    static func isJSONLines(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            if scalar == "\u{FEFF}" || scalar.properties.isWhitespace { continue }
            return scalar == "{"
        }
        return false
    }

    private static func assemble(_ records: [Record]) -> [SimRequest] {
        let ordered = records.enumerated().sorted { lhs, rhs in
            lhs.element.time != rhs.element.time ? lhs.element.time < rhs.element.time : lhs.offset < rhs.offset
        }.map(\.element)
        let start = ordered[0].time
        // The shortest prompt under each explicit prefix id without an explicit length.
        var shortest: [Int: Int] = [:]
        for record in ordered where record.prefixTokens == nil && record.hashIDs == nil {
            if let id = record.prefixID { shortest[id] = min(shortest[id] ?? .max, record.inputTokens) }
        }
        var seenBlocks = Set<Int>()
        var requests: [SimRequest] = []
        requests.reserveCapacity(ordered.count)
        for record in ordered {
            var prefixID = record.prefixID
            var prefixTokens = 0
            if let hashIDs = record.hashIDs {
                prefixID = hashIDs.first
                let reused = hashIDs.prefix { seenBlocks.contains($0) }.count
                prefixTokens = min(reused * mooncakeBlockTokens, record.inputTokens)
                seenBlocks.formUnion(hashIDs)
            } else if let id = record.prefixID {
                prefixTokens = min(record.prefixTokens ?? shortest[id] ?? 0, record.inputTokens)
            }
            requests.append(
                SimRequest(
                    arrival: record.time.since(start), inputTokens: record.inputTokens,
                    outputTokens: record.outputTokens, prefixID: prefixID, prefixTokens: prefixTokens
                )
            )
        }
        return requests
    }

    /// Reads a token count: a whole number, written as an integer or a decimal with no fraction.
    static func tokenCount(_ text: String) -> Int? {
        if let value = Int(text) { return value }
        guard let value = Double(text), value.isFinite, value == value.rounded(), abs(value) < 1e15 else { return nil }
        return Int(value)
    }
}
