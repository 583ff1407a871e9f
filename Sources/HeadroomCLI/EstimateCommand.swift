import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomReport

/// `headroom estimate`: one deployment, one workload shape.
struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Predict throughput, latency and memory of one deployment for one request shape."
    )

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var deploymentOptions: DeploymentOptions

    @Option(help: "Prompt tokens per request.") var inputTokens: Int
    @Option(help: "Output tokens per request.") var outputTokens: Int
    @Option(help: "Closed loop of this many clients.") var concurrency: Int?
    @Option(help: "Open-loop arrivals, requests per second across the deployment.") var rate: Double?
    @Flag(help: "All requests queued at once (MLPerf offline).") var offline = false
    @Option(
        help:
            "Requests to simulate for --rate/--concurrency/--max-rate (default 4000); with --offline, a finite burst instead of the steady state."
    )
    var requests: Int?
    @Option(help: "Seed of the simulated arrivals.") var seed: UInt64 = 1
    @Flag(
        help: "Use the closed-form queueing approximation instead of the simulator for --rate/--concurrency/--max-rate."
    )
    var analytic = false
    @Option(name: .customLong("slo-ttft-ms"), help: "p99 time-to-first-token objective, ms.") var sloTTFT: Double?
    @Option(name: .customLong("slo-tpot-ms"), help: "p99 time-per-output-token objective, ms.") var sloTPOT: Double?
    @Flag(help: "Search the highest request rate whose p99 TTFT and TPOT meet the SLO.") var maxRate = false
    @Option(help: "table or json.") var format: OutputFormat = .table
    @Flag(help: "Show the formula inputs behind each figure.") var explain = false

    func validate() throws {
        for (name, value) in [
            ("--model", deploymentOptions.model), ("--accelerator", deploymentOptions.accelerator),
            ("--count", deploymentOptions.count.map(String.init)),
        ] where value == nil {
            throw ValidationError("\(name) is required")
        }
        let modes = [concurrency != nil, rate != nil, offline].filter { $0 }.count
        if modes > 1 { throw ValidationError("choose one of --concurrency, --rate and --offline") }
        if modes == 0 && !maxRate {
            throw ValidationError("give a load: --concurrency, --rate, --offline or --max-rate")
        }
        if let requests, requests < 1 { throw ValidationError("--requests must be at least 1") }
        if maxRate && sloTTFT == nil && sloTPOT == nil {
            throw ValidationError("--max-rate needs --slo-ttft-ms and/or --slo-tpot-ms")
        }
        for (name, value) in [("--slo-ttft-ms", sloTTFT), ("--slo-tpot-ms", sloTPOT)] {
            if let value, !(value > 0 && value.isFinite) { throw ValidationError("\(name) must be a positive number") }
        }
        if let rate, !(rate > 0 && rate.isFinite) { throw ValidationError("--rate must be a positive number") }
    }

    func run() throws {
        try reportingErrors {
            let catalog = try catalogOptions.load()
            let resolved = try deploymentOptions.resolve(in: catalog)
            let shape = try RequestShape(inputTokens: inputTokens, outputTokens: outputTokens)
            let estimator = Estimator(
                deployment: resolved.deployment, shape: shape, efficiency: try resolved.efficiency(in: catalog),
                batchLimitsGiven: deploymentOptions.maxNumSeqs != nil || deploymentOptions.maxBatchedTokens != nil
            )
            let slo = LatencySLO(ttftSeconds: sloTTFT.map { $0 / 1000 }, tpotSeconds: sloTPOT.map { $0 / 1000 })
            let simulated = requests ?? 4000
            var maxRateFound: Double?
            if maxRate {
                maxRateFound =
                    analytic
                    ? try estimator.maxRate(meeting: slo)
                    : try estimator.simulatedMaxRate(meeting: slo, requests: simulated, seed: seed)
            }
            let load: Load
            if let concurrency {
                load = .concurrency(concurrency)
            } else if let rate {
                load = .rate(rate)
            } else if offline {
                load = .offline(requests: requests)
            } else {
                load = .rate(maxRateFound!)
            }
            var estimate: Estimate
            if case .offline = load {
                estimate = try estimator.estimate(load)
            } else if analytic {
                estimate = try estimator.estimate(load)
            } else {
                estimate = try estimator.simulatedEstimate(load, requests: simulated, seed: seed).estimate
            }
            estimate.maxRateRequestsPerSecond = maxRateFound
            estimate.assumptions = resolved.notes + estimate.assumptions
            let document = EstimateDocument(estimate, deployment: resolved.deployment, includeExplanation: explain)
            switch format {
            case .json: emit(try JSONRendering.render(document))
            case .table: emit(EstimateTable.render(document))
            }
        }
    }
}

/// The flags that name a deployment, shared by `estimate` (and later `simulate`).
struct DeploymentOptions: ParsableArguments {
    @Option(help: "Catalog id or alias (llama-3.1-70b), or a path to a Hugging Face config.json.") var model: String?
    @Option(help: "Accelerator id (h100-sxm, h200, mi300x, …).") var accelerator: String?
    @Option(help: "Total accelerators; replicas = count / (tp·pp).") var count: Int?
    @Option(help: "Tensor-parallel size (default 1).") var tp: Int?
    @Option(help: "Pipeline-parallel size (default 1).") var pp: Int?
    @Option(help: "Expert-parallel size, within the tensor-parallel group (default 1).") var ep: Int?
    @Option(
        help: "Weight precision: bf16, fp16, fp8, int8, fp4, mxfp4, int4-awq, int4-gptq. Default: the checkpoint's.")
    var precision: String?
    @Option(help: "KV-cache precision. Default: fp8 with fp8/fp4 weights, else bf16.") var kvPrecision: String?
    @Option(help: "Serving stack: vllm, sglang or trtllm (default vllm).") var stack: String?
    @Option(name: .customLong("gpu-memory-utilization"), help: "Memory fraction, in the stack's own semantics.")
    var memoryFraction: Double?
    @Option(help: "Most sequences a replica runs at once.") var maxNumSeqs: Int?
    @Option(help: "Most tokens one step processes.") var maxBatchedTokens: Int?
    @Option(
        help:
            "A deployment in one flag: accelerator=h100-sxm,count=8,tp=4,pp=1,ep=1,precision=fp8,kv-precision=fp8,stack=vllm (separate flags win)."
    )
    var deployment: String?

