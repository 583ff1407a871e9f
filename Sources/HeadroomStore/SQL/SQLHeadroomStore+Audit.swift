import Foundation
import SQLKit

extension SQLHeadroomStore {
    public func appendAudit(_ event: AuditEvent) async throws -> AuditRecord {
        try await run("appending audit event '\(event.action)'") {
            try await transaction("appending an audit event", lock: .audit) { database in
                try await appendAudit(event, in: database)
            }
        }
    }

    /// Appends `event` inside the transaction open on `database`, which commits it with whatever else it wrote. On
    /// PostgreSQL it takes the audit chain's advisory lock (held to the commit); on SQLite the transaction already
    /// holds the write lock.
    func appendAudit(_ event: AuditEvent, in database: any SQLDatabase) async throws -> AuditRecord {
        if flavor == .postgres {
            try await database.raw("SELECT pg_advisory_xact_lock(\(literal: LockKey.audit.rawValue))").run()
        }
        let heads = try await database.rows(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1", table: "audit_events"
        ) { (try $0.int64("seq"), try $0.string("hash")) }
        let (lastSeq, prevHash) = heads.first ?? (0, AuditChain.genesisHash)
        var record = AuditRecord(
            seq: lastSeq + 1, timestampMilliseconds: event.timestamp.millisecondsSince1970,
            actor: event.actor, action: event.action, objectType: event.objectType, objectID: event.objectID,
            requestID: event.requestID, outcome: event.outcome, detail: event.detail, prevHash: prevHash,
            hash: "")
        record.hash = AuditChain.hash(of: record, prevHash: prevHash, key: auditKey)
        try await database.raw(
            """
            INSERT INTO audit_events (seq, at, actor, action, object_type, object_id, request_id, outcome,
            detail, prev_hash, hash)
            VALUES (\(bind: record.seq), \(bind: record.timestampMilliseconds), \(bind: record.actor),
            \(bind: record.action), \(bind: record.objectType), \(bind: record.objectID),
            \(bind: record.requestID), \(bind: record.outcome), \(bind: record.detail),
            \(bind: record.prevHash), \(bind: record.hash))
            """
        ).run()
        return record
    }

    public func verifyAudit() async throws -> AuditVerification {
        AuditChain.verify(try await exportAudit(), key: auditKey)
    }

    public func exportAudit() async throws -> [AuditRecord] {
        try await run("reading the audit log") {
            try await withDatabase { database in
                try await database.rows("SELECT * FROM audit_events ORDER BY seq", table: "audit_events") { row in
                    AuditRecord(
                        seq: try row.int64("seq"), timestampMilliseconds: try row.int64("at"),
                        actor: try row.string("actor"), action: try row.string("action"),
                        objectType: try row.string("object_type"), objectID: try row.optionalString("object_id"),
                        requestID: try row.optionalString("request_id"), outcome: try row.string("outcome"),
                        detail: try row.optionalString("detail"), prevHash: try row.string("prev_hash"),
                        hash: try row.string("hash"))
                }
            }
        }
    }
}
