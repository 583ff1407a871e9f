import Foundation
import Synchronization

/// Threads of their own for the CPU-bound computations (simulation, search), off Swift's cooperative pool: a plan
/// that runs for seconds keeps these busy, not the threads every request handler, health check and refusal needs.
///
/// Work reaches it as a task executor preference (`withTaskExecutorPreference`), which child tasks (the planner's
/// finalists) inherit. One executor serves the process, with as many threads as the machine has cores.
package final class ComputeExecutor: TaskExecutor, Sendable {
    /// The process's executor.
    package static let shared = ComputeExecutor(threads: ProcessInfo.processInfo.activeProcessorCount)

    private let jobs = Mutex<[UnownedJob]>([])
    private let available = DispatchSemaphore(value: 0)
    private let threads = Mutex<[pthread_t]>([])

    /// Starts `threads` threads (at least one) that run jobs in the order they were enqueued.
    package init(threads: Int) {
        for index in 0..<max(threads, 1) {
            let thread = Thread { [self] in run() }
            thread.name = "headroom-compute-\(index)"
            thread.start()
        }
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        jobs.withLock { $0.append(unowned) }
        available.signal()
    }

    /// Whether the calling thread is one of this executor's.
    package var isCurrentThread: Bool {
        let current = pthread_self()
        return threads.withLock { $0.contains { pthread_equal($0, current) != 0 } }
    }

    private func run() {
        let current = pthread_self()
        threads.withLock { $0.append(current) }
        while true {
            available.wait()
            guard let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// How many computations may run and wait at once, and for how long one may run: a full queue is answered at once
/// with 503 and `Retry-After` instead of piling requests up, and a computation past its deadline is cancelled (the
/// planner and the simulator stop at their next check) and answered 503.
package actor ComputeGate {
    /// Computations running at once.
    package let slots: Int
    /// Computations waiting for a slot; one more is refused.
    package let queueLimit: Int
    /// The longest a computation may run.
    package let deadline: Duration

    private var running = 0
    private var waiting: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID = 0

    package init(slots: Int, queueLimit: Int, deadline: Duration) {
        self.slots = max(slots, 1)
        self.queueLimit = max(queueLimit, 0)
        self.deadline = deadline
    }

    /// Computations running and waiting now.
    package var load: (running: Int, waiting: Int) { (running, waiting.count) }

    /// Runs `body` in a slot, on ``ComputeExecutor``, within ``deadline``.
    /// - Throws: ``OperationError/Kind/unavailable`` (retry after 1 s) when every slot is taken and the queue is full, or the
    ///   deadline passes; `CancellationError` when the caller is cancelled while waiting; what `body` throws.
    package nonisolated func run<T: Sendable>(
        _ body: @concurrent @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await enter()
        do {
            let value = try await Self.withDeadline(deadline, body)
            await leave()
            return value
        } catch {
            await leave()
            throw error
        }
    }

    private static func withDeadline<T: Sendable>(
        _ deadline: Duration, _ body: @concurrent @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            // The computation on the compute threads; the timer on the cooperative pool, so a busy compute thread
            // cannot hold back the deadline.
            group.addTask(executorPreference: ComputeExecutor.shared) { try await body() }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw OperationError(
                    .unavailable,
                    "the computation ran past its deadline of \(deadline.components.seconds) s and was stopped; ask "
                        + "for less work (fewer requests, a smaller search) or retry later",
                    retryAfter: 1)
            }
            return value
        }
    }

    private func enter() async throws {
        if running < slots {
            running += 1
            return
        }
        guard waiting.count < queueLimit else {
            throw OperationError(
                .unavailable,
                "the server is busy: \(running) computations running and \(waiting.count) waiting; retry shortly",
                retryAfter: 1)
        }
        let id = nextID
        nextID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Cancelled before it queued: the handler below found nothing to remove.
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiting.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.abandon(id) }
        }
    }

    /// A waiter whose caller went away leaves the queue.
    private func abandon(_ id: Int) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    /// Hands the slot to the first waiter, or frees it.
    private func leave() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().continuation.resume()
        }
    }
}
