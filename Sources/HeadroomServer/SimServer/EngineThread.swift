import Dispatch
import Foundation
import Synchronization

/// A task executor with one dedicated thread, for the twin's engine loops.
///
/// Pacing a step needs a prompt wake-up at its deadline. On the shared cooperative pool that wake-up queues behind
/// whatever else is running there (HTTP handlers writing tokens, or CPU-bound work elsewhere in the process), so the
/// engine loops prefer this thread instead, much as vLLM runs its engine core in a process of its own. The thread
/// only steps engines and hands out tokens; handlers still run on the pool.
package final class EngineThread: TaskExecutor, Sendable {
    private struct State {
        var jobs: [UnownedJob] = []
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

    /// Runs jobs in arrival order; sleeps when there are none.
    private func serve() -> Never {
        var batch: [UnownedJob] = []
        while true {
            state.withLock { state in
                swap(&batch, &state.jobs)
                if batch.isEmpty { state.sleeping = true }
            }
            if batch.isEmpty {
                wake.wait()
                continue
            }
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
