package import HeadroomCore

/// Why an operation refused or failed, in no surface's terms: a kind (which HTTP maps to a status, MCP to a tool
/// error, the CLI to an exit), a message, the request field at fault as a path (`workload.traffic.peak_rps`), and a
/// stable code (`invalid_input`) where the core gave one.
///
/// Each surface renders ``field`` in its own terms: the HTTP API as an RFC 6901 pointer (``pointer``), MCP as the
/// argument's path, the CLI as its flag.
package struct OperationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of refusal this is.
    package enum Kind: String, Sendable, Hashable {
        /// The request could not be read: not JSON, nested too deep, a field of the wrong type (HTTP 400).
        case malformed
        /// The request was read but its values are refused: unknown or missing fields, out of bounds, a model's
        /// refusal (HTTP 422).
        case invalid
        /// The caller may not use an object it named (HTTP 403).
        case forbidden
        /// The request is larger than allowed (HTTP 413).
        case tooLarge
        /// The computation could not run now: the executor is saturated or the deadline passed (HTTP 503 with
        /// `Retry-After`).
        case unavailable
    }

    package var kind: Kind
    package var message: String
    /// The request field at fault, when one is: a dotted path (`workload.pricing.overrides.0.per_hour`).
    package var field: String?
    /// A stable machine-readable code (`invalid_input`, `does_not_fit`), when one is known.
    package var code: String?
    /// Seconds after which a retry may succeed (``Kind/unavailable``).
    package var retryAfter: Int?

    package init(_ kind: Kind, _ message: String, field: String? = nil, code: String? = nil, retryAfter: Int? = nil) {
        self.kind = kind
        self.message = message
        self.field = field
        self.code = code
        self.retryAfter = retryAfter
    }

    /// A core error: its message with field mentions as the request's keys, its field path under `prefix`
    /// (`workload` for an inline workload's fields), its code.
    package init(_ error: HeadroomError, kind: Kind = .invalid, under prefix: String? = nil) {
        let field = error.field.map { field in prefix.map { "\($0).\(field)" } ?? field } ?? prefix
        self.init(kind, error.description, field: field, code: error.code.identifier)
    }

    package var description: String { message }

    /// ``field`` as an RFC 6901 JSON pointer into the request: `traffic.diurnal[3]` → `/traffic/diurnal/3`.
    package var pointer: String? { field.map(Self.pointer(forPath:)) }

    /// The JSON pointer of a dotted path (`a.b[2].c` or `a.b.2.c`), with `~` and `/` escaped as RFC 6901 says.
    package static func pointer(forPath path: String) -> String {
        var tokens: [String] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            if let open = rest.firstIndex(of: "[") {
                tokens.append(String(rest[..<open]))
                rest = rest[open...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                    tokens.append(String(rest[rest.index(after: rest.startIndex)..<close]))
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                tokens.append(String(rest))
            }
        }
        return "/" + tokens.map(JSONDiff.escape).joined(separator: "/")
    }

    /// `message (field: x)`: what a tool's caller must change.
    package var describedWithField: String {
        field.map { "\(message) (field: \($0))" } ?? message
    }
}
