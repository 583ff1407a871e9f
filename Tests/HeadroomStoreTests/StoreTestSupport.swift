import Foundation
import HeadroomStore
import Logging
import Testing

/// The databases the shared suite runs against: an SQLite file always; PostgreSQL when `HEADROOM_TEST_POSTGRES_URL`
/// is set (start one with `scripts/postgres start`). `HEADROOM_REQUIRE_POSTGRES=1` makes its absence a failure.
enum TestBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let postgresURL: String? = {
        guard let url = ProcessInfo.processInfo.environment["HEADROOM_TEST_POSTGRES_URL"], !url.isEmpty else {
            return nil
        }
        return url
    }()

    static let isPostgresRequired = ProcessInfo.processInfo.environment["HEADROOM_REQUIRE_POSTGRES"] == "1"

    /// Every backend available here.
    static let available: [TestBackend] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]

    var testDescription: String { rawValue }
}

/// A fresh, empty database for one test, and how to open more stores on it (as a second server instance would).
struct TestDatabase: Sendable {
    let backend: TestBackend
    /// The URL a store opens.
    let url: String
    /// The SQLite file, for looking at the bytes at rest.
    let sqlitePath: String?

    static let logger = Logger(label: "headroom.store.tests")

    func open() async throws -> SQLHeadroomStore {
        try await SQLHeadroomStore.open(url: url, defaultPath: "unused.sqlite", logger: Self.logger)
    }

    /// ``open()`` as a result, so that a caller opening several at once can close the ones that opened.
    func openResult() async -> Result<SQLHeadroomStore, any Error> {
        do {
            return .success(try await open())
        } catch {
            return .failure(error)
        }
    }

    /// Runs `body` with a new store on a new database, then closes the store and removes the database.
    static func with(
        _ backend: TestBackend, _ body: (SQLHeadroomStore, TestDatabase) async throws -> Void
    ) async throws {
        let database = try await make(backend)
        let store = try await database.open()
        do {
            try await body(store, database)
        } catch {
            try? await store.close()
            try? await database.drop()
            throw error
        }
        try await store.close()
        try await database.drop()
    }

    static func make(_ backend: TestBackend) async throws -> TestDatabase {
        let name = "headroom_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(name)
            let path = directory.appendingPathComponent("headroom.sqlite").path
            return TestDatabase(backend: .sqlite, url: "sqlite://" + path, sqlitePath: path)
        case .postgres:
            let base = try #require(TestBackend.postgresURL, "HEADROOM_TEST_POSTGRES_URL is not set")
            try await withAdmin(base) { admin in try await admin.executeRaw("CREATE DATABASE \(name)") }
            var components = try #require(URLComponents(string: base), "HEADROOM_TEST_POSTGRES_URL is not a URL")
            components.path = "/" + name
            return TestDatabase(backend: .postgres, url: try #require(components.string), sqlitePath: nil)
        }
    }

    func drop() async throws {
        switch backend {
        case .sqlite:
            if let sqlitePath {
                try? FileManager.default.removeItem(at: URL(fileURLWithPath: sqlitePath).deletingLastPathComponent())
            }
        case .postgres:
            guard let base = TestBackend.postgresURL, let name = URLComponents(string: url)?.path.dropFirst() else {
                return
            }
            try await Self.withAdmin(base) { admin in
                try await admin.executeRaw("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            }
        }
    }

    private static func withAdmin(_ url: String, _ body: (SQLHeadroomStore) async throws -> Void) async throws {
        let admin = try await SQLHeadroomStore.open(url: url, defaultPath: "unused.sqlite", logger: logger)
        do {
            try await body(admin)
        } catch {
            try? await admin.close()
            throw error
        }
        try await admin.close()
    }
}
