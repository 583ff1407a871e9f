package import HeadroomCore
import Synchronization

/// The twin's replicas behind a least-outstanding router.
package final class SimFleet: Sendable {
    private let engines: [SimEngine]
    /// The longest sequence one replica's KV cache can hold.
    package let capacityTokens: Int

    /// One engine per replica of `fleet`'s deployment, paced `timeScale` times faster than modelled time.
    package init(fleet: FleetSimulator, timeScale: Double) {
        let replica = LiveReplica(fleet: fleet)
        capacityTokens = replica.capacityTokens
        engines = (0..<max(fleet.deployment.replicas, 1)).map { _ in
            SimEngine(replica: replica, timeScale: timeScale)
        }
    }

    /// Requests submitted and not yet finished, over all replicas.
    package var outstanding: Int { engines.reduce(0) { $0 + $1.outstanding } }

    /// Sends a request to the replica with the fewest outstanding requests.
    /// - Returns: the channel its tokens arrive on, in step-sized batches.
    package func submit(inputTokens: Int, outputTokens: Int) -> TokenChannel {
        var best = 0
        var fewest = Int.max
        for (index, engine) in engines.enumerated() {
            let count = engine.outstanding
            if count < fewest {
                best = index
                fewest = count
            }
        }
        return engines[best].submit(inputTokens: inputTokens, outputTokens: outputTokens)
    }
}
