public import Foundation
import HeadroomCore

/// A training spec file (YAML): the run `headroom train spec.yaml` plans. Every field is optional in the file;
/// command-line flags override the file. examples/train-llama405b.yaml shows them all.
public struct TrainingSpec: Sendable {
    public var file: String?
    public var model: String?
    public var params: Double?
    public var activeParams: Double?
    public var tokens: Double?
    public var accelerator: String?
    public var count: Int?
    public var mfu: Double?
    public var precision: String?
    public var sequenceLength: Int?
    public var globalBatchTokens: Double?
    public var tp: Int?
    public var pp: Int?
    public var cp: Int?
    public var ep: Int?
    public var zero: String?
    public var checkpointing: String?
    public var microBatch: Int?
    public var interleave: Int?
    public var failuresPerThousandNodeDays: Double?
    public var plannedPerDay: Double?
    public var restartMinutes: Double?
    public var asyncCheckpoints: Bool?
    public var storageTBps: Double?
    public var checkpointIntervalMinutes: Double?
    public var checkpointsRetained: Int?
    public var law: String?
    public var servingTokens: Double?
    public var costPerMillionTokens: Double?
    public var deadlineDays: Double?
    public var priceBook: String?
    public var spotPreemptionsPerThousandNodeDays: Double?
    public var pue: Double?
    public var rackKW: Double?
    public var serversPerRack: Int?
    public var electricityPerKWh: Double?

    public init() {}
}

/// A number written plainly (`15.6e12`) or with a suffix (`15.6T`, `405B`, `16M`, `2k`).
struct Quantity: Decodable {
    var value: Double

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number
            return
        }
        let text = try container.decode(String.self)
        guard let parsed = Self.parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a number (15.6e12, 15.6T, 405B, 16M)")
        }
        value = parsed
    }

    /// Parses `15.6e12`, `15.6T`, `405B`, `16M`, `2k` (case-insensitive, underscores and commas ignored).
    static func parse(_ text: String) -> Double? {
        var t = text.trimmingCharacters(in: .whitespaces).filter { $0 != "_" && $0 != "," }
        var scale = 1.0
        if let last = t.last?.lowercased() {
            let scales: [String: Double] = ["k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12, "p": 1e15]
            if let s = scales[last], t.count > 1, !(t.dropLast().last == "e") {
                scale = s
                t.removeLast()
            }
        }
        guard let value = Double(t), value.isFinite else { return nil }
        return value * scale
    }
}

struct TrainingSpecDocument: Decodable {
    struct Parallelism: Decodable {
        var tp: Int?
        var pp: Int?
        var cp: Int?
        var ep: Int?
        var zero: String?
        var checkpointing: String?
        var microBatch: Int?
        var interleave: Int?
        enum CodingKeys: String, CodingKey {
            case tp, pp, cp, ep, zero, checkpointing, interleave
            case microBatch = "micro_batch"
        }
    }

    struct Reliability: Decodable {
        var failuresPer1000NodeDays: Double?
        var plannedPerDay: Double?
        var restartMinutes: Double?
        var asyncCheckpoints: Bool?
        var storageTBPerS: Double?
        var checkpointIntervalMinutes: Double?
        var checkpointsRetained: Int?
        enum CodingKeys: String, CodingKey {
            case failuresPer1000NodeDays = "failures_per_1000_node_days"
            case plannedPerDay = "planned_per_day"
            case restartMinutes = "restart_minutes"
            case asyncCheckpoints = "async_checkpoints"
            case storageTBPerS = "storage_tb_per_s"
            case checkpointIntervalMinutes = "checkpoint_interval_minutes"
            case checkpointsRetained = "checkpoints_retained"
        }
    }

