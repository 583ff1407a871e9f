import Foundation
import HeadroomCore
import HeadroomServer
import HeadroomStore
import Testing

/// `headroom audit verify --audit-key-file`: a keyed chain verifies with its key, and a row appended by someone with
/// database access but not the key is found.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct AuditKeyCommandTests {
    @Test func aRowAppendedWithoutTheAuditKeyFailsVerify() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = "sqlite://" + folder.appendingPathComponent("headroom.sqlite").path
        let keyFile = folder.appendingPathComponent("audit.key").path
        try "0123456789abcdef0123456789abcdef-audit\n".write(toFile: keyFile, atomically: true, encoding: .utf8)

        let keyed = try await SQLServiceStore.open(url: url, auditKey: try AuditChain.key(fromFile: keyFile))
        for index in 1...3 {
            _ = try await keyed.appendAudit(
                AuditEventDraft(
                    actor: "pat", action: "POST /v1/plans", target: "plan:q@\(index)", requestID: "r",
                    outcome: "success"))
        }
        try await keyed.close()

        let verified = try runHeadroom(["audit", "verify", "--database-url", url, "--audit-key-file", keyFile])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("audit chain intact: 3 events"))
        let withoutKey = try runHeadroom(["audit", "verify", "--database-url", url])
        #expect(withoutKey.status != 0, "a keyed chain is not a plain SHA-256 chain")

        // Someone with write access to the database, without the key, appends a row that chains by SHA-256.
        let forger = try await SQLServiceStore.open(url: url)
        _ = try await forger.appendAudit(
            AuditEventDraft(
                actor: "mallory", action: "POST /v1/keys", target: "key:x", requestID: "r",
                outcome: "success"))
        try await forger.close()
        let forged = try runHeadroom(["audit", "verify", "--database-url", url, "--audit-key-file", keyFile])
        #expect(forged.status != 0)
        #expect((forged.stdout + forged.stderr).contains("seq 4"), "\(forged.stdout)\(forged.stderr)")
    }
}
