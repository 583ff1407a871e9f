import Foundation
public import HeadroomCore

/// What `headroom train` and `POST /v1/train` ask for; each input falls back to a training spec file's field.
/// Number inputs are text and take suffixes (15.6T, 405B).
public struct TrainingInputs: Sendable, Hashable {
    public var model: String?
    public var params: String?
    public var activeParams: String?
    public var tokens: String?
    public var accelerator: String?
    public var count: Int?
    public var mfu: Double?
    public var precision: String?
    public var sequenceLength: Int?
    public var globalBatchTokens: String?
    public var tp: Int?
    public var pp: Int?
    public var cp: Int?
    public var ep: Int?
    public var zero: String?
    public var checkpointing: String?
    public var microBatch: Int?
    public var interleave: Int?
    public var failureRate: Double?
    public var plannedPerDay: Double?
    public var restartMinutes: Double?
    public var storageTBps: Double?
    public var checkpointIntervalMinutes: Double?
    public var checkpointsRetained: Int?
    public var law: String?
    public var servingTokens: String?
    public var costPerMillionTokens: Double?
    public var deadlineDays: Double?
    public var spotRate: Double?
    public var pue: Double?
    public var rackKw: Double?
    /// Watts per accelerator in place of the catalog's TDP.
    public var acceleratorPowerW: Double?
    public var serversPerRack: Int?
    public var electricityPerKwh: Double?
    public var asyncCheckpoints: Bool = false
    /// Whether `model` may name a Hugging Face `config.json` on this machine (the CLI: yes; the server: no).
    public var allowsFiles: Bool = true

    public init() {}

    func number(_ text: String?, _ name: String) throws(HeadroomError) -> Double? {
        guard let text else { return nil }
        guard let value = TrainingSpecLoader.number(text), value > 0 else {
            throw HeadroomError(
                .invalidInput,
                "\(HeadroomError.mention(name)) must be a positive number (15.6e12, 15.6T), got '\(text)'", field: name)
        }
        return value
    }

    /// The training request: these inputs over the spec `s`, resolved against `catalog`.
    /// - Parameters:
    ///   - s: a training spec file's contents (empty when none).
    ///   - catalog: models and accelerators.
    ///   - book: the price book for cost and power figures.
    ///   - notes: notes to carry into the plan (where a figure came from).
    /// - Throws: ``HeadroomError`` naming the missing or malformed input.
    public func request(
        _ s: TrainingSpec, catalog: Catalog, book: PriceBook?, notes: [String] = []
    ) throws -> TrainingRequest {
        var notes = notes
        let modelKey = model ?? (params == nil ? s.model : nil)
        let trainingModel: TrainingModel
        if let key = modelKey {
            if allowsFiles && (key.hasSuffix(".json") || FileManager.default.fileExists(atPath: key)) {
                trainingModel = TrainingModel(
                    architecture: try HuggingFaceImporter.importConfig(at: URL(fileURLWithPath: key)))
                notes.append("model imported from \(key)")
            } else {
                trainingModel = TrainingModel(architecture: try catalog.model(key))
            }
        } else if let total = try number(params, "params") ?? s.params {
            trainingModel = TrainingModel(
                params: total, activeParams: try number(activeParams, "active_params") ?? s.activeParams)
        } else {
            throw HeadroomError(.invalidInput, "give `model` <id> or `params` <n>", field: "model")
        }
        guard let tokenCount = try number(tokens, "tokens") ?? s.tokens else {
            throw HeadroomError(.invalidInput, "`tokens` is required", field: "tokens")
        }
        guard let acceleratorKey = accelerator ?? s.accelerator else {
            throw HeadroomError(.invalidInput, "`accelerator` is required", field: "accelerator")
        }
        let part = try catalog.accelerator(acceleratorKey)
        guard let accelerators = count ?? s.count else {
            throw HeadroomError(.invalidInput, "`count` is required", field: "count")
        }
        let precisionText = precision ?? s.precision ?? "bf16"
        guard let trainingPrecision = Precision(userInput: precisionText), [.bf16, .fp8].contains(trainingPrecision)
        else {
            throw HeadroomError(
                .invalidInput, "`precision` must be bf16 or fp8, got '\(precisionText)'", field: "precision")
        }
        var overrides = TrainingRequest.PlanOverrides(
            tensor: tp ?? s.tp, pipeline: pp ?? s.pp, context: cp ?? s.cp, expert: ep ?? s.ep,
            microBatch: microBatch ?? s.microBatch, interleave: interleave ?? s.interleave)
        if let text = zero ?? s.zero {
            guard let stage = ParallelismPlan.ZeROStage(userInput: text) else {
                throw HeadroomError(.invalidInput, "`zero` must be 0, 1, 2, 3 or fsdp, got '\(text)'", field: "zero")
            }
            overrides.zero = stage
        }
        if let text = checkpointing ?? s.checkpointing {
            guard let mode = ParallelismPlan.Checkpointing(rawValue: text) else {
                throw HeadroomError(
                    .invalidInput, "`checkpointing` must be none, selective or full, got '\(text)'",
                    field: "checkpointing")
            }
            overrides.checkpointing = mode
        }
        var failures = FailureModel.llama3
        if let rate = failureRate ?? s.failuresPerThousandNodeDays {
            failures = FailureModel(
                perThousandNodeDays: rate, nodeSize: part.nodeSize ?? 8, plannedPerDay: failures.plannedPerDay,
                provenance: Provenance(source: "given (failures per 1,000 node-days)", asOf: "given"))
        }
        if let planned = plannedPerDay ?? s.plannedPerDay { failures.plannedPerDay = planned }
        let lawName = law ?? s.law ?? "epoch"
        guard let scalingLaw = ScalingLaw.named(lawName) else {
            throw HeadroomError(.invalidInput, "`law` must be epoch or chinchilla, got '\(lawName)'", field: "law")
        }
        let perMillion = costPerMillionTokens ?? s.costPerMillionTokens
        return TrainingRequest(
            model: trainingModel, tokens: tokenCount, accelerator: part, count: accelerators,
            precision: trainingPrecision,
            mfu: mfu ?? s.mfu,
            sequenceLength: sequenceLength ?? s.sequenceLength ?? TrainingRequest.defaultSequenceLength,
            globalBatchTokens: try number(globalBatchTokens, "global_batch_tokens") ?? s.globalBatchTokens
                ?? TrainingRequest.defaultGlobalBatchTokens,
            overrides: overrides, failures: failures,
            storageWriteBandwidth: (storageTBps ?? s.storageTBps).map { $0 * 1e12 }
                ?? TrainingRequest.defaultStorageWriteBandwidth,
            asynchronousCheckpoints: asyncCheckpoints || (s.asyncCheckpoints ?? false),
            restartSeconds: (restartMinutes ?? s.restartMinutes).map { $0 * 60 }
                ?? TrainingRequest.defaultRestartSeconds,
            checkpointIntervalSeconds: (checkpointIntervalMinutes ?? s.checkpointIntervalMinutes).map { $0 * 60 },
            checkpointsRetained: checkpointsRetained ?? s.checkpointsRetained
                ?? TrainingRequest.defaultCheckpointsRetained,
            law: scalingLaw, servingTokens: try number(servingTokens, "serving_tokens") ?? s.servingTokens,
            costPerMillionTokens: perMillion, deadlineDays: deadlineDays ?? s.deadlineDays, priceBook: book,
            facility: facility(book, part: part, spec: s),
            spotPreemptionsPerThousandNodeDays: spotRate ?? s.spotPreemptionsPerThousandNodeDays,
            calibration: ThroughputCalibrationLoader.calibration(catalog: catalog),
            notes: notes)
    }

