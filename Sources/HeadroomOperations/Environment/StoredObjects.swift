package import HeadroomCore

/// The stored objects an operation may name: workloads and price books to compute with, saved plans to read.
///
/// The team service implements it over its store (with its confidentiality checks and audit log); a process with no
/// store has none (``OperationEnvironment/objects`` is nil), and naming a stored object is then refused.
package protocol StoredObjects: Sendable {
    /// A stored workload's YAML or JSON text, or nil when there is none by that name.
    /// - Throws: ``OperationError/Kind/forbidden`` when it is confidential and `caller` may not read it.
    func workload(named name: String, caller: Caller?) async throws -> String?

    /// A stored price book's YAML text, or nil when there is none by that name.
    /// - Throws: ``OperationError/Kind/forbidden`` when it is confidential and `caller` may not read it.
    func priceBook(named name: String, caller: Caller) async throws -> String?

    /// The latest version of every saved plan.
    func plans() async throws -> [SavedPlanSummary]

    /// A saved plan (`version` nil: its latest) as `GET /v1/plans/{name}` answers it, costs removed where `caller`
    /// may not read them; nil when there is none.
    func plan(named name: String, version: Int?, caller: Caller) async throws -> JSONValue?
}

/// A saved plan as a listing shows it.
package struct SavedPlanSummary: Sendable, Hashable {
    package var name: String
    package var version: Int
    package var author: String
    package var confidential: Bool

    package init(name: String, version: Int, author: String, confidential: Bool) {
        self.name = name
        self.version = version
        self.author = author
        self.confidential = confidential
    }
}
