import DequeModule
import HeapModule

/// One replica's engine, stepped iteration by iteration as vLLM V1 schedules:
///
/// - each step first serves running requests in admission order (one token per decoding sequence, the next prompt
///   chunk for a sequence still prefilling), then admits waiting requests FIFO while the token budget
///   (`max_num_batched_tokens`), the sequence limit (`max_num_seqs`) and free KV blocks allow;
/// - the KV cache is paged in blocks of the stack's block size; a running request that needs a block when none is
///   free preempts the most recently admitted running request, which returns to the head of the queue and is
///   recomputed (prompt plus the tokens generated so far) — vLLM's preemption by recompute;
/// - a stack that reserves a whole sequence's blocks at admission (TensorRT-LLM's GUARANTEED_NO_EVICT) never preempts;
/// - prefix caching skips the compute of whole blocks of a prompt prefix already seen on this replica;
/// - a stack without chunked prefill schedules whole prompts only.
///
/// Decoding sequences are kept as aggregates (count, summed context, block-boundary phase counts, a heap of finish
/// steps), so a step costs O(1) plus O(log n) per request that starts, finishes or is preempted — not O(batch).
struct ReplicaEngine {
    /// What happened to a request, reported to the fleet.
    enum Event {
        /// Left the queue for its first step at `time`.
        case admitted(id: Int, time: Double)
        /// A step decoded `count` tokens and lasted `seconds` (inter-token latency of each of them).
        case decodeStep(seconds: Double, count: Int, end: Double)
        /// First token at `time` (prefill complete).
        case firstToken(id: Int, time: Double)
        /// Last token at `time`.
        case finished(id: Int, time: Double)
        /// Prefill-only engine: prompt done and first token sampled at `time`; the request's KV leaves the replica.
        case handoff(id: Int, time: Double)
        /// Preempted and requeued for recompute.
        case preempted(id: Int)
        /// Can never fit in this replica's KV cache.
        case dropped(id: Int)
    }

    struct Active {
        var id: Int
        var prompt: Int  // tokens to prefill (prompt, plus generated tokens after a recompute)
        var prefilled: Int  // prompt tokens in the KV cache
        var output: Int  // tokens still to generate, counting the one the prefill step samples
        var blocks: Int  // KV blocks held
        var epoch: UInt32
        var decoding: Bool
        var decodeStart: Int  // first decode step
        var kvAtStart: Int  // KV tokens at decodeStart
        var prefixID: Int?
        var prefixTokens: Int
        var arrivedDecoded: Bool  // arrived already prefilled (disaggregated decode pool)
    }

    struct FinishEntry: Comparable {
        var step: Int
        var slot: Int32
        var epoch: UInt32
        static func < (a: FinishEntry, b: FinishEntry) -> Bool {
            a.step < b.step || (a.step == b.step && a.slot < b.slot)
        }
    }

    struct Waiting {
        var id: Int
        var prompt: Int
        var output: Int
        var prefixID: Int?
        var prefixTokens: Int
        var decoded: Bool  // arrives with its prompt in KV and its first token sampled
    }

    let model: PerformanceModel
    let blockSize: Int
    let totalBlocks: Int
    let maxRunning: Int
    let tokenBudget: Int
    let chunked: Bool
    let reserveFullSequence: Bool
    /// SGLang's admission estimate, when the stack uses it.
    let newTokenRatio: ServingStack.NewTokenRatio?
    private var ratio: Double
    /// Σ finish step over decoding sequences, to total their remaining output in O(1).
    private var finishStepSum = 0
    /// Σ output still to write of requests being prefilled.
    private var prefillingOutputs = 0
    /// Reused each step for the sequences whose prefill completes.
    private var completingBuffer: [Int32] = []
    let prefillOnly: Bool
    let prefixCaching: Bool

