import HeapModule

/// The mutable state of one fleet simulation: engines, router, requests in flight and the statistics.
struct RunState {
    struct InFlight {
        var arrival: Double
        var input: Int
        var output: Int
        var firstToken = -1.0
        var admitted = -1.0
        var replica: Int
        var measured: Bool
    }

    struct Handoff: Comparable {
        var time: Double
        var id: Int
        static func < (a: Handoff, b: Handoff) -> Bool { a.time < b.time || (a.time == b.time && a.id < b.id) }
    }

    let fleet: FleetSimulator
    let warmupCount: Int
    /// The fleet's replicas (the prefill pool when disaggregated).
    var engines: EnginePool
    /// Decode pool when disaggregated (empty otherwise).
    var decodeEngines: EnginePool
    var handoffs = Heap<Handoff>()
    var inFlight: [Int: InFlight] = [:]
    var events: [ReplicaEngine.Event] = []
    var nextID = 0
    var roundRobin = 0
    var prefixHome: [Int: Int] = [:]

    var ttft = LatencyRecorder()
    var tpot = LatencyRecorder()
    var itl = LatencyRecorder()
    var e2e = LatencyRecorder()
    var queueing = LatencyRecorder()
    var completed = 0
    var dropped = 0
    var measuredCompleted = 0
    var measuredOutputTokens = 0
    var meetingSLO = 0
    var firstMeasuredArrival = Double.infinity
    var lastCompletion = 0.0
    var lastMeasuredCompletion = 0.0
    /// Completion (or refusal) times not yet handed to a closed-loop driver.
    var freed: [Double] = []
    /// Only a closed loop consumes `freed`; an open loop must not accumulate it.
    var collectFreed = false
    var samples: [TimeSample] = []
    var sampleInterval: Double
    var nextSample = 0.0
    var records: [RequestRecord] = []

    /// - Parameter replicas: replicas to simulate instead of the deployment's (a sample of an uncoupled fleet).
    init(fleet: FleetSimulator, expectedCount: Int, replicas: Int? = nil, pinned: Bool = false) {
        self.fleet = fleet
        warmupCount = Int(saturating: (Double(expectedCount) * fleet.options.warmupFraction).rounded(.down))
        sampleInterval = fleet.options.sampleInterval
        let tracksLoad = !pinned && fleet.options.router != .roundRobin
        if let split = fleet.disaggregation {
            engines = EnginePool(count: split.prefillReplicas, tracksLoad: tracksLoad) {
                fleet.makeEngine(prefillOnly: true)
            }
            decodeEngines = EnginePool(count: split.decodeReplicas, tracksLoad: true) { fleet.makeEngine() }
        } else {
            engines = EnginePool(count: replicas ?? fleet.deployment.replicas, tracksLoad: tracksLoad) {
                fleet.makeEngine()
            }
            decodeEngines = EnginePool(count: 0, tracksLoad: false) { fleet.makeEngine() }
        }
        events.reserveCapacity(64)
    }

    // MARK: Driving

    /// A request arrives and is routed (or, for a sampled fleet, goes to replica `pinned`).
    mutating func arrive(_ request: SimRequest, pinned: Int? = nil) {
        // The API server's per-request work (HTTP, tokenisation) delays the request's arrival at the engine.
        let time = request.arrival + fleet.model.efficiency.requestOverheadMilliseconds * 1e-3
        advanceAll(to: time)
        sample(upTo: time)
        let id = nextID
        nextID += 1
        let replica = pinned ?? route(request)
        let measured = id >= warmupCount
        if measured { firstMeasuredArrival = min(firstMeasuredArrival, time) }
        inFlight[id] = InFlight(
            arrival: request.arrival, input: request.inputTokens, output: request.outputTokens, replica: replica,
            measured: measured
        )
        if let refusal = engines.enqueue(
            replica, id: id, time: time, input: request.inputTokens, output: request.outputTokens,
            prefixID: request.prefixID, prefixTokens: request.prefixTokens
        ) {
            events.append(refusal)
            process()
        }
    }