    struct Economics: Decodable {
        var law: String?
        var servingTokens: Quantity?
        var costPerMillionTokens: Double?
        var deadlineDays: Double?
        var priceBook: String?
        var spotPreemptionsPer1000NodeDays: Double?
        enum CodingKeys: String, CodingKey {
            case law
            case servingTokens = "serving_tokens"
            case costPerMillionTokens = "cost_per_million_tokens"
            case deadlineDays = "deadline_days"
            case priceBook = "price_book"
            case spotPreemptionsPer1000NodeDays = "spot_preemptions_per_1000_node_days"
        }
    }

    struct Facility: Decodable {
        var pue: Double?
        var rackKW: Double?
        var serversPerRack: Int?
        var electricityPerKWh: Double?
        enum CodingKeys: String, CodingKey {
            case pue
            case rackKW = "rack_kw"
            case serversPerRack = "servers_per_rack"
            case electricityPerKWh = "electricity_per_kwh"
        }
    }

    var model: String?
    var params: Quantity?
    var activeParams: Quantity?
    var tokens: Quantity?
    var accelerator: String?
    var count: Int?
    var mfu: Double?
    var precision: String?
    var sequenceLength: Int?
    var globalBatchTokens: Quantity?
    var parallelism: Parallelism?
    var reliability: Reliability?
    var economics: Economics?
    var facility: Facility?

    enum CodingKeys: String, CodingKey {
        case model, params, tokens, accelerator, count, mfu, precision, parallelism, reliability, economics, facility
        case activeParams = "active_params"
        case sequenceLength = "sequence_length"
        case globalBatchTokens = "global_batch_tokens"
    }
}

/// Reads training spec files.
public enum TrainingSpecLoader {
    /// Loads and checks a spec file.
    /// - Throws: ``HeadroomError`` naming the file, line and field.
    public static func load(url: URL) throws -> TrainingSpec {
        let text = try readText(url)
        return try decode(yaml: text, file: url.path)
    }

