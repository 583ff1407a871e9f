package import HeadroomCatalog
package import HeadroomCore

/// ``Operations/estimate(_:env:)``: the flags of `headroom estimate`, the body of `POST /v1/estimate`.
package struct EstimateBody: StrictBody {
    package var model: String
    package var accelerator: String
    package var count: Int
    package var tp: Int?
    package var pp: Int?
    package var ep: Int?
    package var precision: String?
    package var kvPrecision: String?
    package var stack: String?
    package var gpuMemoryUtilization: Double?
    package var maxNumSeqs: Int?
    package var maxBatchedTokens: Int?
    package var deployment: String?
    package var inputTokens: Int
    package var outputTokens: Int
    package var concurrency: Int?
    package var rate: Double?
    package var offline: Bool?
    package var requests: Int?
    package var seed: UInt64?
    package var analytic: Bool?
    package var sloTtftMs: Double?
    package var sloTpotMs: Double?
    package var maxRate: Bool?
    package var explain: Bool?

    enum CodingKeys: String, CodingKey {
        case model, accelerator, count, tp, pp, ep, precision, stack, deployment, concurrency, rate, offline, requests
        case seed, analytic, explain
        case kvPrecision = "kv_precision", gpuMemoryUtilization = "gpu_memory_utilization"
        case maxNumSeqs = "max_num_seqs", maxBatchedTokens = "max_batched_tokens", inputTokens = "input_tokens"
        case outputTokens = "output_tokens", sloTtftMs = "slo_ttft_ms", sloTpotMs = "slo_tpot_ms"
        case maxRate = "max_rate"
    }

    package static let properties: KeyValuePairs<String, String> = [
        "model": "string", "accelerator": "string", "count": "integer", "tp": "integer", "pp": "integer",
        "ep": "integer", "precision": "string", "kv_precision": "string", "stack": "string",
        "gpu_memory_utilization": "number", "max_num_seqs": "integer", "max_batched_tokens": "integer",
        "deployment": "string", "input_tokens": "integer", "output_tokens": "integer", "concurrency": "integer",
        "rate": "number", "offline": "boolean", "requests": "integer", "seed": "integer", "analytic": "boolean",
        "slo_ttft_ms": "number", "slo_tpot_ms": "number", "max_rate": "boolean", "explain": "boolean",
    ]
    package static let required = ["model", "accelerator", "count", "input_tokens", "output_tokens"]
    package static let bounds: [String: ClosedRange<Double>] = Limits.deployment.merging(Limits.load) { a, _ in a }

    package var selection: DeploymentSelection {
        DeploymentSelection(
            model: model, accelerator: accelerator, count: count, tp: tp, pp: pp, ep: ep, precision: precision,
            kvPrecision: kvPrecision, stack: stack, memoryFraction: gpuMemoryUtilization, maxNumSeqs: maxNumSeqs,
            maxBatchedTokens: maxBatchedTokens, deployment: deployment, allowsFiles: false)
    }

    package var inputs: EstimateInputs {
        EstimateInputs(
            inputTokens: inputTokens, outputTokens: outputTokens, concurrency: concurrency, rate: rate,
            offline: offline ?? false, requests: requests, seed: seed ?? 1, analytic: analytic ?? false,
            sloTTFTMilliseconds: sloTtftMs, sloTPOTMilliseconds: sloTpotMs, maxRate: maxRate ?? false)
    }
}

