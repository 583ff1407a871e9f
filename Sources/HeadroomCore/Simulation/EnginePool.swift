import HeapModule

/// The replicas of one pool (a fleet's, or a disaggregated fleet's prefill or decode pool) with what a fleet
/// simulation asks of them kept in order as they run, so that no question scans the pool:
///
/// - `steps`: the busy replicas by the time their next step starts (an idle replica is not in it and is never
///   touched until a request reaches it);
/// - `load`: the replicas by requests waiting plus running, for the least-outstanding router;
/// - running, waiting and used-block totals for the time series.
///
/// - Complexity: a step, an arrival or a router pick costs O(log n) in the replicas, not O(n).
struct EnginePool {
    struct Entry: Comparable {
        var clock: Double
        var index: Int32
        static func < (a: Entry, b: Entry) -> Bool { a.clock < b.clock || (a.clock == b.clock && a.index < b.index) }
    }

    private(set) var engines: [ReplicaEngine]
    private var steps = Heap<Entry>()
    private var load: LoadIndex
    /// Whether the router reads `load` (round-robin and pinned sampling do not, and skip its upkeep).
    private let tracksLoad: Bool
    private(set) var running = 0
    private(set) var waiting = 0
    private(set) var usedBlocks = 0
    let totalBlocks: Int

    /// `count` replicas, copies of one engine `make` builds (not called for an empty pool: a fleet that is not
    /// disaggregated has an empty decode pool, and building its engine cost a calibration fit's short runs 8 %).
    init(count: Int, tracksLoad: Bool, make: () -> ReplicaEngine) {
        let template = count > 0 ? make() : nil
        engines = template.map { Array(repeating: $0, count: count) } ?? []
        load = LoadIndex(count: tracksLoad ? count : 0)
        self.tracksLoad = tracksLoad
        totalBlocks = template?.totalBlocks.saturatingMultiplying(by: count) ?? 0
    }

    var count: Int { engines.count }
    /// Whether any replica has work left.
    var busy: Bool { !steps.isEmpty }
    /// When the earliest busy replica's next step starts, and which replica that is.
    var next: Entry? { steps.min }
    /// The replica with the fewest requests waiting or running (lowest index among equals).
    var leastOutstanding: Int {
        tracksLoad ? load.least : engines.indices.min { engines[$0].outstanding < engines[$1].outstanding } ?? 0
    }

    /// Queues a request on replica `index`; an engine that was idle joins the step queue.
    /// - Returns: the engine's refusal, if it can never hold the request.
    mutating func enqueue(
        _ index: Int, id: Int, time: Double, input: Int, output: Int, prefixID: Int?, prefixTokens: Int,
        alreadyDecoded: Bool = false
    ) -> ReplicaEngine.Event? {
        let wasBusy = engines[index].busy
        let refusal = engines[index].enqueue(
            id: id, time: time, input: input, output: output, prefixID: prefixID, prefixTokens: prefixTokens,
            alreadyDecoded: alreadyDecoded)
        if let refusal { return refusal }
        waiting += 1
        if tracksLoad { load.set(index, load: engines[index].outstanding) }
        if !wasBusy { steps.insert(Entry(clock: engines[index].clock, index: Int32(truncatingIfNeeded: index))) }
        return nil
    }

    /// Runs the step of the replica whose step starts earliest.
    mutating func stepEarliest(events: inout [ReplicaEngine.Event]) {
        guard let top = steps.popMin() else { return }
        let index = Int(top.index)
        let before = (engines[index].runningCount, engines[index].waiting.count, engines[index].usedBlocks)
        engines[index].runStep(events: &events)
        running += engines[index].runningCount - before.0
        waiting += engines[index].waiting.count - before.1
        usedBlocks += engines[index].usedBlocks - before.2
        if tracksLoad { load.set(index, load: engines[index].outstanding) }
        if engines[index].busy { steps.insert(Entry(clock: engines[index].clock, index: top.index)) }
    }

    var preemptions: Int { engines.reduce(0) { $0 + $1.preemptions } }
    var peakUtilisation: Double { engines.map(\.peakUtilisation).max() ?? 0 }
}
