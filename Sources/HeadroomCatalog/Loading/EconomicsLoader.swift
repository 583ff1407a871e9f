public import Foundation
public import HeadroomCore
internal import Yams

/// Loads economics data: spot interruption rates, autoscaler defaults, bring-up parts, TCO and facility inputs.
///
/// The bundled file is `Resources/economics.yaml`, one top-level `economics:` mapping with snake_case keys mirroring
/// ``EconomicsData``; every number is a sourced value `{value, source, as_of, assumption}`. After decoding, values are
/// checked (fractions in [0, 1], positive rates and bandwidths, durations not negative, dates as `YYYY-MM-DD`, a
/// non-empty source) and every error names the file, the line and the field.
public enum EconomicsLoader {
    /// The bundled economics data (`Resources/economics.yaml`).
    /// - Throws: ``HeadroomError`` if the bundled file is missing or invalid.
    public static func bundled() throws -> EconomicsData {
        try load(url: CatalogLoader.resourcesURL.appendingPathComponent("economics.yaml"))
    }

    /// One economics file, for example a user's replacement for the bundled assumptions.
    /// - Throws: ``HeadroomError`` naming the file, line and field of the first problem.
    public static func load(url: URL) throws -> EconomicsData {
        let text = try readText(url)
        return try decode(yaml: text, file: url.path)
    }

    /// Decodes economics YAML (a top-level `economics:` mapping); `file` names it in errors.
    /// - Throws: ``HeadroomError`` with file, line and field.
    public static func decode(yaml: String, file: String) throws(HeadroomError) -> EconomicsData {
        let document = try YAMLDocument.decode(
            EconomicsFile.self, yaml: yaml, file: file, empty: "an 'economics' mapping"
        )
        let decoded = document.value
        do {
            return try decoded.economics.resolve(at: [PathKey("economics")])
        } catch {
            throw document.error(error)
        }
    }
}

// MARK: - On-disk form

/// The on-disk form of an economics file.
struct EconomicsFile: Decodable {
    var economics: EconomicsEntry
}

/// The range a sourced value must fall in.
private enum ValueRange {
    /// Greater than zero.
    case positive
    /// Zero or more.
    case nonNegative
    /// In [0, 1].
    case fraction
    /// In [0, 1): a share that cannot be all of it.
    case properFraction
    /// In (0, 1].
    case share
    /// One or more (PUE).
    case atLeastOne

    func contains(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        switch self {
        case .positive: return value > 0
        case .nonNegative: return value >= 0
        case .fraction: return value >= 0 && value <= 1
        case .properFraction: return value >= 0 && value < 1
        case .share: return value > 0 && value <= 1
        case .atLeastOne: return value >= 1
        }
    }

    var phrase: String {
        switch self {
        case .positive: "positive"
        case .nonNegative: "zero or positive"
        case .fraction: "a fraction in [0, 1]"
        case .properFraction: "a fraction in [0, 1)"
        case .share: "a fraction in (0, 1]"
        case .atLeastOne: "at least 1"
        }
    }
}

/// A sourced number as written: `{value, source, as_of, assumption}`.
struct SourcedValueEntry: Decodable {
    var value: Double
    var source: String
    var asOf: String
    var assumption: Bool?

    enum CodingKeys: String, CodingKey {
        case value, source, assumption
        case asOf = "as_of"
    }

    fileprivate func resolve(at path: [any CodingKey], _ range: ValueRange) throws(EntryProblem) -> SourcedValue {
        guard range.contains(value) else {
            throw EntryProblem(path: path + [PathKey("value")], message: "must be \(range.phrase), got \(value)")
        }
        guard !source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw EntryProblem(path: path + [PathKey("source")], message: "must name where the figure comes from")
        }
        guard PriceBook.dayNumber(isoDate: asOf) != nil else {
            throw EntryProblem(path: path + [PathKey("as_of")], message: "must be a date as YYYY-MM-DD, got '\(asOf)'")
        }
        return SourcedValue(value, source: source, asOf: asOf, assumption: assumption ?? false)
    }
}

struct EconomicsEntry: Decodable {
    var spotInterruptions: [SpotEntry]
    var autoscalers: [AutoscalerEntry]
    var bringUp: BringUpEntry
    var tco: TCOEntry
    var facility: FacilityEntry
    var annualPriceDecline: SourcedValueEntry

