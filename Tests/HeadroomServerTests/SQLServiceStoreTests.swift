import Foundation
import HTTPTypes
import HeadroomCatalog
import HeadroomCore
import HeadroomServer
import HeadroomStore
import Hummingbird
import HummingbirdTesting
import Testing

/// The databases the adapter runs on here: an SQLite file always; PostgreSQL when `HEADROOM_TEST_POSTGRES_URL` is
/// set (`scripts/postgres start`), and `HEADROOM_REQUIRE_POSTGRES=1` makes its absence a failure.
enum SQLServiceBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let postgresURL: String? = {
        guard let url = ProcessInfo.processInfo.environment["HEADROOM_TEST_POSTGRES_URL"], !url.isEmpty else {
            return nil
        }
        return url
    }()

    static let isPostgresRequired = ProcessInfo.processInfo.environment["HEADROOM_REQUIRE_POSTGRES"] == "1"

    static let available: [SQLServiceBackend] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]

    var testDescription: String { rawValue }

    /// A fresh, empty database: a new SQLite file in a new folder, or a new PostgreSQL database.
    /// - Returns: its URL, and how to remove it.
    func makeDatabase() async throws -> (url: String, drop: @Sendable () async -> Void) {
        let name = "headroom_s_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(name)
            return (
                "sqlite://" + folder.appendingPathComponent("headroom.sqlite").path,
                { try? FileManager.default.removeItem(at: folder) }
            )
        case .postgres:
            let base = try #require(Self.postgresURL, "HEADROOM_TEST_POSTGRES_URL is not set")
            try await Self.withAdmin(base) { try await $0.executeRaw("CREATE DATABASE \(name)") }
            var components = try #require(URLComponents(string: base), "HEADROOM_TEST_POSTGRES_URL is not a URL")
            components.path = "/" + name
            return (
                try #require(components.string),
                {
                    try? await Self.withAdmin(base) {
                        try await $0.executeRaw("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                    }
                }
            )
        }
    }

    private static func withAdmin(_ url: String, _ body: (SQLHeadroomStore) async throws -> Void) async throws {
        let admin = try await SQLServiceStore.open(url: url)
        let raw = try #require(admin.store as? SQLHeadroomStore)
        do {
            try await body(raw)
        } catch {
            try? await admin.close()
            throw error
        }
        try await admin.close()
    }
}

/// `headroom serve`'s application over ``SQLServiceStore`` on a fresh database, with one key per role.
struct SQLTestService: Sendable {
    let url: String
    let store: SQLServiceStore
    let admin: String
    let planner: String
    let viewer: String
    let configuration = ServiceConfiguration(rateLimit: nil, catalog: TestService.catalog)

    /// Runs `body` with a service on a fresh database of `backend`, then closes the store and drops the database.
    static func with(
        _ backend: SQLServiceBackend, _ body: (SQLTestService) async throws -> Void
    ) async throws {
        let (url, drop) = try await backend.makeDatabase()
        let store = try await SQLServiceStore.open(url: url)
        do {
            let service = SQLTestService(
                url: url, store: store, admin: try await store.createAPIKey(name: "ada", role: .admin).secret,
                planner: try await store.createAPIKey(name: "pat", role: .planner).secret,
                viewer: try await store.createAPIKey(name: "vic", role: .viewer).secret)
            try await body(service)
        } catch {
            try? await store.close()
            await drop()
            throw error
        }
        try await store.close()
        await drop()
    }

    /// Runs `body` against the application in the router test framework.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = try await buildServiceApplication(configuration: configuration, store: store)
        try await app.test(.router, body)
    }

    /// The store's own handle, for what tests do behind the API (tampering).
    var raw: SQLHeadroomStore {
        get throws { try #require(store.store as? SQLHeadroomStore) }
    }
}

