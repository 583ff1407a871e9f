public import Foundation

/// A workload file as stored.
public struct StoredWorkload: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var yaml: String
    public var createdAt: Date
    public var createdBy: String
    /// Whether viewers get it with its prices (`pricing`) removed, and may not compute with it.
    public var confidential: Bool

    public init(
        id: String, name: String, yaml: String, confidential: Bool = false, createdAt: Date, createdBy: String
    ) {
        self.id = id
        self.name = name
        self.yaml = yaml
        self.confidential = confidential
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}
