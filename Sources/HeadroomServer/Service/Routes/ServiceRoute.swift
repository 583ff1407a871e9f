package import HTTPTypes
package import HeadroomCore
package import Hummingbird

/// Who may call a route.
package enum RouteAccess: Sendable, Hashable {
    /// Anyone (`/healthz`, `/readyz`).
    case open
    /// A principal with at least this role.
    case role(Role)
    /// As ``ServiceConfiguration/metricsAccess`` says.
    case metrics
}

/// What a handler returns: the response, and the object it touched when the read or write is audited.
package struct RouteOutput: Sendable {
    package var response: Response
    /// Set by handlers that read a confidential object (audited even on a GET) or that name what they changed.
    package var auditTarget: String?
    package var confidentialRead: Bool
    /// Whether the handler committed its success event with its write (one transaction): the dispatcher then appends
    /// none.
    package var audited: Bool

    package init(
        _ response: Response, auditTarget: String? = nil, confidentialRead: Bool = false, audited: Bool = false
    ) {
        self.response = response
        self.auditTarget = auditTarget
        self.confidentialRead = confidentialRead
        self.audited = audited
    }
}

/// One row of the route table: it registers the route and describes it in `/openapi.json`.
package struct ServiceRoute: Sendable {
    package typealias Handler =
        @Sendable (Request, ServiceRequestContext, ServiceEnvironment) async throws -> RouteOutput

    package var method: HTTPRequest.Method
    /// OpenAPI form: `/v1/plans/{name}`.
    package var path: String
    package var access: RouteAccess
    package var summary: String
    /// Whether every call is audited (mutations).
    package var mutates: Bool
    package var requestSchema: JSONValue?
    package var responseSchema: JSONValue?
    package var queryParameters: [String]
    /// Error statuses the route answers besides those its access, body and parameters imply (for the document).
    package var errorStatuses: [Int] = []
    /// Responses the document lists as they are, by status (a second success status, an error of another shape).
    package var otherResponses: [String: JSONValue] = [:]
    /// Whether the route's work stops when its client disconnects (the computations; see
    /// ``ServiceConfiguration/cancelOnDisconnect``).
    package var cancelsOnDisconnect = false
    package var handler: Handler

    package init(
        _ method: HTTPRequest.Method, _ path: String, access: RouteAccess, summary: String, mutates: Bool = false,
        request: JSONValue? = nil, response: JSONValue? = nil, query: [String] = [], handler: @escaping Handler
    ) {
        self.method = method
        self.path = path
        self.access = access
        self.summary = summary
        self.mutates = mutates
        self.requestSchema = request
        self.responseSchema = response
        self.queryParameters = query
        self.handler = handler
    }

    /// Hummingbird's form: `/v1/plans/:name`.
    package var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
    }

    /// Path parameters, in order.
    package var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}
