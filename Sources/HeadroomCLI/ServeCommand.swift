import ArgumentParser
import Foundation
import HeadroomServer

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
        @Option(help: "Largest request body, bytes.") var maxBodyBytes = 1 << 20
        @Flag(help: "Serve /metrics without authentication (for a scraper on a private network).")
        var metricsOpen = false

        func validate() throws {
            if (oidcIssuer == nil) != (oidcAudience == nil) {
                throw ValidationError("--oidc-issuer and --oidc-audience go together")
            }
            guard rateLimit >= 0, rateBurst >= 1 else {
                throw ValidationError("--rate-limit must be ≥ 0 and --rate-burst ≥ 1")
            }
        }

        func run() async throws {
            var configuration = ServiceConfiguration(
                host: host, port: port,
                rateLimit: rateLimit > 0 ? .init(requestsPerSecond: rateLimit, burst: rateBurst) : nil,
                maxBodyBytes: maxBodyBytes, metricsAccess: metricsOpen ? .open : .authenticated,
                metrics: .bootstrapped)
            if let issuer = oidcIssuer, let audience = oidcAudience {
                configuration.oidc = try oidc(issuer: issuer, audience: audience)
            }
            try await runService(configuration: configuration, store: try await makeStore(url: store.resolved))
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
            let key = try await makeStore(url: store.resolved).createAPIKey(name: name, role: .admin)
            emit("id: \(key.id)\nsecret: \(key.secret)\nThe secret is shown once; keep it safe.")
        }
    }
}

/// The store behind `headroom serve` for a database URL.
///
/// Shim: answers an in-memory store (nothing persists) until the adapter over `HeadroomStore` replaces this body.
func makeStore(url: String) async throws -> any ServiceStore {
    InMemoryServiceStore()
}
