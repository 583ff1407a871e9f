public import Foundation

/// Something that happened, to be appended to the audit log: who did what to which object, in which request, and
/// how it ended.
public struct AuditEvent: Sendable, Hashable, Codable {
    /// The user name (or "system", "anonymous").
    public var actor: String
    /// What was attempted: "plan.save", "apikey.create", "auth.login".
    public var action: String
    /// The kind of object acted on: "plan", "user", "apikey".
    public var objectType: String
    public var objectID: String?
    /// The request's id, to join the log with the server's access log.
    public var requestID: String?
    /// "success", "denied" or "failure".
    public var outcome: String
    /// Free text or JSON with what else matters (never a secret).
    public var detail: String?
    /// When it happened; stored to the millisecond.
    public var timestamp: Date

    public init(
        actor: String, action: String, objectType: String, objectID: String? = nil, requestID: String? = nil,
        outcome: String, detail: String? = nil, timestamp: Date = Date()
    ) {
        self.actor = actor
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.requestID = requestID
        self.outcome = outcome
        self.detail = detail
        self.timestamp = timestamp
    }
}

/// ``AuditEvent`` under a name that modules with an `AuditEvent` of their own (the server's) can use: the module's
/// name is also its protocol's, so `HeadroomStore.AuditEvent` does not resolve there.
public typealias StoreAuditEvent = AuditEvent
