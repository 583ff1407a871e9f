import HTTPTypes

/// The leaf-level differences between two JSON documents, as `{path, from, to}` entries.
enum JSONDiff {
    static func changes(from old: JSONValue?, to new: JSONValue?, at path: String = "") -> [JSONValue] {
        switch (old, new) {
        case (.object(let a)?, .object(let b)?):
            return Set(a.keys).union(b.keys).sorted().flatMap { key in
                changes(from: a[key], to: b[key], at: path.isEmpty ? key : "\(path).\(key)")
            }
        case (.array(let a)?, .array(let b)?) where a.count == b.count:
            return a.indices.flatMap { changes(from: a[$0], to: b[$0], at: "\(path)[\($0)]") }
        default:
            guard old != new else { return [] }
            return [.object(["path": .string(path), "from": old ?? .null, "to": new ?? .null])]
        }
    }
}
