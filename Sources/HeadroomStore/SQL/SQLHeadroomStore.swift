public import Crypto
import Foundation
public import Logging
import PostgresKit
import SQLKit
import SQLiteKit

/// ``HeadroomStore`` over SQLKit: one set of queries for SQLite (a file, write-ahead log, `synchronous=FULL`, so an
/// acknowledged write survives a crash) and PostgreSQL (a pool of connections, for several server instances sharing
/// one database). Where the SQL differs — how a transaction takes the write lock — the ``Flavor`` decides.
///
/// Open with ``open(url:defaultPath:logger:)``; ``close()`` when done.
public struct SQLHeadroomStore: HeadroomStore {
    /// The SQL dialects the store speaks.
    enum Flavor: Sendable {
        case sqlite
        case postgres
    }

    /// What the store holds open.
    enum Backend: Sendable {
        /// One connection, used by one task at a time, and the thread its blocking calls run on. The thread is the
        /// store's own: a statement waiting for another connection's write lock (busy_timeout) blocks only it, never
        /// a shared pool that the lock holder needs to finish.
        case sqlite(SQLiteConnection, AsyncLock, NIOThreadPool)
        /// PostgresNIO's connection pool, and the task that runs it.
        case postgres(PostgresClient, Task<Void, Never>)
    }

    /// Advisory lock keys (PostgreSQL); on SQLite every write transaction takes the database's write lock.
    enum LockKey: Int64, Sendable {
        case migrations = 0x4844_524D_0001
        case audit = 0x4844_524D_0002
        case plans = 0x4844_524D_0003
        case users = 0x4844_524D_0004
    }

    let backend: Backend
    let logger: Logger
    /// The audit chain's HMAC key; nil: a plain SHA-256 chain.
    package var auditKey: SymmetricKey?

