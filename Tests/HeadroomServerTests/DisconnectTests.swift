import Foundation
import HTTPTypes
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A client that closes its connection stops its computation: the slot it held is free again at once instead of at
/// the computation's end or deadline.
/// Serialized: the long plan of one test would hold a compute thread the other's estimate waits for.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct DisconnectTests {
    /// A plan over every accelerator with 100,000 requests per confirming simulation: minutes of work, uncancelled.
    static let longPlan =
        #"{"workload": {"model": "llama-3.1-8b", "traffic": {"peak_rps": 4}, "lengths": {"preset": "chat"}, "slo": {"ttft_ms": 2000, "tpot_ms": 100}}, "requests": 100000}"#
    static let estimate =
        #"{"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1, "input_tokens": 1000, "output_tokens": 200, "concurrency": 1, "analytic": true}"#

    /// Opens a connection and sends `POST path` with `json` and a bearer `key`; the caller closes the socket.
    static func openRequest(port: Int, path: String, key: String, json: String) -> Int32? {
        guard let descriptor = SlowClientTests.connected(port: port) else { return nil }
        let body = Array(json.utf8)
        let head =
            "POST \(path) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(key)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        let bytes = Array(head.utf8) + body
        let sent = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// The status of one `POST /v1/estimate` on a connection of its own, waiting up to 120 s for the answer (the
    /// test client's 20 s would measure other suites' computations queued on a loaded machine, not this server).
    static func estimateStatus(port: Int, key: String) -> Int? {
        guard let socket = openRequest(port: port, path: "/v1/estimate", key: key, json: estimate) else { return nil }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(socket, &buffer, buffer.count, 0)
        guard count >= 12 else { return nil }
        // "HTTP/1.1 200 OK"
        return Int(String(decoding: buffer[9..<12], as: UTF8.self))
    }

    /// Sends a small estimate until its status is `status`, for at most `limit`. - Returns: the time it took.
    static func timeUntil(_ status: Int, port: Int, key: String, limit: Duration) async throws -> Duration? {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < limit {
            let answer = await Task.detached { estimateStatus(port: port, key: key) }.value
            if answer == status { return ContinuousClock.now - started }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test func closingTheConnectionCancelsThePlanAndFreesItsSlot() async throws {
        var service = await TestService()
        service.configuration.computeSlots = 1
        service.configuration.computeQueue = 0
        service.configuration.computeDeadline = .seconds(600)
        // The test client's own connection stays idle through the test.
        service.configuration.idleTimeout = .seconds(600)
        let configured = service
        let app = try await buildServiceApplication(configuration: configured.configuration, store: configured.store)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // The plan must hold the only slot: a small estimate is then turned away. An estimate that slips in
            // first gets the slot and the plan is refused busy; then the plan is sent again.
            var holding: Int32?
            for _ in 0..<5 where holding == nil {
                let socket = try #require(
                    Self.openRequest(port: port, path: "/v1/plan", key: configured.viewer, json: Self.longPlan))
                try await Task.sleep(for: .seconds(1))
                var buffer = [UInt8](repeating: 0, count: 64)
                if recv(socket, &buffer, buffer.count, Int32(MSG_DONTWAIT)) > 0 {
                    close(socket)  // answered already: refused
                    continue
                }
                if try await Self.timeUntil(503, port: port, key: configured.viewer, limit: .seconds(20)) != nil {
                    holding = socket
                } else {
                    close(socket)
                }
            }
            let socket = try #require(holding, "the plan never held the slot")
            close(socket)
            // Its client gone, the plan stops at its next cancellation check and gives the slot back.
            // (Uncancelled, the plan holds it for minutes, and its deadline here is 600 s; freed at once on an idle
            // machine, within seconds on a loaded one.)
            let freed = try await Self.timeUntil(200, port: port, key: configured.viewer, limit: .seconds(100))
            let seconds = try #require(freed, "the slot is still taken 100 s after the client left")
            #expect(seconds < .seconds(90), "freed after \(seconds)")
        }
    }

    @Test func aClientThatWaitsGetsItsAnswerOnAKeptAliveConnection() async throws {
        let service = await TestService()
        let configured = service
        let app = try await buildServiceApplication(configuration: configured.configuration, store: configured.store)
        try await app.test(.live) { client in
            for _ in 0..<3 {
                let response = try await client.send(
                    .post, "/v1/estimate", key: configured.viewer, json: Self.estimate)
                #expect(response.status == .ok, "\(response.text)")
            }
        }
    }
}
