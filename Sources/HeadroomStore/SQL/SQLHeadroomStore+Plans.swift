import HeadroomCore
import SQLKit

extension SQLHeadroomStore {
    public func savePlan(
        name: String, document: String, confidential: Bool, createdBy: String,
        audit: (@Sendable (StoredPlan) -> AuditEvent)?
    ) async throws
        -> StoredPlan
    {
        try requireNonEmpty(name, "plan name")
        _ = try JSONValue(parsing: document, what: "plan '\(name)' document")
        return try await run("saving plan '\(name)'") {
            try await transaction("saving plan '\(name)'", lock: .plans) { database in
                let latest = try await database.rows(
                    "SELECT MAX(version) AS latest FROM plans WHERE name = \(bind: name)", table: "plans"
                ) { try $0.optionalInt64("latest") }
                let version = ((latest.first ?? nil) ?? 0) + 1
                let plan = StoredPlan(
                    id: Self.newID(), name: name, version: Int(version), document: document,
                    confidential: confidential, createdAt: .init(millisecondsSince1970: Self.now()),
                    createdBy: createdBy)
                try await database.raw(
                    """
                    INSERT INTO plans (id, name, version, document, confidential, created_at, created_by)
                    VALUES (\(bind: plan.id), \(bind: name), \(bind: version), \(bind: document),
                    \(bind: confidential), \(bind: plan.createdAt.millisecondsSince1970), \(bind: createdBy))
                    """
                ).run()
                if let audit { _ = try await appendAudit(audit(plan), in: database) }
                return plan
            }
        }
    }

    public func listPlans() async throws -> [StoredPlan] {
        try await run("listing plans") {
            try await withDatabase { database in
                try await database.rows(
                    """
                    SELECT p.* FROM plans p
                    WHERE p.version = (SELECT MAX(q.version) FROM plans q WHERE q.name = p.name)
                    ORDER BY p.name
                    """,
                    table: "plans", Self.plan)
            }
        }
    }

    public func planVersions(name: String) async throws -> [StoredPlan] {
        try await run("listing versions of plan '\(name)'") {
            try await withDatabase { database in
                try await database.rows(
                    "SELECT * FROM plans WHERE name = \(bind: name) ORDER BY version", table: "plans", Self.plan)
            }
        }
    }

    public func plan(name: String, version: Int?) async throws -> StoredPlan? {
        try await run("reading plan '\(name)'") {
            try await withDatabase { database in
                let query: SQLQueryString =
                    if let version {
                        "SELECT * FROM plans WHERE name = \(bind: name) AND version = \(bind: Int64(version))"
                    } else {
                        "SELECT * FROM plans WHERE name = \(bind: name) ORDER BY version DESC LIMIT 1"
                    }
                return try await database.rows(query, table: "plans", Self.plan).first
            }
        }
    }

    public func diffPlan(name: String, from: Int, to: Int) async throws -> PlanDiff {
        guard let old = try await plan(name: name, version: from) else {
            throw StoreError(.notFound, "plan '\(name)' has no version \(from)")
        }
        guard let new = try await plan(name: name, version: to) else {
            throw StoreError(.notFound, "plan '\(name)' has no version \(to)")
        }
        let oldTree = try JSONValue(parsing: old.document, what: "plan '\(name)' version \(from)")
        let newTree = try JSONValue(parsing: new.document, what: "plan '\(name)' version \(to)")
        return PlanDiff(
            name: name, fromVersion: from, toVersion: to, changes: PlanDiff.changes(from: oldTree, to: newTree))
    }

    static func plan(_ row: RowReader) throws -> StoredPlan {
        StoredPlan(
            id: try row.string("id"), name: try row.string("name"), version: try row.int("version"),
            document: try row.string("document"), confidential: try row.bool("confidential"),
            createdAt: try row.date("created_at"), createdBy: try row.string("created_by"))
    }
}
