import HTTPTypes

/// Removes cost figures from confidential documents for viewers.
public enum Redaction {
    /// Key fragments that mark a cost figure.
    public static let markers = ["cost", "price", "dollar", "usd"]

    /// Whether `key` names a cost figure.
    public static func isCostKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        return markers.contains { lower.contains($0) }
    }

    /// `value` with every object key that names a cost figure removed, at any depth.
    public static func strippingCosts(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var kept: [String: JSONValue] = [:]
            for (key, inner) in object where !isCostKey(key) {
                kept[key] = strippingCosts(inner)
            }
            return .object(kept)
        case .array(let items):
            return .array(items.map(strippingCosts))
        default:
            return value
        }
    }
}
