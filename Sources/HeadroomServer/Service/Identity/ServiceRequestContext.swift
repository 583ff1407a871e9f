import HTTPTypes
package import HeadroomOperations
public import Hummingbird
public import HummingbirdAuth
import Logging
public import NIOCore

/// The request context of `headroom serve`: the core context, the caller once authenticated, and the request id.
public struct ServiceRequestContext: AuthRequestContext, RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (nil in the router test framework).
    public var remoteAddress: SocketAddress?
    public var identity: Principal?
    /// The `x-request-id` this request answers with.
    public var requestID: String
    /// The connection the request came on: watched for the client's departure.
    package let channel: (any Channel)?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.identity = nil
        self.requestID = ""
        self.channel = source.channel
    }
}

extension ServiceRequestContext {
    /// The client's IP address (or socket path), `unknown` when there is no peer: what failed authentication is
    /// counted against.
    package var clientAddress: String {
        remoteAddress?.ipAddress ?? remoteAddress?.pathname ?? "unknown"
    }

    /// The caller of a computation this request runs, `action` naming it in the audit log.
    package func caller(_ action: String) -> Caller {
        Caller(principal: identity, requestID: requestID, action: action)
    }
}
