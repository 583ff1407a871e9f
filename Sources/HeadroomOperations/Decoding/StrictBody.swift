package import Foundation
package import HeadroomCore

/// A request with a fixed set of JSON fields (an HTTP body, an MCP tool's arguments): unknown fields are refused, and
/// the same list feeds the OpenAPI document and the tools' input schemas.
package protocol StrictBody: Decodable, Sendable {
    /// Each field's JSON Schema type: `string`, `integer`, `number`, `boolean`, `object`, `array`, or a list of
    /// them separated by `|` (`number|string`).
    static var properties: KeyValuePairs<String, String> { get }
    /// Fields that must be present.
    static var required: [String] { get }
    /// The smallest and largest value of numeric fields (`minimum` and `maximum` in the schema; 422 outside):
    /// bounds on the work one request may ask for.
    static var bounds: [String: ClosedRange<Double>] { get }
    /// More JSON Schema keywords of a field (`enum`, `pattern`), for the document: the handler enforces them.
    static var constraints: [String: [String: JSONValue]] { get }
}

/// The `pattern` of stored objects' names.
package let namePattern: [String: JSONValue] = ["pattern": .string("^[A-Za-z0-9._-]{1,128}$")]

extension StrictBody {
    package static var bounds: [String: ClosedRange<Double>] { [:] }
    package static var constraints: [String: [String: JSONValue]] { [:] }

    /// The body's JSON Schema.
    package static var schema: JSONValue {
        var object: [String: JSONValue] = [:]
        for (name, type) in properties {
            let types = type.split(separator: "|").map { JSONValue.string(String($0)) }
            var property: [String: JSONValue] = ["type": types.count == 1 ? types[0] : .array(types)]
            if let range = bounds[name] {
                property["minimum"] = .number(range.lowerBound)
                property["maximum"] = .number(range.upperBound)
            }
            property.merge(constraints[name] ?? [:]) { _, new in new }
            object[name] = .object(property)
        }
        return .object([
            "type": .string("object"), "additionalProperties": .bool(false), "properties": .object(object),
            "required": .array(required.map(JSONValue.string)),
        ])
    }
}

/// Reads requests strictly: what the HTTP API, the MCP server and the agent decode their JSON with.
package enum BodyDecoder {
    /// The deepest nesting of arrays and objects a body may have.
    package static let maxDepth = 64

    /// Decodes `T` from JSON bytes, naming the field at fault.
    /// - Throws: ``OperationError/Kind/malformed`` for malformed JSON or nesting deeper than ``maxDepth`` (refused before
    ///   decoding, in time linear in the body), ``OperationError/Kind/invalid`` for an unknown or missing field or a value out of bounds.
    package static func decode<T: StrictBody>(_ type: T.Type, from data: Data) throws -> T {
        try checkDepth(data)
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw OperationError(.malformed, "the request body is not JSON")
        }
        guard case .object(let object) = value else {
            throw OperationError(.malformed, "the request body must be a JSON object")
        }
        let known = Set(T.properties.map(\.0))
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw OperationError(
                .invalid,
                "unknown field '\(unknown)'; known: \(T.properties.map(\.0).joined(separator: ", "))", field: unknown)
        }
        try check(object, against: T.self)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw convert(error)
        }
    }

    /// Refuses JSON nested deeper than ``maxDepth`` arrays and objects, scanning the bytes once without decoding.
    /// - Complexity: O(n) in the body's length.
    /// - Throws: ``OperationError/Kind/malformed`` naming the limit.
    package static func checkDepth(_ data: Data) throws {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxDepth {
                    throw OperationError(
                        .malformed, "the request body nests arrays and objects deeper than \(maxDepth)")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
        }
    }

    /// Checks each field against the schema: its JSON type (400: `null` too, unless the type allows it, and a field
    /// typed `object` must be an object), then its bounds (422).
    package static func check<T: StrictBody>(_ object: [String: JSONValue], against _: T.Type) throws {
        for (name, declared) in T.properties {
            guard let value = object[name] else { continue }
            let types = declared.split(separator: "|").map(String.init)
            guard types.contains(where: { matches(value, $0) }) else {
                let article = types.map { "aeiou".contains($0.prefix(1)) ? "an \($0)" : "a \($0)" }
                throw OperationError(
                    .malformed, "field '\(name)' must be \(article.joined(separator: " or "))", field: name)
            }
            if case .number(let number) = value, let range = T.bounds[name], !range.contains(number) {
                throw OperationError(
                    .invalid,
                    "field '\(name)' must be between \(format(range.lowerBound)) and \(format(range.upperBound))",
                    field: name)
            }
        }
    }

    private static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (value, type) {
        case (.null, "null"), (.bool, "boolean"), (.string, "string"), (.array, "array"), (.object, "object"),
            (.number, "number"):
            true
        case (.number(let number), "integer"): number.isFinite && number.rounded() == number
        default: false
        }
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    /// A decoding error as a response naming the field.
    package static func convert(_ error: DecodingError) -> OperationError {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            (codingPath + (last.map { [$0] } ?? [])).map { key in
                key.intValue.map { "[\($0)]" } ?? key.stringValue
            }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return OperationError(.malformed, "field '\(field)' must be \(describe(type))", field: field)
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return OperationError(.malformed, "field '\(field)' must be \(describe(type)), not null", field: field)
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath, key)
            return OperationError(.invalid, "missing field '\(field)'", field: field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return OperationError(
                .malformed, "field '\(field)': \(context.debugDescription)", field: field.isEmpty ? nil : field)
        @unknown default:
            return OperationError(.malformed, "the request body could not be read")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is UInt64.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        default: "of type \(type)"
        }
    }
}