    private(set) var clock = 0.0
    private(set) var step = 0
    private(set) var freeBlocks: Int
    private(set) var waiting = Deque<Waiting>()
    private var slots: [Active] = []
    private var freeSlots: [Int32] = []
    private var order = Deque<(slot: Int32, epoch: UInt32)>()  // admission order, stale entries skipped
    private var prefilling: [Int32] = []
    private var finishes = Heap<FinishEntry>()
    private var phaseCount: [Int]
    private var decodingCount = 0
    private var decodeContext = 0  // Σ KV tokens of decoding sequences
    private(set) var runningCount = 0
    private var cachedPrefixes = Set<Int>()
    private(set) var preemptions = 0
    /// Highest fraction of blocks in use after any step's allocations.
    private(set) var peakUtilisation = 0.0
    private var epochCounter: UInt32 = 0
    /// Whether this step's block-boundary allocation for decoders has happened (a later preemption returns it).
    private var decodeBlocksTaken = false

    /// Sequences waiting plus running.
    var outstanding: Int { waiting.count + runningCount }
    /// Whether anything is left to do.
    var busy: Bool { !waiting.isEmpty || runningCount > 0 }
    var usedBlocks: Int { totalBlocks - freeBlocks }

    init(
        model: PerformanceModel, totalBlocks: Int, maxRunning: Int, tokenBudget: Int, prefillOnly: Bool = false,
        prefixCaching: Bool
    ) {
        let deployment = model.deployment
        self.model = model
        blockSize = max(deployment.stack.kvBlockSize, 1)
        self.totalBlocks = totalBlocks
        self.maxRunning = max(maxRunning, 1)
        self.tokenBudget = max(tokenBudget, 1)
        chunked = deployment.stack.chunkedPrefill
        reserveFullSequence = deployment.stack.kvReservation == .fullSequence
        newTokenRatio = deployment.stack.kvReservation == .estimated ? deployment.stack.newTokenRatio : nil
        ratio = newTokenRatio?.initial ?? 0
        self.prefillOnly = prefillOnly
        self.prefixCaching = prefixCaching
        freeBlocks = totalBlocks
        phaseCount = Array(repeating: 0, count: max(deployment.stack.kvBlockSize, 1))
    }

    @inline(__always) func blocks(for tokens: Int) -> Int { (tokens + blockSize - 1) / blockSize }

    /// Queues a request that arrived at `time` (the engine idles forward to it if it had nothing to do).
    mutating func enqueue(
        id: Int, time: Double, input: Int, output: Int, prefixID: Int?, prefixTokens: Int, alreadyDecoded: Bool = false
    ) -> Event? {
        // A request whose whole sequence can never fit is dropped up front (it would stall or thrash forever).
        if blocks(for: input + output) > totalBlocks { return .dropped(id: id) }
        if !busy { clock = max(clock, time) }
        waiting.append(
            Waiting(
                id: id, prompt: input, output: output, prefixID: prefixID, prefixTokens: prefixTokens,
                decoded: alreadyDecoded)
        )
        return nil
    }

    /// Runs steps that start before `time`; an idle engine's clock moves to `time`.
    mutating func advance(to time: Double, events: inout [Event]) {
        while busy && clock < time { runStep(events: &events) }
        if !busy { clock = max(clock, time) }
    }

    // MARK: The step

