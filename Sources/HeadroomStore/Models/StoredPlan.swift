public import Foundation

/// One version of a named plan: the JSON document as saved.
public struct StoredPlan: Sendable, Hashable, Codable {
    /// This version's own id.
    public var id: String
    public var name: String
    /// 1 for the first save under ``name``, then 2, 3, …
    public var version: Int
    /// The plan document, JSON text.
    public var document: String
    /// Whether the plan carries figures (prices, volumes) that only its owners may read.
    public var confidential: Bool
    public var createdAt: Date
    public var createdBy: String

    public init(
        id: String, name: String, version: Int, document: String, confidential: Bool, createdAt: Date,
        createdBy: String
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.document = document
        self.confidential = confidential
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}
