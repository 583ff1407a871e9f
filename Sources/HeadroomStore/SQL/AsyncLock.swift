/// A first-come, first-served lock for async code: one holder at a time, the rest wait without blocking a thread.
/// It serialises use of the single SQLite connection a store holds, so that one task's transaction never
/// interleaves with another's statements.
actor AsyncLock {
    private var isLocked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` while holding the lock.
    nonisolated func withLock<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        await lock()
        do {
            let result = try await body()
            await unlock()
            return result
        } catch {
            await unlock()
            throw error
        }
    }

    private func lock() async {
        if !isLocked {
            isLocked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func unlock() {
        if waiters.isEmpty {
            isLocked = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
