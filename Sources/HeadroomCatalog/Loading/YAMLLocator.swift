internal import Yams
import HeadroomCore

/// Finds the line of a value in a composed YAML document from a decoding path, so errors can name file and line.
struct YAMLLocator {
    let root: Node?

    /// The line of the node at `path` (keys and indices), or of the deepest ancestor that exists.
    func line(at path: [any CodingKey]) -> Int? {
        guard var node = root else { return nil }
        var line = node.mark?.line
        for key in path {
            if let index = key.intValue, case .sequence(let sequence) = node, index < sequence.count {
                node = sequence[index]
            } else if case .mapping(let mapping) = node, let child = mapping[key.stringValue] {
                node = child
            } else {
                break
            }
            if let mark = node.mark { line = mark.line }
        }
        return line
    }

    /// Converts a `DecodingError` into a ``HeadroomError`` naming the file, the line and the field.
    func error(from decodingError: DecodingError, file: String) -> HeadroomError {
        let path: [any CodingKey]
        let message: String
        switch decodingError {
        case .keyNotFound(let key, let context):
            path = context.codingPath
            message = "missing required field '\(key.stringValue)'"
            return HeadroomError(
                .invalidFile, message, file: file, line: line(at: path),
                field: Self.describe(path + [key])
            )
        case .typeMismatch(let type, let context):
            path = context.codingPath
            message = "expected \(Self.describe(type)): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            path = context.codingPath
            message = "missing value, expected \(Self.describe(type))"
        case .dataCorrupted(let context):
            path = context.codingPath
            message = context.debugDescription
        @unknown default:
            return HeadroomError(.invalidFile, "\(decodingError)", file: file)
        }
        return HeadroomError(.invalidFile, message, file: file, line: line(at: path), field: Self.describe(path))
    }

    /// `accelerators[3].memory_gib`.
    static func describe(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "(document)" : text
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: "a number"
        case is Int.Type: "a whole number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }
}

/// A path element for semantic checks after decoding.
struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string }
    init(index: Int) {
        stringValue = "\(index)"
        intValue = index
    }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        stringValue = "\(intValue)"
        self.intValue = intValue
    }
}
