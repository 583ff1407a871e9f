public import Foundation

/// What a user may do: read, plan (write plans, workloads, runs), or administer (users, keys, audit).
public enum UserRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case viewer
    case planner
    case admin

    /// viewer < planner < admin.
    public static func < (lhs: UserRole, rhs: UserRole) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .planner: 1
        case .admin: 2
        }
    }
}

/// A user of the service.
public struct StoreUser: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var role: UserRole
    public var createdAt: Date
    public var createdBy: String

    public init(id: String, name: String, role: UserRole, createdAt: Date, createdBy: String) {
        self.id = id
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}