    /// Schedules and executes one step; returns its duration and shape.
    @discardableResult
    mutating func runStep(events: inout [Event]) -> (seconds: Double, decodes: Int) {
        var budget = tokenBudget
        let preemptionsBefore = preemptions
        // 1. Decoding sequences each need their next token's slot, and a block when it crosses a block boundary.
        if !reserveFullSequence {
            let phase = step % blockSize
            while phaseCount[phase] > freeBlocks, decodingCount > 0 {
                guard preemptNewest(events: &events) else { break }
            }
            freeBlocks -= phaseCount[phase]
            decodeBlocksTaken = true
        }
        defer { decodeBlocksTaken = false }
        budget -= decodingCount

        // 2. Running prefills continue, oldest first.
        var prefillTokens = 0
        var pairs = 0.0
        // A buffer kept across steps: allocating it every step showed up in the benchmark's malloc count.
        // Move the storage out (so it is uniquely referenced and not copied on write), then hand it back.
        var completing = completingBuffer
        completingBuffer = []
        completing.removeAll(keepingCapacity: true)
        defer { completingBuffer = completing }
        var index = 0
        while index < prefilling.count {
            let slot = prefilling[index]
            let scheduled = scheduleChunk(slot: slot, budget: &budget, events: &events)
            if scheduled.slotGone { continue }  // preempted (itself or by itself): list already updated
            prefillTokens += scheduled.tokens
            pairs += scheduled.pairs
            if scheduled.completes { completing.append(slot) }
            index += 1
        }
        // 3. Admit waiting requests.
        while budget > 0 || (waiting.first?.decoded ?? false), runningCount < maxRunning, let head = waiting.first {
            if head.decoded {
                // Disaggregated decode: KV arrives ready; it needs blocks for the prompt and the sampled token.
                let need = reserveFullSequence ? blocks(for: head.prompt + head.output) : blocks(for: head.prompt)
                guard need <= freeBlocks else { break }
                waiting.removeFirst()
                freeBlocks -= need
                let slot = allocate(head, blocks: need)
                slots[Int(slot)].prefilled = head.prompt
                startDecoding(slot: slot, nextStep: step + 1)
                continue
            }
            let cached = prefixCaching ? cachedTokens(head) : 0
            let remaining = head.prompt - cached
            let tokens = chunked ? min(remaining, budget) : remaining
            guard tokens > 0 || remaining == 0 else { break }
            if !chunked, tokens > budget, budget < tokenBudget || decodingCount > 0 || prefillTokens > 0 { break }
            let need = reserveFullSequence ? blocks(for: head.prompt + head.output) : blocks(for: cached + tokens)
            guard need + estimatedReserve(adding: head.output) <= freeBlocks else { break }
            waiting.removeFirst()
            freeBlocks -= need
            events.append(.admitted(id: head.id, time: clock))
            let slot = allocate(head, blocks: need)
            slots[Int(slot)].prefilled = cached
            if let id = head.prefixID, prefixCaching { cachedPrefixes.insert(id) }
            let past = Double(cached)
            let chunk = Double(tokens)
            slots[Int(slot)].prefilled += tokens
            budget -= tokens
            prefillTokens += tokens
            pairs += chunk * (past + (chunk + 1) / 2)
            prefillingOutputs += head.output
            if slots[Int(slot)].prefilled >= head.prompt {
                completing.append(slot)
            } else {
                prefilling.append(slot)
            }
        }
        // Preemption while scheduling prefills may have removed decoders: count what actually runs.
        let decodes = decodingCount
        let context = decodeContext + decodingCount  // each reads its KV plus the token it writes
        guard decodes > 0 || prefillTokens > 0 || !completing.isEmpty else {
            // Nothing can run: only possible with an empty engine whose head cannot be placed. Drop it so time
            // moves on (enqueue already drops what can never fit, so this is a guard, not a path).
            if runningCount == 0, let head = waiting.popFirst() { events.append(.dropped(id: head.id)) }
            return (0, 0)
        }

        peakUtilisation = max(peakUtilisation, Double(totalBlocks - freeBlocks) / Double(max(totalBlocks, 1)))
        // 4. Execute.
        let shape = StepShape(
            decodeSequences: Double(decodes), decodeContext: Double(context), prefillTokens: Double(prefillTokens),
            prefillAttentionPairs: pairs, prefillSequences: Double(completing.count)
        )
        let seconds = model.seconds(shape)
        clock += seconds
        step += 1
        decodeContext += decodes
        if decodes > 0 { events.append(.decodeStep(seconds: seconds, count: decodes, end: clock)) }

        // 5. Sequences that finish this step.
        while let top = finishes.min, top.step < step {
            finishes.removeMin()
            let slot = Int(top.slot)
            guard slots[slot].epoch == top.epoch, slots[slot].decoding else { continue }
            let kv = slots[slot].kvAtStart + (step - slots[slot].decodeStart)
            decodingCount -= 1
            decodeContext -= kv
            finishStepSum -= top.step
            if !reserveFullSequence {
                phaseCount[phase(ofSlot: slot)] -= 1
            }
            events.append(.finished(id: slots[slot].id, time: clock))
            release(slot: Int32(slot), blocks: reserveFullSequence ? slots[slot].blocks : blocks(for: kv))
        }
        // 6. Prefills that complete sample their first token.
        for slot in completing {
            let s = Int(slot)
            prefilling.removeAll { $0 == slot }
            if !slots[s].arrivedDecoded { prefillingOutputs -= slots[s].output }
            if prefillOnly {
                events.append(.handoff(id: slots[s].id, time: clock))
                release(slot: slot, blocks: slots[s].blocks)
                continue
            }
            if !slots[s].arrivedDecoded { events.append(.firstToken(id: slots[s].id, time: clock)) }
            if slots[s].output <= 1 {
                events.append(.finished(id: slots[s].id, time: clock))
                release(slot: slot, blocks: slots[s].blocks)
            } else {
                startDecoding(slot: slot, nextStep: step)
            }
        }
        // SGLang's estimate decays while the batch stays feasible and resets when it retracts or idles.
        if let policy = newTokenRatio {
            if preemptions > preemptionsBefore || runningCount == 0 {
                ratio = policy.initial
            } else if decodes > 0 {
                ratio = max(policy.minimum, ratio - policy.decay)
            }
        }
        return (seconds, decodes)
    }

