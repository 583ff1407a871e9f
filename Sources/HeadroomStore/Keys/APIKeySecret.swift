import Crypto

/// The plaintext form of an API key, `hr_<prefix>_<secret>`: `prefix` is 12 lower-case hex digits (6 random bytes)
/// that find the key's row, `secret` is 32 random bytes in unpadded base64url (43 characters). The store keeps only
/// SHA-256 of the whole key.
struct APIKeySecret: Sendable, Hashable {
    static let scheme = "hr_"
    static let prefixLength = 12
    static let secretLength = 43

    var prefix: String
    var secret: String

    /// The key as shown to its owner.
    var plaintext: String { "\(Self.scheme)\(prefix)_\(secret)" }

    /// A fresh key from the system's cryptographically secure generator.
    static func generate() -> APIKeySecret {
        var generator = SystemRandomNumberGenerator()
        let prefixBytes = (0..<6).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secretBytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return APIKeySecret(prefix: hexString(prefixBytes), secret: base64URL(secretBytes))
    }

    /// Splits a presented key; nil when it is not shaped like one of ours.
    init?(parsing key: String) {
        let utf8 = Array(key.utf8)
        let expected = Self.scheme.utf8.count + Self.prefixLength + 1 + Self.secretLength
        guard utf8.count == expected, key.hasPrefix(Self.scheme) else { return nil }
        let prefix = utf8[3..<(3 + Self.prefixLength)]
        guard prefix.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        guard utf8[3 + Self.prefixLength] == UInt8(ascii: "_") else { return nil }
        let secret = utf8[(4 + Self.prefixLength)...]
        guard secret.allSatisfy(isBase64URL) else { return nil }
        self.prefix = String(decoding: prefix, as: UTF8.self)
        self.secret = String(decoding: secret, as: UTF8.self)
    }

    init(prefix: String, secret: String) {
        self.prefix = prefix
        self.secret = secret
    }

    /// Lower-case hex SHA-256 of the whole plaintext key.
    var hash: String { hexString(SHA256.hash(data: Array(plaintext.utf8))) }

    /// Compares two hex hashes in time that depends only on their lengths.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices {
            difference |= a[index] ^ b[index]
        }
        return difference == 0
    }
}

private func isBase64URL(_ byte: UInt8) -> Bool {
    (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
        || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
}

/// Unpadded base64url (RFC 4648 §5).
func base64URL(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    var out: [UInt8] = []
    var index = 0
    while index + 3 <= bytes.count {
        let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
        out += [
            alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)],
        ]
        index += 3
    }
    let rest = bytes.count - index
    if rest == 1 {
        let n = UInt32(bytes[index]) << 16
        out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
    } else if rest == 2 {
        let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
        out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
    }
    return String(decoding: out, as: UTF8.self)
}
