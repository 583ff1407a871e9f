import Foundation
import HTTPTypes
import HeadroomCatalog
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import NIOCore

/// An application over an in-memory store with one key per role.
struct TestService: Sendable {
    static let catalog: Catalog = try! CatalogLoader.bundled()

    let store = InMemoryServiceStore()
    var admin = ""
    var planner = ""
    var viewer = ""
    var configuration: ServiceConfiguration

    init(
        rateLimit: ServiceConfiguration.RateLimit? = nil, oidc: OIDCConfiguration? = nil, maxBodyBytes: Int = 1 << 20
    ) async {
        configuration = ServiceConfiguration(
            oidc: oidc, rateLimit: rateLimit, maxBodyBytes: maxBodyBytes, catalog: Self.catalog)
        admin = await store.createAPIKey(name: "ada", role: .admin).secret
        planner = await store.createAPIKey(name: "pat", role: .planner).secret
        viewer = await store.createAPIKey(name: "vic", role: .viewer).secret
    }

    /// Runs `body` against the application in the router test framework.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = try await buildServiceApplication(configuration: configuration, store: store)
        try await app.test(.router, body)
    }
}

extension TestClientProtocol {
    /// Sends `json` (or nothing) with `key` as the bearer token.
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, key: String?, json: String? = nil,
        headers extra: HTTPFields = [:], check: @escaping @Sendable (TestResponse) async throws -> Void = { _ in }
    ) async throws -> TestResponse {
        var headers = extra
        if let key { headers[.authorization] = "Bearer \(key)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(
            uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }
        ) { response in
            try await check(response)
            return response
        }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json() throws -> JSONValue { try JSONValue(json: text) }
}

/// A small workload that plans in a moment.
let smallWorkload = """
    {"model": "llama-3.1-8b", "traffic": {"peak_rps": 4, "requests": 300},
     "lengths": {"input": {"dist": "fixed", "value": 500}, "output": {"dist": "fixed", "value": 200}}, "slo": {"ttft_ms": 2000, "tpot_ms": 100},
     "constraints": {"accelerators": ["h100-sxm"], "stacks": ["vllm"]}}
    """
