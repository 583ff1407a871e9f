import Foundation
import SQLKit

extension SQLHeadroomStore {
    public func createUser(name: String, role: UserRole, createdBy: String) async throws -> StoreUser {
        try requireNonEmpty(name, "user name")
        let user = StoreUser(
            id: Self.newID(), name: name, role: role, createdAt: .init(millisecondsSince1970: Self.now()),
            createdBy: createdBy)
        return try await run("creating user '\(name)'") {
            try await transaction("creating user '\(name)'", lock: .users) { database in
                let existing = try await database.rows(
                    "SELECT id FROM users WHERE name = \(bind: name)", table: "users"
                ) { try $0.string("id") }
                guard existing.isEmpty else {
                    throw StoreError(.conflict, "user name '\(name)' is taken")
                }
                try await database.raw(
                    """
                    INSERT INTO users (id, name, role, created_at, created_by)
                    VALUES (\(bind: user.id), \(bind: name), \(bind: role.rawValue),
                    \(bind: user.createdAt.millisecondsSince1970), \(bind: createdBy))
                    """
                ).run()
                return user
            }
        }
    }

    public func user(name: String) async throws -> StoreUser? {
        try await run("reading user '\(name)'") {
            try await withDatabase { database in
                try await database.rows("SELECT * FROM users WHERE name = \(bind: name)", table: "users") {
                    try Self.user($0)
                }.first
            }
        }
    }

    public func listUsers() async throws -> [StoreUser] {
        try await run("listing users") {
            try await withDatabase { database in
                try await database.rows("SELECT * FROM users ORDER BY name", table: "users", Self.user)
            }
        }
    }

    public func createAPIKey(
        user: String, name: String, createdBy: String
    ) async throws
        -> (key: APIKeyRecord, secret: String)
    {
        try requireNonEmpty(name, "API key name")
        let secret = APIKeySecret.generate()
        return try await run("creating API key '\(name)' for user '\(user)'") {
            try await transaction("creating API key", lock: .users) {
                database -> (key: APIKeyRecord, secret: String) in
                let owners = try await database.rows(
                    "SELECT id FROM users WHERE name = \(bind: user)", table: "users"
                ) { try $0.string("id") }
                guard let userID = owners.first else {
                    throw StoreError(.notFound, "user '\(user)' does not exist")
                }
                let key = APIKeyRecord(
                    id: Self.newID(), userID: userID, name: name, prefix: secret.prefix,
                    createdAt: .init(millisecondsSince1970: Self.now()), createdBy: createdBy)
                try await database.raw(
                    """
                    INSERT INTO api_keys (id, user_id, name, prefix, secret_hash, created_at, created_by)
                    VALUES (\(bind: key.id), \(bind: userID), \(bind: name), \(bind: key.prefix),
                    \(bind: secret.hash), \(bind: key.createdAt.millisecondsSince1970), \(bind: createdBy))
                    """
                ).run()
                return (key: key, secret: secret.plaintext)
            }
        }
    }

    public func listAPIKeys(user: String?) async throws -> [APIKeyRecord] {
        try await run("listing API keys") {
            try await withDatabase { database in
                let query: SQLQueryString =
                    if let user {
                        """
                        SELECT k.* FROM api_keys k JOIN users u ON u.id = k.user_id WHERE u.name = \(bind: user)
                        ORDER BY k.created_at DESC, k.id
                        """
                    } else {
                        "SELECT * FROM api_keys ORDER BY created_at DESC, id"
                    }
                return try await database.rows(query, table: "api_keys", Self.apiKey)
            }
        }
    }

    public func authenticate(apiKey: String) async throws -> (user: StoreUser, key: APIKeyRecord)? {
        guard let presented = APIKeySecret(parsing: apiKey) else { return nil }
        return try await run("authenticating an API key") {
            try await transaction("authenticating an API key") {
                database -> (user: StoreUser, key: APIKeyRecord)? in
                let candidates = try await database.rows(
                    "SELECT * FROM api_keys WHERE prefix = \(bind: presented.prefix)", table: "api_keys"
                ) { row in (try Self.apiKey(row), try row.string("secret_hash")) }
                guard let candidate = candidates.first,
                    APIKeySecret.constantTimeEquals(candidate.1, presented.hash), !candidate.0.isRevoked
                else { return nil }
                let key = candidate.0
                let users = try await database.rows(
                    "SELECT * FROM users WHERE id = \(bind: key.userID)", table: "users", Self.user)
                guard let user = users.first else { return nil }
                let now = Self.now()
                try await database.raw("UPDATE api_keys SET last_used_at = \(bind: now) WHERE id = \(bind: key.id)")
                    .run()
                var used = key
                used.lastUsedAt = Date(millisecondsSince1970: now)
                return (user: user, key: used)
            }
        }
    }

    public func revokeAPIKey(id: String) async throws {
        try await run("revoking API key \(id)") {
            try await transaction("revoking API key") { database in
                let keys = try await database.rows(
                    "SELECT id FROM api_keys WHERE id = \(bind: id)", table: "api_keys"
                ) { try $0.string("id") }
                guard !keys.isEmpty else {
                    throw StoreError(.notFound, "API key \(id) does not exist")
                }
                try await database.raw(
                    "UPDATE api_keys SET revoked_at = \(bind: Self.now()) WHERE id = \(bind: id) AND revoked_at IS NULL"
                ).run()
            }
        }
    }

    static func user(_ row: RowReader) throws -> StoreUser {
        let roleName = try row.string("role")
        guard let role = UserRole(rawValue: roleName) else {
            throw StoreError(.corrupt, "users.role holds '\(roleName)', not viewer, planner or admin")
        }
        return StoreUser(
            id: try row.string("id"), name: try row.string("name"), role: role, createdAt: try row.date("created_at"),
            createdBy: try row.string("created_by"))
    }

    static func apiKey(_ row: RowReader) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.string("id"), userID: try row.string("user_id"), name: try row.string("name"),
            prefix: try row.string("prefix"), createdAt: try row.date("created_at"),
            createdBy: try row.string("created_by"), revokedAt: try row.optionalDate("revoked_at"),
            lastUsedAt: try row.optionalDate("last_used_at"))
    }
}
