public import Foundation

/// A price book file as stored.
public struct StoredPriceBook: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var yaml: String
    /// Whether the prices are negotiated ones that only their owners may read.
    public var confidential: Bool
    public var createdAt: Date
    public var createdBy: String

    public init(id: String, name: String, yaml: String, confidential: Bool, createdAt: Date, createdBy: String) {
        self.id = id
        self.name = name
        self.yaml = yaml
        self.confidential = confidential
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}
