public import Crypto
import Foundation

/// The audit log's hash chain: each record's hash is SHA-256 over the previous record's hash and the record's own
/// fields in a canonical, length-prefixed encoding, so editing, deleting or reordering any record breaks the chain
/// from that record on.
public enum AuditChain {
    /// The ``AuditRecord/prevHash`` of the first record.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The bytes a record's hash covers, besides the previous hash: every field but the hashes, in a fixed order, each
    /// as `name=<byte count>:<UTF-8 bytes>` or `name=~` when absent, one a line. Length prefixes make it unambiguous.
    public static func canonicalEncoding(of record: AuditRecord) -> [UInt8] {
        var text = ""
        func field(_ name: String, _ value: String?) {
            text += name
            if let value {
                text += "=\(value.utf8.count):\(value)\n"
            } else {
                text += "=~\n"
            }
        }
        field("seq", String(record.seq))
        field("timestamp_ms", String(record.timestampMilliseconds))
        field("actor", record.actor)
        field("action", record.action)
        field("object_type", record.objectType)
        field("object_id", record.objectID)
        field("request_id", record.requestID)
        field("outcome", record.outcome)
        field("detail", record.detail)
        return Array(text.utf8)
    }

    /// Lower-case hex SHA-256 of `prevHash` ‖ "\n" ‖ ``canonicalEncoding(of:)``; with `key`, HMAC-SHA256 under it
    /// instead, so that only a holder of the key (kept outside the database) can append or recompute rows that verify.
    public static func hash(of record: AuditRecord, prevHash: String, key: SymmetricKey? = nil) -> String {
        var message = Array(prevHash.utf8)
        message.append(0x0A)
        message += canonicalEncoding(of: record)
        if let key {
            return hexString(HMAC<SHA256>.authenticationCode(for: message, using: key))
        }
        return hexString(SHA256.hash(data: message))
    }

    /// Checks records in their stored order: seq runs 1, 2, 3, …; each `prev_hash` is the previous record's hash;
    /// each hash matches the record's contents.
    /// - Returns: The first failure, or a valid verification with the head hash.
    /// - Complexity: O(n) in the number and size of the records.
    /// - Parameter key: the audit key the chain was written with (nil: a plain SHA-256 chain).
    public static func verify(_ records: [AuditRecord], key: SymmetricKey? = nil) -> AuditVerification {
        var previousHash = genesisHash
        var previousSeq: Int64 = 0
        for (index, record) in records.enumerated() {
            if record.seq != previousSeq + 1 {
                let reason =
                    record.seq > previousSeq + 1
                    ? "seq \(record.seq) follows \(previousSeq): records are missing (deleted)"
                    : "seq \(record.seq) follows \(previousSeq): records are out of order"
                return AuditVerification(isValid: false, count: index, firstBadSeq: record.seq, reason: reason)
            }
            if record.prevHash != previousHash {
                return AuditVerification(
                    isValid: false, count: index, firstBadSeq: record.seq,
                    reason: "prev_hash does not match the hash of seq \(previousSeq): a record before it was deleted, "
                        + "inserted or reordered")
            }
            if hash(of: record, prevHash: record.prevHash, key: key) != record.hash {
                return AuditVerification(
                    isValid: false, count: index, firstBadSeq: record.seq,
                    reason: key == nil
                        ? "hash does not match the record's contents: the record was edited"
                        : "HMAC does not match the record's contents under the audit key: the record was edited, "
                            + "or appended or recomputed without the key")
            }
            previousHash = record.hash
            previousSeq = record.seq
        }
        return AuditVerification(isValid: true, count: records.count, headHash: records.last?.hash)
    }
}

extension AuditChain {
    /// Reads an audit key file: its bytes, surrounding whitespace trimmed.
    /// - Throws: ``StoreError/Code/configuration`` when it cannot be read or holds fewer than 32 bytes.
    public static func key(fromFile path: String) throws -> SymmetricKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError(.configuration, "cannot read the audit key file '\(path)'")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count >= 32 else {
            throw StoreError(.configuration, "the audit key file '\(path)' must hold at least 32 bytes")
        }
        return SymmetricKey(data: Array(text.utf8))
    }
}

func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}

extension Date {
    init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    var millisecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded(.down))
    }
}
