import Foundation
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
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

    /// Connects, sends `prefix`, then one more byte every 200 ms (never enough silence for the idle timeout), for
    /// at most 20 s. - Returns: the seconds until the server closed, or nil when it did not.
    static func secondsUntilClosedWhileDripping(port: Int, prefix: String) -> Double? {
        guard let descriptor = connected(port: port) else { return nil }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let started = Date()
        _ = prefix.withCString { send(descriptor, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date().timeIntervalSince(started) < 20 {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return Date().timeIntervalSince(started) }  // closed by the server
            // Our 200 ms passed with nothing to read: drip one more header byte (MSG_NOSIGNAL: a closed peer is
            // seen by the next recv, not as SIGPIPE).
            _ = "x".withCString { send(descriptor, $0, 1, Int32(MSG_NOSIGNAL)) }
        }
        return nil
    }

    /// A socket connected to 127.0.0.1:`port`, or nil.
    static func connected(port: Int) -> Int32? {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    @Test func aClientDrippingItsHeadersIsClosedAtTheRequestReadDeadline() async throws {
        var service = await TestService()
        service.configuration.idleTimeout = .seconds(10)
        service.configuration.requestReadTimeout = .seconds(1)
        let app = try await buildServiceApplication(configuration: service.configuration, store: service.store)
        let closedAfter = Mutex<Double??>(nil)
        do {
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let seconds = await Task.detached {
                    Self.secondsUntilClosedWhileDripping(
                        port: port, prefix: "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                }.value
                closedAfter.withLock { $0 = .some(seconds) }
            }
        } catch ChannelError.ioOnClosedChannel {
            // The test client's own connection, idle while the other dripped, met the same deadline.
        }
        let seconds = try #require(closedAfter.withLock { $0 }, "the dripping client never ran")
        let closed = try #require(seconds, "a dripping client still holds its connection after 20 s")
        // Closed by the 1 s read deadline, well before the 10 s idle timeout could have (it never would).
        #expect(closed >= 0.5 && closed < 8, "closed after \(closed) s")
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
