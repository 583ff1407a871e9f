import Foundation
import HTTPTypes
public import HeadroomCore

/// Removes cost figures from confidential documents for viewers: cost fields, entries that describe a cost
/// (`explain` lines such as "cost per hour"), and money amounts written into text (advisories such as "12.5/h over the
/// 10/h budget").
public enum Redaction {
    /// Key fragments that mark a cost figure (plans, cost analyses, price books).
    public static let markers = [
        "cost", "price", "pricing", "dollar", "usd", "on_demand", "spot", "reserved", "committed", "per_accelerator",
        "per_instance", "per_million", "per_kwh", "capex", "opex", "tco", "budget", "spend", "saving", "break_even",
        "electricity",
    ]

    /// What replaces a money amount in text.
    public static let placeholder = "[confidential]"

    /// Whether `key` names a cost figure.
    public static func isCostKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        return markers.contains { lower.contains($0) }
    }

    /// `value` with every object key that names a cost figure removed at any depth, every object whose label
    /// (`quantity`, `label`) names one dropped from its array, and money amounts in strings replaced.
    public static func strippingCosts(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var kept: [String: JSONValue] = [:]
            for (key, inner) in object where !isCostKey(key) {
                kept[key] = strippingCosts(inner)
            }
            return .object(kept)
        case .array(let items):
            return .array(items.filter { !describesCost($0) }.map(strippingCosts))
        case .string(let text):
            return .string(scrubbingAmounts(text))
        default:
            return value
        }
    }

    /// Whether an array element is a labelled cost line (`{"quantity": "cost per hour", …}`).
    static func describesCost(_ value: JSONValue) -> Bool {
        guard case .object(let object) = value else { return false }
        return ["quantity", "label"].contains { key in
            guard case .string(let label)? = object[key] else { return false }
            return isCostKey(label) || label.contains("$")
        }
    }

    /// Money in text: `$12.5`, `12.5 USD`, `USD 12.5`, `12.5/h`, `12.5 per hour`, `0.89 USD per 1M`.
    private static let amountPatterns: [NSRegularExpression] = {
        let number = "[0-9][0-9.,]*[kKMB]?"
        return [
            "[$€£] ?\(number)", "\\b(?:USD|EUR|GBP) ?\(number)", "\(number) ?(?:USD|EUR|GBP|[$€£])",
            "\(number)(?= ?/ ?h\\b)", "\(number)(?= ?per (?:hour|accelerator-hour|replica-hour|1M|million))",
        ].map { try! NSRegularExpression(pattern: $0) }
    }()

    /// `text` with its money amounts replaced by ``placeholder``.
    public static func scrubbingAmounts(_ text: String) -> String {
        var result = text
        for pattern in amountPatterns {
            let range = NSRange(result.startIndex..., in: result)
            result = pattern.stringByReplacingMatches(in: result, range: range, withTemplate: placeholder)
        }
        return result
    }
}
