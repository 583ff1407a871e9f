/// An error Headroom reports to a person: what is wrong, and where (file, line, field) when known.
///
/// The core names no surface's spelling of a field (no CLI flag, no JSON pointer): ``field`` is a path into the
/// request or file (`traffic.peak_rps`, `tp`), and a message names the fields it speaks of as mentions
/// (``mention(_:)``, written `` `tp` ``) that each surface renders in its own terms with
/// ``message(naming:)``: the CLI as its flag (`--tp`), the HTTP API and MCP as the body's key.
public struct HeadroomError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; grows without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Value: String, Sendable, Hashable {
            case unknownEntry = "unknown entry"
            case invalidInput = "invalid input"
            case doesNotFit = "does not fit"
            case unsupported = "unsupported"
            case invalidFile = "invalid file"
            case infeasible = "infeasible"
            case cancelled = "cancelled"
        }

        fileprivate let value: Value
        public var description: String { value.rawValue }
        /// A stable machine-readable name (`invalid_input`) for APIs; it never changes for a code.
        public var identifier: String { String(value.rawValue.map { $0 == " " ? "_" : $0 }) }

        /// A name that matches no catalog entry.
        public static let unknownEntry = Code(value: .unknownEntry)
        /// A value out of range or malformed.
        public static let invalidInput = Code(value: .invalidInput)
        /// The deployment cannot hold the model or one request.
        public static let doesNotFit = Code(value: .doesNotFit)
        /// A combination the hardware or stack does not run.
        public static let unsupported = Code(value: .unsupported)
        /// A file that cannot be read or decoded.
        public static let invalidFile = Code(value: .invalidFile)
        /// No answer exists under the constraints (an SLO no rate meets).
        public static let infeasible = Code(value: .infeasible)
        /// The task running the computation was cancelled (its caller went away); the work stopped early.
        public static let cancelled = Code(value: .cancelled)
    }

    public var code: Code
    public var message: String
    public var file: String?
    public var line: Int?
    public var field: String?

    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil, field: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.field = field
    }

    /// A computation stopped because its task was cancelled.
    public static let cancelled = HeadroomError(.cancelled, "the computation was cancelled")

    /// How a message names the field `path` (a key or dotted path of the request): `` `tp` ``. Surfaces replace each
    /// mention with their own spelling (``message(naming:)``); left as it is, it reads as the request's key.
    public static func mention(_ path: String) -> String { "`\(path)`" }

    /// The message with each field mention rendered by `name`: a CLI flag (`--tp`), a JSON key. A mention `name`
    /// returns nil for stays as written, and so does quoted text that is not a field path (a command such as
    /// `headroom catalog models`: a path is letters, digits, `_`, `.` and `[ ]` only).
    public func message(naming name: (String) -> String?) -> String {
        var result = ""
        var rest = Substring(message)
        while let open = rest.firstIndex(of: "`") {
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(of: "`") else { break }
            let path = String(rest[after..<close])
            result += rest[..<open]
            result += (Self.isFieldPath(path) ? name(path) : nil) ?? "`\(path)`"
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    private static func isFieldPath(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.[]".contains($0)) }
    }

    /// ``description`` with the message's field mentions rendered by `name` (see ``message(naming:)``).
    public func description(naming name: (String) -> String?) -> String {
        location + message(naming: name)
    }

    public var description: String { location + message }

    /// `file:line: field 'x': ` when a file is known, else nothing.
    private var location: String {
        var location = ""
        if let file {
            location = file
            if let line { location += ":\(line)" }
            location += ": "
        }
        if let field, file != nil { location += "field '\(field)': " }
        return location
    }
}
