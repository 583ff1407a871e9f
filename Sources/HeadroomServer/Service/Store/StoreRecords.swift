public import Foundation
import HTTPTypes

/// Who may do what: viewers read and compute, planners also save, admins also manage keys and read the audit log.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case viewer, planner, admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .planner: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// The kinds of named documents the store keeps besides plans.
public enum DocumentKind: String, Sendable, Hashable, Codable, CaseIterable {
    case workload
    case benchRun = "bench_run"
    case priceBook = "price_book"
}

/// One saved version of a plan.
public struct PlanVersion: Sendable, Hashable, Codable {
    public var name: String
    public var version: Int
    /// The plan's JSON, as `POST /v1/plan` returns it.
    public var document: String
    public var confidential: Bool
    public var author: String
    public var createdAt: Date

    public init(name: String, version: Int, document: String, confidential: Bool, author: String, createdAt: Date) {
        self.name = name
        self.version = version
        self.document = document
        self.confidential = confidential
        self.author = author
        self.createdAt = createdAt
    }
}

/// A named workload, bench run or price book.
public struct StoredDocument: Sendable, Hashable, Codable {
    public var kind: DocumentKind
    public var name: String
    /// The document's JSON.
    public var document: String
    public var confidential: Bool
    public var author: String
    public var createdAt: Date

    public init(
        kind: DocumentKind, name: String, document: String, confidential: Bool, author: String, createdAt: Date
    ) {
        self.kind = kind
        self.name = name
        self.document = document
        self.confidential = confidential
        self.author = author
        self.createdAt = createdAt
    }
}

/// The owner of a live API key.
public struct APIKeyOwner: Sendable, Hashable {
    /// The key's public id (safe to log).
    public var keyID: String
    public var name: String
    public var role: Role

    public init(keyID: String, name: String, role: Role) {
        self.keyID = keyID
        self.name = name
        self.role = role
    }
}

/// A new API key: its id, and its secret (`hr_…`), shown once.
public struct CreatedAPIKey: Sendable, Hashable {
    public var id: String
    public var name: String
    public var role: Role
    public var secret: String

    public init(id: String, name: String, role: Role, secret: String) {
        self.id = id
        self.name = name
        self.role = role
        self.secret = secret
    }
}

/// An audit event before the store numbers, dates and chains it.
public struct AuditEventDraft: Sendable, Hashable {
    /// Who: a user name, with the key id or `oidc` after a colon.
    public var actor: String
    /// What: the route, e.g. `POST /v1/plans`.
    public var action: String
    /// The object acted on, e.g. `plan:capacity-q3@2`.
    public var target: String?
    public var requestID: String
    /// `success`, or `failure: <status> <reason>`.
    public var outcome: String

    public init(actor: String, action: String, target: String?, requestID: String, outcome: String) {
        self.actor = actor
        self.action = action
        self.target = target
        self.requestID = requestID
        self.outcome = outcome
    }
}

/// An event in the audit chain.
public struct AuditEvent: Sendable, Hashable, Codable {
    public var sequence: Int
    public var actor: String
    public var action: String
    public var target: String?
    public var requestID: String
    public var outcome: String
    public var timestamp: Date
    /// Hex SHA-256 of the previous event's hash and this event's fields.
    public var hash: String

    public init(
        sequence: Int, actor: String, action: String, target: String?, requestID: String, outcome: String,
        timestamp: Date, hash: String
    ) {
        self.sequence = sequence
        self.actor = actor
        self.action = action
        self.target = target
        self.requestID = requestID
        self.outcome = outcome
        self.timestamp = timestamp
        self.hash = hash
    }
}

/// The result of recomputing the audit chain.
public struct AuditVerification: Sendable, Hashable, Codable {
    public var valid: Bool
    public var events: Int
    /// The first event whose hash does not match, when the chain is broken.
    public var firstInvalidSequence: Int?

    public init(valid: Bool, events: Int, firstInvalidSequence: Int?) {
        self.valid = valid
        self.events = events
        self.firstInvalidSequence = firstInvalidSequence
    }
}
