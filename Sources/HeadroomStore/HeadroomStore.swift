public import HeadroomCore

/// Persistence for the team service: workloads, versioned plans, bench runs, price books, users and API keys, and a
/// hash-chained audit log. ``SQLHeadroomStore`` implements it over SQLite (one file, no set-up) or PostgreSQL (several
/// server instances sharing one database).
///
/// Every write runs in a transaction; nothing stored is ever updated in place except an API key's `revoked_at` and
/// `last_used_at`. Errors are ``StoreError``s.
public protocol HeadroomStore: Sendable {
    // MARK: Workloads

    /// Stores a workload file; a confidential one (its `pricing.overrides` are negotiated prices) is redacted for
    /// viewers by the service.
    /// - Parameter audit: an event appended to the audit chain in the same transaction, so the workload and its event
    ///   commit together or not at all.
    func saveWorkload(
        name: String, yaml: String, confidential: Bool, createdBy: String, audit: AuditEvent?
    ) async throws -> StoredWorkload
    func workload(id: String) async throws -> StoredWorkload?
    /// Every workload, newest first.
    func listWorkloads() async throws -> [StoredWorkload]

    // MARK: Plans

    /// Stores a plan document as the next version of the plan called `name` (version 1 for a new name).
    /// - Throws: ``StoreError/Code/invalidInput`` when `document` is not JSON or `name` is empty.
    /// - Parameter audit: the event of the version saved, appended to the audit chain in the same transaction.
    func savePlan(
        name: String, document: String, confidential: Bool, createdBy: String,
        audit: (@Sendable (StoredPlan) -> AuditEvent)?
    ) async throws -> StoredPlan
    /// The latest version of every plan, by name.
    func listPlans() async throws -> [StoredPlan]
    /// Every version of one plan, oldest first (empty when there is no such plan).
    func planVersions(name: String) async throws -> [StoredPlan]
    /// One version of a plan; the latest when `version` is nil.
    func plan(name: String, version: Int?) async throws -> StoredPlan?
    /// What changed from version `from` to version `to` of one plan.
    /// - Throws: ``StoreError/Code/notFound`` naming the missing version.
    func diffPlan(name: String, from: Int, to: Int) async throws -> PlanDiff

    // MARK: Bench runs

    /// Stores a benchmark result with a label; accelerator, stack and model are copied into columns for listing.
    /// - Parameter audit: an event appended to the audit chain in the same transaction.
    func saveBenchRun(
        label: String, result: BenchResult, createdBy: String, audit: AuditEvent?
    ) async throws -> StoredBenchRun
    func benchRun(id: String) async throws -> StoredBenchRun?
    /// Every bench run, newest first.
    func listBenchRuns() async throws -> [StoredBenchRun]

    // MARK: Price books

    /// - Parameter audit: an event appended to the audit chain in the same transaction.
    func savePriceBook(
        name: String, yaml: String, confidential: Bool, createdBy: String, audit: AuditEvent?
    ) async throws
        -> StoredPriceBook
    func priceBook(id: String) async throws -> StoredPriceBook?
    /// Every price book, newest first.
    func listPriceBooks() async throws -> [StoredPriceBook]

    // MARK: Users and API keys

    /// - Throws: ``StoreError/Code/conflict`` when the name is taken.
    func createUser(name: String, role: UserRole, createdBy: String) async throws -> StoreUser
    func user(name: String) async throws -> StoreUser?
    func listUsers() async throws -> [StoreUser]
    /// Makes a new API key for the user called `user`. Only its SHA-256 hash is stored.
    /// - Returns: The key's record and the plaintext key, which is never shown again.
    func createAPIKey(user: String, name: String, createdBy: String) async throws -> (key: APIKeyRecord, secret: String)
    /// The keys of one user (or of everyone), newest first.
    func listAPIKeys(user: String?) async throws -> [APIKeyRecord]
    /// The user and key that `apiKey` belongs to, when it is a live key; records its use.
    func authenticate(apiKey: String) async throws -> (user: StoreUser, key: APIKeyRecord)?
    /// Marks a key revoked; revoking twice keeps the first time.
    /// - Throws: ``StoreError/Code/notFound`` for an unknown id.
    func revokeAPIKey(id: String) async throws

    // MARK: Audit log

    /// Appends an event to the hash chain, serialised with every other append to the same database.
    func appendAudit(_ event: AuditEvent) async throws -> AuditRecord
    /// Walks the whole chain and reports the first row that was edited, deleted or reordered.
    func verifyAudit() async throws -> AuditVerification
    /// Every audit record in order, for export (one JSON object a line).
    func exportAudit() async throws -> [AuditRecord]

    /// Releases connections and threads. Call once, last.
    func close() async throws
}

extension HeadroomStore {
    /// Stores a workload file that is not confidential.
    public func saveWorkload(name: String, yaml: String, createdBy: String) async throws -> StoredWorkload {
        try await saveWorkload(name: name, yaml: yaml, confidential: false, createdBy: createdBy, audit: nil)
    }

    /// Stores a workload file, without an audit event.
    public func saveWorkload(
        name: String, yaml: String, confidential: Bool, createdBy: String
    ) async throws -> StoredWorkload {
        try await saveWorkload(name: name, yaml: yaml, confidential: confidential, createdBy: createdBy, audit: nil)
    }

    /// Stores a plan version, without an audit event.
    public func savePlan(
        name: String, document: String, confidential: Bool, createdBy: String
    ) async throws -> StoredPlan {
        try await savePlan(name: name, document: document, confidential: confidential, createdBy: createdBy, audit: nil)
    }

    /// Stores a benchmark result, without an audit event.
    public func saveBenchRun(label: String, result: BenchResult, createdBy: String) async throws -> StoredBenchRun {
        try await saveBenchRun(label: label, result: result, createdBy: createdBy, audit: nil)
    }

    /// Stores a price book, without an audit event.
    public func savePriceBook(
        name: String, yaml: String, confidential: Bool, createdBy: String
    ) async throws -> StoredPriceBook {
        try await savePriceBook(name: name, yaml: yaml, confidential: confidential, createdBy: createdBy, audit: nil)
    }
}
