public import Crypto
import Foundation
import HTTPTypes
import HeadroomCore
public import HeadroomStore
public import Logging

/// The ``ServiceStore`` of `headroom serve` over a ``HeadroomStore`` (SQLite or PostgreSQL): plans map to the
/// store's versioned plans; workloads, bench runs and price books to its tables of the same names, where every save
/// adds a row and the newest row of a name is the document of that name; an API key's owner name to a store user of
/// that role; audit drafts to the store's hash-chained events.
///
/// Several server instances may share one PostgreSQL database: every write is a transaction in the store, and audit
/// appends are serialised there, so the instances keep one chain.
public struct SQLServiceStore: ServiceStore {
    /// The store underneath, for what the service protocol does not cover (plan diffs, audit export).
    public let store: any HeadroomStore
    /// Who creates the store users that own API keys (recorded in `users.created_by`).
    public var userCreator: String

    /// - Parameters:
    ///   - store: an open store; ``close()`` closes it.
    ///   - userCreator: recorded as the creator of the users that API keys make.
    public init(store: any HeadroomStore, userCreator: String = "headroom serve") {
        self.store = store
        self.userCreator = userCreator
    }

    /// Opens (and migrates) the database at `url` (`sqlite:///path`, a plain path, or `postgres://…`).
    /// - Parameter logger: where the store logs; nil: warnings and errors on standard error.
    /// - Throws: `StoreError` when the URL is unusable or the database cannot be opened.
    /// - Parameter auditKey: the audit chain's HMAC key (``SQLHeadroomStore/open(url:defaultPath:logger:auditKey:)``).
    public static func open(
        url: String, logger: Logger? = nil, auditKey: SymmetricKey? = nil
    ) async throws -> SQLServiceStore {
        var quiet = Logger(label: "headroom.store")
        quiet.logLevel = .warning
        let store = try await SQLHeadroomStore.open(
            url: url, defaultPath: url, logger: logger ?? quiet, auditKey: auditKey)
        return SQLServiceStore(store: store)
    }

    /// Releases the store's connections. Call once, last.
    public func close() async throws {
        try await store.close()
    }

    public func ping() async throws {
        _ = try await mapped { try await store.user(name: "") }
    }

    // MARK: Plans

    public func savePlan(
        name: String, document: String, confidential: Bool, author: String,
        audit: (@Sendable (PlanVersion) -> AuditEventDraft)?
    ) async throws -> PlanVersion {
        var event: (@Sendable (StoredPlan) -> StoreAuditEvent)?
        if let audit {
            event = { @Sendable plan in Self.storeEvent(audit(Self.version(plan))) }
        }
        return Self.version(
            try await mapped {
                try await store.savePlan(
                    name: name, document: document, confidential: confidential, createdBy: author, audit: event)
            })
    }

    public func listPlans() async throws -> [PlanVersion] {
        try await mapped { try await store.listPlans() }.map(Self.version)
    }

    public func planVersions(name: String) async throws -> [PlanVersion] {
        try await mapped { try await store.planVersions(name: name) }.map(Self.version)
    }

    public func plan(name: String, version: Int?) async throws -> PlanVersion? {
        try await mapped { try await store.plan(name: name, version: version) }.map(Self.version)
    }

    static func version(_ plan: StoredPlan) -> PlanVersion {
        PlanVersion(
            name: plan.name, version: plan.version, document: plan.document, confidential: plan.confidential,
            author: plan.createdBy, createdAt: plan.createdAt)
    }

    // MARK: Workloads, bench runs, price books

    public func saveDocument(
        _ kind: DocumentKind, name: String, document: String, confidential: Bool, author: String,
        audit: AuditEventDraft?
    ) async throws -> StoredDocument {
        let event = audit.map(Self.storeEvent)
        switch kind {
        case .workload:
            let saved = try await mapped {
                try await store.saveWorkload(
                    name: name, yaml: document, confidential: confidential, createdBy: author, audit: event)
            }
            return Self.document(saved)
        case .benchRun:
            let result: BenchResult
            do {
                result = try BenchResult.decode(Data(document.utf8), file: "run")
            } catch {
                throw ServiceError(
                    .unprocessableContent, error.message, field: error.field.map { "run.\($0)" } ?? "run")
            }
            let saved = try await mapped {
                try await store.saveBenchRun(label: name, result: result, createdBy: author, audit: event)
            }
            return Self.document(saved)
        case .priceBook:
            let saved = try await mapped {
                try await store.savePriceBook(
                    name: name, yaml: document, confidential: confidential, createdBy: author, audit: event)
            }
            return Self.document(saved)
        }
    }

    public func listDocuments(_ kind: DocumentKind) async throws -> [StoredDocument] {
        var latest: [String: StoredDocument] = [:]
        // Newest first: the first of a name is the one that counts.
        for document in try await allDocuments(kind) where latest[document.name] == nil {
            latest[document.name] = document
        }
        return latest.values.sorted { $0.name < $1.name }
    }

    public func document(_ kind: DocumentKind, name: String) async throws -> StoredDocument? {
        try await allDocuments(kind).first { $0.name == name }
    }

    /// Every stored document of `kind`, newest first.
    private func allDocuments(_ kind: DocumentKind) async throws -> [StoredDocument] {
        switch kind {
        case .workload: try await mapped { try await store.listWorkloads() }.map(Self.document)
        case .benchRun: try await mapped { try await store.listBenchRuns() }.map(Self.document)
        case .priceBook: try await mapped { try await store.listPriceBooks() }.map(Self.document)
        }
    }