/// `POST /v1/simulate`: the flags of `headroom simulate`, with the workload file inline (`workload`) or stored
/// (`workload_name`).
package struct SimulateBody: StrictBody {
    package var workload: JSONValue?
    package var workloadName: String?
    package var model: String?
    package var accelerator: String?
    package var count: Int?
    package var tp: Int?
    package var pp: Int?
    package var ep: Int?
    package var precision: String?
    package var kvPrecision: String?
    package var stack: String?
    package var gpuMemoryUtilization: Double?
    package var maxNumSeqs: Int?
    package var maxBatchedTokens: Int?
    package var deployment: String?
    package var inputTokens: Int?
    package var outputTokens: Int?
    package var inputDist: String?
    package var outputDist: String?
    package var preset: String?
    package var rate: Double?
    package var arrival: String?
    package var burstiness: Double?
    package var concurrency: Int?
    package var requests: Int?
    package var seed: UInt64?
    package var router: String?
    package var disaggregate: String?
    package var noPrefixCaching: Bool?
    package var warmup: Double?
    package var sloTtftMs: Double?
    package var sloTpotMs: Double?
    package var sloE2eMs: Double?
    package var timing: Bool?

    enum CodingKeys: String, CodingKey {
        case workload, model, accelerator, count, tp, pp, ep, precision, stack, deployment, preset, rate, arrival
        case burstiness, concurrency, requests, seed, router, disaggregate, warmup, timing
        case workloadName = "workload_name", kvPrecision = "kv_precision"
        case gpuMemoryUtilization = "gpu_memory_utilization", maxNumSeqs = "max_num_seqs"
        case maxBatchedTokens = "max_batched_tokens", inputTokens = "input_tokens", outputTokens = "output_tokens"
        case inputDist = "input_dist", outputDist = "output_dist", noPrefixCaching = "no_prefix_caching"
        case sloTtftMs = "slo_ttft_ms", sloTpotMs = "slo_tpot_ms", sloE2eMs = "slo_e2e_ms"
    }

    package static let properties: KeyValuePairs<String, String> = [
        "workload": "object", "workload_name": "string", "model": "string", "accelerator": "string",
        "count": "integer", "tp": "integer", "pp": "integer", "ep": "integer", "precision": "string",
        "kv_precision": "string", "stack": "string", "gpu_memory_utilization": "number", "max_num_seqs": "integer",
        "max_batched_tokens": "integer", "deployment": "string", "input_tokens": "integer",
        "output_tokens": "integer", "input_dist": "string", "output_dist": "string", "preset": "string",
        "rate": "number", "arrival": "string", "burstiness": "number", "concurrency": "integer",
        "requests": "integer", "seed": "integer", "router": "string", "disaggregate": "string",
        "no_prefix_caching": "boolean", "warmup": "number", "slo_ttft_ms": "number", "slo_tpot_ms": "number",
        "slo_e2e_ms": "number", "timing": "boolean",
    ]
    package static let required: [String] = []
    package static let bounds: [String: ClosedRange<Double>] = Limits.deployment.merging(Limits.load) { a, _ in a }

    package var selection: DeploymentSelection {
        DeploymentSelection(
            model: model, accelerator: accelerator, count: count, tp: tp, pp: pp, ep: ep, precision: precision,
            kvPrecision: kvPrecision, stack: stack, memoryFraction: gpuMemoryUtilization, maxNumSeqs: maxNumSeqs,
            maxBatchedTokens: maxBatchedTokens, deployment: deployment, allowsFiles: false)
    }

    package var inputs: SimulationInputs {
        var inputs = SimulationInputs()
        inputs.inputTokens = inputTokens
        inputs.outputTokens = outputTokens
        inputs.inputDist = inputDist ?? "fixed"
        inputs.outputDist = outputDist ?? "fixed"
        inputs.preset = preset
        inputs.rate = rate
        inputs.arrival = arrival
        inputs.burstiness = burstiness
        inputs.concurrency = concurrency
        inputs.requests = requests
        inputs.seed = seed ?? 1
        inputs.router = router
        inputs.disaggregate = disaggregate
        inputs.noPrefixCaching = noPrefixCaching ?? false
        inputs.warmup = warmup ?? 0.05
        inputs.sloTTFT = sloTtftMs
        inputs.sloTPOT = sloTpotMs
        inputs.sloE2E = sloE2eMs
        return inputs
    }
}

/// `POST /v1/plan` and `POST /v1/plans`: a workload (inline or stored) and the flags of `headroom plan`.
package struct PlanBody: StrictBody {
    package var name: String?
    package var confidential: Bool?
    package var workload: JSONValue?
    package var workloadName: String?
    package var top: Int?
    package var requests: Int?
    package var seed: UInt64?
    package var explain: Bool?
    package var withCost: Bool?
    package var priceBook: String?

    enum CodingKeys: String, CodingKey {
        case name, confidential, workload, top, requests, seed, explain
        case workloadName = "workload_name", withCost = "with_cost", priceBook = "price_book"
    }

    package static let properties: KeyValuePairs<String, String> = [
        "name": "string", "confidential": "boolean", "workload": "object", "workload_name": "string",
        "top": "integer", "requests": "integer", "seed": "integer", "explain": "boolean", "with_cost": "boolean",
        "price_book": "string",
    ]
    package static let required: [String] = []
    package static let bounds: [String: ClosedRange<Double>] = [
        "top": 1...1000, "requests": 1...Double(InputLimits.planSimulatedRequests), "seed": Limits.load["seed"]!,
    ]
    package static let constraints = ["name": namePattern]

    /// The field that asks to save the plan (`POST /v1/plans`) rather than only compute it, if one is given.
    package var savingField: String? { name != nil ? "name" : confidential != nil ? "confidential" : nil }
}

