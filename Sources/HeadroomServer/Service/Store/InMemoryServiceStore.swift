import Crypto
public import Foundation
import HTTPTypes

/// A `ServiceStore` in memory, for tests and trying the server out: nothing survives the process.
public actor InMemoryServiceStore: ServiceStore {
    private struct Key {
        var owner: APIKeyOwner
        var secretHash: String
        var revoked: Bool
    }

    private var plans: [String: [PlanVersion]] = [:]
    private var documents: [DocumentKind: [String: StoredDocument]] = [:]
    private var keys: [String: Key] = [:]
    private var audit: [AuditEvent] = []
    private let now: @Sendable () -> Date

    /// - Parameter now: the clock events and versions are dated by.
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    public func ping() async throws {}

    /// Saves a plan version without an audit event.
    public func savePlan(name: String, document: String, confidential: Bool, author: String) -> PlanVersion {
        savePlan(name: name, document: document, confidential: confidential, author: author, audit: nil)
    }

    public func savePlan(
        name: String, document: String, confidential: Bool, author: String,
        audit: (@Sendable (PlanVersion) -> AuditEventDraft)?
    ) -> PlanVersion {
        let version = PlanVersion(
            name: name, version: (plans[name]?.count ?? 0) + 1, document: document, confidential: confidential,
            author: author, createdAt: now())
        plans[name, default: []].append(version)
        if let audit { _ = appendAudit(audit(version)) }
        return version
    }

    public func listPlans() -> [PlanVersion] {
        plans.keys.sorted().compactMap { plans[$0]?.last }
    }

    public func planVersions(name: String) -> [PlanVersion] {
        plans[name] ?? []
    }

    public func plan(name: String, version: Int?) -> PlanVersion? {
        guard let versions = plans[name] else { return nil }
        guard let version else { return versions.last }
        return versions.first { $0.version == version }
    }

    /// Saves a document without an audit event.
    public func saveDocument(
        _ kind: DocumentKind, name: String, document: String, confidential: Bool, author: String
    ) -> StoredDocument {
        saveDocument(kind, name: name, document: document, confidential: confidential, author: author, audit: nil)
    }

    public func saveDocument(
        _ kind: DocumentKind, name: String, document: String, confidential: Bool, author: String,
        audit: AuditEventDraft?
    ) -> StoredDocument {
        let stored = StoredDocument(
            kind: kind, name: name, document: document, confidential: confidential, author: author, createdAt: now())
        documents[kind, default: [:]][name] = stored
        if let audit { _ = appendAudit(audit) }
        return stored
    }

    public func listDocuments(_ kind: DocumentKind) -> [StoredDocument] {
        (documents[kind] ?? [:]).values.sorted { $0.name < $1.name }
    }

    public func document(_ kind: DocumentKind, name: String) -> StoredDocument? {
        documents[kind]?[name]
    }

    public func authenticate(apiKey secret: String) -> APIKeyOwner? {
        let parts = secret.split(separator: "_")
        guard parts.count == 3, parts[0] == "hr", let key = keys[String(parts[1])], !key.revoked,
            key.secretHash == Self.hash(secret)
        else { return nil }
        return key.owner
    }

    public func createAPIKey(name: String, role: Role) -> CreatedAPIKey {
        let id = Self.randomToken(bytes: 6)
        let secret = "hr_\(id)_\(Self.randomToken(bytes: 24))"
        keys[id] = Key(
            owner: APIKeyOwner(keyID: id, name: name, role: role), secretHash: Self.hash(secret), revoked: false)
        return CreatedAPIKey(id: id, name: name, role: role, secret: secret)
    }

    public func revokeAPIKey(id: String) -> Bool {
        guard let key = keys[id], !key.revoked else { return false }
        keys[id]?.revoked = true
        return true
    }

    public func appendAudit(_ event: AuditEventDraft) -> AuditEvent {
        let sequence = audit.count + 1
        let timestamp = now()
        let hash = Self.chainHash(
            previous: audit.last?.hash ?? "", sequence: sequence, draft: event, timestamp: timestamp)
        let stored = AuditEvent(
            sequence: sequence, actor: event.actor, action: event.action, target: event.target,
            requestID: event.requestID, outcome: event.outcome, timestamp: timestamp, hash: hash)
        audit.append(stored)
        return stored
    }

    public func listAudit(limit: Int) -> [AuditEvent] {
        Array(audit.suffix(max(limit, 0)))
    }

    public func verifyAudit() -> AuditVerification {
        var previous = ""
        for event in audit {
            let draft = AuditEventDraft(
                actor: event.actor, action: event.action, target: event.target, requestID: event.requestID,
                outcome: event.outcome)
            let expected = Self.chainHash(
                previous: previous, sequence: event.sequence, draft: draft, timestamp: event.timestamp)
            guard expected == event.hash else {
                return AuditVerification(valid: false, events: audit.count, firstInvalidSequence: event.sequence)
            }
            previous = event.hash
        }
        return AuditVerification(valid: true, events: audit.count, firstInvalidSequence: nil)
    }

    /// Test hook: rewrites an event's outcome without rechaining, as tampering would.
    package func tamper(sequence: Int, outcome: String) {
        guard let index = audit.firstIndex(where: { $0.sequence == sequence }) else { return }
        audit[index].outcome = outcome
    }

    private static func chainHash(previous: String, sequence: Int, draft: AuditEventDraft, timestamp: Date) -> String {
        let fields = [
            previous, String(sequence), draft.actor, draft.action, draft.target ?? "", draft.requestID, draft.outcome,
            String(timestamp.timeIntervalSince1970),
        ]
        return hash(fields.joined(separator: "\u{1F}"))
    }

    private static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func randomToken(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<(bytes * 2)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
