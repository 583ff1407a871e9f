import HeadroomCore
import NIOCore
import Synchronization

/// Sends a run's planned requests, open or closed loop, and records every one it sent.
///
/// Cancelling the calling task (Ctrl-C in the CLI) stops sending; requests in flight end as `.cancelled` and every
/// record so far stays in the ``BenchRecorder``.
public struct BenchRunner: Sendable {
    public var client: EndpointClient
    /// Seconds after which a request is abandoned as `.timeout`.
    public var timeout: Double

    public init(client: EndpointClient, timeout: Double) {
        self.client = client
        self.timeout = timeout
    }

    /// Runs `requests`: open loop at their ``PlannedRequest/intendedSeconds`` (offset by `startOffset`), or, with
    /// `clients`, a closed loop in which each client sends its next request when the previous one ends.
    /// - Parameters:
    ///   - step: the sweep step to tag records with.
    ///   - startOffset: seconds on the recorder's clock at which this batch's time zero falls.
    public func run(
        _ requests: [PlannedRequest], clients: Int?, recorder: BenchRecorder, step: Int? = nil,
        startOffset: Double = 0
    ) async {
        let bodies = requests.map { client.body(for: $0) }
        recorder.expect(requests.count)
        if let clients {
            await closedLoop(requests, bodies: bodies, clients: clients, recorder: recorder, step: step)
        } else {
            await openLoop(requests, bodies: bodies, recorder: recorder, step: step, startOffset: startOffset)
        }
    }

    private func openLoop(
        _ requests: [PlannedRequest], bodies: [ByteBuffer], recorder: BenchRecorder, step: Int?, startOffset: Double
    ) async {
        let clock = recorder.clock
        let client = self.client
        let timeout = self.timeout
        await withDiscardingTaskGroup { group in
            for (index, request) in requests.enumerated() {
                let intended = startOffset + (request.intendedSeconds ?? 0)
                if clock.now() < intended {
                    do {
                        try await Task.sleep(until: clock.instant(at: intended), clock: .continuous)
                    } catch {
                        break  // cancelled: stop sending, let the in-flight requests end
                    }
                }
                if Task.isCancelled { break }
                let body = bodies[index]
                group.addTask {
                    recorder.didSend(at: clock.now())
                    let record = await client.send(
                        request, body: body, clock: clock, intended: intended, timeout: timeout, step: step)
                    recorder.record(record)
                }
            }
        }
    }

    private func closedLoop(
        _ requests: [PlannedRequest], bodies: [ByteBuffer], clients: Int, recorder: BenchRecorder, step: Int?
    ) async {
        let clock = recorder.clock
        let client = self.client
        let timeout = self.timeout
        let next = TicketCounter()
        await withDiscardingTaskGroup { group in
            for _ in 0..<min(clients, requests.count) {
                group.addTask {
                    while !Task.isCancelled {
                        let index = next.take()
                        guard index < requests.count else { return }
                        let intended = clock.now()
                        recorder.didSend(at: intended)
                        let record = await client.send(
                            requests[index], body: bodies[index], clock: clock, intended: intended, timeout: timeout,
                            step: step)
                        recorder.record(record)
                    }
                }
            }
        }
    }
}

/// Hands out consecutive request indices to closed-loop clients.
final class TicketCounter: Sendable {
    private let next = Atomic<Int>(0)

    func take() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}
