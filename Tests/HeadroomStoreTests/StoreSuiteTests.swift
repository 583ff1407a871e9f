import Foundation
import HeadroomCore
import HeadroomStore
import Testing

/// One suite, run against every backend in ``TestBackend/available`` (sql-kit's SQLKitBenchmark pattern).
@Suite("Store (shared suite)", .timeLimit(.minutes(2)))
struct StoreSuiteTests {
    @Test(arguments: TestBackend.available)
    func migrationsAreIdempotentAndSafeToRunConcurrently(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { store, database in
            #expect(try await store.appliedMigrations() == [1, 2])
            // Two more instances starting at once against the same database: neither applies anything again.
            async let first = database.openResult()
            async let second = database.openResult()
            let results = await [first, second]
            for result in results {
                if case .success(let other) = result {
                    #expect(try await other.appliedMigrations() == [1, 2])
                    try await other.close()
                }
            }
            for result in results { _ = try result.get() }
            #expect(try await store.rawRows("SELECT version FROM schema_migrations").count == 2)
        }
    }

    @Test(arguments: TestBackend.available)
    func plansAreVersionedAndDiffed(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { store, _ in
            let v1 = try await store.savePlan(
                name: "chat", document: #"{"replicas": 2, "gpu": "h100", "tags": ["a"], "old": true}"#,
                confidential: false, createdBy: "ana")
            let v2 = try await store.savePlan(
                name: "chat", document: #"{"replicas": 3, "gpu": "h100", "tags": ["a", "b"], "new": {"x": 1}}"#,
                confidential: true, createdBy: "bo")
            _ = try await store.savePlan(name: "batch", document: "{}", confidential: false, createdBy: "ana")
            #expect(v1.version == 1)
            #expect(v2.version == 2)

            let latest = try await store.listPlans()
            #expect(latest.map(\.name) == ["batch", "chat"])
            #expect(latest.last?.version == 2)
            #expect(try await store.planVersions(name: "chat").map(\.version) == [1, 2])
            #expect(try await store.plan(name: "chat", version: 1) == v1)
            #expect(try await store.plan(name: "chat", version: nil) == v2)
            #expect(try await store.plan(name: "nope", version: nil) == nil)

            let diff = try await store.diffPlan(name: "chat", from: 1, to: 2)
            #expect(
                diff.changes == [
                    .init(kind: .added, path: "/new", oldValue: nil, newValue: .object(["x": .number(1)])),
                    .init(kind: .removed, path: "/old", oldValue: .bool(true), newValue: nil),
                    .init(kind: .changed, path: "/replicas", oldValue: .number(2), newValue: .number(3)),
                    .init(kind: .added, path: "/tags/1", oldValue: nil, newValue: .string("b")),
                ])
            let missing = await #expect(throws: StoreError.self) {
                try await store.diffPlan(name: "chat", from: 1, to: 9)
            }
            #expect(missing?.code == .notFound)
            let error = await #expect(throws: StoreError.self) {
                try await store.savePlan(name: "chat", document: "not json", confidential: false, createdBy: "ana")
            }
            #expect(error?.code == .invalidInput)
        }
    }

    @Test(arguments: TestBackend.available)
    func entitiesRoundTripWithConfidentialFlags(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { store, _ in
            let secretPlan = try await store.savePlan(
                name: "deal", document: #"{"price": 1.5}"#, confidential: true, createdBy: "ana")
            let openPlan = try await store.savePlan(
                name: "open", document: #"{"price": 2}"#, confidential: false, createdBy: "ana")
            #expect(try await store.plan(name: "deal", version: 1)?.confidential == true)
            #expect(try await store.plan(name: "open", version: 1)?.confidential == false)
            #expect(secretPlan.confidential && !openPlan.confidential)

            let book = try await store.savePriceBook(
                name: "negotiated", yaml: "prices: []\n", confidential: true, createdBy: "ana")
            #expect(try await store.priceBook(id: book.id) == book)
            #expect(try await store.listPriceBooks().map(\.confidential) == [true])

            let workload = try await store.saveWorkload(name: "chat", yaml: "rate: 10\n", createdBy: "bo")
            #expect(try await store.workload(id: workload.id) == workload)
            #expect(try await store.listWorkloads() == [workload])

            let run = try await store.saveBenchRun(label: "h100 run", result: Self.benchResult, createdBy: "bo")
            #expect(run.accelerator == "h100-sxm")
            #expect(run.stack == "vllm")
            #expect(run.model == "llama-3.1-8b")
            #expect(run.resultJSON.contains(#""schema_version":"headroom.bench/1""#))
            #expect(try await store.benchRun(id: run.id) == run)
            #expect(try await store.listBenchRuns() == [run])
        }
    }

    @Test(arguments: TestBackend.available)
    func apiKeysAreHashedAtRestAndRevocable(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { store, database in
            let ana = try await store.createUser(name: "ana", role: .planner, createdBy: "admin")
            let taken = await #expect(throws: StoreError.self) {
                try await store.createUser(name: "ana", role: .viewer, createdBy: "admin")
            }
            #expect(taken?.code == .conflict)
            #expect(try await store.user(name: "ana") == ana)

            let (key, secret) = try await store.createAPIKey(user: "ana", name: "laptop", createdBy: "admin")
            let expectedStart = "hr_\(key.prefix)_"
            #expect(secret.hasPrefix(expectedStart))
            #expect(secret.count == 59)
            let (other, _) = try await store.createAPIKey(user: "ana", name: "ci", createdBy: "admin")
            #expect(key.prefix != other.prefix)

            let authenticated = try #require(try await store.authenticate(apiKey: secret))
            #expect(authenticated.user == ana)
            #expect(authenticated.key.id == key.id)
            #expect(authenticated.key.lastUsedAt != nil)
            var wrong = Array(secret)
            wrong[wrong.count - 1] = wrong[wrong.count - 1] == "A" ? "B" : "A"
            #expect(try await store.authenticate(apiKey: String(wrong)) == nil)
            #expect(try await store.authenticate(apiKey: "hr_nonsense") == nil)

            // The secret is nowhere at rest: not in any column, not in the SQLite file or its write-ahead log.
            let secretPart = String(secret.suffix(43))
            let rows = try await store.rawRows("SELECT * FROM api_keys")
            #expect(rows.count == 2)
            for row in rows {
                for value in row.values {
                    #expect(value?.contains(secretPart) != true)
                }
            }
            if let path = database.sqlitePath {
                for file in [path, path + "-wal"] {
                    guard let bytes = FileManager.default.contents(atPath: file) else { continue }
                    #expect(bytes.range(of: Data(secretPart.utf8)) == nil, "secret found in \(file)")
                    #expect(bytes.range(of: Data(secret.utf8)) == nil, "key found in \(file)")
                }
            }

            try await store.revokeAPIKey(id: key.id)
            #expect(try await store.authenticate(apiKey: secret) == nil)
            #expect(try await store.listAPIKeys(user: "ana").first { $0.id == key.id }?.isRevoked == true)
            let missing = await #expect(throws: StoreError.self) { try await store.revokeAPIKey(id: "no-such-key") }
            #expect(missing?.code == .notFound)
        }
    }

    @Test(arguments: TestBackend.available)
    func auditChainVerifiesAndExports(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { store, _ in
            #expect(try await store.verifyAudit() == AuditVerification(isValid: true, count: 0))
            for index in 1...5 {
                let record = try await store.appendAudit(Self.event(index))
                #expect(record.seq == Int64(index))
            }
            let verification = try await store.verifyAudit()
            #expect(verification.isValid)
            #expect(verification.count == 5)
            let records = try await store.exportAudit()
            #expect(records.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(records.first?.prevHash == AuditChain.genesisHash)
            #expect(records[1].prevHash == records[0].hash)
            #expect(verification.headHash == records.last?.hash)
            #expect(records[2].detail == "event 3")
            #expect(records[2].objectID == nil)
            // An export verifies on its own, after a JSON round trip.
            let lines = try records.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
            #expect(lines[0].contains(#""prev_hash""#))
            let decoded = try lines.map { try JSONDecoder().decode(AuditRecord.self, from: Data($0.utf8)) }
            #expect(AuditChain.verify(decoded).isValid)
        }
    }

    enum Tampering: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case editDetail
        case deleteMiddleRow
        case swapSeq

        var testDescription: String { rawValue }

        var statements: [String] {
            switch self {
            case .editDetail: ["UPDATE audit_events SET detail = 'nothing to see' WHERE seq = 3"]
            case .deleteMiddleRow: ["DELETE FROM audit_events WHERE seq = 3"]
            case .swapSeq:
                [
                    "UPDATE audit_events SET seq = -1 WHERE seq = 2",
                    "UPDATE audit_events SET seq = 2 WHERE seq = 3",
                    "UPDATE audit_events SET seq = 3 WHERE seq = -1",
                ]
            }
        }

        /// The seq the verification must name.
        var firstBadSeq: Int64 {
            switch self {
            case .editDetail: 3
            case .deleteMiddleRow: 4
            case .swapSeq: 2
            }
        }
    }

    @Test(arguments: TestBackend.available, Tampering.allCases)
    func auditTamperingIsDetected(backend: TestBackend, tampering: Tampering) async throws {
        try await TestDatabase.with(backend) { store, _ in
            for index in 1...5 { _ = try await store.appendAudit(Self.event(index)) }
            #expect(try await store.verifyAudit().isValid)
            for statement in tampering.statements { try await store.executeRaw(statement) }
            let verification = try await store.verifyAudit()
            #expect(!verification.isValid)
            #expect(verification.firstBadSeq == tampering.firstBadSeq)
            #expect(verification.reason != nil)
        }
    }

    @Test(arguments: TestBackend.available)
    func concurrentAppendsFromTwoInstancesKeepOneChain(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { store, database in
            let other = try await database.open()
            let perInstance = 25
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (name, instance) in [("one", store), ("two", other)] {
                        for index in 0..<perInstance {
                            group.addTask {
                                _ = try await instance.appendAudit(
                                    AuditEvent(
                                        actor: name, action: "plan.save", objectType: "plan", outcome: "success",
                                        detail: "\(name) \(index)"))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            } catch {
                try? await other.close()
                throw error
            }
            try await other.close()
            let verification = try await store.verifyAudit()
            #expect(verification.isValid, "\(verification.reason ?? "")")
            #expect(verification.count == 2 * perInstance)
            let records = try await store.exportAudit()
            #expect(records.map(\.seq) == (1...Int64(2 * perInstance)).map { $0 })
            #expect(Set(records.compactMap(\.detail)).count == 2 * perInstance)
        }
    }

    static func event(_ index: Int) -> AuditEvent {
        AuditEvent(
            actor: "ana", action: "plan.save", objectType: "plan", objectID: index == 3 ? nil : "plan-\(index)",
            requestID: "req-\(index)", outcome: index == 4 ? "denied" : "success", detail: "event \(index)",
            timestamp: Date(timeIntervalSince1970: 1_750_000_000 + Double(index)))
    }

    static let benchResult = BenchResult(
        tool: "headroom bench 0.1", startedAt: "2025-06-01T00:00:00Z",
        target: BenchTarget(
            url: "http://127.0.0.1:8080", api: "chat", model: "served-name", acceleratorID: "h100-sxm",
            acceleratorCount: 1, stackID: "vllm", catalogModelID: "llama-3.1-8b"),
        load: BenchLoad(mode: "concurrency", concurrency: 4, requests: 10, dataset: "synthetic"), requests: [],
        aggregates: BenchAggregates(
            durationSeconds: 10, completed: 10, outcomes: ["success": 10], requestsPerSecond: 1,
            outputTokensPerSecond: 100, totalTokensPerSecond: 200, meanInputTokens: 100, meanOutputTokens: 100,
            outputTokensFromUsage: true, clientBottleneck: false))
}
