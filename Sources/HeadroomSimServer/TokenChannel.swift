import Synchronization

/// One request's tokens on their way from a ``SimEngine`` to the HTTP handler that streams them.
///
/// The engine adds tokens; the handler takes everything pending at once, so a handler that falls behind writes the
/// tokens it missed in one buffer instead of one write each.
package final class TokenChannel: Sendable {
    /// What a handler receives from ``next()``.
    package struct Delivery: Sendable, Hashable {
        /// Tokens since the last delivery.
        package var tokens: Int
        /// The last token is among them (or came earlier).
        package var finished: Bool
        /// The engine refused the request: it can never fit in the KV cache.
        package var refused: Bool
        /// The waiting task was cancelled.
        package var cancelled: Bool
    }

    private struct State {
        var pending = 0
        var finished = false
        var refused = false
        var cancelled = false
        var waiter: CheckedContinuation<Delivery, Never>?

        mutating func take() -> Delivery {
            defer { pending = 0 }
            return Delivery(tokens: pending, finished: finished, refused: refused, cancelled: cancelled)
        }

        var ready: Bool { pending > 0 || finished || refused || cancelled }
    }

    private let state = Mutex(State())

    package init() {}

    /// Adds `count` tokens; `last` marks the request finished. Wakes a waiting handler.
    package func deliver(_ count: Int, last: Bool = false) {
        let resume: (CheckedContinuation<Delivery, Never>, Delivery)? = state.withLock { state in
            state.pending += count
            if last { state.finished = true }
            guard let waiter = state.waiter, state.ready else { return nil }
            state.waiter = nil
            return (waiter, state.take())
        }
        if let resume { resume.0.resume(returning: resume.1) }
    }

    /// Marks the request refused by the engine.
    package func refuse() {
        let resume: (CheckedContinuation<Delivery, Never>, Delivery)? = state.withLock { state in
            state.refused = true
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, state.take())
        }
        if let resume { resume.0.resume(returning: resume.1) }
    }

    /// Waits until something is pending and takes all of it; returns at once with `cancelled` set when the task is
    /// cancelled.
    package func next() async -> Delivery {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Delivery, Never>) in
                let ready: Delivery? = state.withLock { state in
                    if state.ready { return state.take() }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let resume: (CheckedContinuation<Delivery, Never>, Delivery)? = state.withLock { state in
                state.cancelled = true
                guard let waiter = state.waiter else { return nil }
                state.waiter = nil
                return (waiter, state.take())
            }
            if let resume { resume.0.resume(returning: resume.1) }
        }
    }
}
