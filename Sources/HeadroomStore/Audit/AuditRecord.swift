public import Foundation

/// One row of the audit log as stored: the event, its place in the chain and its hashes. Encodes (for JSONL export)
/// with snake_case keys and the time as integer milliseconds, exactly what the hash covers, so that an export can be
/// re-verified with ``AuditChain/verify(_:)``.
public struct AuditRecord: Sendable, Hashable, Codable {
    /// 1, 2, 3, … with no gaps.
    public var seq: Int64
    /// Milliseconds since 1970-01-01 UTC.
    public var timestampMilliseconds: Int64
    public var actor: String
    public var action: String
    public var objectType: String
    public var objectID: String?
    public var requestID: String?
    public var outcome: String
    public var detail: String?
    /// The previous record's ``hash`` (64 zeros for the first record).
    public var prevHash: String
    /// Lower-case hex SHA-256 of ``prevHash`` and ``AuditChain/canonicalEncoding(of:)``.
    public var hash: String

    public init(
        seq: Int64, timestampMilliseconds: Int64, actor: String, action: String, objectType: String,
        objectID: String?, requestID: String?, outcome: String, detail: String?, prevHash: String, hash: String
    ) {
        self.seq = seq
        self.timestampMilliseconds = timestampMilliseconds
        self.actor = actor
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.requestID = requestID
        self.outcome = outcome
        self.detail = detail
        self.prevHash = prevHash
        self.hash = hash
    }

    /// When it happened.
    public var timestamp: Date { Date(millisecondsSince1970: timestampMilliseconds) }

    enum CodingKeys: String, CodingKey {
        case seq
        case timestampMilliseconds = "timestamp_ms"
        case actor, action
        case objectType = "object_type"
        case objectID = "object_id"
        case requestID = "request_id"
        case outcome, detail
        case prevHash = "prev_hash"
        case hash
    }
}