/// `POST /v1/cost`: a workload and the flags of `headroom cost`.
package struct CostBody: StrictBody {
    package var workload: JSONValue?
    package var workloadName: String?
    package var horizon: String?
    package var tcoYears: Double?
    package var spotMaxShare: Double?
    package var violationPenalty: Double?
    package var requests: Int?
    package var seed: UInt64?
    package var priceBook: String?

    enum CodingKeys: String, CodingKey {
        case workload, horizon, requests, seed
        case workloadName = "workload_name", tcoYears = "tco_years", spotMaxShare = "spot_max_share"
        case violationPenalty = "violation_penalty", priceBook = "price_book"
    }

    package static let properties: KeyValuePairs<String, String> = [
        "workload": "object", "workload_name": "string", "horizon": "string", "tco_years": "number",
        "spot_max_share": "number", "violation_penalty": "number", "requests": "integer", "seed": "integer",
        "price_book": "string",
    ]
    package static let required: [String] = []
    package static let bounds: [String: ClosedRange<Double>] = [
        "tco_years": 0...100, "spot_max_share": 0...1, "violation_penalty": 0...1e6,
        "requests": 1...Double(InputLimits.planSimulatedRequests), "seed": Limits.load["seed"]!,
    ]
}

/// A count that takes a number or text with a suffix (`15.6T`, `405B`), as the CLI's flags do.
package struct FlexibleNumber: Decodable, Sendable {
    package var text: String

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Double.self) {
            text = String(value)
        } else {
            text = try container.decode(String.self)
        }
    }
}