    /// Runs every engine to `time` in step order, delivering prefill→decode hand-offs in time order. Only busy
    /// engines are touched: an idle one catches up when a request reaches it.
    mutating func advanceAll(to time: Double) {
        advance(pool: 0, to: time)
        guard decodeEngines.count > 0 else { return }
        while let handoff = handoffs.min, handoff.time <= time {
            handoffs.removeMin()
            deliver(handoff)
        }
        advance(pool: 1, to: time)
    }

    /// Runs pool 0 (the fleet, or the prefill pool) or pool 1 (the decode pool) to `time`.
    mutating func advance(pool: Int, to time: Double) {
        if pool == 0 {
            while let top = engines.next, top.clock < time {
                engines.stepEarliest(events: &events)
                process()
            }
        } else {
            while let top = decodeEngines.next, top.clock < time {
                decodeEngines.stepEarliest(events: &events)
                process()
            }
        }
    }

    mutating func deliver(_ handoff: Handoff) {
        advance(pool: 1, to: handoff.time)
        guard let flight = inFlight[handoff.id] else { return }
        let target = decodeEngines.leastOutstanding
        if let refusal = decodeEngines.enqueue(
            target, id: handoff.id, time: handoff.time, input: flight.input, output: flight.output, prefixID: nil,
            prefixTokens: 0, alreadyDecoded: true
        ) {
            events.append(refusal)
            process()
        }
    }

    /// Whether any engine has work or a hand-off is in transit.
    var busy: Bool { engines.busy || decodeEngines.busy || !handoffs.isEmpty }

    /// Closed loop: runs the fleet until at least one request completes; returns that time.
    mutating func advanceToNextCompletion() -> Double? {
        let before = completed
        while completed == before {
            guard busy else { return nil }
            stepEarliest()
        }
        return lastCompletion
    }

    /// Runs one step on the engine whose clock is earliest (keeps engines in time order when no arrival drives them).
    mutating func stepEarliest() {
        var best: (pool: Int, clock: Double)?
        if let top = engines.next { best = (0, top.clock) }
        if let top = decodeEngines.next, best == nil || top.clock < best!.clock { best = (1, top.clock) }
        if let handoff = handoffs.min, best == nil || handoff.time <= best!.clock {
            handoffs.removeMin()
            deliver(handoff)
            return
        }
        guard let best else { return }
        if best.pool == 0 {
            engines.stepEarliest(events: &events)
        } else {
            decodeEngines.stepEarliest(events: &events)
        }
        process()
        sample(upTo: best.clock)
    }

    mutating func takeFreed() -> [Double] {
        defer { freed.removeAll(keepingCapacity: true) }
        return freed
    }

    /// Runs everything to completion.
    mutating func finish() {
        while busy { stepEarliest() }
    }

    // MARK: Routing

    mutating func route(_ request: SimRequest) -> Int {
        let count = engines.count
        guard count > 1 else { return 0 }
        switch fleet.options.router {
        case .roundRobin:
            defer { roundRobin = (roundRobin + 1) % count }
            return roundRobin
        case .leastOutstanding:
            return engines.leastOutstanding
        case .prefixAffinity:
            guard let prefix = request.prefixID else { return engines.leastOutstanding }
            if let home = prefixHome[prefix] { return home }
            let chosen = engines.leastOutstanding
            prefixHome[prefix] = chosen
            return chosen
        }
    }

    // MARK: Events

    mutating func process() {
        guard !events.isEmpty else { return }
        for event in events {
            switch event {
            case .admitted(let id, let time):
                if inFlight[id]?.admitted ?? 0 < 0 { inFlight[id]?.admitted = time }
            case .decodeStep(let seconds, let count, let end):
                if end >= firstMeasuredArrival { itl.record(seconds, count: count) }
            case .firstToken(let id, let time):
                if inFlight[id]?.firstToken ?? 0 < 0 { inFlight[id]?.firstToken = time }
            case .handoff(let id, let time):
                if inFlight[id]?.firstToken ?? 0 < 0 { inFlight[id]?.firstToken = time }
                if let flight = inFlight[id] {
                    if flight.output <= 1 {
                        complete(id: id, at: time)
                    } else {
                        handoffs.insert(Handoff(time: time + fleet.kvTransferSeconds(tokens: flight.input), id: id))
                    }
                }
            case .finished(let id, let time):
                complete(id: id, at: time)
            case .preempted:
                break
            case .dropped(let id):
                if let flight = inFlight.removeValue(forKey: id), collectFreed { freed.append(flight.arrival) }
                dropped += 1
            }
        }
        events.removeAll(keepingCapacity: true)
    }