    /// Schedules the next prompt chunk of a running prefill; may preempt to find blocks.
    private mutating func scheduleChunk(
        slot: Int32, budget: inout Int, events: inout [Event]
    )
        -> (tokens: Int, pairs: Double, completes: Bool, slotGone: Bool)
    {
        let s = Int(slot)
        let remaining = slots[s].prompt - slots[s].prefilled
        let tokens = min(remaining, max(budget, 0))
        guard tokens > 0 else { return (0, 0, false, false) }
        if !reserveFullSequence {
            let need = blocks(for: slots[s].prefilled + tokens) - slots[s].blocks
            while need > freeBlocks {
                let epoch = slots[s].epoch
                guard preemptNewest(events: &events) else { break }
                if slots[s].epoch != epoch || !isRunning(slot) { return (0, 0, false, true) }
            }
            guard need <= freeBlocks else { return (0, 0, false, false) }
            freeBlocks -= need
            slots[s].blocks += need
        }
        let past = Double(slots[s].prefilled)
        let chunk = Double(tokens)
        slots[s].prefilled += tokens
        budget -= tokens
        return (tokens, chunk * (past + (chunk + 1) / 2), slots[s].prefilled >= slots[s].prompt, false)
    }

    /// Blocks SGLang keeps free for the output running requests (and the candidate) are estimated still to write:
    /// ratio × Σ min(remaining output, clip). The clip is applied to the sum (an approximation that matters only for
    /// outputs longer than the clip).
    private func estimatedReserve(adding output: Int) -> Int {
        guard let policy = newTokenRatio else { return 0 }
        let decodingRemaining = max(finishStepSum - decodingCount * (step - 1), 0)
        let total = decodingRemaining + prefillingOutputs + output
        let clipped = min(total, (decodingCount + prefilling.count + 1) * policy.clip)
        return blocks(for: Int(saturating: (Double(clipped) * ratio).rounded(.up)))
    }

    private func isRunning(_ slot: Int32) -> Bool { prefilling.contains(slot) || slots[Int(slot)].decoding }

