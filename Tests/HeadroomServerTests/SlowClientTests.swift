import Foundation
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A client that opens a connection and sends its headers slowly, or nothing, is disconnected after the idle timeout.
@Suite(.timeLimit(.minutes(2)))
struct SlowClientTests {
    /// Connects to 127.0.0.1:`port`, sends `prefix`, and waits up to 20 s for the server to close.
    /// - Returns: the seconds until the server closed, or nil when it did not.
    static func secondsUntilClosed(port: Int, prefix: String) -> Double? {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let started = Date()
        if !prefix.isEmpty {
            _ = prefix.withCString { send(descriptor, $0, strlen($0), 0) }
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return Date().timeIntervalSince(started) }  // closed by the server
            if count < 0 { return nil }  // our 20 s ran out: still open
        }
    }

    @Test(arguments: ["", "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: "])
    func slowOrSilentConnectionsAreClosedAfterTheIdleTimeout(prefix: String) async throws {
        var service = await TestService()
        service.configuration.idleTimeout = .seconds(1)
        let app = try await buildServiceApplication(configuration: service.configuration, store: service.store)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let seconds = await Task.detached { Self.secondsUntilClosed(port: port, prefix: prefix) }.value
            let closed = try #require(seconds, "the connection is still open after 20 s")
            #expect(closed >= 0.5 && closed < 15, "closed after \(closed) s")
        }
    }
}