    /// PUE, electricity, server and rack power from the flags, the spec, then the price book's power rows.
    func facility(_ book: PriceBook?, part: Accelerator, spec s: TrainingSpec) -> TrainingRequest.Facility {
        var f = TrainingRequest.defaultFacility
        let power = book?.power ?? []
        if let row = power.first(where: { $0.kind == .pue }) {
            f.pue = row.value
            f.pueSource = "\(row.name): \(row.provenance.source) (\(row.provenance.asOf))"
        } else {
            f.pueSource = "assumption: 1.58, the Uptime Institute 2023 survey average (no PUE row in the price book)"
        }
        if let value = pue ?? s.pue {
            f.pue = value
            f.pueSource = "given"
        }
        if let row = power.first(where: { $0.kind == .electricityPerKWh && $0.region == "US" }) {
            f.electricityPerKWh = row.value
            f.electricitySource = "\(row.name): \(row.provenance.source)"
        }
        if let value = electricityPerKwh ?? s.electricityPerKWh {
            f.electricityPerKWh = value
            f.electricitySource = "given"
        }
        if let row = power.first(where: { $0.kind == .systemPowerKW && $0.accelerator == part.id }) {
            f.systemPowerKW = row.value
            f.systemPowerSource =
                "\(row.name), \(row.value) kW per server: \(row.provenance.source), confidence \(row.confidence ?? "unstated")"
        }
        if let rows = Optional(power.filter { $0.kind == .rackPowerKW && $0.accelerator == part.id }),
            let row = rows.max(by: { $0.value < $1.value })
        {
            f.rackKW = row.value
            f.rackSource = "\(row.name): \(row.provenance.source) (the highest of \(rows.count) rows)"
        }
        if f.rackKW == nil, part.vendor == "google" {
            // Meta's GPU layout says nothing about a TPU pod: label the default for what it is.
            f.rackSource =
                "assumption: 2 hosts per rack, borrowed from Meta's Llama 3 GPU cluster (arXiv 2407.21783 §3.3.1); "
                + "Google publishes no TPU rack layout or power (give --rack-kw or --servers-per-rack)"
        }
        if let value = rackKw ?? s.rackKW {
            f.rackKW = value
            f.rackSource = "given"
        }
        if let value = serversPerRack ?? s.serversPerRack { f.serversPerRack = value }
        if let value = acceleratorPowerW { f.acceleratorPowerW = value }
        return f
    }
}
