import Foundation
import HTTPTypes

/// What `headroom serve` keeps: plans with versions, workloads, bench runs, price books, API keys and the
/// hash-chained audit log. The server's only seam to persistence; `InMemoryServiceStore` implements it for tests,
/// an adapter over `HeadroomStore` for SQLite and PostgreSQL.
public protocol ServiceStore: Sendable {
    /// Checks the store answers (for `/readyz`).
    /// - Throws: when the database cannot be reached.
    func ping() async throws

    // MARK: Plans

    /// Saves `document` (a plan's JSON) as the next version of the plan `name` (version 1 when new).
    /// - Parameter audit: the event of the version saved, committed with it in one transaction (both or neither).
    func savePlan(
        name: String, document: String, confidential: Bool, author: String,
        audit: (@Sendable (PlanVersion) -> AuditEventDraft)?
    ) async throws -> PlanVersion
    /// The latest version of every plan.
    func listPlans() async throws -> [PlanVersion]
    /// Every version of the plan `name`, oldest first; empty when there is no such plan.
    func planVersions(name: String) async throws -> [PlanVersion]
    /// Version `version` of the plan `name` (nil: the latest); nil when there is none.
    func plan(name: String, version: Int?) async throws -> PlanVersion?

    // MARK: Workloads, bench runs, price books

    /// Saves a named document of `kind`, replacing one of the same name.
    /// - Parameter audit: an event committed with the document in one transaction (both or neither).
    func saveDocument(
        _ kind: DocumentKind, name: String, document: String, confidential: Bool, author: String,
        audit: AuditEventDraft?
    ) async throws -> StoredDocument
    /// Every document of `kind`, by name.
    func listDocuments(_ kind: DocumentKind) async throws -> [StoredDocument]
    /// The document of `kind` called `name`, or nil.
    func document(_ kind: DocumentKind, name: String) async throws -> StoredDocument?

    // MARK: API keys

    /// The key's owner when `secret` is a live key (the store keeps only a hash of it), else nil.
    func authenticate(apiKey secret: String) async throws -> APIKeyOwner?
    /// Creates a key for `name` with `role`; the secret is returned once and never stored.
    func createAPIKey(name: String, role: Role) async throws -> CreatedAPIKey
    /// Revokes the key `id`; false when there is no live key with that id.
    func revokeAPIKey(id: String) async throws -> Bool

    // MARK: Audit

    /// Appends an event to the hash chain.
    func appendAudit(_ event: AuditEventDraft) async throws -> AuditEvent
    /// The newest `limit` events, oldest first.
    func listAudit(limit: Int) async throws -> [AuditEvent]
    /// Recomputes the chain and reports the first event whose hash does not match.
    func verifyAudit() async throws -> AuditVerification
}

extension ServiceStore {
    /// Saves a plan version without an audit event.
    public func savePlan(name: String, document: String, confidential: Bool, author: String) async throws -> PlanVersion
    {
        try await savePlan(name: name, document: document, confidential: confidential, author: author, audit: nil)
    }

    /// Saves a document without an audit event.
    public func saveDocument(
        _ kind: DocumentKind, name: String, document: String, confidential: Bool, author: String
    ) async throws -> StoredDocument {
        try await saveDocument(
            kind, name: name, document: document, confidential: confidential, author: author, audit: nil)
    }
}
