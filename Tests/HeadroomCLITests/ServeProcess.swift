import Foundation
import HeadroomServer
import HeadroomStore
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the end-to-end service tests keep their data: a fresh SQLite file always; a fresh PostgreSQL database when
/// `HEADROOM_TEST_POSTGRES_URL` is set (`scripts/postgres start`); `HEADROOM_REQUIRE_POSTGRES=1` makes its absence a
/// failure.
enum ServeDatabase: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let postgresURL: String? = {
        guard let url = ProcessInfo.processInfo.environment["HEADROOM_TEST_POSTGRES_URL"], !url.isEmpty else {
            return nil
        }
        return url
    }()

    static let isPostgresRequired = ProcessInfo.processInfo.environment["HEADROOM_REQUIRE_POSTGRES"] == "1"

    static let available: [ServeDatabase] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]

    var testDescription: String { rawValue }

    /// Runs `body` with the URL of a new, empty database, then removes it.
    func with(_ body: (String) async throws -> Void) async throws {
        let name = "headroom_c_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(name)
            defer { try? FileManager.default.removeItem(at: folder) }
            try await body("sqlite://" + folder.appendingPathComponent("headroom.sqlite").path)
        case .postgres:
            let base = try #require(Self.postgresURL, "HEADROOM_TEST_POSTGRES_URL is not set")
            try await Self.admin(base, "CREATE DATABASE \(name)")
            var components = try #require(URLComponents(string: base), "HEADROOM_TEST_POSTGRES_URL is not a URL")
            components.path = "/" + name
            do {
                try await body(try #require(components.string))
            } catch {
                try? await Self.admin(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                throw error
            }
            try await Self.admin(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    private static func admin(_ url: String, _ statement: String) async throws {
        let store = try await SQLServiceStore.open(url: url)
        do {
            try await #require(store.store as? SQLHeadroomStore).executeRaw(statement)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }
}

/// An HTTP answer.
struct HTTPReply: Sendable {
    var status: Int
    var body: String

    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(body.utf8))
        return try #require(value as? [String: Any], "not a JSON object: \(body)")
    }

    /// The body as a JSON array of objects.
    func objects() throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(body.utf8))
        return try #require(value as? [[String: Any]], "not a JSON array: \(body)")
    }
}

/// A `headroom serve` child process on a free port of 127.0.0.1.
final class ServeProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let log: URL
    private let session: URLSession

    var base: String { "http://127.0.0.1:\(port)" }

    private init(process: Process, port: Int, log: URL) {
        self.process = process
        self.port = port
        self.log = log
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 120
        session = URLSession(configuration: configuration)
    }

    /// Starts `headroom serve` on `database` (rate limiting off) and waits until `/healthz` answers.
    /// - Parameter port: the port to listen on; nil: a free one.
    static func start(database: String, port: Int? = nil) async throws -> ServeProcess {
        let port = try port ?? freePort()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "headroom-serve-\(port)-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = [
            "serve", "start", "--host", "127.0.0.1", "--port", String(port), "--database-url", database,
            "--rate-limit", "0",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["HEADROOM_CONFIG_DIR"] = "/nonexistent-headroom-config"
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let server = ServeProcess(process: process, port: port, log: log)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            guard process.isRunning else {
                throw ServeFailure("headroom serve exited (\(process.terminationStatus)): \(server.logText)")
            }
            if let reply = try? await server.request("GET", "/healthz"), reply.status == 200 { return server }
            try await Task.sleep(for: .milliseconds(50))
        }
        server.kill9()
        throw ServeFailure("headroom serve did not answer /healthz within 60 s: \(server.logText)")
    }

    /// What the server wrote to its standard output and error.
    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Sends a request; `json` goes as the body.
    func request(_ method: String, _ path: String, key: String? = nil, json: String? = nil) async throws -> HTTPReply {
        var request = URLRequest(url: try #require(URL(string: base + path)))
        request.httpMethod = method
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await session.data(for: request)
        return HTTPReply(
            status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
    }

    /// SIGKILL: no shutdown, no flush, no goodbye. The session stays valid (FoundationNetworking traps on a request
    /// through an invalidated one), so writers still running see connection errors.
    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// SIGTERM, and waits for the graceful shutdown.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        session.invalidateAndCancel()
        try? FileManager.default.removeItem(at: log)
    }

    /// A port nothing listens on now (the kernel's pick for port 0).
    static func freePort() throws -> Int {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw ServeFailure("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw ServeFailure("bind() to 127.0.0.1:0 failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct ServeFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs the built `headroom` with `arguments`; returns its exit status and output.
func runHeadroom(_ arguments: [String]) throws -> CommandLineTests.Run {
    let process = Process()
    process.executableURL = CommandLineTests.executable
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["HEADROOM_CONFIG_DIR"] = "/nonexistent-headroom-config"
    environment["USER"] = "tester"
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandLineTests.Run(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}

/// `headroom serve create-admin-key --name NAME` on `database`; returns the secret.
func createAdminKey(name: String, database: String) throws -> String {
    let run = try runHeadroom(["serve", "create-admin-key", "--name", name, "--database-url", database])
    #expect(run.status == 0, "\(run.stderr)")
    let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("secret: ") })
    return String(line.dropFirst("secret: ".count))
}

/// A small workload that plans in a moment, as a JSON object.
let crashWorkload = """
    {"model": "llama-3.1-8b", "traffic": {"peak_rps": 4, "requests": 200},
     "lengths": {"input": {"dist": "fixed", "value": 500}, "output": {"dist": "fixed", "value": 200}},
     "slo": {"ttft_ms": 2000, "tpot_ms": 100}, "constraints": {"accelerators": ["h100-sxm"], "stacks": ["vllm"]}}
    """
