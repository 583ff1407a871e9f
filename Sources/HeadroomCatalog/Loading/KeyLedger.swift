import Foundation
import HeadroomCore
internal import Yams

/// Finds the keys of a YAML document that its type never reads: a misspelt `peek_rps` is otherwise decoded as
/// absent and silently planned without.
///
/// It decodes the type a second time from the composed node with a decoder that notes, for every mapping it opens as
/// a keyed container, which keys the type asked for (`contains`, `decode`, `decodeIfPresent`); a mapping the type
/// reads as a dictionary (`allKeys`) accepts any key. So the accepted keys are the type's own `CodingKeys`, with no
/// second list to keep in step.
package final class KeyLedger {
    /// One mapping opened as a keyed container: where it is, its node and the keys the type asked for.
    private struct Entry {
        var path: [String]
        var mapping: Node.Mapping
        var asked: Set<String>
        var acceptsAny: Bool
    }

    private var entries: [Entry] = []

    /// An unknown key: its path (`traffic.peek_rps`), its line and the nearest key the type reads there.
    struct UnknownKey {
        var path: [String]
        var key: String
        var line: Int?
        var nearest: String?
        /// Whether ``nearest`` is absent from the mapping: the key looks like a misspelling of one the type wants.
        var nearestIsMissing: Bool
        var known: [String]
    }

    /// The first key (in document order) that `type` does not read, or nil when every key is read.
    ///
    /// When `type` cannot be decoded from `node` (a required key misspelt: `trafic`), the mappings on the way to the
    /// failure were not read to the end, so only keys that look like a misspelling of a key the type asked for and
    /// did not find are reported.
    static func firstUnknownKey<T: Decodable>(_ type: T.Type, in node: Node) -> UnknownKey? {
        let ledger = KeyLedger()
        let complete: Bool
        do {
            _ = try T(from: RecordingDecoder(node: node, path: [], ledger: ledger))
            complete = true
        } catch {
            complete = false
        }
        return ledger.unknownKeys().filter { complete || $0.nearestIsMissing }
            .min { ($0.line ?? .max) < ($1.line ?? .max) }
    }

    fileprivate func open(_ mapping: Node.Mapping, at path: [String]) -> Int {
        entries.append(Entry(path: path, mapping: mapping, asked: [], acceptsAny: false))
        return entries.count - 1
    }

    fileprivate func ask(_ key: String, in entry: Int) {
        entries[entry].asked.insert(key)
    }

    fileprivate func acceptAny(in entry: Int) {
        entries[entry].acceptsAny = true
    }

    private func unknownKeys() -> [UnknownKey] {
        var found: [UnknownKey] = []
        for entry in entries where !entry.acceptsAny {
            for (keyNode, _) in entry.mapping {
                let key = keyNode.string ?? "\(keyNode)"
                guard !entry.asked.contains(key) else { continue }
                let known = entry.asked.sorted()
                let nearest = known.map { ($0, Self.editDistance(key, $0)) }.min { $0.1 < $1.1 }
                let close = nearest.flatMap { $0.1 <= max(2, key.count / 3) ? $0.0 : nil }
                found.append(
                    UnknownKey(
                        path: entry.path + [key], key: key, line: keyNode.mark?.line, nearest: close,
                        nearestIsMissing: close.map { entry.mapping[$0] == nil } ?? false, known: known))
            }
        }
        return found
    }

    /// The Levenshtein distance between `a` and `b` (``Catalog/editDistance(_:_:)``).
    package static func editDistance(_ a: String, _ b: String) -> Int {
        Catalog.editDistance(Array(a), Array(b))
    }
}

/// A decoder over a composed YAML node that records the keys asked of each mapping in a ``KeyLedger``; scalars are
/// decoded by Yams.
private struct RecordingDecoder: Decoder {
    let node: Node
    let path: [String]
    let ledger: KeyLedger

    var codingPath: [any CodingKey] { path.map { PathKey($0) } }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else {
            throw DecodingError.typeMismatch(
                [String: Any].self, .init(codingPath: codingPath, debugDescription: "expected a mapping"))
        }
        let entry = ledger.open(mapping, at: path)
        return KeyedDecodingContainer(
            RecordingKeyedContainer(mapping: mapping, path: path, ledger: ledger, entry: entry))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else {
            throw DecodingError.typeMismatch(
                [Any].self, .init(codingPath: codingPath, debugDescription: "expected a sequence"))
        }
        return RecordingUnkeyedContainer(elements: Array(sequence), path: path, ledger: ledger)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        RecordingSingleValueContainer(node: node, path: path, ledger: ledger)
    }
}

/// A mapping read key by key; every key asked about is noted.
private struct RecordingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let mapping: Node.Mapping
    let path: [String]
    let ledger: KeyLedger
    let entry: Int

    var codingPath: [any CodingKey] { path.map { PathKey($0) } }

    var allKeys: [Key] {
        ledger.acceptAny(in: entry)
        return mapping.keys.compactMap { $0.string.flatMap(Key.init(stringValue:)) }
    }

    private func child(_ key: Key) throws -> Node {
        ledger.ask(key.stringValue, in: entry)
        guard let node = mapping[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no such key"))
        }
        return node
    }

    func contains(_ key: Key) -> Bool {
        ledger.ask(key.stringValue, in: entry)
        return mapping[key.stringValue] != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        try child(key).null == NSNull()
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: RecordingDecoder(node: try child(key), path: path + [key.stringValue], ledger: ledger))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try RecordingDecoder(node: try child(key), path: path + [key.stringValue], ledger: ledger)
            .container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try RecordingDecoder(node: try child(key), path: path + [key.stringValue], ledger: ledger).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        RecordingDecoder(node: .mapping(mapping), path: path, ledger: ledger)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        RecordingDecoder(node: try child(key), path: path + [key.stringValue], ledger: ledger)
    }
}

/// A sequence read element by element.
private struct RecordingUnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [Node]
    let path: [String]
    let ledger: KeyLedger
    var currentIndex = 0

    init(elements: [Node], path: [String], ledger: KeyLedger) {
        self.elements = elements
        self.path = path
        self.ledger = ledger
    }

    var codingPath: [any CodingKey] { path.map { PathKey($0) } }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> RecordingDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self, .init(codingPath: codingPath, debugDescription: "the sequence has ended"))
        }
        defer { currentIndex += 1 }
        return RecordingDecoder(node: elements[currentIndex], path: path + [String(currentIndex)], ledger: ledger)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex].null == NSNull() else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: try next())
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        try next()
    }
}

/// One value: scalars go to Yams, compound values back through the recording decoder.
private struct RecordingSingleValueContainer: SingleValueDecodingContainer {
    let node: Node
    let path: [String]
    let ledger: KeyLedger

    var codingPath: [any CodingKey] { path.map { PathKey($0) } }

    func decodeNil() -> Bool { node.null == NSNull() }

    func decode(_ type: Bool.Type) throws -> Bool { try scalar(type) }
    func decode(_ type: String.Type) throws -> String { try scalar(type) }
    func decode(_ type: Double.Type) throws -> Double { try scalar(type) }
    func decode(_ type: Float.Type) throws -> Float { try scalar(type) }
    func decode(_ type: Int.Type) throws -> Int { try scalar(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try scalar(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try scalar(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try scalar(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try scalar(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try scalar(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if case .scalar = node { return try scalar(type) }
        return try T(from: RecordingDecoder(node: node, path: path, ledger: ledger))
    }

    private func scalar<T: Decodable>(_ type: T.Type) throws -> T {
        try YAMLDecoder().decode(type, from: node)
    }
}