    private func cachedTokens(_ request: Waiting) -> Int {
        guard let id = request.prefixID, request.prefixTokens > 0, cachedPrefixes.contains(id) else { return 0 }
        // Whole blocks only, and never the entire prompt (the last token must be computed to sample).
        let whole = (min(request.prefixTokens, request.prompt - 1) / blockSize) * blockSize
        return max(whole, 0)
    }

    private mutating func allocate(_ request: Waiting, blocks: Int) -> Int32 {
        epochCounter &+= 1
        let active = Active(
            id: request.id, prompt: request.prompt, prefilled: 0, output: request.output, blocks: blocks,
            epoch: epochCounter, decoding: false, decodeStart: 0, kvAtStart: 0, prefixID: request.prefixID,
            prefixTokens: request.prefixTokens, arrivedDecoded: request.decoded
        )
        let slot: Int32
        if let reused = freeSlots.popLast() {
            slot = reused
            slots[Int(slot)] = active
        } else {
            slot = Int32(slots.count)
            slots.append(active)
        }
        order.append((slot, epochCounter))
        runningCount += 1
        return slot
    }

    /// Moves a sequence whose prompt is in the KV cache into the decoding aggregate from step `nextStep` on.
    private mutating func startDecoding(slot: Int32, nextStep: Int) {
        let s = Int(slot)
        let kv = slots[s].prompt  // the sampled token is written by the first decode step
        slots[s].decoding = true
        slots[s].decodeStart = nextStep
        slots[s].kvAtStart = kv
        decodingCount += 1
        decodeContext += kv
        // Remaining decode steps: output − 1 (the prefill step sampled one token).
        // Decode steps nextStep … nextStep + output − 2 (the prefill step already sampled one token).
        finishes.insert(FinishEntry(step: nextStep + slots[s].output - 2, slot: slot, epoch: slots[s].epoch))
        finishStepSum += nextStep + slots[s].output - 2
        if !reserveFullSequence {
            // Blocks already cover `kv` tokens; a new one is needed whenever KV before a step is a block multiple.
            slots[s].blocks = blocks(for: kv)
            phaseCount[phase(ofSlot: s)] += 1
        }
    }

    @inline(__always) private func phase(ofSlot s: Int) -> Int {
        let p = (slots[s].decodeStart - slots[s].kvAtStart) % blockSize
        return p < 0 ? p + blockSize : p
    }

    private mutating func release(slot: Int32, blocks: Int) {
        freeBlocks += blocks
        slots[Int(slot)].epoch = 0
        slots[Int(slot)].decoding = false
        freeSlots.append(slot)
        runningCount -= 1
    }

    /// Preempts the most recently admitted running request (recompute); false when none is left.
    private mutating func preemptNewest(events: inout [Event]) -> Bool {
        while let last = order.last {
            order.removeLast()
            let s = Int(last.slot)
            guard slots[s].epoch == last.epoch else { continue }
            var held = slots[s].blocks
            var generated = 0
            if slots[s].decoding {
                let kv = slots[s].kvAtStart + (step - slots[s].decodeStart)
                held = blocks(for: kv)
                if decodeBlocksTaken, phase(ofSlot: s) == step % blockSize { held += 1 }
                generated = 1 + (step - slots[s].decodeStart)
                decodingCount -= 1
                decodeContext -= kv
                finishStepSum -= slots[s].decodeStart + slots[s].output - 2
                phaseCount[phase(ofSlot: s)] -= 1
            } else {
                prefilling.removeAll { $0 == last.slot }
                if !slots[s].arrivedDecoded { prefillingOutputs -= slots[s].output }
            }
            let active = slots[s]
            release(slot: last.slot, blocks: held)
            preemptions += 1
            events.append(.preempted(id: active.id))
            // Recompute: the prompt plus what was generated is prefilled again; generation resumes after it.
            waiting.prepend(
                Waiting(
                    id: active.id, prompt: active.prompt + generated, output: active.output - generated,
                    prefixID: active.prefixID, prefixTokens: active.prefixTokens, decoded: false
                )
            )
            return true
        }
        return false
    }
}
