import Foundation
public import HeadroomCore

/// What changed between two versions of a plan: a structural diff of their JSON trees, one ``Change`` for each
/// path whose value was added, removed or changed. Objects are compared key by key, arrays index by index; a value
/// whose type changed (object to string, say) is one change at its path.
public struct PlanDiff: Sendable, Hashable, Codable {
    /// One difference at one RFC 6901 pointer.
    public typealias Change = JSONDiff.Change

    public var name: String
    public var fromVersion: Int
    public var toVersion: Int
    /// Every change, in path order.
    public var changes: [Change]

    public init(name: String, fromVersion: Int, toVersion: Int, changes: [Change]) {
        self.name = name
        self.fromVersion = fromVersion
        self.toVersion = toVersion
        self.changes = changes
    }

    /// The changes from `old` to `new` (``JSONDiff``).
    /// - Complexity: O(n log n) in the number of nodes of the two trees (object keys are sorted).
    public static func changes(from old: JSONValue, to new: JSONValue) -> [Change] {
        JSONDiff.changes(from: old, to: new)
    }
}

extension JSONValue {
    /// Parses JSON text (any top-level value).
    /// - Throws: ``StoreError/Code/invalidInput`` naming `what` when the text is not JSON.
    public init(parsing text: String, what: String) throws {
        do {
            self = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw StoreError(.invalidInput, "\(what) is not valid JSON: \(error)")
        }
    }
}
