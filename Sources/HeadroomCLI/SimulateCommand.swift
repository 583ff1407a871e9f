import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomReport

/// `headroom simulate`: a discrete-event simulation of continuous batching for a workload file or flags.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a fleet serving a workload, step by step: latency distributions, goodput, time series."
    )

    @Argument(help: "A workload file (YAML; see docs/workload.md). Flags override its fields.") var workload: String?
    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var deploymentOptions: DeploymentOptions

    @Option(help: "Mean prompt tokens (with --input-dist).") var inputTokens: Int?
    @Option(help: "Mean output tokens (with --output-dist).") var outputTokens: Int?
    @Option(help: "Prompt length distribution: fixed, lognormal[:sigma], normal[:stddev], uniform[:min-max].")
    var inputDist: String = "fixed"
    @Option(help: "Output length distribution, as --input-dist.") var outputDist: String = "fixed"
    @Option(help: "Length preset: chat, rag, code, agent.") var preset: String?
    @Option(help: "Arrivals per second across the fleet.") var rate: Double?
    @Option(help: "Arrival process: poisson, constant or gamma.") var arrival: String?
    @Option(help: "Coefficient of variation of inter-arrival times, for --arrival gamma.") var burstiness: Double?
    @Option(help: "Closed loop of this many clients instead of open-loop arrivals.") var concurrency: Int?
    @Option(help: "Requests to simulate (default 10000, or the file's).") var requests: Int?
    @Option(help: "Seed; the same seed replays the same run.") var seed: UInt64 = 1
    @Option(help: "Router: round-robin, least-outstanding or prefix-affinity.") var router: String?
    @Option(help: "Disaggregate as PREFILL:DECODE replicas (they must add up to the replicas).") var disaggregate:
        String?
    @Flag(help: "Turn prefix caching off.") var noPrefixCaching = false
    @Option(
        help:
            "Simulate this many replicas at their round-robin share of the traffic instead of the whole fleet (--router round-robin)."
    ) var sampleReplicas: Int?
    @Option(help: "Fraction of requests excluded as warm-up.") var warmup: Double = 0.05
    @Option(name: .customLong("slo-ttft-ms"), help: "TTFT objective for goodput, ms.") var sloTTFT: Double?
    @Option(name: .customLong("slo-tpot-ms"), help: "TPOT objective for goodput, ms.") var sloTPOT: Double?
    @Option(name: .customLong("slo-e2e-ms"), help: "End-to-end objective for goodput, ms.") var sloE2E: Double?
    @Option(help: "table or json.") var format: OutputFormat = .table
    @Option(help: "Write the time series (running, waiting, KV utilisation) as CSV here.") var timeseries: String?
    @Option(help: "Write one CSV line per request here.") var perRequest: String?
    @Flag(help: "Report the simulator's own wall time.") var timing = false
    @Option(help: "Comma-separated rates (req/s) to simulate side by side, one core each.") var sweep: String?

    func run() async throws {
        if let sweep {
            try await runSweep(sweep)
            return
        }
        try reportingErrors {
            let catalog = try catalogOptions.load()
            let spec = try workload.map { try WorkloadLoader.load(url: URL(fileURLWithPath: $0)) }
            let outcome = try inputs.simulate(deploymentOptions.selection, spec: spec, catalog: catalog)
            let (result, deployment, notes) = (outcome.result, outcome.deployment, outcome.notes)
            let wall = outcome.wallSeconds
            let plan = deployment.memoryPlan
            let memory = EstimateDocument.Memory(plan: plan, maxConcurrentSequences: outcome.maxConcurrentSequences)
            let document = SimulationDocument(
                result, deployment: deployment, memory: memory, assumptions: notes, wallSeconds: timing ? wall : nil,
                router: outcome.router)
            if let path = timeseries { try write(TimeSeriesCSV.render(result.timeSeries), to: path) }
            if let path = perRequest, let records = result.records {
                var lines = ["id,arrival_s,input_tokens,output_tokens,ttft_s,e2e_s,queueing_s,replica"]
                for r in records {
                    lines.append(
                        "\(r.id),\(r.arrival),\(r.inputTokens),\(r.outputTokens),\(r.ttft),\(r.e2e),\(r.queueing),\(r.replica)"
                    )
                }
                try write(lines.joined(separator: "\n") + "\n", to: path)
            }
            switch format {
            case .json: emit(try JSONRendering.render(document))
            case .table: emit(document.table())
            }
        }
    }

    func runSweep(_ text: String) async throws {
        let catalog: Catalog
        let spec: WorkloadSpec?
        let resolved: DeploymentOptions.Resolved
        let fleet: FleetSimulator
        let lengths: (input: LengthDistribution, output: LengthDistribution)
        let rates: [Double]
        do {
            catalog = try catalogOptions.load()
            spec = try workload.map { try WorkloadLoader.load(url: URL(fileURLWithPath: $0)) }
            resolved = try deploymentOptions.resolve(in: catalog, file: spec?.deployment, fileModel: spec?.model)
            let slo = SimulationOptions.SLO(
                ttftSeconds: (sloTTFT.map { $0 / 1000 }) ?? spec?.slo.ttftSeconds,
                tpotSeconds: (sloTPOT.map { $0 / 1000 }) ?? spec?.slo.tpotSeconds,
                e2eSeconds: (sloE2E.map { $0 / 1000 }) ?? spec?.slo.e2eSeconds
            )
            fleet = try FleetSimulator(
                deployment: resolved.deployment, efficiency: try resolved.efficiency(in: catalog).profile,
                options: SimulationOptions(slo: slo, warmupFraction: warmup, prefixCaching: !noPrefixCaching)
            )
            lengths = try self.lengths(spec: spec)
            try SimulationInputs.checkBudget(
                requests: requests ?? spec?.traffic.requests ?? 10_000, replicas: resolved.deployment.replicas)
            rates = try text.split(separator: ",").map { part in
                guard let value = Double(part.trimmingCharacters(in: .whitespaces)), value > 0 else {
                    throw HeadroomError(
                        .invalidInput, "--sweep takes positive rates separated by commas, got '\(part)'", field: "sweep"
                    )
                }
                return value
            }
        } catch let error as HeadroomError {
            throw failure(error)
        }
        let points: [FleetSimulator.SweepPoint]
        do {
            points = try await fleet.sweep(
                rates: rates, input: lengths.input, output: lengths.output, prefix: spec?.prefix ?? .none,
                profile: spec?.traffic.profile ?? RateProfile(), requests: requests ?? spec?.traffic.requests ?? 10_000,
                seed: seed
            )
        } catch {
            throw failure(error)
        }
        switch format {
        case .json:
            let documents = points.map {
                SweepEntry(
                    rate: $0.rate,
                    result: SimulationDocument(
                        $0.result, deployment: resolved.deployment,
                        memory: EstimateDocument.Memory(
                            plan: resolved.deployment.memoryPlan, maxConcurrentSequences: 0),
                        assumptions: [], wallSeconds: nil
                    ))
            }
            emit(try JSONRendering.render(documents))
        case .table:
            var table = TextTable(header: [
                "rate req/s", "served req/s", "goodput", "tok/s", "TTFT p50", "TTFT p99", "TPOT p50", "TPOT p99",
                "preempt",
            ])
            for p in points {
                let r = p.result
                table.rows.append([
                    humanNumber(p.rate), humanNumber(r.requestsPerSecond), humanNumber(r.goodputRequestsPerSecond),
                    humanNumber(r.outputTokensPerSecond), humanNumber(r.ttft.p50 * 1000),
                    humanNumber(r.ttft.p99 * 1000),
                    humanNumber(r.tpot.p50 * 1000), humanNumber(r.tpot.p99 * 1000), String(r.preemptions),
                ])
            }
            emit(table.render())
        }
    }

    struct SweepEntry: Encodable {
        var rate: Double
        var result: SimulationDocument

        enum CodingKeys: String, CodingKey {
            case rate = "rate_requests_per_second"
            case result
        }
    }

    func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw HeadroomError(.invalidFile, "cannot write: \(error.localizedDescription)", file: path)
        }
    }

    /// The flags as the shared simulation inputs.
    var inputs: SimulationInputs {
        var inputs = SimulationInputs()
        inputs.inputTokens = inputTokens
        inputs.outputTokens = outputTokens
        inputs.inputDist = inputDist
        inputs.outputDist = outputDist
        inputs.preset = preset
        inputs.rate = rate
        inputs.arrival = arrival
        inputs.burstiness = burstiness
        inputs.concurrency = concurrency
        inputs.requests = requests
        inputs.seed = seed
        inputs.router = router
        inputs.disaggregate = disaggregate
        inputs.warmup = warmup
        inputs.sloTTFT = sloTTFT
        inputs.sloTPOT = sloTPOT
        inputs.sloE2E = sloE2E
        inputs.noPrefixCaching = noPrefixCaching
        inputs.keepRecords = perRequest != nil
        inputs.sampleReplicas = sampleReplicas
        return inputs
    }

    func lengths(spec: WorkloadSpec?) throws -> (input: LengthDistribution, output: LengthDistribution) {
        try inputs.lengths(spec: spec)
    }
}
