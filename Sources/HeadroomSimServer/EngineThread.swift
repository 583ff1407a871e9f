import Dispatch
import Foundation
import Synchronization

/// A task executor with one dedicated thread and its own timers, for the twin's engine loops.
///
/// Pacing a step needs a prompt wake-up at its deadline. On the shared cooperative pool that wake-up queues behind
/// whatever else runs there (HTTP handlers writing tokens, CPU-bound work elsewhere in the process), and so does a
/// `Task.sleep` wake-up even for a task that prefers another executor. The engine loops therefore run here and sleep
/// with ``sleep(until:)``, whose timers this thread keeps itself — much as vLLM runs its engine core in a process of
/// its own. The thread only steps engines and hands out tokens; handlers run on the pool.
package final class EngineThread: TaskExecutor, Sendable {
    private struct Timer {
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var jobs: [UnownedJob] = []
        var timers: [Timer] = []
        var sleeping = false
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    /// The process's engine thread, started on first use and kept for the life of the process.
    package static let shared = EngineThread(name: "headroom-sim-engine")

    private init(name: String) {
        let thread = Thread { [self] in self.serve() }
        thread.name = name
        thread.start()
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let signal = state.withLock { state in
            state.jobs.append(job)
            defer { state.sleeping = false }
            return state.sleeping
        }
        if signal { wake.signal() }
    }

    /// Suspends the calling task until `deadline`, woken by this thread rather than by the global pool's timers.
    package func sleep(until deadline: ContinuousClock.Instant) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let signal = state.withLock { state in
                state.timers.append(Timer(deadline: deadline, continuation: continuation))
                defer { state.sleeping = false }
                return state.sleeping
            }
            if signal { wake.signal() }
        }
    }

    /// Runs jobs in arrival order and fires due timers; sleeps until the next deadline when there is nothing to do.
    private func serve() -> Never {
        let clock = ContinuousClock()
        var batch: [UnownedJob] = []
        var due: [CheckedContinuation<Void, Never>] = []
        while true {
            let now = clock.now
            let next: ContinuousClock.Instant? = state.withLock { state in
                state.sleeping = false
                swap(&batch, &state.jobs)
                var earliest: ContinuousClock.Instant?
                var index = 0
                while index < state.timers.count {
                    if state.timers[index].deadline <= now {
                        state.timers.swapAt(index, state.timers.count - 1)
                        due.append(state.timers.removeLast().continuation)
                    } else {
                        earliest = min(earliest ?? state.timers[index].deadline, state.timers[index].deadline)
                        index += 1
                    }
                }
                if batch.isEmpty && due.isEmpty { state.sleeping = true }
                return earliest
            }
            if batch.isEmpty && due.isEmpty {
                if let next {
                    let wait = (next - now) / .nanoseconds(1)
                    _ = wake.wait(timeout: .now() + .nanoseconds(Int(wait.rounded(.up))))
                } else {
                    wake.wait()
                }
                continue
            }
            for continuation in due { continuation.resume() }
            due.removeAll(keepingCapacity: true)
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
