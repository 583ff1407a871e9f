import Foundation
import HeadroomCore
internal import Yams

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

/// A YAML document decoded into `T`, with the locator that maps decoding paths back to lines. Every Headroom YAML
/// loader goes through it, so syntax, type and semantic errors all name the file, the line and the field.
struct YAMLDocument<T: Decodable> {
    let value: T
    let locator: YAMLLocator
    let file: String

    /// Parses and decodes `yaml`; nil for an empty document.
    /// - Throws: ``HeadroomError`` for invalid YAML (with its line), a document over ``YAMLLimits``, or a value of
    ///   the wrong shape (line and field).
    /// - Parameter strictKeys: refuse a key `T` does not read (``KeyLedger``), naming it, its line and the nearest
    ///   key `T` reads there.
    static func decodeIfPresent(
        _ type: T.Type, yaml: String, file: String, strictKeys: Bool = false
    ) throws(HeadroomError) -> YAMLDocument<T>? {
        try YAMLLimits.checkText(yaml, file: file)
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw HeadroomError(.invalidFile, "not valid YAML: \(error)", file: file, line: Self.line(of: error))
        } catch {
            throw HeadroomError(.invalidFile, "not valid YAML: \(error)", file: file)
        }
        guard let node else { return nil }
        try YAMLLimits.checkTree(node, file: file)
        let locator = YAMLLocator(root: node)
        let value: T
        do {
            value = try YAMLDecoder().decode(T.self, from: node)
        } catch let error as DecodingError {
            if strictKeys, let unknown = KeyLedger.firstUnknownKey(T.self, in: node) {
                throw Self.unknownKeyError(unknown, file: file)
            }
            throw locator.error(from: error, file: file)
        } catch {
            throw HeadroomError(.invalidFile, "\(error)", file: file)
        }
        if strictKeys, let unknown = KeyLedger.firstUnknownKey(T.self, in: node) {
            throw Self.unknownKeyError(unknown, file: file)
        }
        return YAMLDocument(value: value, locator: locator, file: file)
    }

    /// `unknown key 'peek_rps'; did you mean 'peak_rps'?`, at the key's line.
    static func unknownKeyError(_ unknown: KeyLedger.UnknownKey, file: String) -> HeadroomError {
        let hint =
            unknown.nearest.map { "; did you mean '\($0)'?" }
            ?? (unknown.known.isEmpty ? "" : "; the keys here are \(unknown.known.joined(separator: ", "))")
        return HeadroomError(
            .invalidFile, "unknown key '\(unknown.key)'\(hint)", file: file, line: unknown.line,
            field: unknown.path.joined(separator: "."))
    }

    /// Parses and decodes `yaml`, which must not be empty.
    /// - Parameter empty: what the file should have held, for the error when it holds nothing.
    static func decode(
        _ type: T.Type, yaml: String, file: String, empty: String, strictKeys: Bool = false
    ) throws(HeadroomError) -> YAMLDocument<T> {
        guard let document = try decodeIfPresent(type, yaml: yaml, file: file, strictKeys: strictKeys) else {
            throw HeadroomError(.invalidFile, "the file is empty: expected \(empty)", file: file)
        }
        return document
    }

    /// The error for a semantic problem found after decoding.
    func error(_ problem: EntryProblem) -> HeadroomError {
        HeadroomError(
            .invalidFile, problem.message, file: file, line: locator.line(at: problem.path),
            field: YAMLLocator.describe(problem.path)
        )
    }

    /// The error for a problem at a path of plain keys.
    func error(at path: [String], _ message: String) -> HeadroomError {
        error(EntryProblem(path: path.map { PathKey($0) }, message: message))
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }
}

/// The UTF-8 text of a file, or an error naming it.
func readText(_ url: URL) throws(HeadroomError) -> String {
    do {
        return try String(contentsOf: url, encoding: .utf8)
    } catch {
        throw HeadroomError(.invalidFile, "cannot read: \(error.localizedDescription)", file: url.path)
    }
}
