/// Who asks for an operation: for the checks and audit events of the confidential objects it reads.
///
/// Each surface says who its caller is in its own terms (the HTTP API from its principal, `headroom mcp` as the person
/// at the keyboard); the operations see only this.
package struct Caller: Sendable, Hashable {
    /// How the audit log names the caller (`alice (key k3x9…)`), or nil for an anonymous one.
    package var auditName: String?
    /// Whether the caller may compute with and read confidential objects (prices, costs): a planner or an admin.
    package var mayReadConfidential: Bool
    /// The request the call arrives in, for the audit log.
    package var requestID: String
    /// What the audit log names as the action (`POST /v1/plan`, `MCP tools/call plan`).
    package var action: String

    package init(auditName: String?, mayReadConfidential: Bool, requestID: String, action: String) {
        self.auditName = auditName
        self.mayReadConfidential = mayReadConfidential
        self.requestID = requestID
        self.action = action
    }

    /// The person at the keyboard (`headroom mcp` over stdio, `headroom agent`): the local store is theirs.
    package static func local(action: String) -> Caller {
        Caller(auditName: "local", mayReadConfidential: true, requestID: "mcp", action: action)
    }

    /// The same caller doing something else.
    package func acting(_ action: String) -> Caller {
        var caller = self
        caller.action = action
        return caller
    }
}
