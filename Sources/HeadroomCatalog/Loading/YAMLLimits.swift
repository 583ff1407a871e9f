import HeadroomCore
internal import Yams

/// Bounds on a YAML document, checked before and after parsing so a small hostile file cannot cost more than time
/// linear in its size: nesting (flow brackets and indentation) before the parser sees it, and the node count after
/// composing (aliases can expand a few lines into billions of nodes).
enum YAMLLimits {
    /// Deepest nesting of collections.
    static let maxDepth = 64
    /// Widest indentation of a line, in columns (block nesting shows as indentation).
    static let maxIndentation = 256
    /// Most nodes a composed document may hold, aliases expanded.
    static let maxNodes = 1_000_000

    /// Refuses text nested deeper than ``maxDepth`` flow collections or indented past ``maxIndentation`` columns.
    /// - Complexity: O(n) in the text's UTF-8 length, without parsing it.
    /// - Throws: ``HeadroomError`` `.invalidFile` naming the line.
    static func checkText(_ yaml: String, file: String) throws(HeadroomError) {
        var depth = 0
        var line = 1
        var indentation = 0
        var atLineStart = true
        var quote: UInt8?
        var escaped = false
        var inComment = false
        var previous = UInt8(ascii: "\n")
        for byte in yaml.utf8 {
            defer { previous = byte }
            if byte == UInt8(ascii: "\n") {
                line += 1
                indentation = 0
                atLineStart = true
                inComment = false
                escaped = false
                continue
            }
            if inComment { continue }
            if atLineStart {
                if byte == UInt8(ascii: " ") {
                    indentation += 1
                    if indentation > maxIndentation {
                        throw HeadroomError(
                            .invalidFile, "a line is indented more than \(maxIndentation) columns", file: file,
                            line: line)
                    }
                    continue
                }
                atLineStart = false
            }
            if let open = quote {
                if escaped {
                    escaped = false
                } else if open == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == open {
                    quote = nil
                }
                continue
            }
            let separated = startsToken(after: previous)
            switch byte {
            case UInt8(ascii: "#") where separated:
                inComment = true
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                if separated { quote = byte }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxDepth {
                    throw HeadroomError(
                        .invalidFile, "collections nest deeper than \(maxDepth) levels", file: file, line: line)
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(depth - 1, 0)
            default:
                break
            }
        }
    }

    /// Whether a quote or `#` after `byte` opens a quoted scalar or a comment rather than sitting inside a plain one.
    private static func startsToken(after byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "["), UInt8(ascii: "{"),
            UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "?"):
            true
        default:
            false
        }
    }

    /// Refuses a composed document deeper than ``maxDepth`` or with more than ``maxNodes`` nodes.
    /// - Complexity: O(min(nodes, ``maxNodes``)).
    /// - Throws: ``HeadroomError`` `.invalidFile`.
    static func checkTree(_ root: Node, file: String) throws(HeadroomError) {
        var stack: [(node: Node, depth: Int)] = [(root, 0)]
        var count = 0
        while let (node, depth) = stack.popLast() {
            count += 1
            guard count <= maxNodes else {
                throw HeadroomError(
                    .invalidFile, "the document holds more than \(maxNodes) values (aliases expanded)", file: file)
            }
            guard depth <= maxDepth else {
                throw HeadroomError(
                    .invalidFile, "collections nest deeper than \(maxDepth) levels", file: file, line: node.mark?.line)
            }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    stack.append((key, depth + 1))
                    stack.append((value, depth + 1))
                }
            case .sequence(let sequence):
                for child in sequence { stack.append((child, depth + 1)) }
            case .scalar, .alias:
                break
            }
        }
    }
}
