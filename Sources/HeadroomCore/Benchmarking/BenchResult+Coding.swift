#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension BenchResult {
    /// The major schema version this build reads and writes.
    public static let supportedMajorVersion = 1

    /// Reads a result file.
    /// - Parameters:
    ///   - data: The file's bytes (JSON, snake_case keys).
    ///   - file: The file's name, for errors.
    /// - Returns: The result.
    /// - Throws: ``HeadroomError`` naming the file and the field: `.invalidFile` for bad JSON, a missing or mistyped
    ///   field, or a file that is not a Headroom bench result; `.unsupported` for a newer major schema version.
    public static func decode(_ data: Data, file: String) throws(HeadroomError) -> BenchResult {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in
            CodingPathKey(camelCase(fromSnakeCase: path.last?.stringValue ?? ""))
        }
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch let error as DecodingError {
            throw describe(error, file: file)
        } catch {
            throw HeadroomError(.invalidFile, "not valid JSON: \(error)", file: file)
        }
        guard let version = header.schemaVersion else {
            throw HeadroomError(
                .invalidFile, "missing required field 'schema_version' (expected \"\(currentSchemaVersion)\")",
                file: file, field: "schema_version"
            )
        }
        let prefix = "headroom.bench/"
        guard version.hasPrefix(prefix), let major = Int(version.dropFirst(prefix.count).prefix { $0 != "." }) else {
            throw HeadroomError(
                .invalidFile,
                "'\(version)' is not a Headroom bench schema version (expected \"\(currentSchemaVersion)\")",
                file: file, field: "schema_version"
            )
        }
        guard major <= supportedMajorVersion else {
            throw HeadroomError(
                .unsupported,
                "schema version '\(version)' is newer than this Headroom reads (\(currentSchemaVersion)); upgrade headroom",
                file: file, field: "schema_version"
            )
        }
        do {
            return try decoder.decode(BenchResult.self, from: data)
        } catch let error as DecodingError {
            throw describe(error, file: file)
        } catch {
            throw HeadroomError(.invalidFile, "\(error)", file: file)
        }
    }

    /// The result as pretty-printed JSON with sorted snake_case keys. Non-finite numbers are never written: an
    /// optional one is left out, any other becomes 0 (a distribution with one is left out whole).
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(sanitized())
        } catch {
            // Unreachable: every double is finite after `sanitized()`, and nothing else can fail.
            preconditionFailure("encoding a sanitized BenchResult failed: \(error)")
        }
    }

    /// A copy with every non-finite double removed.
    func sanitized() -> BenchResult {
        var copy = self
        copy.load.rateRequestsPerSecond = finite(load.rateRequestsPerSecond)
        copy.load.rampStartRequestsPerSecond = finite(load.rampStartRequestsPerSecond)
        copy.load.burstiness = finite(load.burstiness)
        copy.load.meanInputTokens = finite(load.meanInputTokens)
        copy.load.meanOutputTokens = finite(load.meanOutputTokens)
        copy.load.timeoutSeconds = finite(load.timeoutSeconds)
        if var slo {
            slo.ttftSeconds = finite(slo.ttftSeconds)
            slo.tpotSeconds = finite(slo.tpotSeconds)
            slo.e2eSeconds = finite(slo.e2eSeconds)
            slo.attainment = finite(slo.attainment)
            copy.slo = slo
        }
        copy.requests = requests.map { $0.sanitized() }
        copy.aggregates = aggregates.sanitized()
        copy.sweep = sweep?.map { step in
            var step = step
            step.rateRequestsPerSecond = finite(step.rateRequestsPerSecond)
            step.attainmentLowerBound = finite(step.attainmentLowerBound)
            step.aggregates = step.aggregates.sanitized()
            return step
        }
        return copy
    }

    /// The version check reads only this.
    private struct Header: Decodable {
        var schemaVersion: String?
    }

    private static func describe(_ error: DecodingError, file: String) -> HeadroomError {
        switch error {
        case .keyNotFound(let key, let context):
            let path = fieldPath(context.codingPath + [key])
            return HeadroomError(.invalidFile, "missing required field '\(path)'", file: file, field: path)
        case .typeMismatch(let type, let context):
            let path = fieldPath(context.codingPath)
            return HeadroomError(.invalidFile, "expected \(describe(type)) at '\(path)'", file: file, field: path)
        case .valueNotFound(let type, let context):
            let path = fieldPath(context.codingPath)
            return HeadroomError(
                .invalidFile, "missing value at '\(path)', expected \(describe(type))", file: file, field: path)
        case .dataCorrupted(let context):
            let path = fieldPath(context.codingPath)
            let message =
                context.codingPath.isEmpty
                ? "not valid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)"
                : "invalid value at '\(path)': \(context.debugDescription)"
            return HeadroomError(.invalidFile, message, file: file, field: context.codingPath.isEmpty ? nil : path)
        @unknown default:
            return HeadroomError(.invalidFile, "\(error)", file: file)
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: "a number"
        case is Int.Type, is UInt64.Type: "a whole number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }

    /// `requests[3].ttft_seconds`, in the file's snake_case.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                let name = snakeCase(key.stringValue)
                text += text.isEmpty ? name : ".\(name)"
            }
        }
        return text.isEmpty ? "(document)" : text
    }

    /// `clientCPUSeconds` → `client_cpu_seconds`, as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` writes it.
    static func snakeCase(_ key: String) -> String {
        let characters = Array(key)
        var result = ""
        for (offset, character) in characters.enumerated() {
            if character.isUppercase, offset > 0 {
                let previous = characters[offset - 1]
                let nextIsLower = offset + 1 < characters.count && characters[offset + 1].isLowercase
                if !previous.isUppercase || nextIsLower { result += "_" }
            }
            result += character.lowercased()
        }
        return result
    }

    /// `accelerator_id` → `acceleratorID`, `client_cpu_seconds` → `clientCPUSeconds`: the inverse of the encoder's
    /// snake_case for this schema's property names, whose acronyms (ID, CPU) are upper case.
    static func camelCase(fromSnakeCase key: String) -> String {
        guard key.contains("_") else { return key }
        let parts = key.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = parts.first else { return key }
        var result = String(first)
        for part in parts.dropFirst() {
            if part == "id" || part == "cpu" {
                result += part.uppercased()
            } else {
                result += part.prefix(1).uppercased() + part.dropFirst()
            }
        }
        return result
    }
}

