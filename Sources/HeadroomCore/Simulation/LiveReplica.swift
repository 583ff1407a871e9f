/// One replica of a ``FleetSimulator``'s fleet, stepped on demand instead of driven by a workload: the engine behind
/// `headroom serve-sim`, which paces each step on a real clock and streams the tokens it produced.
///
/// Each ``step()`` schedules and runs one engine iteration exactly as ``FleetSimulator/run(_:expectedCount:)`` does,
/// and reports its modelled duration and how many tokens each request received in it. The replica never reads a
/// clock: its time is the model's, and the caller decides how to map it onto wall time.
///
/// Tokens per request are derived from the engine's events, in order: a preemption takes the request out of the
/// decoding set (its recompute samples its next token as a new first token), a decode step gives one token to every
/// member of the decoding set, a finish takes it out, and a first token gives one token and adds it to the set.
/// Every request that is not dropped therefore receives exactly its requested output tokens.
///
/// Prefix caching, routing and disaggregation are the fleet's business; a live replica serves whole requests
/// without shared prefixes.
public struct LiveReplica: Sendable {
    private var engine: ReplicaEngine
    /// Requests that produce a token in every decode step, in no particular order.
    private var decoding: Set<Int> = []
    private var events: [ReplicaEngine.Event] = []

    /// A replica of `fleet`'s deployment, with its KV cache, scheduler limits and performance model.
    public init(fleet: FleetSimulator) {
        engine = fleet.makeEngine()
        events.reserveCapacity(64)
    }

    /// A replica of `fleet`'s deployment with `kvBlocks` KV blocks instead of what its memory plan leaves (tests use
    /// a tiny cache to force preemption).
    package init(fleet: FleetSimulator, kvBlocks: Int) {
        let template = fleet.makeEngine()
        engine = ReplicaEngine(
            model: template.model, totalBlocks: kvBlocks, maxRunning: template.maxRunning,
            tokenBudget: template.tokenBudget, prefixCaching: template.prefixCaching
        )
        events.reserveCapacity(64)
    }

    /// Whether any request is waiting or running.
    public var busy: Bool { engine.busy }

    /// Requests waiting plus running.
    public var outstanding: Int { engine.outstanding }

    /// The longest sequence (prompt plus output) the replica's KV cache can ever hold.
    public var capacityTokens: Int { engine.totalBlocks * engine.blockSize }

    /// Modelled seconds elapsed over all steps so far.
    public var modelSeconds: Double { engine.clock }

    /// Preemptions so far.
    public var preemptions: Int { engine.preemptions }

    /// Queues a request behind those already waiting.
    /// - Parameters:
    ///   - id: the caller's identifier, reported back in ``LiveStep``; unique among outstanding requests.
    ///   - inputTokens: prompt length (at least 1).
    ///   - outputTokens: tokens to generate (at least 1).
    /// - Returns: false when the whole sequence can never fit in the KV cache; the request was dropped.
    public mutating func enqueue(id: Int, inputTokens: Int, outputTokens: Int) -> Bool {
        let refusal = engine.enqueue(
            id: id, time: engine.clock, input: max(inputTokens, 1), output: max(outputTokens, 1), prefixID: nil,
            prefixTokens: 0
        )
        return refusal == nil
    }

    /// Schedules and runs one step.
    /// - Returns: the step's modelled duration and the tokens, finishes and drops it produced; an idle replica
    ///   returns an empty step of zero seconds.
    /// - Complexity: O(log n) per request that starts, finishes or is preempted, plus O(batch) to list the tokens.
    public mutating func step() -> LiveStep {
        var result = LiveStep()
        guard engine.busy else { return result }
        events.removeAll(keepingCapacity: true)
        let ran = engine.runStep(events: &events)
        result.seconds = ran.seconds
        var counts: [Int: Int] = [:]
        var order: [Int] = []
        func give(_ id: Int, _ n: Int) {
            if let current = counts[id] {
                counts[id] = current + n
            } else {
                counts[id] = n
                order.append(id)
            }
        }
        for event in events {
            switch event {
            case .preempted(let id):
                decoding.remove(id)
                result.preempted.append(id)
            case .decodeStep:
                for id in decoding { give(id, 1) }
            case .firstToken(let id, _):
                give(id, 1)
                decoding.insert(id)
            case .finished(let id, _):
                decoding.remove(id)
                result.finished.append(id)
            case .dropped(let id):
                decoding.remove(id)
                result.dropped.append(id)
            case .admitted, .handoff:
                break
            }
        }
        result.tokens = order.map { LiveStep.Tokens(id: $0, count: counts[$0] ?? 0) }
        return result
    }
}

/// What one ``LiveReplica`` step did.
public struct LiveStep: Sendable, Hashable {
    /// Tokens one request received in a step.
    public struct Tokens: Sendable, Hashable {
        public var id: Int
        public var count: Int

        public init(id: Int, count: Int) {
            self.id = id
            self.count = count
        }
    }

    /// The step's modelled duration; its tokens exist at its end.
    public var seconds: Double = 0
    /// Requests that received tokens, each once, in the order they first received one.
    public var tokens: [Tokens] = []
    /// Requests whose last token came in this step (after their tokens in ``tokens``).
    public var finished: [Int] = []
    /// Requests preempted for recompute in this step (they stay queued; their tokens so far stand).
    public var preempted: [Int] = []
    /// Requests dropped because they can never be placed.
    public var dropped: [Int] = []

    public init() {}
}
