import HTTPTypes
public import Hummingbird
public import HummingbirdAuth
import Logging

/// The request context of `headroom serve`: the core context, the caller once authenticated, and the request id.
public struct ServiceRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Principal?
    /// The `x-request-id` this request answers with.
    public var requestID: String

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.requestID = ""
    }
}

extension ServiceRequestContext {
    /// The caller of a computation this request runs, `action` naming it in the audit log.
    package func caller(_ action: String) -> Caller {
        Caller(principal: identity, requestID: requestID, action: action)
    }
}
