import Logging
import SQLKit

/// One numbered schema change, applied once, in a transaction, and recorded in `schema_migrations`.
struct Migration: Sendable {
    var version: Int
    var name: String
    /// Statements valid on SQLite and PostgreSQL alike (TEXT, BIGINT, BOOLEAN; times are integer milliseconds).
    var statements: [String]

    /// Every migration, in order. Append only: a released migration is never edited.
    static let all: [Migration] = [
        Migration(
            version: 1, name: "initial schema",
            statements: [
                """
                CREATE TABLE workloads (id TEXT PRIMARY KEY, name TEXT NOT NULL, yaml TEXT NOT NULL,
                created_at BIGINT NOT NULL, created_by TEXT NOT NULL)
                """,
                "CREATE INDEX workloads_name ON workloads (name)",
                """
                CREATE TABLE plans (id TEXT PRIMARY KEY, name TEXT NOT NULL, version BIGINT NOT NULL,
                document TEXT NOT NULL, confidential BOOLEAN NOT NULL, created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL, UNIQUE (name, version))
                """,
                """
                CREATE TABLE bench_runs (id TEXT PRIMARY KEY, label TEXT NOT NULL, result TEXT NOT NULL,
                accelerator TEXT, stack TEXT, model TEXT NOT NULL, created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL)
                """,
                """
                CREATE TABLE price_books (id TEXT PRIMARY KEY, name TEXT NOT NULL, yaml TEXT NOT NULL,
                confidential BOOLEAN NOT NULL, created_at BIGINT NOT NULL, created_by TEXT NOT NULL)
                """,
                """
                CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
                created_at BIGINT NOT NULL, created_by TEXT NOT NULL)
                """,
                """
                CREATE TABLE api_keys (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users (id),
                name TEXT NOT NULL, prefix TEXT NOT NULL UNIQUE, secret_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL, created_by TEXT NOT NULL, revoked_at BIGINT, last_used_at BIGINT)
                """,
                """
                CREATE TABLE audit_events (seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL,
                action TEXT NOT NULL, object_type TEXT NOT NULL, object_id TEXT, request_id TEXT,
                outcome TEXT NOT NULL, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)
                """,
            ]
        ),
        Migration(
            version: 2, name: "confidential workloads",
            statements: ["ALTER TABLE workloads ADD COLUMN confidential BOOLEAN NOT NULL DEFAULT FALSE"]
        ),
    ]
}

extension SQLHeadroomStore {
    /// Applies every migration not yet recorded. Safe to run from several processes at once: on PostgreSQL each step
    /// holds `pg_advisory_xact_lock`, on SQLite the write lock (`BEGIN IMMEDIATE`), and each checks again under the
    /// lock before applying.
    func migrate() async throws {
        try await run("creating schema_migrations") {
            try await transaction("creating schema_migrations", lock: .migrations) { database in
                try await database.raw(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL,
                    applied_at BIGINT NOT NULL)
                    """
                ).run()
            }
        }
        for migration in Migration.all {
            let what = "migration \(migration.version) (\(migration.name))"
            try await run(what) {
                try await transaction(what, lock: .migrations) { database in
                    let applied = try await database.rows(
                        "SELECT version FROM schema_migrations WHERE version = \(bind: Int64(migration.version))",
                        table: "schema_migrations"
                    ) { try $0.int64("version") }
                    guard applied.isEmpty else { return }
                    for statement in migration.statements {
                        try await database.raw(SQLQueryString(statement)).run()
                    }
                    try await database.raw(
                        """
                        INSERT INTO schema_migrations (version, name, applied_at)
                        VALUES (\(bind: Int64(migration.version)), \(bind: migration.name), \(bind: Self.now()))
                        """
                    ).run()
                    logger.info("applied migration", metadata: ["version": "\(migration.version)"])
                }
            }
        }
    }

    /// The versions recorded in `schema_migrations`, ascending.
    package func appliedMigrations() async throws -> [Int] {
        try await run("reading schema_migrations") {
            try await withDatabase { database in
                try await database.rows(
                    "SELECT version FROM schema_migrations ORDER BY version", table: "schema_migrations"
                ) { try $0.int("version") }
            }
        }
    }
}
