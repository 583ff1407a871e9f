#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension TraceParser {
    static func parseJSONLines(_ text: String, file: String) throws(HeadroomError) -> [Record] {
        let decoder = JSONDecoder()
        var records: [Record] = []
        var milliseconds: Bool?
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if line.hasSuffix("\r") { line = line.dropLast() }
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.allSatisfy({ $0.isWhitespace }) { continue }
            func fail(_ message: String, field: String? = nil) -> HeadroomError {
                HeadroomError(.invalidFile, message, file: file, line: lineNumber, field: field)
            }
            let entry: TraceLine
            do {
                entry = try decoder.decode(TraceLine.self, from: Data(line.utf8))
            } catch let error as TraceLine.FieldError {
                throw fail(error.message, field: error.field)
            } catch let DecodingError.typeMismatch(_, context) {
                throw fail("a line must be one JSON object (\(context.debugDescription))")
            } catch {
                throw fail("not a valid JSON object")
            }
            guard let timestamp = entry.timestamp else { throw fail("no timestamp", field: "timestamp") }
            guard let input = entry.input else { throw fail("no input_tokens or input_length", field: "input_tokens") }
            guard let output = entry.output else {
                throw fail("no output_tokens or output_length", field: "output_tokens")
            }
            guard input.value >= 1 else { throw fail("must be at least 1 token, got \(input.value)", field: input.key) }
            guard output.value >= 1 else {
                throw fail("must be at least 1 token, got \(output.value)", field: output.key)
            }
            let isMooncake = input.key.lowercased() == "input_length"
            if let milliseconds, milliseconds != isMooncake {
                throw fail(
                    "lines mix Mooncake names (input_length, timestamps in ms) and Headroom names (input_tokens, in s)",
                    field: input.key
                )
            }
            milliseconds = isMooncake
            let seconds = isMooncake ? timestamp.value / 1000 : timestamp.value
            if let tokens = entry.prefixTokens, tokens.value < 0 {
                throw fail("must be zero or more tokens, got \(tokens.value)", field: tokens.key)
            }
            records.append(
                Record(
                    line: lineNumber, time: TraceTime(seconds: 0, fraction: seconds), inputTokens: input.value,
                    outputTokens: output.value, prefixID: entry.prefixID, prefixTokens: entry.prefixTokens?.value,
                    hashIDs: entry.hashIDs
                )
            )
        }
        return records
    }
}

/// One JSONL trace line. Keys match case-insensitively; unknown keys are ignored; each value remembers the key it
/// was written under so that errors name the field as the file spells it.
private struct TraceLine: Decodable {
    struct Value<T> {
        var key: String
        var value: T
    }

    struct FieldError: Error {
        var field: String
        var message: String
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var timestamp: Value<Double>?
    var input: Value<Int>?
    var output: Value<Int>?
    var prefixID: Int?
    var prefixTokens: Value<Int>?
    var hashIDs: [Int]?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys {
            guard try !container.decodeNil(forKey: key) else { continue }
            let name = key.stringValue
            func number() throws -> Double {
                guard let value = try? container.decode(Double.self, forKey: key), value.isFinite else {
                    throw FieldError(field: name, message: "'\(name)' must be a number")
                }
                return value
            }
            func count() throws -> Int {
                let value = try number()
                guard let whole = Self.whole(value) else {
                    throw FieldError(field: name, message: "'\(name)' must be a whole number, got \(value)")
                }
                return whole
            }
            switch name.lowercased() {
            case "timestamp": timestamp = Value(key: name, value: try number())
            case "input_tokens", "input_length": input = Value(key: name, value: try count())
            case "output_tokens", "output_length": output = Value(key: name, value: try count())
            case "prefix_id": prefixID = try count()
            case "prefix_tokens": prefixTokens = Value(key: name, value: try count())
            case "hash_ids":
                guard let ids = try? container.decode([Int].self, forKey: key) else {
                    throw FieldError(field: name, message: "'\(name)' must be an array of integers")
                }
                hashIDs = ids
            default: continue
            }
        }
    }

    private static func whole(_ value: Double) -> Int? {
        guard value == value.rounded(), abs(value) < 1e15 else { return nil }
        return Int(value)
    }
}
