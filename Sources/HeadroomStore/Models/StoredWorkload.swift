public import Foundation

/// A workload file as stored.
public struct StoredWorkload: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var yaml: String
    public var createdAt: Date
    public var createdBy: String

    public init(id: String, name: String, yaml: String, createdAt: Date, createdBy: String) {
        self.id = id
        self.name = name
        self.yaml = yaml
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}