    mutating func complete(id: Int, at time: Double) {
        guard let flight = inFlight.removeValue(forKey: id) else { return }
        completed += 1
        if collectFreed { freed.append(time) }
        lastCompletion = max(lastCompletion, time)
        guard flight.measured else { return }
        let first = flight.firstToken >= 0 ? flight.firstToken : time
        let timeToFirst = first - flight.arrival
        let total = time - flight.arrival
        let perToken = flight.output > 1 ? (time - first) / Double(flight.output - 1) : 0
        // Queueing: from reaching the engine (after the API server's overhead) to the first scheduled step.
        let reachedEngine = flight.arrival + fleet.model.efficiency.requestOverheadMilliseconds * 1e-3
        let waited = flight.admitted >= 0 ? max(flight.admitted - reachedEngine, 0) : 0
        ttft.record(timeToFirst)
        e2e.record(total)
        queueing.record(waited)
        if flight.output > 1 { tpot.record(perToken) }
        measuredCompleted += 1
        measuredOutputTokens += flight.output
        lastMeasuredCompletion = max(lastMeasuredCompletion, time)
        let slo = fleet.options.slo
        if timeToFirst <= slo.ttftSeconds ?? .infinity, perToken <= slo.tpotSeconds ?? .infinity,
            total <= slo.e2eSeconds ?? .infinity
        {
            meetingSLO += 1
        }
        if fleet.keepRecords {
            records.append(
                RequestRecord(
                    id: id, arrival: flight.arrival, inputTokens: flight.input, outputTokens: flight.output,
                    ttft: timeToFirst, e2e: total, queueing: waited, replica: flight.replica
                )
            )
        }
    }

    // MARK: Time series

    mutating func sample(upTo time: Double) {
        // An arrival at infinity (a gap that overflowed) has no time series to sample up to.
        guard time.isFinite else { return }
        while nextSample <= time {
            let running = engines.running + decodeEngines.running
            let waiting = engines.waiting + decodeEngines.waiting
            let used = engines.usedBlocks + decodeEngines.usedBlocks
            let total = engines.totalBlocks.saturatingAdding(decodeEngines.totalBlocks)
            samples.append(
                TimeSample(
                    time: nextSample, running: running, waiting: waiting,
                    kvUtilisation: total > 0 ? Double(used) / Double(total) : 0
                )
            )
            nextSample += sampleInterval
            if samples.count >= 20_000 {
                // Keep memory bounded: halve the resolution.
                samples = stride(from: 0, to: samples.count, by: 2).map { samples[$0] }
                sampleInterval *= 2
                nextSample = (samples.last?.time ?? 0) + sampleInterval
            }
        }
    }

    // MARK: Result

    func result() -> SimulationResult {
        let window = max(lastMeasuredCompletion - (firstMeasuredArrival.isFinite ? firstMeasuredArrival : 0), 1e-12)
        let measured = measuredCompleted
        return SimulationResult(
            arrived: nextID, completed: completed, dropped: dropped, measured: measured,
            preemptions: engines.preemptions + decodeEngines.preemptions,
            simulatedSeconds: lastCompletion, measuredSeconds: measured > 0 ? window : 0,
            outputTokensPerSecond: measured > 0 ? Double(measuredOutputTokens) / window : 0,
            requestsPerSecond: measured > 0 ? Double(measured) / window : 0,
            goodputRequestsPerSecond: measured > 0 ? Double(meetingSLO) / window : 0,
            sloAttainment: measured > 0 ? Double(meetingSLO) / Double(measured) : 0, ttft: ttft.summary,
            tpot: tpot.summary, itl: itl.summary, e2e: e2e.summary, queueing: queueing.summary, timeSeries: samples,
            records: fleet.keepRecords ? records : nil, replicas: fleet.deployment.replicas,
            accelerators: fleet.deployment.count,
            peakKVUtilisation: max(engines.peakUtilisation, decodeEngines.peakUtilisation)
        )
    }
}