    /// Parses `--deployment key=value,…` over the workload file's deployment section.
    static func parse(
        _ text: String, over base: WorkloadSpec.DeploymentSpec?
    ) throws(HeadroomError) -> WorkloadSpec.DeploymentSpec {
        var spec = base ?? WorkloadSpec.DeploymentSpec()
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty else {
                throw HeadroomError(.invalidInput, "expected key=value, got '\(pair)'", field: "deployment")
            }
            func integer() throws(HeadroomError) -> Int {
                guard let value = Int(parts[1]), value >= 1 else {
                    throw HeadroomError(
                        .invalidInput, "\(parts[0]) must be a positive whole number, got '\(parts[1])'",
                        field: "deployment.\(parts[0])")
                }
                return value
            }
            switch parts[0].lowercased() {
            case "accelerator": spec.accelerator = parts[1]
            case "count": spec.count = try integer()
            case "tp": spec.tp = try integer()
            case "pp": spec.pp = try integer()
            case "ep": spec.ep = try integer()
            case "precision": spec.precision = parts[1]
            case "kv-precision", "kv_precision": spec.kvPrecision = parts[1]
            case "stack": spec.stack = parts[1]
            case "router": spec.router = parts[1]
            default:
                throw HeadroomError(
                    .invalidInput,
                    "unknown key '\(parts[0])'; one of accelerator, count, tp, pp, ep, precision, kv-precision, stack, router",
                    field: "deployment"
                )
            }
        }
        return spec
    }

    struct Resolved {
        var deployment: Deployment
        var notes: [String]

        func efficiency(in catalog: Catalog) throws(HeadroomError) -> (profile: EfficiencyProfile, specificity: Int) {
            guard let found = catalog.efficiency(stack: deployment.stack.id, accelerator: deployment.accelerator.id)
            else {
                throw HeadroomError(
                    .unknownEntry,
                    "the catalog has no efficiency profile for \(deployment.stack.id) on \(deployment.accelerator.id)",
                    field: "stack"
                )
            }
            return found
        }
    }

    /// Resolves the flags, each falling back to `file`'s deployment section and `fileModel` where not given.
    func resolve(
        in catalog: Catalog, file: WorkloadSpec.DeploymentSpec? = nil, fileModel: String? = nil
    ) throws -> Resolved {
        var notes: [String] = []
        let file = try deployment.map { text throws(HeadroomError) in try Self.parse(text, over: file) } ?? file
        guard let model = model ?? fileModel else {
            throw HeadroomError(.invalidInput, "--model is required", field: "model")
        }
        guard let accelerator = accelerator ?? file?.accelerator else {
            throw HeadroomError(.invalidInput, "--accelerator is required", field: "accelerator")
        }
        guard let count = count ?? file?.count else {
            throw HeadroomError(.invalidInput, "--count is required", field: "count")
        }
        let stack = stack ?? file?.stack ?? "vllm"
        let precision = precision ?? file?.precision
        let kvPrecision = kvPrecision ?? file?.kvPrecision
        let tp = tp ?? file?.tp ?? 1
        let pp = pp ?? file?.pp ?? 1
        let ep = ep ?? file?.ep ?? 1
        let architecture: ModelArchitecture
        if model.hasSuffix(".json") || FileManager.default.fileExists(atPath: model) {
            architecture = try HuggingFaceImporter.importConfig(at: URL(fileURLWithPath: model))
            notes.append("model imported from \(model)")
        } else {
            architecture = try catalog.model(model)
        }
        let part = try catalog.accelerator(accelerator)
        let servingStack = try catalog.stack(stack)
        let weights: Precision
        if let precision {
            guard let parsed = Precision(userInput: precision) else {
                throw HeadroomError(
                    .invalidInput,
                    "unknown precision '\(precision)'; one of \(Precision.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: "precision"
                )
            }
            weights = parsed
        } else {
            let shipped = architecture.weightsQuantization ?? architecture.nativePrecision
            weights = servingStack.supports(shipped, on: part.id) ? shipped : .bf16
            notes.append("precision not given: using \(weights) (the checkpoint ships \(shipped))")
        }
        var kv: Precision?
        if let kvPrecision {
            guard let parsed = Precision(userInput: kvPrecision) else {
                throw HeadroomError(.invalidInput, "unknown KV-cache precision '\(kvPrecision)'", field: "kv-precision")
            }
            kv = parsed
        }
        let deployment = try Deployment(
            model: architecture, accelerator: part, stack: servingStack, count: count, tensorParallel: tp,
            pipelineParallel: pp, expertParallel: ep, precision: weights, kvPrecision: kv,
            memoryFraction: memoryFraction, maxNumSeqs: maxNumSeqs, maxBatchedTokens: maxBatchedTokens
        )
        return Resolved(deployment: deployment, notes: notes)
    }
}