    static func document(_ workload: StoredWorkload) -> StoredDocument {
        StoredDocument(
            kind: .workload, name: workload.name, document: workload.yaml, confidential: workload.confidential,
            author: workload.createdBy, createdAt: workload.createdAt)
    }

    static func document(_ run: StoredBenchRun) -> StoredDocument {
        StoredDocument(
            kind: .benchRun, name: run.label, document: run.resultJSON, confidential: false, author: run.createdBy,
            createdAt: run.createdAt)
    }

    static func document(_ book: StoredPriceBook) -> StoredDocument {
        StoredDocument(
            kind: .priceBook, name: book.name, document: book.yaml, confidential: book.confidential,
            author: book.createdBy, createdAt: book.createdAt)
    }

    // MARK: API keys

    public func authenticate(apiKey secret: String) async throws -> APIKeyOwner? {
        guard let found = try await mapped({ try await store.authenticate(apiKey: secret) }),
            let role = Role(rawValue: found.user.role.rawValue)
        else { return nil }
        return APIKeyOwner(keyID: found.key.id, name: found.user.name, role: role)
    }

    /// Creates a key for the store user `name`, creating the user with `role` on its first key.
    /// - Throws: ``ServiceError`` 409 when `name` already exists with another role (a user has one role; its keys
    ///   carry it).
    public func createAPIKey(name: String, role: Role) async throws -> CreatedAPIKey {
        try await ensureUser(name: name, role: role)
        let (key, secret) = try await mapped {
            try await store.createAPIKey(user: name, name: "\(role.rawValue) key", createdBy: userCreator)
        }
        return CreatedAPIKey(id: key.id, name: name, role: role, secret: secret)
    }

    private func ensureUser(name: String, role: Role) async throws {
        let wanted = UserRole(rawValue: role.rawValue) ?? .viewer
        var existing = try await mapped { try await store.user(name: name) }
        if existing == nil {
            do {
                _ = try await store.createUser(name: name, role: wanted, createdBy: userCreator)
                return
            } catch let error as StoreError where error.code == .conflict {
                // Another instance created the user in between: check its role below.
                existing = try await mapped { try await store.user(name: name) }
            } catch {
                throw Self.serviceError(error)
            }
        }
        if let existing, existing.role != wanted {
            throw ServiceError(
                .conflict,
                "'\(name)' is a \(existing.role.rawValue), not a \(role.rawValue): every key of a user carries the "
                    + "user's role; create the key under another name",
                field: "role")
        }
    }

    public func revokeAPIKey(id: String) async throws -> Bool {
        let keys = try await mapped { try await store.listAPIKeys(user: nil) }
        guard let key = keys.first(where: { $0.id == id }), !key.isRevoked else { return false }
        do {
            try await store.revokeAPIKey(id: id)
        } catch let error as StoreError where error.code == .notFound {
            return false
        }
        return true
    }

    // MARK: Audit

    public func appendAudit(_ event: AuditEventDraft) async throws -> AuditEvent {
        let record = try await mapped { try await store.appendAudit(Self.storeEvent(event)) }
        return Self.event(record)
    }

    /// The store's event for a draft, dated now.
    static func storeEvent(_ event: AuditEventDraft) -> StoreAuditEvent {
        let (objectType, objectID) = split(target: event.target)
        return .init(
            actor: event.actor, action: event.action, objectType: objectType, objectID: objectID,
            requestID: event.requestID, outcome: event.outcome, timestamp: Date())
    }

    public func listAudit(limit: Int) async throws -> [AuditEvent] {
        try await mapped { try await store.exportAudit() }.suffix(max(limit, 0)).map(Self.event)
    }

    public func verifyAudit() async throws -> AuditVerification {
        let records = try await mapped { try await store.exportAudit() }
        let result = AuditChain.verify(records, key: (store as? SQLHeadroomStore)?.auditKey)
        return AuditVerification(
            valid: result.isValid, events: records.count, firstInvalidSequence: result.firstBadSeq.map { Int($0) })
    }

    /// `plan:q3@2` → (`plan`, `q3@2`); `health` → (`health`, nil); nil → (``, nil). ``target(objectType:objectID:)``
    /// inverts it exactly.
    static func split(target: String?) -> (objectType: String, objectID: String?) {
        guard let target else { return ("", nil) }
        guard let colon = target.firstIndex(of: ":") else { return (target, nil) }
        return (String(target[..<colon]), String(target[target.index(after: colon)...]))
    }

    static func target(objectType: String, objectID: String?) -> String? {
        if let objectID { return "\(objectType):\(objectID)" }
        return objectType.isEmpty ? nil : objectType
    }

    static func event(_ record: AuditRecord) -> AuditEvent {
        AuditEvent(
            sequence: Int(record.seq), actor: record.actor, action: record.action,
            target: target(objectType: record.objectType, objectID: record.objectID),
            requestID: record.requestID ?? "", outcome: record.outcome, timestamp: record.timestamp, hash: record.hash)
    }

    // MARK: Errors

    /// Runs `body`, answering the store's refusals with the matching HTTP status (other failures stay 500s).
    private func mapped<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        do {
            return try await body()
        } catch {
            throw Self.serviceError(error)
        }
    }

    static func serviceError(_ error: any Error) -> any Error {
        guard let error = error as? StoreError else { return error }
        switch error.code {
        case .invalidInput: return ServiceError(.unprocessableContent, error.message)
        case .notFound: return ServiceError(.notFound, error.message)
        case .conflict: return ServiceError(.conflict, error.message)
        default: return error
        }
    }
}
