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
            let resolved = try deploymentOptions.resolve(in: catalog, file: spec?.deployment, fileModel: spec?.model)
            let deployment = resolved.deployment
            let efficiency = try resolved.efficiency(in: catalog)

            var options = SimulationOptions(warmupFraction: warmup, prefixCaching: !noPrefixCaching)
            options.slo = SimulationOptions.SLO(
                ttftSeconds: (sloTTFT.map { $0 / 1000 }) ?? spec?.slo.ttftSeconds,
                tpotSeconds: (sloTPOT.map { $0 / 1000 }) ?? spec?.slo.tpotSeconds,
                e2eSeconds: (sloE2E.map { $0 / 1000 }) ?? spec?.slo.e2eSeconds
            )
            let merged =
                try deploymentOptions.deployment.map { text throws(HeadroomError) in
                    try DeploymentOptions.parse(text, over: spec?.deployment)
                } ?? spec?.deployment
            if let name = router ?? merged?.router {
                guard let value = SimulationOptions.Router(rawValue: name) else {
                    throw HeadroomError(
                        .invalidInput,
                        "unknown router '\(name)'; one of \(SimulationOptions.Router.allCases.map(\.rawValue).joined(separator: ", "))",
                        field: "router"
                    )
                }
                options.router = value
            }
            var split: Disaggregation?
            if let text = disaggregate {
                let parts = text.split(separator: ":").compactMap { Int($0) }
                guard parts.count == 2 else {
                    throw HeadroomError(
                        .invalidInput, "--disaggregate takes PREFILL:DECODE, e.g. 1:3", field: "disaggregate")
                }
                split = Disaggregation(prefillReplicas: parts[0], decodeReplicas: parts[1])
            } else if let p = spec?.deployment?.prefillReplicas, let d = spec?.deployment?.decodeReplicas {
                split = Disaggregation(prefillReplicas: p, decodeReplicas: d)
            }
            var fleet = try FleetSimulator(
                deployment: deployment, efficiency: efficiency.profile, options: options, disaggregation: split)
            fleet.keepRecords = perRequest != nil

            let lengths = try self.lengths(spec: spec)
            let count = requests ?? spec?.traffic.requests ?? 10_000
            guard count >= 1 else {
                throw HeadroomError(.invalidInput, "--requests must be at least 1", field: "requests")
            }
            let started = Date()
            let result: SimulationResult
            var notes = resolved.notes
            if let clients = concurrency {
                guard clients >= 1 else {
                    throw HeadroomError(.invalidInput, "--concurrency must be at least 1", field: "concurrency")
                }
                result = fleet.runClosedLoop(
                    clients: clients, requests: count, input: lengths.input, output: lengths.output, seed: seed)
                notes.append("closed loop of \(clients) clients")
            } else if let trace = spec?.traffic.trace, rate == nil {
                var source = ArrayRequestSource(Array(trace.prefix(count)))
                result = fleet.run(&source, expectedCount: min(count, trace.count))
                notes.append("replayed \(min(count, trace.count)) requests of the trace in \(spec?.file ?? "")")
            } else {
                let process = try arrivalProcess(spec: spec)
                var generator = try WorkloadGenerator(
                    arrival: process, profile: spec?.traffic.profile ?? RateProfile(), input: lengths.input,
                    output: lengths.output, prefix: spec?.prefix ?? .none, count: count, seed: seed
                )
                result = fleet.run(&generator, expectedCount: count)
                notes.append(
                    "\(describe(process)) arrivals, input \(describe(lengths.input)), output \(describe(lengths.output)), seed \(seed)"
                )
            }
            let wall = Date().timeIntervalSince(started)
            notes.append(
                "scheduler: \(deployment.stack.name) — max_num_seqs \(deployment.maxNumSeqs.map(String.init) ?? "from KV"), token budget \(deployment.maxBatchedTokens), KV blocks of \(deployment.stack.kvBlockSize) (\(fleet.blocksPerReplica) per replica), \(deployment.stack.chunkedPrefill ? "chunked prefill" : "whole-prompt prefill"), \(deployment.stack.kvReservation == .fullSequence ? "full-sequence KV reservation (no preemption)" : "preemption by recompute")"
            )
            if let split {
                notes.append(
                    "disaggregated: \(split.prefillReplicas) prefill + \(split.decodeReplicas) decode replicas, KV shipped over \(deployment.accelerator.scaleOut?.name ?? "the scale-up fabric")"
                )
            } else {
                notes.append("router: \(options.router.rawValue)")
            }
            notes.append("first \(Int(warmup * 100))% of requests excluded as warm-up")

            let plan = deployment.memoryPlan
            let memory = EstimateDocument.Memory(
                plan: plan,
                maxConcurrentSequences: deployment.maxSequences(
                    ofTokens: lengths.input.mean + lengths.output.mean, plan: plan)
            )
            let document = SimulationDocument(
                result, deployment: deployment, memory: memory, assumptions: notes, wallSeconds: timing ? wall : nil)
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
            rates = try text.split(separator: ",").map { part in
                guard let value = Double(part.trimmingCharacters(in: .whitespaces)), value > 0 else {
                    throw HeadroomError(
                        .invalidInput, "--sweep takes positive rates separated by commas, got '\(part)'", field: "sweep"
                    )
                }
                return value
            }
        } catch let error as HeadroomError {
            throw failure("\(error.description)")
        }
        let points: [FleetSimulator.SweepPoint]
        do {
            points = try await fleet.sweep(
                rates: rates, input: lengths.input, output: lengths.output, prefix: spec?.prefix ?? .none,
                profile: spec?.traffic.profile ?? RateProfile(), requests: requests ?? spec?.traffic.requests ?? 10_000,
                seed: seed
            )
        } catch {
            throw failure("\(error.description)")
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

    func describe(_ lengths: LengthDistribution) -> String {
        switch lengths {
        case .fixed(let n): "fixed \(n) tokens"
        case .uniform(let low, let high): "uniform \(low)–\(high) tokens"
        case .normal(let mean, let sd): "normal (mean \(humanNumber(mean)), sd \(humanNumber(sd)))"
        case .lognormal(let mean, let sigma): "lognormal (mean \(humanNumber(mean)), σ \(humanNumber(sigma)))"
        case .empirical: "empirical (mean \(humanNumber(lengths.mean)))"
        }
    }

    func describe(_ process: ArrivalProcess) -> String {
        switch process {
        case .poisson(let rate): "Poisson \(humanNumber(rate)) req/s"
        case .constant(let rate): "constant \(humanNumber(rate)) req/s"
        case .gamma(let rate, let cv): "gamma \(humanNumber(rate)) req/s, CV \(humanNumber(cv))"
        }
    }

    func arrivalProcess(spec: WorkloadSpec?) throws -> ArrivalProcess {
        let kind = arrival?.lowercased()
        if rate == nil, kind == nil, burstiness == nil, let process = spec?.traffic.arrival { return process }
        guard let rate = rate ?? spec.flatMap({ Self.rate(of: $0.traffic.arrival) }) else {
            throw HeadroomError(
                .invalidInput, "give --rate (or a workload file with traffic.rate_rps), or --concurrency", field: "rate"
            )
        }
        guard rate > 0, rate.isFinite else {
            throw HeadroomError(.invalidInput, "--rate must be positive", field: "rate")
        }
        switch kind ?? (burstiness != nil ? "gamma" : "poisson") {
        case "poisson": return .poisson(rate: rate)
        case "constant": return .constant(rate: rate)
        case "gamma":
            let cv = burstiness ?? 1
            guard cv > 0, cv.isFinite else {
                throw HeadroomError(.invalidInput, "--burstiness must be positive", field: "burstiness")
            }
            return .gamma(rate: rate, cv: cv)
        default:
            throw HeadroomError(.invalidInput, "--arrival must be poisson, constant or gamma", field: "arrival")
        }
    }

    static func rate(of process: ArrivalProcess) -> Double {
        switch process {
        case .poisson(let rate), .constant(let rate), .gamma(let rate, _): rate
        }
    }

    func lengths(spec: WorkloadSpec?) throws -> (input: LengthDistribution, output: LengthDistribution) {
        if let preset {
            let found = try WorkloadPreset.named(preset)
            return (found.input, found.output)
        }
        let input: LengthDistribution
        let output: LengthDistribution
        if let mean = inputTokens {
            input = try Self.distribution(inputDist, mean: mean, field: "input-dist")
        } else if let spec {
            input = spec.input
        } else {
            throw HeadroomError(
                .invalidInput, "give --input-tokens (or --preset, or a workload file)", field: "input-tokens")
        }
        if let mean = outputTokens {
            output = try Self.distribution(outputDist, mean: mean, field: "output-dist")
        } else if let spec {
            output = spec.output
        } else {
            throw HeadroomError(
                .invalidInput, "give --output-tokens (or --preset, or a workload file)", field: "output-tokens")
        }
        return (input, output)
    }

    /// `fixed`, `lognormal[:sigma]`, `normal[:stddev]`, `uniform[:min-max]` around `mean`.
    static func distribution(_ text: String, mean: Int, field: String) throws(HeadroomError) -> LengthDistribution {
        guard mean >= 1 else {
            throw HeadroomError(.invalidInput, "mean length must be at least 1, got \(mean)", field: field)
        }
        let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        let parameter = parts.count > 1 ? parts[1] : nil
        let value: LengthDistribution
        switch parts.first ?? "fixed" {
        case "fixed": value = .fixed(mean)
        case "lognormal": value = .lognormal(mean: Double(mean), sigma: parameter.flatMap(Double.init) ?? 0.8)
        case "normal": value = .normal(mean: Double(mean), stddev: parameter.flatMap(Double.init) ?? Double(mean) / 4)
        case "uniform":
            let bounds = parameter?.split(separator: "-").compactMap { Int($0) } ?? []
            value = bounds.count == 2 ? .uniform(min: bounds[0], max: bounds[1]) : .uniform(min: 1, max: 2 * mean - 1)
        default:
            throw HeadroomError(
                .invalidInput, "unknown distribution '\(text)'; fixed, lognormal, normal or uniform", field: field)
        }
        return try value.validated(field: field)
    }
}
