import Foundation
import HeadroomStore
import Testing

/// A save and its audit event commit in one transaction: both or neither.
@Suite(.timeLimit(.minutes(2)))
struct AtomicAuditTests {
    static func event(_ target: String) -> AuditEvent {
        AuditEvent(
            actor: "pat", action: "POST /v1/plans", objectType: "plan", objectID: target, requestID: "r",
            outcome: "success", timestamp: Date())
    }

    @Test(arguments: TestBackend.available)
    func everySaveCommitsWithItsEvent(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { store, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        _ = try await store.savePlan(
                            name: "p\(index % 3)", document: "{}", confidential: false, createdBy: "pat"
                        ) { plan in Self.event("\(plan.name)@\(plan.version)") }
                        _ = try await store.saveWorkload(
                            name: "w\(index)", yaml: "{}", confidential: false, createdBy: "pat",
                            audit: Self.event("w\(index)"))
                    }
                }
                try await group.waitForAll()
            }
            let records = try await store.exportAudit()
            let ids = Set(records.compactMap(\.objectID))
            for plan in try await store.listPlans() {
                for version in try await store.planVersions(name: plan.name) {
                    #expect(ids.contains("\(version.name)@\(version.version)"))
                }
            }
            for workload in try await store.listWorkloads() { #expect(ids.contains(workload.name)) }
            #expect(records.count == 24)
            #expect(try await store.verifyAudit().isValid)
        }
    }

    /// An audit insert that fails takes the plan version with it (SQLite: a trigger refuses the insert).
    @Test func aFailedAuditAppendRollsBackTheSave() async throws {
        try await TestDatabase.with(.sqlite) { store, _ in
            try await store.executeRaw(
                "CREATE TRIGGER refuse BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'refused'); END")
            await #expect(throws: StoreError.self) {
                _ = try await store.savePlan(name: "p", document: "{}", confidential: false, createdBy: "pat") {
                    Self.event("\($0.name)@\($0.version)")
                }
            }
            await #expect(throws: StoreError.self) {
                _ = try await store.saveWorkload(
                    name: "w", yaml: "{}", confidential: false, createdBy: "pat", audit: Self.event("w"))
            }
            #expect(try await store.planVersions(name: "p").isEmpty)
            #expect(try await store.listWorkloads().isEmpty)
        }
    }
}
