public import Foundation
import HTTPTypes

/// How `headroom serve` trusts an OpenID Connect issuer's tokens.
public struct OIDCConfiguration: Sendable, Hashable {
    /// Where the issuer's signing keys come from.
    public enum KeySource: Sendable, Hashable {
        /// Fetched over HTTP(S) and cached for `OIDCConfiguration.keyCacheSeconds`.
        case url(URL)
        /// A JWKS document given inline (tests, air-gapped set-ups).
        case inline(String)
    }

    /// The required `iss`.
    public var issuer: String
    /// The required member of `aud`.
    public var audience: String
    public var keys: KeySource
    /// The claim that carries the role: a string (`planner`) or a list of groups.
    public var roleClaim: String
    /// Group names (values of `roleClaim`) to roles; a value equal to a role's name maps to that role too.
    public var groupRoles: [String: Role]
    /// The role of a valid token whose claim names no role; nil refuses such tokens (403).
    public var defaultRole: Role?
    /// How long fetched keys are trusted before they are fetched again.
    public var keyCacheSeconds: Double

    public init(
        issuer: String, audience: String, keys: KeySource, roleClaim: String = "headroom_role",
        groupRoles: [String: Role] = [:], defaultRole: Role? = nil, keyCacheSeconds: Double = 600
    ) {
        self.issuer = issuer
        self.audience = audience
        self.keys = keys
        self.roleClaim = roleClaim
        self.groupRoles = groupRoles
        self.defaultRole = defaultRole
        self.keyCacheSeconds = keyCacheSeconds
    }
}
