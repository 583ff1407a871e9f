import Foundation
public import HeadroomCore
import SQLKit

extension SQLHeadroomStore {
    public func saveBenchRun(
        label: String, result: BenchResult, createdBy: String, audit: AuditEvent?
    ) async throws -> StoredBenchRun {
        try requireNonEmpty(label, "bench run label")
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json: String
        do {
            json = String(decoding: try encoder.encode(result), as: UTF8.self)
        } catch {
            throw StoreError(.invalidInput, "bench run '\(label)' result could not be written as JSON: \(error)")
        }
        let run = StoredBenchRun(
            id: Self.newID(), label: label, resultJSON: json, accelerator: result.target.acceleratorID,
            stack: result.target.stackID, model: result.target.catalogModelID ?? result.target.model,
            createdAt: .init(millisecondsSince1970: Self.now()), createdBy: createdBy)
        return try await self.run("saving bench run '\(label)'") {
            try await transaction("saving bench run") { database in
                try await database.raw(
                    """
                    INSERT INTO bench_runs (id, label, result, accelerator, stack, model, created_at, created_by)
                    VALUES (\(bind: run.id), \(bind: label), \(bind: json), \(bind: run.accelerator),
                    \(bind: run.stack), \(bind: run.model), \(bind: run.createdAt.millisecondsSince1970),
                    \(bind: createdBy))
                    """
                ).run()
                if let audit { _ = try await appendAudit(audit, in: database) }
                return run
            }
        }
    }

    public func benchRun(id: String) async throws -> StoredBenchRun? {
        try await run("reading bench run \(id)") {
            try await withDatabase { database in
                try await database.rows("SELECT * FROM bench_runs WHERE id = \(bind: id)", table: "bench_runs") {
                    try Self.benchRun($0)
                }.first
            }
        }
    }

    public func listBenchRuns() async throws -> [StoredBenchRun] {
        try await run("listing bench runs") {
            try await withDatabase { database in
                try await database.rows(
                    "SELECT * FROM bench_runs ORDER BY created_at DESC, id", table: "bench_runs", Self.benchRun)
            }
        }
    }

    static func benchRun(_ row: RowReader) throws -> StoredBenchRun {
        StoredBenchRun(
            id: try row.string("id"), label: try row.string("label"), resultJSON: try row.string("result"),
            accelerator: try row.optionalString("accelerator"), stack: try row.optionalString("stack"),
            model: try row.string("model"), createdAt: try row.date("created_at"),
            createdBy: try row.string("created_by"))
    }
}
