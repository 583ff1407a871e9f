import Foundation
public import HTTPTypes
public import Hummingbird
import NIOCore

/// An error the API answers with: a status and a JSON body `{"error": {"status", "message", "field"}}`.
public struct ServiceError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    /// The request field at fault, when one is.
    public var field: String?
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.field = field
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(ErrorBody(error: .init(status: status.code, message: message, field: field)))
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

/// `{"error": {"status", "message", "field"}}`.
private struct ErrorBody: Encodable {
    struct Detail: Encodable {
        var status: Int
        var message: String
        var field: String?
    }
    var error: Detail
}
