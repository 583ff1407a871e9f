import ArgumentParser
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
            abstract: "Recompute the chain; exit non-zero naming the first bad seq when it is broken.")

        @OptionGroup var store: ServeCommand.StoreOptions

        func run() async throws {
            let result = try await withStore(url: store.resolved) { try await $0.store.verifyAudit() }
            guard result.isValid else {
                let seq = result.firstBadSeq.map(String.init) ?? "?"
                throw failure(
                    "audit chain broken at seq \(seq): \(result.reason ?? "hash mismatch") "
                        + "(\(result.count) events before it verified)")
            }
            emit("audit chain intact: \(result.count) events" + (result.headHash.map { ", head \($0)" } ?? ""))
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every audit record in order, one JSON object a line (re-verifiable: it carries the hashes).")

        @OptionGroup var store: ServeCommand.StoreOptions
        @Option(help: "Write the JSONL here instead of standard output.") var output: String?

        func run() async throws {
            let records = try await withStore(url: store.resolved) { try await $0.store.exportAudit() }
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