    enum CodingKeys: String, CodingKey {
        case autoscalers, tco, facility
        case spotInterruptions = "spot_interruptions"
        case bringUp = "bring_up"
        case annualPriceDecline = "annual_price_decline"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> EconomicsData {
        var spots: [SpotInterruption] = []
        var seenBuckets: Set<String> = []
        for (index, entry) in spotInterruptions.enumerated() {
            let entryPath = path + [PathKey("spot_interruptions"), PathKey(index: index)]
            let spot = try entry.resolve(at: entryPath)
            guard seenBuckets.insert("\(spot.provider)\u{0}\(spot.bucket)").inserted else {
                throw EntryProblem(
                    path: entryPath + [PathKey("bucket")],
                    message: "duplicate bucket '\(spot.bucket)' for provider '\(spot.provider)'"
                )
            }
            spots.append(spot)
        }
        var policies: [AutoscalerPolicy] = []
        var seenIDs: Set<String> = []
        for (index, entry) in autoscalers.enumerated() {
            let entryPath = path + [PathKey("autoscalers"), PathKey(index: index)]
            let policy = try entry.resolve(at: entryPath)
            guard seenIDs.insert(policy.id).inserted else {
                throw EntryProblem(path: entryPath + [PathKey("id")], message: "duplicate autoscaler id '\(policy.id)'")
            }
            policies.append(policy)
        }
        return EconomicsData(
            spotInterruptions: spots, autoscalers: policies,
            bringUp: try bringUp.resolve(at: path + [PathKey("bring_up")]),
            tco: try tco.resolve(at: path + [PathKey("tco")]),
            facility: try facility.resolve(at: path + [PathKey("facility")]),
            annualPriceDecline: try annualPriceDecline.resolve(
                at: path + [PathKey("annual_price_decline")], .properFraction)
        )
    }
}

struct SpotEntry: Decodable {
    var provider: String
    var bucket: String
    var perHour: SourcedValueEntry

    enum CodingKeys: String, CodingKey {
        case provider, bucket
        case perHour = "per_hour"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> SpotInterruption {
        let provider = provider.trimmingCharacters(in: .whitespaces).lowercased()
        guard !provider.isEmpty else {
            throw EntryProblem(path: path + [PathKey("provider")], message: "must not be empty")
        }
        let bucket = bucket.trimmingCharacters(in: .whitespaces)
        guard !bucket.isEmpty else {
            throw EntryProblem(path: path + [PathKey("bucket")], message: "must not be empty")
        }
        let rate = try perHour.resolve(at: path + [PathKey("per_hour")], .positive)
        return SpotInterruption(provider: provider, bucket: bucket, perHour: rate)
    }
}

struct AutoscalerEntry: Decodable {
    var id: String
    var name: String
    var signal: String
    var target: SourcedValueEntry
    var interval: SourcedValueEntry
    var upscaleDelay: SourcedValueEntry
    var downscaleDelay: SourcedValueEntry
    var notes: String?

    enum CodingKeys: String, CodingKey {
        case id, name, signal, target, interval, notes
        case upscaleDelay = "upscale_delay"
        case downscaleDelay = "downscale_delay"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> AutoscalerPolicy {
        let id = id.trimmingCharacters(in: .whitespaces).lowercased()
        guard !id.isEmpty else { throw EntryProblem(path: path + [PathKey("id")], message: "must not be empty") }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw EntryProblem(path: path + [PathKey("name")], message: "must not be empty")
        }
        guard let signal = AutoscalerPolicy.Signal(rawValue: signal) else {
            let known = ["utilisation", "waiting_requests", "ongoing_requests", "qps", "forecast", "scheduled"]
            throw EntryProblem(
                path: path + [PathKey("signal")],
                message: "unknown signal '\(self.signal)' (\(known.joined(separator: ", ")))"
            )
        }
        // Utilisation and schedules target a fraction of each replica's capacity; the others a count or rate.
        let targetRange: ValueRange = signal == .utilisation || signal == .scheduled ? .share : .positive
        return AutoscalerPolicy(
            id: id, name: name, signal: signal,
            target: try target.resolve(at: path + [PathKey("target")], targetRange),
            interval: try interval.resolve(at: path + [PathKey("interval")], .positive),
            upscaleDelay: try upscaleDelay.resolve(at: path + [PathKey("upscale_delay")], .nonNegative),
            downscaleDelay: try downscaleDelay.resolve(at: path + [PathKey("downscale_delay")], .nonNegative),
            notes: notes
        )
    }
}

struct BringUpEntry: Decodable {
    var nodeAcquisition: SourcedValueEntry
    var stockOutProbability: SourcedValueEntry
    var stockOutPenalty: SourcedValueEntry
    var imageSizeGb: SourcedValueEntry
    var imagePullGbps: SourcedValueEntry
    var weightLoadGbps: SourcedValueEntry
    var compileAndCapture: SourcedValueEntry

