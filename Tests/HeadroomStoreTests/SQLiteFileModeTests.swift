import Foundation
import HeadroomStore
import Testing

/// The SQLite file holds confidential prices, key hashes and the audit log: only its owner may read it.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteFileModeTests {
    @Test func theSQLiteFileAndItsLogAreCreatedOwnerOnlyWhateverTheUmask() async throws {
        let database = try await TestDatabase.make(.sqlite)
        let path = try #require(database.sqlitePath)
        // A permissive umask: the 0644 (or 0666) a default open would give must not appear.
        let previous = umask(0)
        defer { umask(previous) }
        let store = try await database.open()
        _ = try await store.savePlan(name: "p", document: "{}", confidential: true, createdBy: "t")
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            let mode = try #require(attributes[.posixPermissions] as? NSNumber).intValue
            #expect(mode & 0o777 == 0o600, "\(file) has mode \(String(mode, radix: 8))")
        }
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        try await store.close()
        try await database.drop()
    }
}
