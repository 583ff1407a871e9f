/// An error Headroom reports to a person: what is wrong, and where (file, line, field) when known.
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

    public var description: String {
        var location = ""
        if let file {
            location = file
            if let line { location += ":\(line)" }
            location += ": "
        }
        if let field, file != nil { location += "field '\(field)': " }
        return location + message
    }
}
