import Foundation
public import HTTPTypes
package import HeadroomCore
package import HeadroomOperations
public import Hummingbird
import NIOCore

/// An error the API answers with: a status and a JSON body `{"error": {"status", "message", "field", "pointer",
/// "code"}}`.
///
/// `field` is the dotted path of the request field at fault (`workload.traffic.peak_rps`), `pointer` the same as an
/// RFC 6901 JSON pointer into the body (`/workload/traffic/peak_rps`), `code` a stable name for the kind of failure
/// (`invalid_input`) where the core gave one.
public struct ServiceError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    /// The request field at fault, when one is: a dotted path (`workload.pricing.overrides.0.per_hour`).
    public var field: String?
    /// A stable machine-readable code (`invalid_input`, `does_not_fit`), when one is known.
    public var code: String?
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, _ message: String, field: String? = nil, code: String? = nil,
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.message = message
        self.field = field
        self.code = code
        self.headers = headers
    }

    /// A core error as a 422 (or `status`): its message with field mentions as the body's keys, its field path
    /// under `prefix` (`workload` for an inline workload's fields), its code.
    package init(
        _ error: HeadroomError, status: HTTPResponse.Status = .unprocessableContent, under prefix: String? = nil
    ) {
        let field = error.field.map { field in prefix.map { "\($0).\(field)" } ?? field } ?? prefix
        self.init(status, error.description, field: field, code: error.code.identifier)
    }

    /// An operation's refusal as the API answers it: malformed 400, invalid 422, forbidden 403, too large 413,
    /// unavailable 503 with `Retry-After`.
    package init(_ error: OperationError) {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .malformed: .badRequest
            case .invalid: .unprocessableContent
            case .forbidden: .forbidden
            case .tooLarge: .contentTooLarge
            case .unavailable: .serviceUnavailable
            }
        var headers: HTTPFields = [:]
        if let seconds = error.retryAfter { headers[.retryAfter] = String(seconds) }
        self.init(status, error.message, field: error.field, code: error.code, headers: headers)
    }

    /// ``field`` as an RFC 6901 JSON pointer into the request body: `traffic.diurnal[3]` → `/traffic/diurnal/3`.
    public var pointer: String? {
        field.map(Self.pointer(forPath:))
    }

    /// The JSON pointer of a dotted path (`a.b[2].c` or `a.b.2.c`), with `~` and `/` escaped as RFC 6901 says.
    package static func pointer(forPath path: String) -> String {
        OperationError.pointer(forPath: path)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(
            ErrorBody(
                error: .init(status: status.code, message: message, field: field, pointer: pointer, code: code)))
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        if status == .unauthorized, headers[.wwwAuthenticate] == nil {
            headers[.wwwAuthenticate] = Self.bearerChallenge(invalidToken: hasToken(request))
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension ServiceError {
    /// The RFC 6750 challenge every 401 carries: `Bearer realm="headroom"`, with `error="invalid_token"` when the
    /// request sent a token that was refused.
    static func bearerChallenge(invalidToken: Bool) -> String {
        invalidToken ? #"Bearer realm="headroom", error="invalid_token""# : #"Bearer realm="headroom""#
    }

    private func hasToken(_ request: Request) -> Bool {
        request.headers[.authorization] != nil
    }
}

/// `{"error": {"status", "message", "field", "pointer", "code"}}`.
private struct ErrorBody: Encodable {
    struct Detail: Encodable {
        var status: Int
        var message: String
        var field: String?
        var pointer: String?
        var code: String?
    }
    var error: Detail
}
