import HeapModule

/// A stream of requests in arrival order.
public protocol RequestSource {
    mutating func next() -> SimRequest?
}

/// Requests from an array (a replayed trace), in order.
public struct ArrayRequestSource: RequestSource, Sendable {
    private let requests: [SimRequest]
    private var index = 0

    public init(_ requests: [SimRequest]) {
        self.requests = requests.sorted { $0.arrival < $1.arrival }
    }

    public mutating func next() -> SimRequest? {
        guard index < requests.count else { return nil }
        defer { index += 1 }
        return requests[index]
    }
}

/// A fleet of replicas behind a router — or prefill and decode pools with KV transfer between them — simulated step
/// by step with ``ReplicaEngine``.
public struct FleetSimulator: Sendable {
    public let deployment: Deployment
    public let model: PerformanceModel
    public let options: SimulationOptions
    public let disaggregation: Disaggregation?
    /// Keep a record per request (memory grows with the request count).
    public var keepRecords = false

    /// - Throws: ``HeadroomError`` when the weights do not fit or a disaggregated split does not add up.
    public init(
        deployment: Deployment, efficiency: EfficiencyProfile, options: SimulationOptions = SimulationOptions(),
        disaggregation: Disaggregation? = nil
    ) throws(HeadroomError) {
        let plan = deployment.memoryPlan
        guard plan.weightsFit else {
            throw HeadroomError(
                .doesNotFit,
                "\(deployment.model.name) in \(deployment.precision) does not fit on "
                    + "\(deployment.acceleratorsPerReplica)× \(deployment.accelerator.name)", field: "count"
            )
        }
        if let split = disaggregation {
            guard deployment.accelerator.hasInterconnect else {
                throw HeadroomError(
                    .unsupported,
                    "disaggregation ships KV between replicas, but the catalog lists no link for \(deployment.accelerator.name)",
                    field: "disaggregate"
                )
            }
            guard split.prefillReplicas >= 1, split.decodeReplicas >= 1,
                split.prefillReplicas + split.decodeReplicas == deployment.replicas
            else {
                throw HeadroomError(
                    .invalidInput,
                    "prefill replicas (\(split.prefillReplicas)) + decode replicas (\(split.decodeReplicas)) must be "
                        + "at least 1 each and add up to the deployment's \(deployment.replicas) replicas",
                    field: "disaggregate"
                )
            }
        }
        guard options.warmupFraction >= 0, options.warmupFraction < 1 else {
            throw HeadroomError(.invalidInput, "warm-up fraction must be in [0, 1)", field: "warmup")
        }
        guard options.sampleInterval > 0, options.sampleInterval.isFinite else {
            throw HeadroomError(.invalidInput, "sample interval must be positive", field: "sample_interval")
        }
        self.deployment = deployment
        self.model = PerformanceModel(deployment: deployment, efficiency: efficiency)
        self.options = options
        self.disaggregation = disaggregation
    }

    /// KV blocks one replica holds.
    public var blocksPerReplica: Int {
        let plan = deployment.memoryPlan
        let block = Double(max(deployment.stack.kvBlockSize, 1))
        let perBlock =
            block * deployment.model.kvBytesPerToken(kvPrecision: deployment.kvPrecision)
            * deployment.kvReplication
        return Int(
            saturating: (plan.kvCachePerAccelerator * Double(deployment.acceleratorsPerReplica) / perBlock).rounded(
                .down))
    }

    /// Sequences one replica runs at once: the stack's cap, the token budget, and the KV cache's room for requests of
    /// `tokens` tokens each.
    func concurrentSequences(ofTokens tokens: Double) -> Int {
        let plan = deployment.memoryPlan
        let seqs = deployment.maxNumSeqs ?? Int(saturating: plan.kvCapacityTokens / 2)
        let room = Int(
            saturating: Double(blocksPerReplica) * Double(max(deployment.stack.kvBlockSize, 1)) / max(tokens, 1))
        return max(1, min(seqs, deployment.maxBatchedTokens, room))
    }

    /// An upper estimate of the engine steps a run of `requests` requests of mean `input` and `output` tokens takes:
    /// each busy replica runs its share in waves of ``concurrentSequences(ofTokens:)``, a wave taking a step per
    /// output token plus one per prefill chunk (``InputLimits/simulationSteps`` bounds it).
    /// - Parameter replicas: the replicas that run (a sample's), the deployment's when nil.
    public func predictedSteps(requests: Int, input: Double, output: Double, replicas: Int? = nil) -> Double {
        guard requests > 0 else { return 0 }
        let busy = min(max(replicas ?? deployment.replicas, 1), requests)
        let share = (Double(requests) / Double(busy)).rounded(.up)
        let waves = (share / Double(concurrentSequences(ofTokens: input + output))).rounded(.up)
        let perRequest = max(output, 1) + (max(input, 1) / Double(max(deployment.maxBatchedTokens, 1))).rounded(.up)
        return Double(busy) * waves * perRequest
    }

