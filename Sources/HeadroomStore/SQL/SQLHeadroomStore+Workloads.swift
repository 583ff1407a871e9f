import Foundation
import SQLKit

extension SQLHeadroomStore {
    public func saveWorkload(
        name: String, yaml: String, confidential: Bool, createdBy: String, audit: AuditEvent?
    ) async throws -> StoredWorkload {
        try requireNonEmpty(name, "workload name")
        let workload = StoredWorkload(
            id: Self.newID(), name: name, yaml: yaml, confidential: confidential,
            createdAt: .init(millisecondsSince1970: Self.now()), createdBy: createdBy)
        return try await run("saving workload '\(name)'") {
            try await transaction("saving workload") { database in
                try await database.raw(
                    """
                    INSERT INTO workloads (id, name, yaml, confidential, created_at, created_by)
                    VALUES (\(bind: workload.id), \(bind: name), \(bind: yaml), \(bind: confidential),
                    \(bind: workload.createdAt.millisecondsSince1970), \(bind: createdBy))
                    """
                ).run()
                if let audit { _ = try await appendAudit(audit, in: database) }
                return workload
            }
        }
    }

    public func workload(id: String) async throws -> StoredWorkload? {
        try await run("reading workload \(id)") {
            try await withDatabase { database in
                try await database.rows("SELECT * FROM workloads WHERE id = \(bind: id)", table: "workloads") {
                    try Self.workload($0)
                }.first
            }
        }
    }

    public func listWorkloads() async throws -> [StoredWorkload] {
        try await run("listing workloads") {
            try await withDatabase { database in
                try await database.rows(
                    "SELECT * FROM workloads ORDER BY created_at DESC, id", table: "workloads", Self.workload)
            }
        }
    }

    static func workload(_ row: RowReader) throws -> StoredWorkload {
        StoredWorkload(
            id: try row.string("id"), name: try row.string("name"), yaml: try row.string("yaml"),
            confidential: try row.bool("confidential"), createdAt: try row.date("created_at"),
            createdBy: try row.string("created_by"))
    }

    func requireNonEmpty(_ value: String, _ field: String) throws {
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StoreError(.invalidInput, "\(field) must not be empty")
        }
    }
}