/// `POST /v1/train`: the flags of `headroom train`.
package struct TrainBody: StrictBody {
    package var model: String?
    package var params: FlexibleNumber?
    package var activeParams: FlexibleNumber?
    package var tokens: FlexibleNumber?
    package var accelerator: String?
    package var count: Int?
    package var mfu: Double?
    package var precision: String?
    package var seqLen: Int?
    package var globalBatchTokens: FlexibleNumber?
    package var tp: Int?
    package var pp: Int?
    package var cp: Int?
    package var ep: Int?
    package var zero: String?
    package var checkpointing: String?
    package var microBatch: Int?
    package var interleave: Int?
    package var failuresPer1000NodeDays: Double?
    package var plannedPerDay: Double?
    package var restartMinutes: Double?
    package var asyncCheckpoints: Bool?
    package var storageTbPerS: Double?
    package var checkpointIntervalMinutes: Double?
    package var checkpointsRetained: Int?
    package var law: String?
    package var servingTokens: FlexibleNumber?
    package var costPerMillionTokens: Double?
    package var deadlineDays: Double?
    package var priceBook: String?
    package var spotPreemptionsPer1000NodeDays: Double?
    package var pue: Double?
    package var rackKw: Double?
    package var serversPerRack: Int?
    package var electricityPerKwh: Double?

    enum CodingKeys: String, CodingKey {
        case model, params, tokens, accelerator, count, mfu, precision, tp, pp, cp, ep, zero, checkpointing
        case interleave, law, pue
        case activeParams = "active_params", seqLen = "seq_len", globalBatchTokens = "global_batch_tokens"
        case microBatch = "micro_batch", failuresPer1000NodeDays = "failures_per_1000_node_days"
        case plannedPerDay = "planned_per_day", restartMinutes = "restart_minutes"
        case asyncCheckpoints = "async_checkpoints", storageTbPerS = "storage_tb_per_s"
        case checkpointIntervalMinutes = "checkpoint_interval_minutes"
        case checkpointsRetained = "checkpoints_retained", servingTokens = "serving_tokens"
        case costPerMillionTokens = "cost_per_million_tokens", deadlineDays = "deadline_days"
        case priceBook = "price_book", spotPreemptionsPer1000NodeDays = "spot_preemptions_per_1000_node_days"
        case rackKw = "rack_kw", serversPerRack = "servers_per_rack", electricityPerKwh = "electricity_per_kwh"
    }

    package static let properties: KeyValuePairs<String, String> = [
        "model": "string", "params": "number|string", "active_params": "number|string",
        "tokens": "number|string", "accelerator": "string", "count": "integer", "mfu": "number",
        "precision": "string", "seq_len": "integer", "global_batch_tokens": "number|string", "tp": "integer",
        "pp": "integer", "cp": "integer", "ep": "integer", "zero": "string", "checkpointing": "string",
        "micro_batch": "integer", "interleave": "integer", "failures_per_1000_node_days": "number",
        "planned_per_day": "number", "restart_minutes": "number", "async_checkpoints": "boolean",
        "storage_tb_per_s": "number", "checkpoint_interval_minutes": "number", "checkpoints_retained": "integer",
        "law": "string", "serving_tokens": "number|string", "cost_per_million_tokens": "number",
        "deadline_days": "number", "price_book": "string", "spot_preemptions_per_1000_node_days": "number",
        "pue": "number", "rack_kw": "number", "servers_per_rack": "integer", "electricity_per_kwh": "number",
    ]
    package static let required: [String] = []
    package static let bounds: [String: ClosedRange<Double>] = [
        "params": InputLimits.trainingParams, "active_params": InputLimits.trainingParams,
        "tokens": InputLimits.trainingTokens, "count": 1...Double(InputLimits.trainingAccelerators), "mfu": 0...1,
        "seq_len": 1...100_000_000, "global_batch_tokens": InputLimits.globalBatchTokens, "tp": 1...65_536,
        "pp": 1...65_536,
        "cp": 1...65_536, "ep": 1...65_536, "micro_batch": 1...1_000_000, "interleave": 1...1024,
        "failures_per_1000_node_days": 0...1e6, "planned_per_day": 0...1e6, "restart_minutes": 0...1e6,
        "storage_tb_per_s": 0...1e6, "checkpoint_interval_minutes": 0...1e7, "checkpoints_retained": 0...1_000_000,
        "serving_tokens": InputLimits.servingTokens, "cost_per_million_tokens": 0...1e9, "deadline_days": 0...1e6,
        "spot_preemptions_per_1000_node_days": 0...1e6, "pue": 0...100, "rack_kw": 0...1e6,
        "servers_per_rack": 1...100_000, "electricity_per_kwh": 0...1e6,
    ]

    package var inputs: TrainingInputs {
        var inputs = TrainingInputs()
        inputs.model = model
        inputs.params = params?.text
        inputs.activeParams = activeParams?.text
        inputs.tokens = tokens?.text
        inputs.accelerator = accelerator
        inputs.count = count
        inputs.mfu = mfu
        inputs.precision = precision
        inputs.sequenceLength = seqLen
        inputs.globalBatchTokens = globalBatchTokens?.text
        inputs.tp = tp
        inputs.pp = pp
        inputs.cp = cp
        inputs.ep = ep
        inputs.zero = zero
        inputs.checkpointing = checkpointing
        inputs.microBatch = microBatch
        inputs.interleave = interleave
        inputs.failureRate = failuresPer1000NodeDays
        inputs.plannedPerDay = plannedPerDay
        inputs.restartMinutes = restartMinutes
        inputs.asyncCheckpoints = asyncCheckpoints ?? false
        inputs.storageTBps = storageTbPerS
        inputs.checkpointIntervalMinutes = checkpointIntervalMinutes
        inputs.checkpointsRetained = checkpointsRetained
        inputs.law = law
        inputs.servingTokens = servingTokens?.text
        inputs.costPerMillionTokens = costPerMillionTokens
        inputs.deadlineDays = deadlineDays
        inputs.spotRate = spotPreemptionsPer1000NodeDays
        inputs.pue = pue
        inputs.rackKw = rackKw
        inputs.serversPerRack = serversPerRack
        inputs.electricityPerKwh = electricityPerKwh
        inputs.allowsFiles = false
        return inputs
    }
}

/// The ranges of the compute bodies' numeric fields: wide enough for any real deployment, narrow enough that no
/// request overflows an integer, asks for an unbounded simulation or feeds infinities to the JSON encoder.
package enum Limits {
    /// The largest whole number JSON carries exactly (2^53 - 1).
    package static let exactInteger = 9_007_199_254_740_991.0

    /// What a deployment is made of.
    package static let deployment: [String: ClosedRange<Double>] = [
        "count": 1...1_000_000, "tp": 1...65_536, "pp": 1...65_536, "ep": 1...65_536,
        "gpu_memory_utilization": 0...1, "max_num_seqs": 1...10_000_000, "max_batched_tokens": 1...1_000_000_000,
    ]

    /// The load and how long it is simulated.
    package static let load: [String: ClosedRange<Double>] = [
        "input_tokens": 1...100_000_000, "output_tokens": 1...100_000_000, "concurrency": 1...10_000_000,
        "rate": InputLimits.requestRate, "requests": 1...Double(InputLimits.simulatedRequests),
        "seed": 0...exactInteger, "burstiness": InputLimits.burstiness,
        "warmup": 0...1, "slo_ttft_ms": 0...1e9, "slo_tpot_ms": 0...1e9, "slo_e2e_ms": 0...1e9,
    ]
}
