import NIOCore
import NIOHTTPTypes

/// Watches each connection for the two things a request handler cannot see: a request that takes too long to
/// arrive, and a client that goes away while its request is being computed.
///
/// - **Read deadline**: the head and body of each request must be read within `readTimeout` of the connection
///   opening, of the previous response ending, or of its own head, whichever comes last. The idle timeout alone
///   closes a connection only after a stretch of silence, so a client that sends one byte of its headers every few
///   seconds (slowloris) would hold a connection and its buffers for as long as it likes. A request being computed is
///   not timed: the deadline runs only while a request is read or the connection waits for the next one.
/// - **Departure**: when the client closes its side (or the connection drops), the callbacks registered through
///   ``ConnectionGuard/cancellingOnClose(of:_:)`` run, so a computation whose client gave up stops.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let readTimeout: TimeAmount?
    private var timer: Scheduled<Void>?
    /// A head has arrived whose body has not ended.
    private var reading = false
    /// Requests read whole whose response has not ended.
    private var awaitingResponse = 0
    /// The client has closed its side or the connection is gone.
    private var departed = false
    private var watchers: [Int: @Sendable () -> Void] = [:]
    private var nextWatcher = 0

    /// - Parameter readTimeout: the read deadline; nil: none (departures are still watched).
    init(readTimeout: TimeAmount?) { self.readTimeout = readTimeout }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

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
        switch unwrapInboundIn(data) {
        case .head:
            reading = true
            if timer == nil { arm(context) }
        case .body: break
        case .end:
            reading = false
            awaitingResponse += 1
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            awaitingResponse = max(awaitingResponse - 1, 0)
            // The next request's clock starts now, unless one is already being read (its head started it).
            if awaitingResponse == 0, !reading { arm(context) }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext) {
        disarm()
        guard let readTimeout else { return }
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: readTimeout) { channel.close(promise: nil) }
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