    public static func decode(yaml: String, file: String) throws -> TrainingSpec {
        let parsed = try YAMLDocument.decode(
            TrainingSpecDocument.self, yaml: yaml, file: file,
            empty: "a training run (model, tokens, accelerator, count)")
        let d = parsed.value
        func fail(_ path: [String], _ message: String) -> HeadroomError { parsed.error(at: path, message) }
        func positive(_ value: Double?, _ path: [String]) throws {
            if let value, !(value > 0 && value.isFinite) { throw fail(path, "must be positive, got \(value)") }
        }
        func atLeastOne(_ value: Int?, _ path: [String]) throws {
            if let value, value < 1 { throw fail(path, "must be at least 1, got \(value)") }
        }
        try positive(d.params?.value, ["params"])
        try positive(d.activeParams?.value, ["active_params"])
        try positive(d.tokens?.value, ["tokens"])
        try positive(d.globalBatchTokens?.value, ["global_batch_tokens"])
        try atLeastOne(d.count, ["count"])
        try atLeastOne(d.sequenceLength, ["sequence_length"])
        if let mfu = d.mfu, !(mfu > 0 && mfu <= 1) { throw fail(["mfu"], "must be in (0, 1], got \(mfu)") }
        if d.model != nil && d.params != nil { throw fail(["params"], "give model or params, not both") }
        if let p = d.parallelism {
            for (key, value) in [
                ("tp", p.tp), ("pp", p.pp), ("cp", p.cp), ("ep", p.ep), ("micro_batch", p.microBatch),
                ("interleave", p.interleave),
            ] {
                try atLeastOne(value, ["parallelism", key])
            }
            if let zero = p.zero, ParallelismPlan.ZeROStage(userInput: zero) == nil {
                throw fail(["parallelism", "zero"], "must be 0, 1, 2, 3 or fsdp, got '\(zero)'")
            }
            if let mode = p.checkpointing, ParallelismPlan.Checkpointing(rawValue: mode) == nil {
                throw fail(["parallelism", "checkpointing"], "must be none, selective or full, got '\(mode)'")
            }
        }
        if let r = d.reliability {
            try positive(r.failuresPer1000NodeDays, ["reliability", "failures_per_1000_node_days"])
            try positive(r.storageTBPerS, ["reliability", "storage_tb_per_s"])
            try positive(r.checkpointIntervalMinutes, ["reliability", "checkpoint_interval_minutes"])
            try atLeastOne(r.checkpointsRetained, ["reliability", "checkpoints_retained"])
            if let value = r.restartMinutes, !(value >= 0) {
                throw fail(["reliability", "restart_minutes"], "must be ≥ 0")
            }
            if let value = r.plannedPerDay, !(value >= 0) {
                throw fail(["reliability", "planned_per_day"], "must be ≥ 0")
            }
        }
        if let e = d.economics {
            if let law = e.law, ScalingLaw.named(law) == nil {
                throw fail(["economics", "law"], "must be epoch or chinchilla, got '\(law)'")
            }
            try positive(e.servingTokens?.value, ["economics", "serving_tokens"])
            try positive(e.costPerMillionTokens, ["economics", "cost_per_million_tokens"])
            try positive(e.deadlineDays, ["economics", "deadline_days"])
            if let v = e.spotPreemptionsPer1000NodeDays, !(v >= 0) {
                throw fail(["economics", "spot_preemptions_per_1000_node_days"], "must be ≥ 0")
            }
        }
        if let f = d.facility {
            if let pue = f.pue, !(pue >= 1) { throw fail(["facility", "pue"], "a PUE is at least 1, got \(pue)") }
            try positive(f.rackKW, ["facility", "rack_kw"])
            try positive(f.electricityPerKWh, ["facility", "electricity_per_kwh"])
            try atLeastOne(f.serversPerRack, ["facility", "servers_per_rack"])
        }
        var spec = TrainingSpec()
        spec.file = file
        spec.model = d.model
        spec.params = d.params?.value
        spec.activeParams = d.activeParams?.value
        spec.tokens = d.tokens?.value
        spec.accelerator = d.accelerator
        spec.count = d.count
        spec.mfu = d.mfu
        spec.precision = d.precision
        spec.sequenceLength = d.sequenceLength
        spec.globalBatchTokens = d.globalBatchTokens?.value
        spec.tp = d.parallelism?.tp
        spec.pp = d.parallelism?.pp
        spec.cp = d.parallelism?.cp
        spec.ep = d.parallelism?.ep
        spec.zero = d.parallelism?.zero
        spec.checkpointing = d.parallelism?.checkpointing
        spec.microBatch = d.parallelism?.microBatch
        spec.interleave = d.parallelism?.interleave
        spec.failuresPerThousandNodeDays = d.reliability?.failuresPer1000NodeDays
        spec.plannedPerDay = d.reliability?.plannedPerDay
        spec.restartMinutes = d.reliability?.restartMinutes
        spec.asyncCheckpoints = d.reliability?.asyncCheckpoints
        spec.storageTBps = d.reliability?.storageTBPerS
        spec.checkpointIntervalMinutes = d.reliability?.checkpointIntervalMinutes
        spec.checkpointsRetained = d.reliability?.checkpointsRetained
        spec.law = d.economics?.law
        spec.servingTokens = d.economics?.servingTokens?.value
        spec.costPerMillionTokens = d.economics?.costPerMillionTokens
        spec.deadlineDays = d.economics?.deadlineDays
        spec.priceBook = d.economics?.priceBook
        spec.spotPreemptionsPerThousandNodeDays = d.economics?.spotPreemptionsPer1000NodeDays
        spec.pue = d.facility?.pue
        spec.rackKW = d.facility?.rackKW
        spec.serversPerRack = d.facility?.serversPerRack
        spec.electricityPerKWh = d.facility?.electricityPerKWh
        return spec
    }

    /// Parses a number as the spec and the command line accept it (`15.6e12`, `15.6T`, `405B`).
    public static func number(_ text: String) -> Double? { Quantity.parse(text) }
}