    func makeEngine(prefillOnly: Bool = false) -> ReplicaEngine {
        let plan = deployment.memoryPlan
        let seqs = deployment.maxNumSeqs ?? Int(saturating: plan.kvCapacityTokens / 2)
        return ReplicaEngine(
            model: model, totalBlocks: blocksPerReplica, maxRunning: min(seqs, deployment.maxBatchedTokens),
            tokenBudget: deployment.maxBatchedTokens, prefillOnly: prefillOnly, prefixCaching: options.prefixCaching
        )
    }

    /// Seconds to ship `tokens` of KV cache from a prefill replica to a decode replica over the scale-out (or
    /// scale-up, inside one domain) fabric, one link per accelerator of the replica in parallel.
    public func kvTransferSeconds(tokens: Int) -> Double {
        let bytes = Double(tokens) * deployment.model.kvBytesPerToken(kvPrecision: deployment.kvPrecision)
        let bandwidth = deployment.accelerator.scaleOutBandwidth * Double(deployment.acceleratorsPerReplica)
        return bytes / bandwidth + model.efficiency.collectiveLatencyMicroseconds * 1e-6
    }

    // MARK: Open loop

    /// Simulates `source`'s requests, in arrival order, to completion.
    /// - Parameter expectedCount: how many requests the source yields (for the warm-up cut); nil counts as unknown
    ///   and uses the first `warmupFraction` of simulated time instead.
    ///
    /// A cancelled task stops taking arrivals (checked every 256 requests) and returns what it simulated so far;
    /// callers that must not report a partial run check `Task.isCancelled` afterwards.
    public func run(_ source: inout some RequestSource, expectedCount: Int) -> SimulationResult {
        var state = RunState(fleet: self, expectedCount: expectedCount)
        var arrived = 0
        while let request = source.next() {
            state.arrive(request)
            arrived &+= 1
            if arrived & 255 == 0, Task.isCancelled { break }
        }
        state.finish()
        return state.result()
    }

    // MARK: Closed loop

    /// `clients` clients each send a request, wait for its last token, and send the next, until `requests` have
    /// been sent. Lengths come from the distributions; the run replays from `seed`.
    ///
    /// - Parameter stagger: seconds over which the clients' first requests are spread evenly (0: all at t = 0).
    ///   Clients of fixed-length requests that all start together stay in lockstep for the whole run: every prompt
    ///   then arrives with all the others and waits for the whole wave's prefill, which no benchmark with varying
    ///   lengths or timing jitter sees in its steady state. Spreading the starts over one request's lifetime puts
    ///   the clients at the evenly spaced phases such a benchmark settles into; the warm-up share of the requests is
    ///   excluded from the figures as before.
    public func runClosedLoop(
        clients: Int, requests: Int, input: LengthDistribution, output: LengthDistribution, seed: UInt64,
        stagger: Double = 0
    ) -> SimulationResult {
        var rng = SeededGenerator(seed: seed)
        var state = RunState(fleet: self, expectedCount: requests)
        state.collectFreed = true
        var ready = Heap<ClientReady>()
        // Clients past the request count would never send: leave them out of the heap.
        let starting = max(min(clients, requests), 1)
        let spacing = stagger.isFinite && stagger > 0 ? stagger / Double(starting) : 0
        for client in 0..<starting { ready.insert(ClientReady(time: Double(client) * spacing, client: client)) }
        var sent = 0
        while sent < requests {
            if sent & 255 == 0, Task.isCancelled { break }
            guard let earliest = ready.min else {
                // Every client waits on a request in flight: run until one completes.
                guard state.advanceToNextCompletion() != nil else { break }
                for time in state.takeFreed() { ready.insert(ClientReady(time: time, client: sent)) }
                continue
            }
            // Completions before the earliest free client's time free clients too; collect them first.
            state.advanceAll(to: earliest.time)
            for time in state.takeFreed() { ready.insert(ClientReady(time: time, client: sent)) }
            let next = ready.removeMin()
            state.arrive(
                SimRequest(
                    arrival: next.time, inputTokens: input.sample(using: &rng), outputTokens: output.sample(using: &rng)
                )
            )
            sent += 1
        }
        state.finish()
        return state.result()
    }

    struct ClientReady: Comparable {
        var time: Double
        var client: Int
        static func < (a: ClientReady, b: ClientReady) -> Bool {
            a.time < b.time || (a.time == b.time && a.client < b.client)
        }
    }
}

extension WorkloadGenerator: RequestSource {}
