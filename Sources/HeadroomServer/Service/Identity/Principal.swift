import HTTPTypes

/// An authenticated caller: a user with a role, from an API key or an OIDC token.
public struct Principal: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable {
        case apiKey = "api_key"
        case oidc
    }

    public var name: String
    public var role: Role
    public var source: Source
    /// The API key's id, or the token's subject: what rate limits and audit events name.
    public var id: String

    public init(name: String, role: Role, source: Source, id: String) {
        self.name = name
        self.role = role
        self.source = source
        self.id = id
    }

    /// How the audit log names the caller: `alice (key k3x9…)` or `alice (oidc sub …)`.
    public var auditName: String {
        switch source {
        case .apiKey: "\(name) (key \(id))"
        case .oidc: "\(name) (oidc \(id))"
        }
    }
}
