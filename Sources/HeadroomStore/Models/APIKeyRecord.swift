public import Foundation

/// An API key as stored: never the secret, only a lookup prefix and the SHA-256 hash of the whole key.
public struct APIKeyRecord: Sendable, Hashable, Codable {
    public var id: String
    /// The owner's ``StoreUser/id``.
    public var userID: String
    /// What the key is for ("ci", "laptop").
    public var name: String
    /// The public part of the key after `hr_`, used to find its row.
    public var prefix: String
    public var createdAt: Date
    public var createdBy: String
    public var revokedAt: Date?
    public var lastUsedAt: Date?

    public init(
        id: String, userID: String, name: String, prefix: String, createdAt: Date, createdBy: String,
        revokedAt: Date? = nil, lastUsedAt: Date? = nil
    ) {
        self.id = id
        self.userID = userID
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    /// Whether the key still authenticates.
    public var isRevoked: Bool { revokedAt != nil }
}
