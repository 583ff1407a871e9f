#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A coding key for any string: imported files' keys are read as the tools spell them.
struct ImportKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// A field an importer found wrong, thrown from inside `init(from:)` and turned into a ``HeadroomError``.
struct ImportFieldError: Error {
    var field: String
    var message: String
}

enum ImportSupport {
    /// Decodes `T`, turning decoding failures into a ``HeadroomError`` that names the file and the field path.
    static func decode<T: Decodable>(
        _ type: T.Type, from data: Data, file: String, tool name: String
    ) throws(HeadroomError)
        -> T
    {
        // Name the version the file says it was written by, so that an unknown layout reads as one.
        let tool = version(of: data).map { "\(name) \($0)" } ?? name
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as ImportFieldError {
            throw HeadroomError(.invalidFile, error.message, file: file, field: error.field)
        } catch let DecodingError.keyNotFound(key, context) {
            throw HeadroomError(
                .invalidFile, "missing from this \(tool) file", file: file,
                field: path(context.codingPath + [key]))
        } catch let DecodingError.typeMismatch(expected, context) {
            throw HeadroomError(
                .invalidFile, "expected \(describe(expected)) in this \(tool) file", file: file,
                field: path(context.codingPath))
        } catch let DecodingError.valueNotFound(expected, context) {
            throw HeadroomError(
                .invalidFile, "expected \(describe(expected)), found null", file: file, field: path(context.codingPath))
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw HeadroomError(.invalidFile, context.debugDescription, file: file, field: path(context.codingPath))
        } catch {
            throw HeadroomError(.invalidFile, "not valid JSON", file: file)
        }
    }

    /// The version of the tool that wrote a file, where the file records it: GuideLLM's `metadata.guidellm_version`,
    /// AIPerf's `aiperf_version`, or a top-level `version` string.
    static func version(of data: Data) -> String? {
        struct Probe: Decodable {
            var version: String?

            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: ImportKey.self)
                let metadata = try? c.nestedContainer(keyedBy: ImportKey.self, forKey: ImportKey("metadata"))
                version =
                    ((try? metadata?.decodeIfPresent(String.self, forKey: ImportKey("guidellm_version"))) ?? nil)
                    ?? (try? c.decodeIfPresent(String.self, forKey: ImportKey("aiperf_version"))) ?? nil
                    ?? (try? c.decodeIfPresent(String.self, forKey: ImportKey("version"))) ?? nil
            }
        }
        return (try? JSONDecoder().decode(Probe.self, from: data))?.version
    }

    /// A count from a number a file holds (rounded), or `nil` when it is not finite or not a count an `Int` holds:
    /// converting such a number directly would trap.
    static func count(_ value: Double?) -> Int? {
        guard let value, value.isFinite, value.magnitude < 1e15 else { return nil }
        return Int(value.rounded())
    }

    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Int.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }

    /// Seconds per one `unit` of time, or `nil` for a unit that is not a time.
    static func secondsPer(unit: String?) -> Double? {
        switch unit?.lowercased() {
        case "ns": 1e-9
        case "us", "µs": 1e-6
        case "ms": 1e-3
        case "s", "sec", "secs", "second", "seconds": 1
        default: nil
        }
    }

    /// The distribution of `values` (already in seconds), or `nil` when there are none: the same rules as
    /// Headroom's own aggregates (type 7 percentiles, which vLLM's numpy also uses).
    static func distribution(_ values: [Double]) -> BenchDistribution? {
        BenchAggregation.distribution(values)
    }

    /// A distribution from a tool's summary statistics (already in seconds). Percentiles the tool did not report are
    /// interpolated linearly in the quantile between the nearest reported ones (or take the nearest one at either
    /// end); the names of those filled in are appended to `filled`.
    static func distribution(
        mean: Double?, percentiles known: [Double: Double], max: Double?, count: Int, name: String,
        filled: inout [String]
    ) -> BenchDistribution? {
        var points = known.filter { $0.value.isFinite }
        if let max, max.isFinite { points[1] = max }
        guard let mean = mean ?? points[0.5], mean.isFinite else { return nil }
        if points.isEmpty { points[0.5] = mean }
        let sorted = points.sorted { $0.key < $1.key }
        var missing: [String] = []
        func value(_ q: Double, label: String) -> Double {
            if let exact = points[q] { return exact }
            missing.append(label)
            let below = sorted.last { $0.key < q }
            let above = sorted.first { $0.key > q }
            switch (below, above) {
            case (let b?, let a?): return b.value + (a.value - b.value) * (q - b.key) / (a.key - b.key)
            case (let b?, nil): return b.value
            case (nil, let a?): return a.value
            case (nil, nil): return mean
            }
        }
        let result = BenchDistribution(
            mean: mean, p50: value(0.5, label: "p50"), p90: value(0.9, label: "p90"), p95: value(0.95, label: "p95"),
            p99: value(0.99, label: "p99"), max: value(1, label: "max"), count: count)
        if !missing.isEmpty { filled.append("\(name) \(missing.joined(separator: "/"))") }
        return result
    }

    /// The warning for interpolated percentiles, or nothing.
    static func interpolationWarning(_ filled: [String], tool: String) -> [String] {
        guard !filled.isEmpty else { return [] }
        return [
            "\(tool) did not report \(filled.joined(separator: ", ")); filled in by interpolating between the "
                + "percentiles it did report (the maximum, where missing, is a lower bound)"
        ]
    }

    /// Sorts an error message into an outcome.
    static func outcome(forError message: String) -> BenchOutcome {
        let text = message.lowercased()
        if text.contains("timeout") || text.contains("timed out") { return .timeout }
        if text.contains("connect") || text.contains("traceback") || text.contains("connection") {
            return .transportError
        }
        return .httpError
    }

    /// ISO 8601 from vLLM's `YYYYMMDD-HHMMSS` (local time of the machine that ran it), or the text unchanged.
    static func isoDate(compact text: String) -> String {
        let digits = text.filter(\.isNumber)
        guard digits.count == 14 else { return text }
        let c = Array(digits)
        func s(_ range: Range<Int>) -> String { String(c[range]) }
        return "\(s(0..<4))-\(s(4..<6))-\(s(6..<8))T\(s(8..<10)):\(s(10..<12)):\(s(12..<14))"
    }

    /// ISO 8601 UTC for seconds since 1970.
    static func isoDate(epochSeconds: Double) -> String {
        // Beyond year 9999 (or not a time at all) there is no ISO 8601 text, and no Int conversion should trap.
        guard epochSeconds.isFinite, epochSeconds > 0, epochSeconds < 253_402_300_800 else { return "" }
        let seconds = Int(epochSeconds.rounded(.down))
        let days = seconds / 86_400
        let rest = seconds % 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }

    /// The definitions of an imported file: the standard ones with the source's own wording where it differs.
    static func definitions(source: String, overrides: [String: String] = [:]) -> [String: String] {
        var definitions = BenchResult.standardDefinitions
        definitions["source"] = source
        definitions.merge(overrides) { _, new in new }
        return definitions
    }
}