    enum CodingKeys: String, CodingKey {
        case nodeAcquisition = "node_acquisition"
        case stockOutProbability = "stock_out_probability"
        case stockOutPenalty = "stock_out_penalty"
        case imageSizeGb = "image_size_gb"
        case imagePullGbps = "image_pull_gbps"
        case weightLoadGbps = "weight_load_gbps"
        case compileAndCapture = "compile_and_capture"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> BringUpProfile {
        func value(
            _ entry: SourcedValueEntry, _ key: CodingKeys, _ range: ValueRange
        ) throws(EntryProblem)
            -> SourcedValue
        {
            try entry.resolve(at: path + [PathKey(key.rawValue)], range)
        }
        return BringUpProfile(
            nodeAcquisition: try value(nodeAcquisition, .nodeAcquisition, .nonNegative),
            stockOutProbability: try value(stockOutProbability, .stockOutProbability, .properFraction),
            stockOutPenalty: try value(stockOutPenalty, .stockOutPenalty, .nonNegative),
            imageSizeGB: try value(imageSizeGb, .imageSizeGb, .nonNegative),
            imagePullGBps: try value(imagePullGbps, .imagePullGbps, .positive),
            weightLoadGBps: try value(weightLoadGbps, .weightLoadGbps, .positive),
            compileAndCapture: try value(compileAndCapture, .compileAndCapture, .nonNegative)
        )
    }
}

struct TCOEntry: Decodable {
    var costOfCapital: SourcedValueEntry
    var usefulLifeYears: SourcedValueEntry
    var resaleFraction: SourcedValueEntry
    var maintenanceFractionPerYear: SourcedValueEntry
    var networkShareOfCapex: SourcedValueEntry
    var colocationPerKwMonth: SourcedValueEntry
    var pue: SourcedValueEntry
    var electricityPerKwh: SourcedValueEntry
    var hostPowerFraction: SourcedValueEntry
    var staffPerAcceleratorYear: SourcedValueEntry
    var cloudOverheadFraction: SourcedValueEntry

    enum CodingKeys: String, CodingKey {
        case pue
        case costOfCapital = "cost_of_capital"
        case usefulLifeYears = "useful_life_years"
        case resaleFraction = "resale_fraction"
        case maintenanceFractionPerYear = "maintenance_fraction_per_year"
        case networkShareOfCapex = "network_share_of_capex"
        case colocationPerKwMonth = "colocation_per_kw_month"
        case electricityPerKwh = "electricity_per_kwh"
        case hostPowerFraction = "host_power_fraction"
        case staffPerAcceleratorYear = "staff_per_accelerator_year"
        case cloudOverheadFraction = "cloud_overhead_fraction"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> TCOAssumptions {
        func value(
            _ entry: SourcedValueEntry, _ key: CodingKeys, _ range: ValueRange
        ) throws(EntryProblem)
            -> SourcedValue
        {
            try entry.resolve(at: path + [PathKey(key.rawValue)], range)
        }
        return TCOAssumptions(
            costOfCapital: try value(costOfCapital, .costOfCapital, .fraction),
            usefulLifeYears: try value(usefulLifeYears, .usefulLifeYears, .positive),
            resaleFraction: try value(resaleFraction, .resaleFraction, .fraction),
            maintenanceFractionPerYear: try value(maintenanceFractionPerYear, .maintenanceFractionPerYear, .fraction),
            networkShareOfCapex: try value(networkShareOfCapex, .networkShareOfCapex, .fraction),
            colocationPerKWMonth: try value(colocationPerKwMonth, .colocationPerKwMonth, .nonNegative),
            pue: try value(pue, .pue, .atLeastOne),
            electricityPerKWh: try value(electricityPerKwh, .electricityPerKwh, .nonNegative),
            hostPowerFraction: try value(hostPowerFraction, .hostPowerFraction, .nonNegative),
            staffPerAcceleratorYear: try value(staffPerAcceleratorYear, .staffPerAcceleratorYear, .nonNegative),
            cloudOverheadFraction: try value(cloudOverheadFraction, .cloudOverheadFraction, .fraction)
        )
    }
}

struct FacilityEntry: Decodable {
    var airCooledRackLimitKw: SourcedValueEntry
    var liquidCooledRackKw: SourcedValueEntry
    var gridIntensity: [String: SourcedValueEntry]

    enum CodingKeys: String, CodingKey {
        case airCooledRackLimitKw = "air_cooled_rack_limit_kw"
        case liquidCooledRackKw = "liquid_cooled_rack_kw"
        case gridIntensity = "grid_intensity"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> FacilityAssumptions {
        let air = try airCooledRackLimitKw.resolve(at: path + [PathKey("air_cooled_rack_limit_kw")], .positive)
        let liquid = try liquidCooledRackKw.resolve(at: path + [PathKey("liquid_cooled_rack_kw")], .positive)
        guard liquid.value >= air.value else {
            throw EntryProblem(
                path: path + [PathKey("liquid_cooled_rack_kw"), PathKey("value")],
                message: "must be at least the air-cooled limit (\(air.value) kW), got \(liquid.value)"
            )
        }
        var grid: [String: SourcedValue] = [:]
        for (region, entry) in gridIntensity.sorted(by: { $0.key < $1.key }) {
            let regionPath = path + [PathKey("grid_intensity"), PathKey(region)]
            guard !region.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw EntryProblem(path: regionPath, message: "the region name must not be empty")
            }
            grid[region] = try entry.resolve(at: regionPath, .nonNegative)
        }
        return FacilityAssumptions(airCooledRackLimitKW: air, liquidCooledRackKW: liquid, gridIntensity: grid)
    }
}