/// The route tests' key scenarios on SQLite (and PostgreSQL when configured) through ``SQLServiceStore``.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SQLServiceStoreTests {
    @Test func postgresIsConfiguredWhenRequired() {
        if SQLServiceBackend.isPostgresRequired {
            #expect(
                SQLServiceBackend.postgresURL != nil,
                "HEADROOM_REQUIRE_POSTGRES=1 but HEADROOM_TEST_POSTGRES_URL is not set (run scripts/postgres start)")
        }
    }

    @Test(arguments: SQLServiceBackend.available)
    func plansAreVersionedDiffedAndPersisted(backend: SQLServiceBackend) async throws {
        try await SQLTestService.with(backend) { service in
            try await service.test { client in
                try await client.send(
                    .post, "/v1/plans", key: service.planner,
                    json: #"{"name": "q3", "confidential": true, "workload": \#(smallWorkload)}"#
                ) { response in
                    #expect(response.status == .created, "\(response.text)")
                    let body = try response.json()
                    #expect(body["version"] == .number(1))
                }
                try await client.send(
                    .post, "/v1/plans", key: service.planner,
                    json: #"{"name": "q3", "top": 2, "workload": \#(smallWorkload)}"#
                ) { response in
                    #expect(response.status == .created, "\(response.text)")
                    let body = try response.json()
                    #expect(body["version"] == .number(2))
                    #expect(body["author"] == .string("pat"))
                }
                try await client.send(.get, "/v1/plans/q3/versions", key: service.viewer) { response in
                    guard case .array(let versions) = try response.json() else {
                        Issue.record("not an array: \(response.text)")
                        return
                    }
                    #expect(versions.map { $0["version"] } == [.number(1), .number(2)])
                }
                try await client.send(.get, "/v1/plans/q3", key: service.viewer) { response in
                    let body = try response.json()
                    #expect(body["version"] == .number(2))
                }
                try await client.send(.get, "/v1/plans/q3/versions/1", key: service.viewer) { response in
                    #expect(response.status == .ok)
                    let body = try response.json()
                    #expect(body["redacted"] == .bool(true))
                }
                try await client.send(.get, "/v1/plans/q3/diff?from=1&to=2", key: service.planner) { response in
                    #expect(response.status == .ok, "\(response.text)")
                    let body = try response.json()
                    #expect(body["redacted"] == .bool(false))
                    guard case .array(let changes) = body["changes"] else {
                        Issue.record("no changes: \(response.text)")
                        return
                    }
                    #expect(!changes.isEmpty)
                }
                try await client.send(.get, "/v1/plans/q3/diff?from=1&to=9", key: service.planner) {
                    #expect($0.status == .notFound)
                }
                try await client.send(.get, "/v1/plans", key: service.viewer) { response in
                    guard case .array(let plans) = try response.json() else {
                        Issue.record("not an array: \(response.text)")
                        return
                    }
                    #expect(plans.count == 1)
                }
            }
            // A second store on the same database (a restart, or another instance) reads the same versions.
            let versions = try await service.store.planVersions(name: "q3")
            let reopened = try await SQLServiceStore.open(url: service.url)
            let again = try await reopened.planVersions(name: "q3")
            try await reopened.close()
            #expect(again == versions)
            #expect(again.map(\.version) == [1, 2])
            #expect(again.map(\.confidential) == [true, false])
        }
    }

    @Test(arguments: SQLServiceBackend.available)
    func keysAuthenticateAndRevoke(backend: SQLServiceBackend) async throws {
        try await SQLTestService.with(backend) { service in
            try await service.test { client in
                let created = try await client.send(
                    .post, "/v1/keys", key: service.admin, json: #"{"name": "bob", "role": "viewer"}"#)
                #expect(created.status == .created, "\(created.text)")
                let secret = try #require(try created.json()["secret"]?.stringValue)
                let id = try #require(try created.json()["id"]?.stringValue)
                try await client.send(.get, "/v1/plans", key: secret) { #expect($0.status == .ok) }
                try await client.send(
                    .post, "/v1/workloads", key: secret, json: #"{"name": "w", "workload": \#(smallWorkload)}"#
                ) { #expect($0.status == .forbidden) }
                // A second key for bob carries bob's role; another role for bob is refused.
                try await client.send(
                    .post, "/v1/keys", key: service.admin, json: #"{"name": "bob", "role": "viewer"}"#
                ) { #expect($0.status == .created) }
                try await client.send(
                    .post, "/v1/keys", key: service.admin, json: #"{"name": "bob", "role": "admin"}"#
                ) { response in
                    #expect(response.status == .conflict, "\(response.text)")
                    #expect(response.text.contains("viewer"))
                }
                try await client.send(.delete, "/v1/keys/\(id)", key: service.admin) {
                    #expect($0.status == .noContent)
                }
                try await client.send(.get, "/v1/plans", key: secret) { #expect($0.status == .unauthorized) }
                try await client.send(.delete, "/v1/keys/\(id)", key: service.admin) {
                    #expect($0.status == .notFound)
                }
                try await client.send(.delete, "/v1/keys/no-such-key", key: service.admin) {
                    #expect($0.status == .notFound)
                }
                try await client.send(.get, "/v1/plans", key: "hr_0123456789ab_nope") {
                    #expect($0.status == .unauthorized)
                }
            }
            let owner = try #require(try await service.store.authenticate(apiKey: service.planner))
            #expect(owner.name == "pat")
            #expect(owner.role == .planner)
            let bob = try #require(try await service.store.store.user(name: "bob"))
            #expect(bob.role == .viewer)
            // The secrets are not at rest.
            let rows = try await service.raw.rawRows("SELECT * FROM api_keys")
            #expect(rows.count == 5)
            for row in rows {
                #expect(!row.values.contains { $0?.contains(String(service.admin.suffix(43))) == true })
            }
        }
    }

    @Test(arguments: SQLServiceBackend.available)
    func everyCallIsChainedAndTamperingIsFound(backend: SQLServiceBackend) async throws {
        try await SQLTestService.with(backend) { service in
            try await service.test { client in
                try await client.send(
                    .post, "/v1/workloads", key: service.planner, json: #"{"name": "w", "workload": \#(smallWorkload)}"#
                ) { #expect($0.status == .created) }
                try await client.send(
                    .post, "/v1/plans", key: service.planner, json: #"{"name": "q3", "workload_name": "w"}"#
                ) { response in #expect(response.status == .created, "\(response.text)") }
                try await client.send(
                    .post, "/v1/plans", key: service.planner, json: #"{"name": "q3", "workload": {"model": "nope"}}"#
                ) { #expect($0.status == .unprocessableContent) }
                try await client.send(.post, "/v1/keys", key: service.admin, json: #"{"name": "x", "role": "viewer"}"#)
                {
                    #expect($0.status == .created)
                }
                try await client.send(.get, "/v1/audit/verify", key: service.admin) { response in
                    let body = try response.json()
                    #expect(body["valid"] == .bool(true), "\(response.text)")
                    #expect(body["events"] == .number(4))
                    #expect(body["first_invalid_sequence"] == .null)
                }
                try await client.send(.get, "/v1/audit?limit=3", key: service.admin) { response in
                    guard case .array(let events) = try response.json() else {
                        Issue.record("not an array: \(response.text)")
                        return
                    }
                    #expect(events.map { $0["sequence"] } == [.number(2), .number(3), .number(4)])
                }
            }
            let events = try await service.store.listAudit(limit: 100)
            #expect(
                events.map(\.action) == ["POST /v1/workloads", "POST /v1/plans", "POST /v1/plans", "POST /v1/keys"])
            #expect(events.prefix(3).map(\.target) == ["workload:w", "plan:q3@1", nil])
            #expect(events[3].target?.hasPrefix("key:") == true)
            #expect(events[0].actor.hasPrefix("pat (key "))
            #expect(events[2].outcome.hasPrefix("failure: 422"))
            #expect(events.allSatisfy { !$0.requestID.isEmpty })

            try await service.raw.executeRaw("UPDATE audit_events SET outcome = 'success' WHERE seq = 3")
            try await service.test { client in
                try await client.send(.get, "/v1/audit/verify", key: service.admin) { response in
                    let body = try response.json()
                    #expect(body["valid"] == .bool(false))
                    #expect(body["first_invalid_sequence"] == .number(3))
                }
            }
        }
    }

    @Test(arguments: SQLServiceBackend.available)
    func documentsKeepTheLatestOfEachName(backend: SQLServiceBackend) async throws {
        try await SQLTestService.with(backend) { service in
            let store = service.store
            _ = try await store.saveDocument(
                .workload, name: "w", document: #"{"v": 1}"#, confidential: false, author: "pat")
            try await Task.sleep(for: .milliseconds(5))
            _ = try await store.saveDocument(
                .workload, name: "w", document: #"{"v": 2}"#, confidential: false, author: "ana")
            _ = try await store.saveDocument(
                .workload, name: "a", document: #"{"v": 3}"#, confidential: false, author: "pat")
            #expect(try await store.listDocuments(.workload).map(\.name) == ["a", "w"])
            let latest = try #require(try await store.document(.workload, name: "w"))
            #expect(latest.document == #"{"v": 2}"#)
            #expect(latest.author == "ana")
            #expect(try await store.document(.workload, name: "none") == nil)

            let book = try await store.saveDocument(
                .priceBook, name: "negotiated", document: "price_books: []", confidential: true, author: "pat")
            #expect(book.confidential)
            #expect(try await store.document(.priceBook, name: "negotiated")?.confidential == true)

            let result = BenchResult(
                tool: "headroom bench 0.1", startedAt: "2025-06-01T00:00:00Z",
                target: BenchTarget(
                    url: "http://127.0.0.1:8080", api: "chat", model: "served-name", acceleratorID: "h100-sxm",
                    acceleratorCount: 1, stackID: "vllm", catalogModelID: "llama-3.1-8b"),
                load: BenchLoad(mode: "concurrency", concurrency: 4, requests: 10, dataset: "synthetic"), requests: [],
                aggregates: BenchAggregates(
                    durationSeconds: 10, completed: 10, outcomes: ["success": 10], requestsPerSecond: 1,
                    outputTokensPerSecond: 100, totalTokensPerSecond: 200, meanInputTokens: 100, meanOutputTokens: 100,
                    outputTokensFromUsage: true, clientBottleneck: false))
            let run = try await store.saveDocument(
                .benchRun, name: "h100", document: String(decoding: result.encoded(), as: UTF8.self),
                confidential: false, author: "pat")
            #expect(try BenchResult.decode(Data(run.document.utf8), file: "run") == result)
            #expect(try await store.listDocuments(.benchRun).map(\.name) == ["h100"])
            let refused = await #expect(throws: ServiceError.self) {
                try await store.saveDocument(
                    .benchRun, name: "bad", document: #"{"schema_version": "headroom.bench/1"}"#, confidential: false,
                    author: "pat")
            }
            #expect(refused?.status == .unprocessableContent)
            #expect(refused?.field?.hasPrefix("run") == true)
        }
    }
}
