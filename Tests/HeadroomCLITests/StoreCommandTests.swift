import Foundation
import HeadroomCore
import HeadroomServer
import HeadroomStore
import Testing

/// `headroom plan --save`, `headroom plans` and `headroom audit` on the database `headroom serve` uses.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct StoreCommandTests {
    static let workloadYAML = """
        model: llama-3.1-8b
        traffic: {peak_rps: 4, requests: 200}
        lengths: {input: {dist: fixed, value: 500}, output: {dist: fixed, value: 200}}
        slo: {ttft_ms: 2000, tpot_ms: 100}
        constraints: {accelerators: [h100-sxm], stacks: [vllm]}
        """

    @Test(arguments: ServeDatabase.available)
    func savedPlansAreListedShownDiffedAndAudited(database: ServeDatabase) async throws {
        try await database.with { url in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let workload = folder.appendingPathComponent("workload.yaml").path
            try Self.workloadYAML.write(toFile: workload, atomically: true, encoding: .utf8)

            let first = try runHeadroom(["plan", workload, "--format", "json", "--save", "q3", "--database-url", url])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stderr.contains("saved plan 'q3' version 1"))
            let second = try runHeadroom([
                "plan", workload, "--top", "2", "--save", "q3", "--confidential", "--database-url", url,
            ])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stderr.contains("version 2"))
            #expect(try runHeadroom(["plan", workload, "--save", "bad name", "--database-url", url]).status != 0)

            let list = try runHeadroom(["plans", "list", "--format", "json", "--database-url", url])
            #expect(list.status == 0, "\(list.stderr)")
            let plans = try #require(
                try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
            #expect(plans.count == 1)
            #expect(plans.first?["version"] as? Int == 2)
            #expect(plans.first?["confidential"] as? Bool == true)
            #expect(plans.first?["author"] as? String == "cli:tester")

            let show = try runHeadroom(["plans", "show", "q3", "--version", "1", "--database-url", url])
            #expect(show.status == 0, "\(show.stderr)")
            #expect(
                show.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    == first.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(try runHeadroom(["plans", "show", "q3", "--version", "7", "--database-url", url]).status != 0)

            let diff = try runHeadroom([
                "plans", "diff", "q3", "--from", "1", "--to", "2", "--format", "json", "--database-url", url,
            ])
            #expect(diff.status == 0, "\(diff.stderr)")
            let changes = try #require(
                try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
            #expect((changes["changes"] as? [Any])?.isEmpty == false)
            let table = try runHeadroom(["plans", "diff", "q3", "--from", "1", "--to", "2", "--database-url", url])
            #expect(table.status == 0 && table.stdout.contains("changes"), "\(table.stderr)")

            let verify = try runHeadroom(["audit", "verify", "--database-url", url])
            #expect(verify.status == 0, "\(verify.stderr)")
            // Two saves, and two reads of the confidential version 2.
            #expect(verify.stdout.contains("audit chain intact: 4 events"))

            let exported = folder.appendingPathComponent("audit.jsonl")
            let export = try runHeadroom(["audit", "export", "--output", exported.path, "--database-url", url])
            #expect(export.status == 0, "\(export.stderr)")
            let lines = try String(contentsOf: exported, encoding: .utf8).split(separator: "\n")
            let records = try lines.map { try JSONDecoder().decode(AuditRecord.self, from: Data($0.utf8)) }
            #expect(records.map(\.seq) == [1, 2, 3, 4])
            #expect(records.allSatisfy { $0.actor == "cli:tester" })
            #expect(records.map(\.objectID) == ["q3@1", "q3@2", "q3@1..2", "q3@1..2"])
            #expect(records.map(\.action).suffix(2) == ["headroom plans diff", "headroom plans diff"])
            #expect(AuditChain.verify(records).isValid)

            // Tampering with the second record is found, and named.
            let store = try await SQLServiceStore.open(url: url)
            try await #require(store.store as? SQLHeadroomStore).executeRaw(
                "UPDATE audit_events SET actor = 'someone' WHERE seq = 2")
            try await store.close()
            let broken = try runHeadroom(["audit", "verify", "--database-url", url])
            #expect(broken.status != 0)
            #expect(broken.stderr.contains("seq 2"), "\(broken.stderr)")
        }
    }

    /// Rows deleted from the end leave a valid chain; the anchor written by the last check finds them.
    @Test(arguments: ServeDatabase.available)
    func anAnchorDetectsRowsDeletedFromTheEnd(database: ServeDatabase) async throws {
        try await database.with { url in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let workload = folder.appendingPathComponent("workload.yaml").path
            try Self.workloadYAML.write(toFile: workload, atomically: true, encoding: .utf8)
            for _ in 0..<3 {
                #expect(try runHeadroom(["plan", workload, "--save", "q3", "--database-url", url]).status == 0)
            }
            let anchor = folder.appendingPathComponent("anchor.json").path
            let exported = folder.appendingPathComponent("audit.jsonl").path
            let first = try runHeadroom(["audit", "verify", "--write-anchor", anchor, "--database-url", url])
            #expect(first.status == 0 && first.stdout.contains("3 events"), "\(first.stderr)")
            #expect(try runHeadroom(["audit", "export", "--output", exported, "--database-url", url]).status == 0)
            let file = try runHeadroom(["audit", "verify", "--file", exported, "--anchor", anchor])
            #expect(file.status == 0 && file.stdout.contains("anchored head is still in place"), "\(file.stderr)")
            #expect(try runHeadroom(["plan", workload, "--save", "q3", "--database-url", url]).status == 0)
            let grown = try runHeadroom(["audit", "verify", "--anchor", anchor, "--database-url", url])
            #expect(grown.status == 0 && grown.stdout.contains("4 events"), "\(grown.stderr)")

            let store = try await SQLServiceStore.open(url: url)
            try await #require(store.store as? SQLHeadroomStore).executeRaw("DELETE FROM audit_events WHERE seq >= 3")
            try await store.close()
            let plain = try runHeadroom(["audit", "verify", "--database-url", url])
            #expect(plain.status == 0, "two events still chain correctly: the anchor is what finds the loss")
            let anchored = try runHeadroom(["audit", "verify", "--anchor", anchor, "--database-url", url])
            #expect(anchored.status != 0)
            #expect(anchored.stderr.contains("truncated"), "\(anchored.stderr)")
        }
    }

    @Test(arguments: ServeDatabase.available)
    func benchRunsAreSavedListedAndShown(database: ServeDatabase) async throws {
        try await database.with { url in
            let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("HeadroomBenchTests/Fixtures/vllm-bench-serve.json").path
            #expect(try runHeadroom(["bench", "list", "--database-url", url]).stdout.contains("no stored bench runs"))
            let imported = try runHeadroom([
                "bench", "import", fixture, "--accelerator", "h100-sxm", "--save", "vllm-h100", "--database-url", url,
            ])
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stderr.contains("saved bench run 'vllm-h100'"))
            let bad = try runHeadroom(["bench", "import", fixture, "--save", "no/slash", "--database-url", url])
            #expect(bad.status != 0)

            let list = try runHeadroom(["bench", "list", "--format", "json", "--database-url", url])
            #expect(list.status == 0, "\(list.stderr)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
            #expect(rows.map { $0["name"] as? String } == ["vllm-h100"])
            #expect(rows.first?["accelerator"] as? String == "h100-sxm")
            #expect((rows.first?["completed"] as? Int ?? 0) > 0)

            // The stored document is the imported result (the same JSON, compacted by the store).
            let show = try runHeadroom(["bench", "list", "--show", "vllm-h100", "--database-url", url])
            #expect(show.status == 0, "\(show.stderr)")
            let stored = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? NSDictionary
            let original = try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? NSDictionary
            let same = stored != nil && stored == original
            #expect(same, "the stored run differs from the imported one")
            #expect(try runHeadroom(["bench", "list", "--show", "nope", "--database-url", url]).status != 0)

            let verify = try runHeadroom(["audit", "verify", "--database-url", url])
            #expect(verify.stdout.contains("audit chain intact: 1 events"), "\(verify.stdout)\(verify.stderr)")
        }
    }
}
