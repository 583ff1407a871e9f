import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomReport
import HeadroomServer
import HeadroomStore

/// `headroom plans`: the plans saved in the team database (`headroom plan --save`, `POST /v1/plans`), their
/// versions and what changed between two.
struct PlansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plans",
        abstract: "List, show and diff the plans saved in the database (headroom plan --save, headroom serve).",
        subcommands: [List.self, Show.self, Diff.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every saved plan, latest version.")

        @OptionGroup var store: ServeCommand.StoreOptions
        @Option(help: "table or json.") var format: OutputFormat = .table

        func run() async throws {
            let plans = try await withStore(url: store.resolved, auditKeyFile: store.auditKeyPath) {
                try await $0.store.listPlans()
            }
            switch format {
            case .json:
                emit(try render(plans.map(PlanSummary.init)))
            case .table:
                var table = TextTable(header: ["name", "version", "confidential", "author", "saved"])
                table.rows = plans.map {
                    [
                        $0.name, String($0.version), $0.confidential ? "yes" : "no", $0.createdBy,
                        ISO8601DateFormatter().string(from: $0.createdAt),
                    ]
                }
                emit(plans.isEmpty ? "no saved plans" : table.render())
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A saved plan's document (JSON).")

        @Argument(help: "The plan's name.") var name: String
        @Option(help: "The version (default: the latest).") var version: Int?
        @OptionGroup var store: ServeCommand.StoreOptions

        func run() async throws {
            let plan = try await withStore(url: store.resolved, auditKeyFile: store.auditKeyPath) { opened in
                let plan = try await opened.store.plan(name: name, version: version)
                if let plan, plan.confidential {
                    try await PlansCommand.auditConfidentialRead(
                        opened, action: "headroom plans show", target: "plan:\(name)@\(plan.version)")
                }
                return plan
            }
            guard let plan else {
                throw failure("no plan '\(name)'" + (version.map { " version \($0)" } ?? ""))
            }
            emit(plan.document)
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What changed between two versions of a plan.")

        @Argument(help: "The plan's name.") var name: String
        @Option(help: "The older version.") var from: Int
        @Option(help: "The newer version.") var to: Int
        @OptionGroup var store: ServeCommand.StoreOptions
        @Option(help: "table or json.") var format: OutputFormat = .table

        func run() async throws {
            let diff = try await withStore(url: store.resolved, auditKeyFile: store.auditKeyPath) { opened in
                let diff = try await opened.store.diffPlan(name: name, from: from, to: to)
                let older = try await opened.store.plan(name: name, version: from)
                let newer = try await opened.store.plan(name: name, version: to)
                if older?.confidential == true || newer?.confidential == true {
                    try await PlansCommand.auditConfidentialRead(
                        opened, action: "headroom plans diff", target: "plan:\(name)@\(from)..\(to)")
                }
                return diff
            }
            switch format {
            case .json:
                emit(try render(diff))
            case .table:
                guard !diff.changes.isEmpty else {
                    emit("plan '\(name)': versions \(from) and \(to) are the same")
                    return
                }
                var table = TextTable(header: ["change", "path", "from", "to"])
                table.rows = try diff.changes.map { change in
                    [
                        change.kind.rawValue, change.path, try change.oldValue.map { try compact($0) } ?? "",
                        try change.newValue.map { try compact($0) } ?? "",
                    ]
                }
                emit("plan '\(name)' \(from) → \(to): \(diff.changes.count) changes\n" + table.render())
            }
        }
    }

    /// A listing row as JSON.
    struct PlanSummary: Encodable {
        var name: String
        var version: Int
        var confidential: Bool
        var author: String
        var createdAt: String

        init(_ plan: StoredPlan) {
            name = plan.name
            version = plan.version
            confidential = plan.confidential
            author = plan.createdBy
            createdAt = ISO8601DateFormatter().string(from: plan.createdAt)
        }
    }

    /// Appends the read of a confidential plan to the audit log, as `cli:$USER`.
    static func auditConfidentialRead(_ store: SQLServiceStore, action: String, target: String) async throws {
        _ = try await store.appendAudit(
            AuditEventDraft(
                actor: cliActor(), action: action, target: target, requestID: cliRequestID(),
                outcome: "success: confidential read"))
    }

    /// Saves `document` (a plan's JSON) as the next version of `name` and audits it as `cli:$USER`.
    /// - Returns: the version saved.
    static func save(name: String, document: String, confidential: Bool, url: String) async throws -> Int {
        try await withStore(url: url) { store in
            let (actor, requestID) = (cliActor(), cliRequestID())
            // The version and its event commit in one transaction.
            let saved = try await store.savePlan(
                name: name, document: document, confidential: confidential, author: actor
            ) { saved in
                AuditEventDraft(
                    actor: actor, action: "headroom plan --save", target: "plan:\(name)@\(saved.version)",
                    requestID: requestID, outcome: "success")
            }
            return saved.version
        }
    }

    /// Saves a bench run's JSON under `name` (replacing one of that name) and audits it as `cli:$USER`.
    static func saveBenchRun(name: String, document: String, action: String, url: String) async throws {
        try await withStore(url: url) { store in
            _ = try await store.saveDocument(
                .benchRun, name: name, document: document, confidential: false, author: cliActor(),
                audit: AuditEventDraft(
                    actor: cliActor(), action: action, target: "bench_run:\(name)", requestID: cliRequestID(),
                    outcome: "success"))
        }
    }

    /// Whether `name` may name a plan: what the server accepts (letters, digits, '-', '_', '.'; at most 128).
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 128
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}

/// Opens the database at `url`, runs `body`, closes it; the store's errors become `error: …` and a non-zero exit.
func withStore<R: Sendable>(
    url: String, auditKeyFile: String? = ServeCommand.StoreOptions.environmentAuditKeyFile,
    _ body: (SQLServiceStore) async throws -> R
) async throws -> R {
    let store = try await openStore(url: url, auditKeyFile: auditKeyFile)
    let result: R
    do {
        result = try await body(store)
    } catch {
        try? await store.close()
        if let error = error as? ServiceError { throw failure(error.message) }
        if error is ExitCode { throw error }
        throw failure("\(error)")
    }
    try await store.close()
    return result
}

/// Pretty, sorted, snake_case JSON.
func render(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// One line of JSON, for a table cell: at most 60 characters (`--format json` has the whole value).
private func compact(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let text = String(decoding: try encoder.encode(value), as: UTF8.self)
    return text.count <= 60 ? text : text.prefix(59) + "…"
}
