/// A structural diff of two JSON trees: one ``Change`` for each RFC 6901 pointer whose value was added, removed or
/// changed. Objects are compared key by key, arrays index by index; a value whose type changed (object to string,
/// say) is one change at its pointer.
///
/// The saved plans' diff (`headroom plans diff`, `GET /v1/plans/{name}/diff`) and the store compute it here.
public enum JSONDiff {
    /// One difference at one pointer.
    public struct Change: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable {
            case added
            case removed
            case changed
        }

        public var kind: Kind
        /// A JSON Pointer (RFC 6901): `/replicas/0/accelerator`; "" for the whole document.
        public var path: String
        /// The value in the older tree (nil when added).
        public var oldValue: JSONValue?
        /// The value in the newer tree (nil when removed).
        public var newValue: JSONValue?

        public init(kind: Kind, path: String, oldValue: JSONValue?, newValue: JSONValue?) {
            self.kind = kind
            self.path = path
            self.oldValue = oldValue
            self.newValue = newValue
        }
    }

    /// The changes from `old` to `new`, in pointer order.
    /// - Complexity: O(n log n) in the number of nodes of the two trees (object keys are sorted).
    public static func changes(from old: JSONValue, to new: JSONValue) -> [Change] {
        var changes: [Change] = []
        compare(old, new, path: "", into: &changes)
        return changes
    }

    private static func compare(_ old: JSONValue, _ new: JSONValue, path: String, into changes: inout [Change]) {
        switch (old, new) {
        case (.object(let a), .object(let b)):
            for key in Set(a.keys).union(b.keys).sorted() {
                let child = path + "/" + escape(key)
                switch (a[key], b[key]) {
                case (let x?, let y?): compare(x, y, path: child, into: &changes)
                case (let x?, nil): changes.append(Change(kind: .removed, path: child, oldValue: x, newValue: nil))
                case (nil, let y?): changes.append(Change(kind: .added, path: child, oldValue: nil, newValue: y))
                case (nil, nil): break
                }
            }
        case (.array(let a), .array(let b)):
            for index in 0..<max(a.count, b.count) {
                let child = path + "/" + String(index)
                if index < a.count, index < b.count {
                    compare(a[index], b[index], path: child, into: &changes)
                } else if index < a.count {
                    changes.append(Change(kind: .removed, path: child, oldValue: a[index], newValue: nil))
                } else {
                    changes.append(Change(kind: .added, path: child, oldValue: nil, newValue: b[index]))
                }
            }
        default:
            if old != new {
                changes.append(Change(kind: .changed, path: path, oldValue: old, newValue: new))
            }
        }
    }

    /// RFC 6901: `~` → `~0`, `/` → `~1`.
    public static func escape(_ key: String) -> String {
        key.replacing("~", with: "~0").replacing("/", with: "~1")
    }
}
