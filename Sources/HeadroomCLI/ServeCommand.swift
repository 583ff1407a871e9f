import ArgumentParser
import Foundation
import HeadroomAgent
import HeadroomServer
import HeadroomStore

/// `headroom serve`: the REST API over the same computations as the CLI, with API keys, OIDC, roles, audit,
/// metrics and an OpenAPI document.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve Headroom's API: estimate, simulate, plan, cost, train, saved plans, keys, audit.",
        subcommands: [Start.self, CreateAdminKey.self],
        defaultSubcommand: Start.self
    )

    /// Where the store lives.
    struct StoreOptions: ParsableArguments {
        @Option(
            help:
                "sqlite:///path or postgres://… (default: $HEADROOM_DATABASE_URL, else ~/.local/share/headroom/headroom.sqlite)."
        )
        var databaseURL: String?
        @Option(
            help: ArgumentHelp(
                "A file holding the audit key (at least 32 bytes; default: $HEADROOM_AUDIT_KEY_FILE).",
                discussion:
                    "Makes the audit chain an HMAC under a key kept outside the database: rows appended or recomputed "
                    + "without it fail verification. Give the same key to every command that opens the database."))
        var auditKeyFile: String?

        /// The audit key file: `--audit-key-file`, else `$HEADROOM_AUDIT_KEY_FILE`, else none.
        var auditKeyPath: String? { auditKeyFile ?? StoreOptions.environmentAuditKeyFile }

        static var environmentAuditKeyFile: String? {
            guard let path = ProcessInfo.processInfo.environment["HEADROOM_AUDIT_KEY_FILE"], !path.isEmpty else {
                return nil
            }
            return path
        }

        var resolved: String {
            if let databaseURL { return databaseURL }
            if let url = ProcessInfo.processInfo.environment["HEADROOM_DATABASE_URL"], !url.isEmpty { return url }
            let home = FileManager.default.homeDirectoryForCurrentUser.path
            return "sqlite://\(home)/.local/share/headroom/headroom.sqlite"
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start", abstract: "Run the server until SIGTERM or SIGINT (the default).")

        @Option(help: "Address to listen on.") var host = "127.0.0.1"
        @Option(help: "Port to listen on.") var port = 8080
        @OptionGroup var store: StoreOptions
        @Option(help: "OIDC issuer whose tokens are accepted besides API keys.") var oidcIssuer: String?
        @Option(help: "Required audience of OIDC tokens.") var oidcAudience: String?
        @Option(help: "The issuer's JWKS URL (default: <issuer>/.well-known/jwks.json).") var oidcJwksURL: String?
        @Option(help: "A JWKS file instead of fetching the URL.") var oidcJwksFile: String?
        @Option(help: "The token claim holding the role or groups.") var oidcRoleClaim = "headroom_role"
        @Option(
            help: "Map a group to a role: GROUP=viewer|planner|admin (repeatable).") var oidcGroup: [String] = []
        @Option(help: "Requests per second per key or user (0 turns limiting off).") var rateLimit = 10.0
        @Option(help: "Requests a key or user may send at once.") var rateBurst = 20
        @Option(help: "Failed authentications per second per client address (0 turns the limit off).")
        var authFailureLimit = 1.0
        @Option(help: "Failed authentications a client address may cause at once.") var authFailureBurst = 30
        @Option(help: "Largest request body, bytes.") var maxBodyBytes = 1 << 20
        @Option(help: "Computations running at once (default: one per core).") var computeSlots: Int?
        @Option(help: "Computations waiting for a slot before requests are answered 503.") var computeQueue = 256
        @Option(help: "Seconds a computation may run before it is stopped and answered 503.")
        var computeDeadline = 60.0
        @Option(
            help:
                "Seconds a connection may send nothing (while its request is read, or between requests) before it is closed."
        )
        var idleTimeout = 30.0
        @Option(
            help:
                "Seconds a request's head and body may take to arrive in all, from the connection opening or the previous response (against clients that drip their headers)."
        )
        var requestReadTimeout = 30.0
        @Flag(help: "Serve /metrics without authentication (for a scraper on a private network).")
        var metricsOpen = false
        @Option(
            help: ArgumentHelp(
                "A file holding a secret (hr_…, at least 32 characters) accepted as an admin API key besides the store's keys.",
                discussion: "For provisioning a fresh store and for automation; the secret is never logged."))
        var bootstrapAdminKeyFile: String?

        func validate() throws {
            if let slots = computeSlots, !(1...1024).contains(slots) {
                throw ValidationError("--compute-slots must be between 1 and 1024")
            }
            guard (0...100_000).contains(computeQueue) else {
                throw ValidationError("--compute-queue must be between 0 and 100000")
            }
            guard computeDeadline >= 0.1, computeDeadline <= 86_400 else {
                throw ValidationError("--compute-deadline must be between 0.1 and 86400 seconds")
            }
            if (oidcIssuer == nil) != (oidcAudience == nil) {
                throw ValidationError("--oidc-issuer and --oidc-audience go together")
            }
            guard idleTimeout >= 0.1, idleTimeout <= 86_400 else {
                throw ValidationError("--idle-timeout must be between 0.1 and 86400 seconds")
            }
            guard requestReadTimeout >= 0.1, requestReadTimeout <= 86_400 else {
                throw ValidationError("--request-read-timeout must be between 0.1 and 86400 seconds")
            }
            guard rateLimit >= 0, rateBurst >= 1 else {
                throw ValidationError("--rate-limit must be ≥ 0 and --rate-burst ≥ 1")
            }
            guard authFailureLimit >= 0, authFailureBurst >= 1 else {
                throw ValidationError("--auth-failure-limit must be ≥ 0 and --auth-failure-burst ≥ 1")
            }
        }

        func run() async throws {
            var configuration = ServiceConfiguration(
                host: host, port: port,
                rateLimit: rateLimit > 0 ? .init(requestsPerSecond: rateLimit, burst: rateBurst) : nil,
                maxBodyBytes: maxBodyBytes, metricsAccess: metricsOpen ? .open : .authenticated,
                metrics: .bootstrapped)
            configuration.extraRoutes = [MCPHTTPRoute.route()]
            configuration.authFailureLimit =
                authFailureLimit > 0 ? .init(requestsPerSecond: authFailureLimit, burst: authFailureBurst) : nil
            configuration.computeSlots = computeSlots ?? configuration.computeSlots
            configuration.computeQueue = computeQueue
            // Validated to at most 86,400 s: the conversion cannot overflow.
            configuration.computeDeadline = .milliseconds(Int((computeDeadline * 1000).rounded()))
            configuration.idleTimeout = .milliseconds(Int((idleTimeout * 1000).rounded()))
            configuration.requestReadTimeout = .milliseconds(Int((requestReadTimeout * 1000).rounded()))
            if let file = bootstrapAdminKeyFile {
                let secret = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines)
                guard secret.hasPrefix("hr_"), secret.count >= 32, !secret.contains(where: \.isWhitespace) else {
                    throw ValidationError(
                        "--bootstrap-admin-key-file must hold one secret: hr_ then at least 29 characters")
                }
                configuration.bootstrapAdminKey = secret
            }
            if let issuer = oidcIssuer, let audience = oidcAudience {
                configuration.oidc = try oidc(issuer: issuer, audience: audience)
            }
            let opened: SQLServiceStore
            do {
                opened = try await SQLServiceStore.open(
                    url: store.resolved, logger: configuration.logger,
                    auditKey: try store.auditKeyPath.map { try AuditChain.key(fromFile: $0) })
            } catch {
                throw failure("cannot open the database: \(error)")
            }
            do {
                try await runService(configuration: configuration, store: opened)
            } catch {
                try? await opened.close()
                throw error
            }
            try await opened.close()
        }

        func oidc(issuer: String, audience: String) throws -> OIDCConfiguration {
            let keys: OIDCConfiguration.KeySource
            if let file = oidcJwksFile {
                keys = .inline(try String(contentsOfFile: file, encoding: .utf8))
            } else {
                let text = oidcJwksURL ?? issuer.trimmingCharacters(in: ["/"]) + "/.well-known/jwks.json"
                guard let url = URL(string: text), url.scheme == "https" || url.scheme == "http" else {
                    throw ValidationError("--oidc-jwks-url must be an http(s) URL")
                }
                keys = .url(url)
            }
            var groups: [String: Role] = [:]
            for pair in oidcGroup {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let role = Role(rawValue: parts[1]) else {
                    throw ValidationError("--oidc-group takes GROUP=viewer|planner|admin, got '\(pair)'")
                }
                groups[parts[0]] = role
            }
            return OIDCConfiguration(
                issuer: issuer, audience: audience, keys: keys, roleClaim: oidcRoleClaim, groupRoles: groups)
        }
    }

    struct CreateAdminKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-admin-key", abstract: "Create an admin API key and print its secret once.")

        @Option(help: "Who the key is for.") var name: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let opened = try await openStore(url: store.resolved, auditKeyFile: store.auditKeyPath)
            let key: CreatedAPIKey
            do {
                key = try await opened.createAPIKey(name: name, role: .admin)
                _ = try await opened.appendAudit(
                    AuditEventDraft(
                        actor: cliActor(), action: "headroom serve create-admin-key", target: "key:\(key.id)",
                        requestID: cliRequestID(), outcome: "success"))
            } catch {
                try? await opened.close()
                throw failure((error as? ServiceError)?.message ?? "\(error)")
            }
            try await opened.close()
            emit("id: \(key.id)\nsecret: \(key.secret)\nThe secret is shown once; keep it safe.")
        }
    }
}

/// Opens (and migrates) the database behind `headroom serve`, `headroom plans` and `headroom audit`.
/// - Parameter url: `sqlite:///path`, a plain path, or `postgres://…`.
/// - Throws: an exit with the store's message when it cannot be opened.
/// - Parameter auditKeyFile: the audit key (`--audit-key-file`, by default `$HEADROOM_AUDIT_KEY_FILE`).
func openStore(
    url: String, auditKeyFile: String? = ServeCommand.StoreOptions.environmentAuditKeyFile
) async throws -> SQLServiceStore {
    do {
        return try await SQLServiceStore.open(
            url: url, auditKey: try auditKeyFile.map { try AuditChain.key(fromFile: $0) })
    } catch {
        throw failure("cannot open the database: \(error)")
    }
}

/// Who the CLI's audit events name: `cli:$USER`.
func cliActor() -> String {
    let environment = ProcessInfo.processInfo.environment
    let user = environment["USER"] ?? environment["LOGNAME"] ?? ProcessInfo.processInfo.userName
    return "cli:" + (user.isEmpty ? "unknown" : user)
}

/// A request id for an audit event the CLI appends: `cli-<uuid>`.
func cliRequestID() -> String {
    "cli-" + UUID().uuidString.lowercased()
}
