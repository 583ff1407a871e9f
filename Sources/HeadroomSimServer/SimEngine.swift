import HeadroomCore
import Synchronization

/// One replica of the twin: a ``LiveReplica`` stepped against a real clock.
///
/// While the replica is busy a loop runs its steps back to back: it takes the requests that arrived since the last
/// step, runs the next step, waits until that step's end (its start plus the modelled seconds divided by the time
/// scale), and hands each request its tokens. Deadlines are absolute, so a late wake-up shortens the next wait
/// instead of accumulating drift, and a loop that falls behind runs its steps without sleeping until it catches up.
/// When the replica empties, the loop ends; the next arrival starts a new one, so an idle twin costs nothing. Loops
/// run on the ``EngineThread``, so a busy cooperative pool does not delay their wake-ups.
///
/// A request whose client goes away still runs to completion in the model (the engine has no abort), and its
/// tokens are dropped.
final class SimEngine: Sendable {
    struct Arrival: Sendable {
        var id: Int
        var input: Int
        var output: Int
        var channel: TokenChannel
    }

    private struct State: Sendable {
        var replica: LiveReplica
        var inbox: [Arrival] = []
        var looping = false
        var nextID = 0
    }

    private let state: Mutex<State>
    private let outstandingCount = Atomic<Int>(0)
    /// Real seconds per modelled second.
    private let secondsPerModelSecond: Double

    init(replica: LiveReplica, timeScale: Double) {
        state = Mutex(State(replica: replica))
        secondsPerModelSecond = 1 / timeScale
    }

    /// Requests submitted and not yet finished or refused.
    var outstanding: Int { outstandingCount.load(ordering: .relaxed) }

    /// Queues a request for the next step and returns the channel its tokens arrive on.
    func submit(inputTokens: Int, outputTokens: Int) -> TokenChannel {
        let channel = TokenChannel()
        outstandingCount.add(1, ordering: .relaxed)
        let start = state.withLock { state in
            state.inbox.append(Arrival(id: state.nextID, input: inputTokens, output: outputTokens, channel: channel))
            state.nextID &+= 1
            defer { state.looping = true }
            return !state.looping
        }
        if start { Task(executorPreference: EngineThread.shared) { await self.run() } }
        return channel
    }

    /// Steps the replica until it is empty.
    private func run() async {
        let clock = ContinuousClock()
        var deadline = clock.now
        var channels: [Int: TokenChannel] = [:]
        var arrivals: [Arrival] = []
        var refused: [Arrival] = []
        while true {
            let step: LiveStep? = state.withLock { state in
                swap(&arrivals, &state.inbox)
                for arrival in arrivals
                where !state.replica.enqueue(id: arrival.id, inputTokens: arrival.input, outputTokens: arrival.output) {
                    refused.append(arrival)
                }
                guard state.replica.busy else {
                    state.looping = false
                    return nil
                }
                return state.replica.step()
            }
            for arrival in arrivals { channels[arrival.id] = arrival.channel }
            arrivals.removeAll(keepingCapacity: true)
            for arrival in refused {
                channels[arrival.id] = nil
                arrival.channel.refuse()
                outstandingCount.subtract(1, ordering: .relaxed)
            }
            refused.removeAll(keepingCapacity: true)
            guard let step else { return }

            deadline = deadline.advanced(by: .seconds(step.seconds * secondsPerModelSecond))
            if clock.now < deadline { await EngineThread.shared.sleep(until: deadline) }

            let finished = step.finished.isEmpty ? [] : Set(step.finished)
            for entry in step.tokens {
                channels[entry.id]?.deliver(entry.count, last: finished.contains(entry.id))
            }
            for id in step.finished {
                if let channel = channels.removeValue(forKey: id) {
                    channel.deliver(0, last: true)
                    outstandingCount.subtract(1, ordering: .relaxed)
                }
            }
            for id in step.dropped {
                if let channel = channels.removeValue(forKey: id) {
                    channel.refuse()
                    outstandingCount.subtract(1, ordering: .relaxed)
                }
            }
        }
    }
}
