import HeadroomCore
import Testing

@Suite struct LiveReplicaTests {
    func fleet(_ deployment: Deployment) throws -> FleetSimulator {
        try FleetSimulator(
            deployment: deployment, efficiency: Fixtures.efficiency,
            options: SimulationOptions(warmupFraction: 0, prefixCaching: false)
        )
    }

    /// Runs `replica` until idle; returns the tokens each request received, the finish order and the summed seconds.
    func drain(_ replica: inout LiveReplica) -> (tokens: [Int: Int], finished: [Int], dropped: [Int], seconds: Double) {
        var tokens: [Int: Int] = [:]
        var finished: [Int] = []
        var dropped: [Int] = []
        var seconds = 0.0
        var steps = 0
        while replica.busy, steps < 1_000_000 {
            let step = replica.step()
            seconds += step.seconds
            for entry in step.tokens {
                #expect(entry.count == 1, "one token per request per step")
                #expect(!finished.contains(entry.id), "no tokens after the last")
                tokens[entry.id, default: 0] += entry.count
            }
            finished += step.finished
            dropped += step.dropped
            steps += 1
        }
        return (tokens, finished, dropped, seconds)
    }

    @Test(arguments: [1, 2, 17, 300])
    func oneRequestGetsExactlyItsTokens(output: Int) throws {
        var replica = LiveReplica(fleet: try fleet(try Fixtures.deployment(precision: .fp8)))
        let accepted = replica.enqueue(id: 7, inputTokens: 512, outputTokens: output)
        #expect(accepted)
        #expect(replica.outstanding == 1)
        let run = drain(&replica)
        #expect(run.tokens == [7: output])
        #expect(run.finished == [7])
        #expect(!replica.busy)
        #expect(replica.outstanding == 0)
    }

    /// A closed batch: the summed step seconds are the simulator's makespan (less the API server's overhead, which
    /// the fleet adds to each arrival and the live replica leaves to its caller).
    @Test func closedBatchMatchesTheFleet() throws {
        let deployment = try Fixtures.deployment(precision: .fp8)
        let sim = try fleet(deployment)
        let shapes = (0..<64).map { (input: 100 + 37 * ($0 % 11), output: 20 + 13 * ($0 % 7)) }
        var replica = LiveReplica(fleet: sim)
        for (id, shape) in shapes.enumerated() {
            let accepted = replica.enqueue(id: id, inputTokens: shape.input, outputTokens: shape.output)
            #expect(accepted)
        }
        let run = drain(&replica)
        for (id, shape) in shapes.enumerated() { #expect(run.tokens[id] == shape.output) }
        #expect(Set(run.finished) == Set(shapes.indices))

        var source = ArrayRequestSource(
            shapes.map { SimRequest(arrival: 0, inputTokens: $0.input, outputTokens: $0.output) })
        let result = sim.run(&source, expectedCount: shapes.count)
        let overhead = Fixtures.efficiency.requestOverheadMilliseconds * 1e-3
        #expect(result.completed == shapes.count)
        #expect(abs(result.simulatedSeconds - overhead - run.seconds) < 1e-9 * max(run.seconds, 1))
        #expect(abs(replica.modelSeconds - run.seconds) < 1e-9)
    }

    /// A tiny KV cache forces preemption by recompute; every request still gets exactly its tokens.
    @Test(arguments: [40, 80, 160])
    func preemptionKeepsTokenCountsExact(blocks: Int) throws {
        let deployment = try Fixtures.deployment(precision: .fp8)
        var replica = LiveReplica(fleet: try fleet(deployment), kvBlocks: blocks)
        let shapes = (0..<48).map { (input: 60 + 29 * ($0 % 5), output: 50 + 41 * ($0 % 6)) }
        var accepted: [Int: Int] = [:]
        for (id, shape) in shapes.enumerated()
        where replica.enqueue(id: id, inputTokens: shape.input, outputTokens: shape.output) {
            accepted[id] = shape.output
        }
        #expect(!accepted.isEmpty)
        let run = drain(&replica)
        #expect(replica.preemptions > 0)
        #expect(run.dropped.isEmpty)
        #expect(run.tokens == accepted)
        #expect(Set(run.finished) == Set(accepted.keys))
        #expect(run.finished.count == accepted.count)
    }

    @Test func refusesWhatCanNeverFit() throws {
        var replica = LiveReplica(fleet: try fleet(try Fixtures.deployment(precision: .fp8)), kvBlocks: 4)
        #expect(replica.capacityTokens == 4 * Fixtures.vllm.kvBlockSize)
        let accepted = replica.enqueue(id: 1, inputTokens: replica.capacityTokens, outputTokens: 1)
        #expect(!accepted)
        #expect(!replica.busy)
        #expect(replica.step() == LiveStep())
    }

    @Test func requestsArrivingMidRunJoinTheBatch() throws {
        var replica = LiveReplica(fleet: try fleet(try Fixtures.deployment(precision: .fp8)))
        let accepted = replica.enqueue(id: 0, inputTokens: 64, outputTokens: 50)
        #expect(accepted)
        var tokens: [Int: Int] = [:]
        var batchOfTwo = false
        for index in 0..<200 where replica.busy {
            if index == 10 {
                let joined = replica.enqueue(id: 1, inputTokens: 64, outputTokens: 20)
                #expect(joined)
            }
            let step = replica.step()
            if step.tokens.count == 2 { batchOfTwo = true }
            for entry in step.tokens { tokens[entry.id, default: 0] += entry.count }
        }
        #expect(tokens == [0: 50, 1: 20])
        #expect(batchOfTwo)
    }
}
