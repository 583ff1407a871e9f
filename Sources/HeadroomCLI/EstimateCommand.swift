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
        do {
            try inputs.validate()
        } catch {
            throw ValidationError(error.message(naming: flagName))
        }
    }

    /// The flags as the shared estimate inputs.
    var inputs: EstimateInputs {
        EstimateInputs(
            inputTokens: inputTokens, outputTokens: outputTokens, concurrency: concurrency, rate: rate,
            offline: offline, requests: requests, seed: seed, analytic: analytic, sloTTFTMilliseconds: sloTTFT,
            sloTPOTMilliseconds: sloTPOT, maxRate: maxRate)
    }

    func run() throws {
        try reportingErrors {
            let catalog = try catalogOptions.load()
            let (estimate, deployment) = try inputs.estimate(deploymentOptions.selection, in: catalog)
            let document = EstimateDocument(estimate, deployment: deployment, includeExplanation: explain)
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
    @Flag(
        name: .customLong("attention-dp"),
        help:
            "Data-parallel attention across the tensor-parallel ranks (SGLang --enable-dp-attention, TensorRT-LLM enable_attention_dp); mixture-of-experts models."
    )
    var attentionDP = false
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

    /// The flags as the shared deployment selection.
    var selection: DeploymentSelection {
        DeploymentSelection(
            model: model, accelerator: accelerator, count: count, tp: tp, pp: pp, ep: ep, precision: precision,
            kvPrecision: kvPrecision, stack: stack, memoryFraction: memoryFraction, maxNumSeqs: maxNumSeqs,
            maxBatchedTokens: maxBatchedTokens, deployment: deployment, attentionDP: attentionDP ? true : nil)
    }

    /// Parses `--deployment key=value,…` over the workload file's deployment section.
    static func parse(
        _ text: String, over base: WorkloadSpec.DeploymentSpec?
    ) throws(HeadroomError) -> WorkloadSpec.DeploymentSpec {
        try DeploymentSelection.parse(text, over: base)
    }

    typealias Resolved = ResolvedDeployment

    /// Resolves the flags, each falling back to `file`'s deployment section and `fileModel` where not given.
    func resolve(
        in catalog: Catalog, file: WorkloadSpec.DeploymentSpec? = nil, fileModel: String? = nil
    ) throws -> Resolved {
        try selection.resolve(in: catalog, file: file, fileModel: fileModel)
    }
}
