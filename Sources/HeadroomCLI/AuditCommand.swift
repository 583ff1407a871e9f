import ArgumentParser
import Crypto
import Foundation
import HeadroomServer
import HeadroomStore

/// `headroom audit`: check and export the hash-chained audit log that `headroom serve` and the CLI's writes append
/// to.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify or export the audit log's hash chain.",
        subcommands: [Verify.self, Export.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the chain; exit non-zero naming the first bad seq when it is broken.",
            discussion: """
                A hash chain shows any edited, reordered or deleted row except rows deleted from its end: keep the \
                head somewhere the database's users cannot write (--write-anchor after each check), and pass it back \
                with --anchor to prove that nothing before it was removed or rewritten since. --file checks an \
                exported JSONL file instead of the database.
                """)

        @OptionGroup var store: ServeCommand.StoreOptions
        @Option(help: "An anchor written by an earlier --write-anchor: the chain must still hold that record.")
        var anchor: String?
        @Option(help: "Write the verified head (count and hash) here, as the next check's --anchor.")
        var writeAnchor: String?
        @Option(help: "Verify an exported JSONL file (headroom audit export) instead of the database.")
        var file: String?

        func run() async throws {
            let records: [AuditRecord]
            if let file {
                records = try Self.read(file)
            } else {
                records = try await withStore(url: store.resolved, auditKeyFile: store.auditKeyPath) {
                    try await $0.store.exportAudit()
                }
            }
            let key: SymmetricKey?
            do {
                key = try store.auditKeyPath.map { try AuditChain.key(fromFile: $0) }
            } catch {
                throw failure("\(error)")
            }
            let result = AuditChain.verify(records, key: key)
            guard result.isValid else {
                let seq = result.firstBadSeq.map(String.init) ?? "?"
                throw failure(
                    "audit chain broken at seq \(seq): \(result.reason ?? "hash mismatch") "
                        + "(\(result.count) events before it verified)")
            }
            if let anchor {
                let expected = try AuditAnchor.read(anchor)
                guard expected.count <= records.count else {
                    throw failure(
                        "audit log truncated: the anchor holds \(expected.count) events, the log \(records.count)")
                }
                guard records[expected.count - 1].hash == expected.head, records[expected.count - 1].seq == expected.seq
                else {
                    throw failure(
                        "audit log rewritten: event \(expected.count) is no longer the anchored seq \(expected.seq) "
                            + "with hash \(expected.head)")
                }
            }
            if let writeAnchor, let last = records.last {
                try AuditAnchor(count: records.count, seq: last.seq, head: last.hash).write(writeAnchor)
            }
            emit(
                "audit chain intact: \(records.count) events" + (records.last.map { ", head \($0.hash)" } ?? "")
                    + (anchor == nil ? "" : "; the anchored head is still in place"))
        }

        static func read(_ path: String) throws -> [AuditRecord] {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw failure("cannot read \(path): \(error.localizedDescription)")
            }
            return try text.split(separator: "\n", omittingEmptySubsequences: true).enumerated().map { index, line in
                do {
                    return try JSONDecoder().decode(AuditRecord.self, from: Data(line.utf8))
                } catch {
                    throw failure("\(path):\(index + 1): not an audit record: \(error)")
                }
            }
        }
    }

    /// The chain's head at a verified moment, kept outside the database.
    struct AuditAnchor: Codable {
        var count: Int
        var seq: Int64
        var head: String

        static func read(_ path: String) throws -> AuditAnchor {
            do {
                let anchor = try JSONDecoder().decode(
                    AuditAnchor.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
                guard anchor.count >= 1 else { throw failure("\(path): count must be at least 1") }
                return anchor
            } catch let error as ExitCode {
                throw error
            } catch {
                throw failure("cannot read the anchor \(path): \(error)")
            }
        }

        func write(_ path: String) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            do {
                try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw failure("cannot write the anchor \(path): \(error.localizedDescription)")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every audit record in order, one JSON object a line (re-verifiable: it carries the hashes).")

        @OptionGroup var store: ServeCommand.StoreOptions
        @Option(help: "Write the JSONL here instead of standard output.") var output: String?

        func run() async throws {
            let records = try await withStore(url: store.resolved, auditKeyFile: store.auditKeyPath) {
                try await $0.store.exportAudit()
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var text = ""
            for record in records {
                text += String(decoding: try encoder.encode(record), as: UTF8.self) + "\n"
            }
            guard let output else {
                FileHandle.standardOutput.write(Data(text.utf8))
                return
            }
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw failure("cannot write \(output): \(error.localizedDescription)")
            }
            FileHandle.standardError.write(Data("wrote \(records.count) audit records to \(output)\n".utf8))
        }
    }
}
