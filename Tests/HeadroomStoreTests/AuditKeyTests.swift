import Crypto
import Foundation
import HeadroomStore
import Testing

/// An audit key kept outside the database makes the chain an HMAC: whoever can write to the database but lacks the
/// key cannot append or recompute rows that verify.
@Suite(.timeLimit(.minutes(2)))
struct AuditKeyTests {
    static let key = SymmetricKey(data: Array("an audit key of at least 32 bytes, kept elsewhere".utf8))

    static func event(_ index: Int) -> AuditEvent {
        AuditEvent(
            actor: "pat", action: "POST /v1/plans", objectType: "plan", objectID: "p@\(index)", outcome: "success")
    }

    @Test(arguments: TestBackend.available)
    func rowsAppendedWithoutTheKeyFailVerification(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { _, database in
            let keyed = try await SQLHeadroomStore.open(
                url: database.url, defaultPath: "unused.sqlite", logger: TestDatabase.logger, auditKey: Self.key)
            for index in 1...3 { _ = try await keyed.appendAudit(Self.event(index)) }
            #expect(try await keyed.verifyAudit().isValid)
            // Without the key the keyed chain does not verify: it is not a plain SHA-256 chain.
            let unkeyed = try await database.open()
            #expect(try await unkeyed.verifyAudit().isValid == false)
            // A writer without the key appends a row that chains correctly by SHA-256…
            _ = try await unkeyed.appendAudit(Self.event(4))
            let verification = try await keyed.verifyAudit()
            #expect(verification.isValid == false)
            #expect(verification.firstBadSeq == 4)
            try await unkeyed.close()
            try await keyed.close()
        }
    }

    @Test func aChainRecomputedWithoutTheKeyFailsVerification() throws {
        var records: [AuditRecord] = []
        var previous = AuditChain.genesisHash
        for index in 1...3 {
            var record = AuditRecord(
                seq: Int64(index), timestampMilliseconds: 1_000, actor: "pat", action: "a", objectType: "plan",
                objectID: "p@\(index)", requestID: nil, outcome: "success", detail: nil, prevHash: previous, hash: "")
            record.hash = AuditChain.hash(of: record, prevHash: previous, key: Self.key)
            previous = record.hash
            records.append(record)
        }
        #expect(AuditChain.verify(records, key: Self.key).isValid)
        // Edit the first row and recompute every hash, as someone with database access but no key would.
        var forged = records
        forged[0].actor = "mallory"
        previous = AuditChain.genesisHash
        for index in forged.indices {
            forged[index].prevHash = previous
            forged[index].hash = AuditChain.hash(of: forged[index], prevHash: previous)
            previous = forged[index].hash
        }
        #expect(AuditChain.verify(forged).isValid, "a recomputed plain chain verifies without a key")
        let result = AuditChain.verify(forged, key: Self.key)
        #expect(result.isValid == false)
        #expect(result.firstBadSeq == 1)
        // A wrong key fails too.
        let wrong = SymmetricKey(data: Array("another key, also at least 32 bytes long".utf8))
        #expect(AuditChain.verify(records, key: wrong).isValid == false)
    }

    @Test func aShortKeyFileIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("short-\(UUID()).key").path
        try "too short".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: StoreError.self) { try AuditChain.key(fromFile: path) }
    }
}
