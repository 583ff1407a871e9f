import Foundation
import HTTPTypes
import HeadroomCore
import JWTKit

/// A token's claims: the registered ones Headroom checks, and all of them for the role claim.
struct OIDCClaims: JWTPayload {
    var issuer: String?
    var audiences: [String]
    var expiry: Date?
    var notBefore: Date?
    var subject: String?
    var claims: [String: JSONValue]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var claims: [String: JSONValue] = [:]
        for key in container.allKeys {
            claims[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        self.claims = claims
        issuer = claims["iss"]?.stringValue
        switch claims["aud"] {
        case .string(let value): audiences = [value]
        case .array(let values): audiences = values.compactMap(\.stringValue)
        default: audiences = []
        }
        func date(_ name: String) -> Date? {
            if case .number(let seconds) = claims[name] { return Date(timeIntervalSince1970: seconds) }
            return nil
        }
        expiry = date("exp")
        notBefore = date("nbf")
        subject = claims["sub"]?.stringValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in claims {
            try container.encode(value, forKey: Key(stringValue: key))
        }
    }

    /// Claims are checked by ``OIDCVerifier`` against its own clock, after the signature.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
