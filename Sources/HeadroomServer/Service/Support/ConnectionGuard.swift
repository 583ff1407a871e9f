import NIOCore
import NIOHTTPTypes

/// Watches each connection for the two things a request handler cannot see: a request that takes too long to
/// arrive, and a client that goes away while its request is being computed.
///
/// - **Read deadline**: a request must be read whole (head and body) within `readTimeout` of its first byte. The
///   idle timeout alone closes a connection only after a stretch of silence, so a client that sends one byte of its
///   headers every few seconds (slowloris) would hold a connection and its buffers for as long as it likes. The clock
///   starts at the first byte of a request (seen by ``RequestBytesWatch``, placed before the HTTP decoder) and stops
///   when the request's end is decoded: an idle keep-alive connection is left to the idle timeout, and a request being
///   computed is not timed.
/// - **Departure**: when the client closes its side (or the connection drops), the callbacks registered through
///   ``ConnectionGuard/cancellingOnClose(of:_:)`` run, so a computation whose client gave up stops.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let readTimeout: TimeAmount?
    private var timer: Scheduled<Void>?
    /// The client has closed its side or the connection is gone.
    private var departed = false
    private var watchers: [Int: @Sendable () -> Void] = [:]
    private var nextWatcher = 0

    /// - Parameter readTimeout: the read deadline; nil: none (departures are still watched).
    init(readTimeout: TimeAmount?) { self.readTimeout = readTimeout }

    func handlerAdded(context: ChannelHandlerContext) {
        guard readTimeout != nil else { return }
        // The raw bytes are seen before the decoder holds them back until a head is complete.
        try? context.pipeline.syncOperations.addHandler(RequestBytesWatch(guard: self), position: .first)
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        depart()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { depart() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The request is read whole: its clock stops.
        if case .end = unwrapInboundIn(data) { disarm() }
        context.fireChannelRead(data)
    }

    /// Bytes of a request arrived: its clock starts unless it is running.
    fileprivate func bytesArrived(on channel: any Channel, loop: any EventLoop) {
        guard timer == nil, let readTimeout, !departed else { return }
        timer = loop.scheduleTask(in: readTimeout) { channel.close(promise: nil) }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }

    private func depart() {
        guard !departed else { return }
        departed = true
        let callbacks = watchers.values
        watchers = [:]
        for callback in callbacks { callback() }
    }

    /// Registers `callback` for the client's departure; runs it at once when the client is already gone.
    /// - Returns: the registration, for ``unwatch(_:)``.
    private func watch(_ callback: @escaping @Sendable () -> Void) -> Int {
        nextWatcher += 1
        if departed {
            callback()
        } else {
            watchers[nextWatcher] = callback
        }
        return nextWatcher
    }

    private func unwatch(_ id: Int) { watchers[id] = nil }

    /// Runs `operation`, cancelling it when the client of `channel` closes its side or the connection drops.
    ///
    /// Without a ``ConnectionGuard`` in the channel's pipeline (the router test framework has no connection),
    /// `operation` simply runs. The caller's own cancellation reaches `operation` as well.
    static func cancellingOnClose<T: Sendable>(
        of channel: (any Channel)?, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard let channel else { return try await operation() }
        let task = Task { try await operation() }
        let registration = try? await channel.eventLoop.submit { () -> Int? in
            guard let watchdog = try? channel.pipeline.syncOperations.handler(type: ConnectionGuard.self) else {
                return nil
            }
            return watchdog.watch { task.cancel() }
        }.get()
        defer {
            if let id = registration ?? nil {
                channel.eventLoop.execute {
                    (try? channel.pipeline.syncOperations.handler(type: ConnectionGuard.self))?.unwatch(id)
                }
            }
        }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}

/// Tells ``ConnectionGuard`` when bytes arrive, before the HTTP decoder: the first byte of a request starts its read
/// clock (the decoder passes nothing on until a whole head has arrived).
private final class RequestBytesWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let watchdog: ConnectionGuard

    init(guard watchdog: ConnectionGuard) { self.watchdog = watchdog }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        watchdog.bytesArrived(on: context.channel, loop: context.eventLoop)
        context.fireChannelRead(data)
    }
}
