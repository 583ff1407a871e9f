import HeadroomCore
import NIOCore
import Synchronization

/// Sends a run's planned requests, open or closed loop, and records every one it sent.
///
/// Requesting ``stop`` (the CLI's first Ctrl-C) stops sending and lets the requests in flight finish and be
/// measured. Cancelling the calling task (a second Ctrl-C) stops sending too, but the requests in flight end as
/// `.cancelled`. Either way every record so far stays in the ``BenchRecorder``.
///
/// A request sent while more are in flight than the client's pool has connections is marked
/// ``BenchRequestRecord/waitedForConnection``: its send time was taken before it had a connection.
public struct BenchRunner: Sendable {
    public var client: EndpointClient
    /// Seconds after which a request is abandoned as `.timeout`.
    public var timeout: Double
    /// Stops the sending, not the requests in flight.
    public var stop: BenchStop

    /// How long the open loop sleeps at most before it looks at ``stop`` again, seconds.
    static let stopPollInterval = 0.05

    public init(client: EndpointClient, timeout: Double, stop: BenchStop = BenchStop()) {
        self.client = client
        self.timeout = timeout
        self.stop = stop
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
        let gauge = ConnectionGauge(limit: client.connectionLimit)
        if let clients {
            await closedLoop(
                requests, bodies: bodies, clients: clients, recorder: recorder, gauge: gauge, step: step)
        } else {
            await openLoop(
                requests, bodies: bodies, recorder: recorder, gauge: gauge, step: step, startOffset: startOffset)
        }
    }

    /// Sends one request, marking it when the pool was full as it went out.
    private static func send(
        _ request: PlannedRequest, body: ByteBuffer, client: EndpointClient, clock: BenchClock, intended: Double,
        timeout: Double, step: Int?, gauge: ConnectionGauge
    ) async -> BenchRequestRecord {
        let poolFull = gauge.enter()
        var record = await client.send(
            request, body: body, clock: clock, intended: intended, timeout: timeout, step: step)
        gauge.leave()
        if poolFull { record.waitedForConnection = true }
        return record
    }

    private func openLoop(
        _ requests: [PlannedRequest], bodies: [ByteBuffer], recorder: BenchRecorder, gauge: ConnectionGauge,
        step: Int?, startOffset: Double
    ) async {
        let clock = recorder.clock
        let client = self.client
        let timeout = self.timeout
        let stop = self.stop
        await withDiscardingTaskGroup { group in
            for (index, request) in requests.enumerated() {
                let intended = startOffset + (request.intendedSeconds ?? 0)
                // Sleep to the send time in slices, so that a stop is seen within one slice.
                while !stop.isRequested, clock.now() < intended {
                    let wake = Swift.min(intended, clock.now() + Self.stopPollInterval)
                    do {
                        try await Task.sleep(until: clock.instant(at: wake), clock: .continuous)
                    } catch {
                        break  // cancelled: the check below stops the sending
                    }
                }
                // Stopped or cancelled: send nothing more; the requests in flight end on their own (stopped) or
                // as cancelled (the group's tasks share the cancellation).
                if Task.isCancelled || stop.isRequested { break }
                let body = bodies[index]
                group.addTask {
                    recorder.didSend(at: clock.now())
                    let record = await Self.send(
                        request, body: body, client: client, clock: clock, intended: intended, timeout: timeout,
                        step: step, gauge: gauge)
                    recorder.record(record)
                }
            }
        }
    }

    private func closedLoop(
        _ requests: [PlannedRequest], bodies: [ByteBuffer], clients: Int, recorder: BenchRecorder,
        gauge: ConnectionGauge, step: Int?
    ) async {
        let clock = recorder.clock
        let client = self.client
        let timeout = self.timeout
        let stop = self.stop
        let next = TicketCounter()
        await withDiscardingTaskGroup { group in
            for _ in 0..<min(clients, requests.count) {
                group.addTask {
                    while !Task.isCancelled, !stop.isRequested {
                        let index = next.take()
                        guard index < requests.count else { return }
                        let intended = clock.now()
                        recorder.didSend(at: intended)
                        let record = await Self.send(
                            requests[index], body: bodies[index], client: client, clock: clock, intended: intended,
                            timeout: timeout, step: step, gauge: gauge)
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
