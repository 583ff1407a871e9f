import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomReport

/// `headroom train`: FLOPs, scaling laws, memory and layout, time, reliability and a procurement spec for a training
/// run, from flags or a YAML spec (flags override the spec).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Plan a training run: FLOPs, parallelism and memory, days and accelerator-hours, failures, cost.",
        discussion: """
            headroom train --model llama-3.1-405b --tokens 15.6e12 --accelerator h100-sxm --count 16384 --mfu 0.4
            headroom train examples/train-llama405b.yaml --format html --output plan.html
            Numbers take suffixes: 15.6T, 405B, 16M.
            """
    )

    @Argument(help: "A training spec (YAML; see examples/train-llama405b.yaml).") var spec: String?
    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Catalog id or alias, or a path to a Hugging Face config.json.") var model: String?
    @Option(help: "Total parameters, instead of --model (405B, 7e9).") var params: String?
    @Option(help: "Parameters per token for MoE (default: --params).") var activeParams: String?
    @Option(help: "Training tokens (15.6e12, 15.6T).") var tokens: String?
    @Option(help: "Accelerator id (h100-sxm, b200, mi300x, …).") var accelerator: String?
    @Option(help: "Accelerators in the cluster.") var count: Int?
    @Option(help: "Model FLOPs utilisation to plan at, 0–1 (default: predicted from the plan).") var mfu: Double?
    @Option(help: "bf16 or fp8.") var precision: String?
    @Option(name: .customLong("seq-len"), help: "Tokens per sequence (default 8192).") var sequenceLength: Int?
    @Option(help: "Tokens per optimizer step (default 16M).") var globalBatchTokens: String?
    @Option(help: "Tensor-parallel degree (default: searched).") var tp: Int?
    @Option(help: "Pipeline-parallel degree (default: searched).") var pp: Int?
    @Option(help: "Context-parallel degree (default: searched).") var cp: Int?
    @Option(help: "Expert-parallel degree (default: searched).") var ep: Int?
    @Option(help: "ZeRO stage 0–3 or fsdp (default: searched).") var zero: String?
    @Option(help: "Activation recomputation: none, selective or full (default: searched).") var checkpointing: String?
    @Option(help: "Sequences per micro-batch (default 1).") var microBatch: Int?
    @Option(help: "Virtual pipeline stages per rank, interleaved 1F1B (default: searched).") var interleave: Int?
    @Option(
        name: .customLong("failures-per-1000-node-days"), help: "Unexpected interruptions (default: Llama 3's 3.79).")
    var failureRate: Double?
    @Option(help: "Planned interruptions per day (default: Llama 3's 0.87).") var plannedPerDay: Double?
    @Option(help: "Minutes from an interruption to training again (default 10, an assumption).") var restartMinutes:
        Double?
    @Flag(help: "Asynchronous checkpoints (training pauses only for the host snapshot).") var asyncCheckpoints = false
    @Option(name: .customLong("storage-tb-per-s"), help: "Checkpoint write bandwidth, TB/s (default 2).")
    var storageTBps: Double?
    @Option(help: "Fixed checkpoint interval instead of the optimal one.") var checkpointIntervalMinutes: Double?
    @Option(help: "Checkpoints kept on storage (default 2).") var checkpointsRetained: Int?
    @Option(help: "Scaling law: epoch (default) or chinchilla.") var law: String?
    @Option(help: "Tokens the model will serve over its life, for the over-training trade-off.") var servingTokens:
        String?
    @Option(help: "Serving cost per 1M tokens of this model.") var costPerMillionTokens: Double?
    @Option(help: "A `headroom plan --format json` file to take cost_per_million_output_tokens from.") var planJson:
        String?
    @Option(help: "Finish within this many days: report the accelerators needed.") var deadlineDays: Double?
    @Option(help: "A price book file (YAML or CSV) replacing the bundled one.") var priceBook: String?
    @Option(name: .customLong("spot-preemptions-per-1000-node-days"), help: "Spot preemption rate, for its rework.")
    var spotRate: Double?
    @Option(help: "Power usage effectiveness (default: the price book's).") var pue: Double?
    @Option(help: "Rack power budget, kW (default: 2 servers per rack).") var rackKw: Double?
    @Option(help: "Servers per rack when no --rack-kw is given.") var serversPerRack: Int?
    @Option(
        name: .customLong("accelerator-power-w"),
        help: "Watts per accelerator in place of the catalog's TDP (needed where none is published: TPUs).")
    var acceleratorPowerW: Double?
    @Option(help: "Electricity price per kWh (default: the price book's US industrial average).") var electricityPerKwh:
        Double?
    @Option(help: "table, json, markdown or html.") var format: Format = .table
    @Option(help: "Write the report here instead of standard output.") var output: String?

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, markdown, html
    }

    func run() throws {
        try reportingErrors {
            let catalog = try catalogOptions.load()
            let file = try spec.map { try TrainingSpecLoader.load(url: URL(fileURLWithPath: $0)) } ?? TrainingSpec()
            let request = try makeRequest(file, catalog: catalog)
            let plan = try TrainingPlanner().plan(request)
            let domain = request.accelerator.scaleUp?.domainSize ?? request.accelerator.nodeSize ?? 1
            let text: String
            switch format {
            case .table: text = TrainingReport.table(plan, domain: domain)
            case .json: text = try TrainingReport.json(plan, domain: domain)
            case .markdown: text = TrainingReport.markdown(plan, domain: domain)
            case .html: text = TrainingHTML.render(plan, domain: domain)
            }
            if let output {
                do {
                    try text.write(toFile: output, atomically: true, encoding: .utf8)
                } catch {
                    throw HeadroomError(.invalidFile, "cannot write: \(error.localizedDescription)", file: output)
                }
                emit("wrote \(output)")
            } else {
                emit(text)
            }
        }
    }

    /// The flags as the shared training inputs.
    var inputs: TrainingInputs {
        var inputs = TrainingInputs()
        inputs.model = model
        inputs.params = params
        inputs.activeParams = activeParams
        inputs.tokens = tokens
        inputs.accelerator = accelerator
        inputs.count = count
        inputs.mfu = mfu
        inputs.precision = precision
        inputs.sequenceLength = sequenceLength
        inputs.globalBatchTokens = globalBatchTokens
        inputs.tp = tp
        inputs.pp = pp
        inputs.cp = cp
        inputs.ep = ep
        inputs.zero = zero
        inputs.checkpointing = checkpointing
        inputs.microBatch = microBatch
        inputs.interleave = interleave
        inputs.failureRate = failureRate
        inputs.plannedPerDay = plannedPerDay
        inputs.restartMinutes = restartMinutes
        inputs.storageTBps = storageTBps
        inputs.checkpointIntervalMinutes = checkpointIntervalMinutes
        inputs.checkpointsRetained = checkpointsRetained
        inputs.law = law
        inputs.servingTokens = servingTokens
        inputs.costPerMillionTokens = costPerMillionTokens
        inputs.deadlineDays = deadlineDays
        inputs.spotRate = spotRate
        inputs.pue = pue
        inputs.rackKw = rackKw
        inputs.acceleratorPowerW = acceleratorPowerW
        inputs.serversPerRack = serversPerRack
        inputs.electricityPerKwh = electricityPerKwh
        inputs.asyncCheckpoints = asyncCheckpoints
        return inputs
    }

    func makeRequest(_ s: TrainingSpec, catalog: Catalog) throws -> TrainingRequest {
        var notes: [String] = []
        var inputs = inputs
        if inputs.costPerMillionTokens == nil, s.costPerMillionTokens == nil, let path = planJson {
            inputs.costPerMillionTokens = try Self.costPerMillion(fromPlan: path)
            notes.append("serving cost per 1M tokens from \(path)")
        }
        let book =
            try priceBook.map { try PriceBookLoader.load(url: URL(fileURLWithPath: $0)).first }
            ?? (s.priceBook.map { try PriceBookLoader.load(url: URL(fileURLWithPath: $0)).first }
                ?? PriceBookLoader.bundled().first)
        return try inputs.request(s, catalog: catalog, book: book, notes: notes)
    }

    /// `cost_per_million_output_tokens` of the recommendation in a `headroom plan --format json` file.
    static func costPerMillion(fromPlan path: String) throws -> Double {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw HeadroomError(.invalidFile, "cannot read: \(error.localizedDescription)", file: path)
        }
        func find(_ value: Any) -> Double? {
            if let object = value as? [String: Any] {
                if let cost = object["cost_per_million_output_tokens"] as? Double { return cost }
                for key in ["candidates", "chosen", "recommendation"] {
                    if let inner = object[key], let cost = find(inner) { return cost }
                }
            } else if let array = value as? [Any], let first = array.first {
                return find(first)
            }
            return nil
        }
        guard let json = try? JSONSerialization.jsonObject(with: data), let cost = find(json) else {
            throw HeadroomError(.invalidFile, "no cost_per_million_output_tokens in the plan", file: path)
        }
        return cost
    }
}
