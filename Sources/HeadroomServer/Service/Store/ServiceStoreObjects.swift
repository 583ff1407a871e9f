package import HeadroomCore
package import HeadroomOperations

/// A ``ServiceStore``'s workloads, price books and saved plans as the operations name them, with the service's
/// rules for confidential objects: a caller who may not read them is refused (403), and every confidential read is
/// appended to the audit log.
///
/// `headroom serve` reads its own store through it; `headroom mcp --store` reads a local database the same way.
package struct ServiceStoreObjects: StoredObjects {
    package var store: any ServiceStore

    package init(store: any ServiceStore) {
        self.store = store
    }

    /// A confidential stored workload is a confidential read, as a confidential price book is: a viewer may not
    /// compute with it (its negotiated prices would shape the results), and a planner's or admin's use is audited.
    package func workload(named name: String, caller: Caller?) async throws -> String? {
        guard let stored = try await store.document(.workload, name: name) else { return nil }
        if stored.confidential {
            guard let caller, caller.mayReadConfidential, let actor = caller.auditName else {
                throw OperationError(
                    .forbidden, "workload '\(name)' is confidential: computing with it needs the planner role",
                    field: "workload_name")
            }
            try await auditConfidentialRead(actor: actor, caller: caller, target: "workload:\(name)")
        }
        return stored.document
    }

    /// A confidential book is a confidential read: a viewer may not compute with it (its prices would come back in
    /// the results), and a planner's or admin's use of it is appended to the audit log.
    package func priceBook(named name: String, caller: Caller) async throws -> String? {
        guard let stored = try await store.document(.priceBook, name: name) else { return nil }
        if stored.confidential {
            guard caller.mayReadConfidential, let actor = caller.auditName else {
                throw OperationError(
                    .forbidden, "price book '\(name)' is confidential: computing with it needs the planner role",
                    field: "price_book")
            }
            try await auditConfidentialRead(actor: actor, caller: caller, target: "price-book:\(name)")
        }
        return stored.document
    }

    package func plans() async throws -> [SavedPlanSummary] {
        try await store.listPlans().map {
            SavedPlanSummary(name: $0.name, version: $0.version, author: $0.author, confidential: $0.confidential)
        }
    }

    /// As `GET /v1/plans/{name}` answers: costs stripped for viewers when confidential, and a confidential read
    /// appended to the audit log.
    package func plan(named name: String, version: Int?, caller: Caller) async throws -> JSONValue? {
        guard let plan = try await store.plan(name: name, version: version) else { return nil }
        if plan.confidential {
            _ = try await store.appendAudit(
                AuditEventDraft(
                    actor: caller.auditName ?? "anonymous", action: caller.action,
                    target: "plan:\(name)@\(plan.version)", requestID: caller.requestID, outcome: "success"))
        }
        return try plan.readable(by: caller.mayReadConfidential ? .planner : .viewer)
    }

    private func auditConfidentialRead(actor: String, caller: Caller, target: String) async throws {
        _ = try await store.appendAudit(
            AuditEventDraft(
                actor: actor, action: caller.action, target: target, requestID: caller.requestID,
                outcome: "success: confidential read"))
    }
}