/// A coding key made at run time (key strategies).
private struct CodingPathKey: CodingKey {
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

private func finite(_ value: Double?) -> Double? {
    guard let value, value.isFinite else { return nil }
    return value
}

private func finite(_ value: Double) -> Double { value.isFinite ? value : 0 }

extension BenchDistribution {
    /// Whether every number is finite.
    var isFinite: Bool {
        mean.isFinite && p50.isFinite && p90.isFinite && p95.isFinite && p99.isFinite && max.isFinite
    }
}

extension BenchRequestRecord {
    fileprivate func sanitized() -> BenchRequestRecord {
        var copy = self
        copy.intendedSendSeconds = finite(intendedSendSeconds)
        copy.actualSendSeconds = finite(actualSendSeconds)
        copy.ttftSeconds = finite(ttftSeconds)
        copy.e2eSeconds = finite(e2eSeconds)
        if !itlSeconds.allSatisfy(\.isFinite) { copy.itlSeconds = itlSeconds.filter(\.isFinite) }
        return copy
    }
}

extension BenchAggregates {
    fileprivate func sanitized() -> BenchAggregates {
        func distribution(_ value: BenchDistribution?) -> BenchDistribution? {
            guard let value, value.isFinite else { return nil }
            return value
        }
        var copy = self
        copy.durationSeconds = finite(durationSeconds)
        copy.requestsPerSecond = finite(requestsPerSecond)
        copy.outputTokensPerSecond = finite(outputTokensPerSecond)
        copy.totalTokensPerSecond = finite(totalTokensPerSecond)
        copy.goodputRequestsPerSecond = finite(goodputRequestsPerSecond)
        copy.sloAttainment = finite(sloAttainment)
        copy.ttftSeconds = distribution(ttftSeconds)
        copy.tpotSeconds = distribution(tpotSeconds)
        copy.itlSeconds = distribution(itlSeconds)
        copy.e2eSeconds = distribution(e2eSeconds)
        copy.sendLagSeconds = distribution(sendLagSeconds)
        copy.meanInputTokens = finite(meanInputTokens)
        copy.meanOutputTokens = finite(meanOutputTokens)
        copy.clientCPUSeconds = finite(clientCPUSeconds)
        return copy
    }
}