    var flavor: Flavor {
        switch backend {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// Opens (and migrates) the store named by `url`.
    /// - Parameters:
    ///   - url: nil, `sqlite:///path` or a plain path for an SQLite file (created with its folder if missing);
    ///     `postgres://user:password@host:port/database` (`?sslmode=disable|prefer|require`) for PostgreSQL.
    ///   - defaultPath: The SQLite file used when `url` is nil or empty.
    ///   - logger: Where the store logs (queries at trace level).
    /// - Returns: A migrated store.
    /// - Throws: ``StoreError`` (`.configuration` for a bad URL, `.database` when it cannot connect or migrate).
    ///   - auditKey: makes the audit chain an HMAC under this key (kept outside the database), so rows appended or
    ///     recomputed without it fail verification.
    public static func open(
        url: String?, defaultPath: String, logger: Logger, auditKey: SymmetricKey? = nil
    ) async throws -> SQLHeadroomStore {
        var store: SQLHeadroomStore
        switch try StoreLocation(url: url, defaultPath: defaultPath) {
        case .sqlite(let path):
            store = try await openSQLite(path: path, logger: logger)
        case .postgres(let url):
            store = try await openPostgres(url: url, logger: logger)
        }
        store.auditKey = auditKey
        do {
            try await store.migrate()
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }

    private static func openSQLite(path: String, logger: Logger) async throws -> SQLHeadroomStore {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.configuration, "cannot create the folder for the SQLite database '\(path)': \(error)")
        }
        try createPrivately(path: path)
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: threadPool, logger: logger,
                on: MultiThreadedEventLoopGroup.singleton.any())
        } catch {
            try? await threadPool.shutdownGracefully()
            throw StoreError(.database, "cannot open the SQLite database '\(path)': \(error)")
        }
        let store = SQLHeadroomStore(backend: .sqlite(connection, AsyncLock(), threadPool), logger: logger)
        do {
            // busy_timeout replaces sqlite-nio's spinning busy handler with a sleeping one: another process holding
            // the write lock is waited for, up to 30 s.
            try await store.withDatabase { database in
                try await database.raw("PRAGMA busy_timeout = 30000").run()
                try await database.raw("PRAGMA journal_mode = WAL").run()
                try await database.raw("PRAGMA synchronous = FULL").run()
                try await database.raw("PRAGMA foreign_keys = ON").run()
            }
        } catch {
            try? await store.close()
            throw StoreError(.database, "cannot configure the SQLite database '\(path)': \(error)")
        }
        return store
    }

    /// Creates the SQLite file `path` readable and writable by its owner only (0600) when it does not exist: it holds
    /// confidential prices and the audit log. SQLite gives its `-wal` and `-shm` files the database file's mode.
    /// - Throws: ``StoreError/Code/configuration`` when the file cannot be created.
    static func createPrivately(path: String) throws {
        if let failure = createOwnerOnlyFile(path) {
            throw StoreError(.configuration, "cannot create the SQLite database '\(path)': \(failure)")
        }
    }

    private static func openPostgres(url: String, logger: Logger) async throws -> SQLHeadroomStore {
        let core: PostgresConnection.Configuration
        do {
            core = try SQLPostgresConfiguration(url: url).coreConfiguration
        } catch {
            throw StoreError(.configuration, "'\(redacted(url))' is not a usable PostgreSQL URL: \(error)")
        }
        guard let host = core.host else {
            throw StoreError(.configuration, "'\(redacted(url))' names no PostgreSQL host")
        }
        let tls: PostgresClient.Configuration.TLS =
            if core.tls.isEnforced {
                .require(.makeClientConfiguration())
            } else if core.tls.isAllowed {
                .prefer(.makeClientConfiguration())
            } else {
                .disable
            }
        let configuration = PostgresClient.Configuration(
            host: host, port: core.port ?? 5432, username: core.username, password: core.password,
            database: core.database, tls: tls)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let task = Task { await client.run() }
        // Let the pool's run loop start before the first lease (PostgresNIO warns about a lease that comes first; the
        // lease would still wait for it).
        for _ in 0..<8 { await Task.yield() }
        let store = SQLHeadroomStore(backend: .postgres(client, task), logger: logger)
        do {
            try await store.withDatabase { database in try await database.raw("SELECT 1").run() }
        } catch {
            task.cancel()
            await task.value
            throw StoreError(.database, "cannot connect to PostgreSQL at '\(redacted(url))': \(error)")
        }
        return store
    }

    /// The URL without its password, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }

    public func close() async throws {
        switch backend {
        case .sqlite(let connection, let lock, let threadPool):
            try await lock.withLock {
                if !connection.isClosed { try await connection.close() }
            }
            try await threadPool.shutdownGracefully()
        case .postgres(_, let task):
            task.cancel()
            await task.value
        }
    }

    // MARK: Sessions and transactions

    /// Runs `body` on one connection, alone on it.
    func withDatabase<R: Sendable>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        switch backend {
        case .sqlite(let connection, let lock, _):
            return try await lock.withLock {
                try await body(connection.sql(queryLogLevel: .trace))
            }
        case .postgres(let client, _):
            return try await client.withConnection { connection in
                try await body(connection.sql(queryLogLevel: .trace, logger: logger))
            }
        }
    }

    /// Runs `body` in a transaction that holds the write lock from its first statement: `BEGIN IMMEDIATE` on SQLite
    /// (one writer per database file, across processes); on PostgreSQL `BEGIN` and, when `lock` is given,
    /// `pg_advisory_xact_lock(lock)`, held until commit or rollback. Rolls back when `body` throws.
    /// - Parameters:
    ///   - what: What the transaction does, for errors ("saving plan 'x'").
    func transaction<R: Sendable>(
        _ what: String, lock: LockKey? = nil, _ body: (any SQLDatabase) async throws -> R
    ) async throws -> R {
        try await withDatabase { database in
            switch flavor {
            case .sqlite:
                try await database.raw("BEGIN IMMEDIATE").run()
            case .postgres:
                try await database.raw("BEGIN").run()
                if let lock {
                    do {
                        try await database.raw("SELECT pg_advisory_xact_lock(\(literal: lock.rawValue))").run()
                    } catch {
                        try await rollback(database, what: what)
                        throw error
                    }
                }
            }
            let result: R
            do {
                result = try await body(database)
            } catch {
                try await rollback(database, what: what)
                throw error
            }
            try await database.raw("COMMIT").run()
            return result
        }
    }

    private func rollback(_ database: any SQLDatabase, what: String) async throws {
        do {
            try await database.raw("ROLLBACK").run()
        } catch {
            logger.error("rollback failed", metadata: ["operation": "\(what)", "error": "\(error)"])
        }
    }

    /// Runs `body`, turning any error that is not a ``StoreError`` into a `.database` one that says what failed.
    func run<R: Sendable>(_ what: String, _ body: () async throws -> R) async throws -> R {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "\(what) failed: \(String(reflecting: error))")
        }
    }

    /// A new random id.
    static func newID() -> String { UUID().uuidString.lowercased() }

    /// Now, to the millisecond (what the columns hold).
    static func now() -> Int64 { Date().millisecondsSince1970 }
}

/// Creates `path` with mode 0600 unless it exists.
/// - Returns: nil when created or already there, else why not.
private func createOwnerOnlyFile(_ path: String) -> String? {
    let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
        return errno == EEXIST ? nil : String(cString: strerror(errno))
    }
    // The umask can only clear bits of 0600; fchmod makes the mode exact anyway.
    _ = fchmod(descriptor, 0o600)
    close(descriptor)
    return nil
}
