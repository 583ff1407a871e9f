public import Foundation
public import HeadroomCore
internal import Yams

/// A workload file (YAML): the model, the traffic, the request lengths, prefix sharing, the SLO and optionally the
/// deployment to simulate. docs/workload.md documents every field.
public struct WorkloadSpec: Sendable {
    public var model: String
    public var traffic: Traffic
    public var input: LengthDistribution
    public var output: LengthDistribution
    public var prefix: PrefixSharing
    public var slo: SimulationOptions.SLO
    public var deployment: DeploymentSpec?
    /// The file it came from (relative trace paths resolve against its folder).
    public var file: String
    /// Peak and average rates over the planning horizon (growth applied).
    public var peakRate: Double
    public var averageRate: Double
    /// Growth per month and the horizon it was applied over.
    public var growthPerMonth: Double
    public var horizonMonths: Double
    /// Latency percentile the SLO applies at, and the availability target.
    public var percentile: Double
    public var availability: Double?
    public var constraints: PlanRequest.Constraints
    public var priceBook: String?
    public var priceOverrides: [AcceleratorPrice]
    public var integration: IntegrationInputs

    /// Arrivals: a process with a profile, or a trace.
    public struct Traffic: Sendable {
        public var requests: Int
        public var arrival: ArrivalProcess
        public var profile: RateProfile
        /// A replayed trace; when present it replaces the process and lengths.
        public var trace: [SimRequest]?
    }

    /// The deployment fields a workload file may carry; command-line flags override them.
    public struct DeploymentSpec: Sendable {
        public var accelerator: String?
        public var count: Int?
        public var tp: Int?
        public var pp: Int?
        public var ep: Int?
        public var attentionDP: Bool?
        public var precision: String?
        public var kvPrecision: String?
        public var stack: String?
        public var router: String?
        public var prefillReplicas: Int?
        public var decodeReplicas: Int?

        public init() {}
    }
}

struct WorkloadDocument: Decodable {
    struct Traffic: Decodable {
        var requests: Int?
        var arrival: String?
        var rateRps: Double?
        var peakRps: Double?
        var requestsPerDay: Double?
        var growthPerMonth: Double?
        var horizonMonths: Double?
        var burstiness: Double?
        var diurnal: [Double]?
        var hourSeconds: Double?
        var steps: [Step]?
        var trace: String?

        struct Step: Decodable {
            var atS: Double
            var multiplier: Double
            enum CodingKeys: String, CodingKey {
                case atS = "at_s"
                case multiplier
            }
        }

        enum CodingKeys: String, CodingKey {
            case requests, arrival, burstiness, diurnal, steps, trace
            case rateRps = "rate_rps"
            case hourSeconds = "hour_seconds"
            case peakRps = "peak_rps"
            case requestsPerDay = "requests_per_day"
            case growthPerMonth = "growth_per_month"
            case horizonMonths = "horizon_months"
        }
    }

    struct Distribution: Decodable {
        var dist: String
        var value: Int?
        var mean: Double?
        var sigma: Double?
        var stddev: Double?
        var min: Int?
        var max: Int?
        var values: [Double]?
        var cumulative: [Double]?
    }

    struct Lengths: Decodable {
        var preset: String?
        var input: Distribution?
        var output: Distribution?
    }

    struct Prefix: Decodable {
        var hitRate: Double?
        var groups: Int?
        var prefixTokens: Int

        enum CodingKeys: String, CodingKey {
            case groups
            case hitRate = "hit_rate"
            case prefixTokens = "prefix_tokens"
        }
    }

    struct SLO: Decodable {
        var ttftMs: Double?
        var tpotMs: Double?
        var e2eMs: Double?
        var percentile: Double?
        var availability: Double?

        enum CodingKeys: String, CodingKey {
            case percentile, availability
            case ttftMs = "ttft_ms"
            case tpotMs = "tpot_ms"
            case e2eMs = "e2e_ms"
        }
    }

    struct Constraints: Decodable {
        var accelerators: [String]?
        var stacks: [String]?
        var providers: [String]?
        var regions: [String]?
        var dataResidency: [String]?
        var onPremOnly: Bool?
        var budgetPerHour: Double?
        var minReplicas: Int?
        var minReplicasPerRegion: Int?
        var disaggregation: Bool?

        enum CodingKeys: String, CodingKey {
            case accelerators, stacks, providers, regions, disaggregation
            case dataResidency = "data_residency"
            case onPremOnly = "on_prem_only"
            case budgetPerHour = "budget_per_hour"
            case minReplicas = "min_replicas"
            case minReplicasPerRegion = "min_replicas_per_region"
        }
    }

    struct Quality: Decodable {
        var lowestPrecision: String?
        var calibration: String?
        var uncalibratedMargin: Double?
        enum CodingKeys: String, CodingKey {
            case calibration
            case lowestPrecision = "lowest_precision"
            case uncalibratedMargin = "uncalibrated_margin"
        }
    }

    struct Pricing: Decodable {
        var book: String?
        var overrides: [Override]?

        struct Override: Decodable {
            var accelerator: String
            var perHour: Double
            var provider: String?
            var region: String?
            var jurisdiction: String?
            var currency: String?
            var source: String?

            enum CodingKeys: String, CodingKey {
                case accelerator, provider, region, jurisdiction, currency, source
                case perHour = "per_hour"
            }
        }
    }

    struct Integration: Decodable {
        var auditMetadataBytes: Double?
        var storedTextFraction: Double?
        var bytesPerToken: Double?
        var replication: Double?
        var compression: Double?
        var retentionDays: Double?
        var piiCharsPerCoreSecond: Double?
        var connectionsPerGateway: Double?
        var tenants: [Tenant]?

        struct Tenant: Decodable {
            var name: String
            var tokensPerMinute: Double
            enum CodingKeys: String, CodingKey {
                case name
                case tokensPerMinute = "tokens_per_minute"
            }
        }

        enum CodingKeys: String, CodingKey {
            case replication, compression, tenants
            case auditMetadataBytes = "audit_metadata_bytes"
            case storedTextFraction = "stored_text_fraction"
            case bytesPerToken = "bytes_per_token"
            case retentionDays = "retention_days"
            case piiCharsPerCoreSecond = "pii_chars_per_core_second"
            case connectionsPerGateway = "connections_per_gateway"
        }
    }

    struct Deployment: Decodable {
        var accelerator: String?
        var count: Int?
        var tp: Int?
        var pp: Int?
        var ep: Int?
        var attentionDP: Bool?
        var precision: String?
        var kvPrecision: String?
        var stack: String?
        var router: String?
        var disaggregate: Split?

        struct Split: Decodable {
            var prefill: Int
            var decode: Int
        }

        enum CodingKeys: String, CodingKey {
            case accelerator, count, tp, pp, ep, precision, stack, router, disaggregate
            case kvPrecision = "kv_precision", attentionDP = "attention_dp"
        }
    }

    var model: String
    var traffic: Traffic
    var lengths: Lengths?
    var prefix: Prefix?
    var slo: SLO?
    var deployment: Deployment?
    var constraints: Constraints?
    var quality: Quality?
    var pricing: Pricing?
    var integration: Integration?
}

/// Reads workload files.
public enum WorkloadLoader {
    /// Loads and validates a workload file.
    /// - Throws: ``HeadroomError`` naming the file, line and field.
    public static func load(url: URL) throws -> WorkloadSpec {
        let text = try readText(url)
        return try decode(yaml: text, file: url.path)
    }

    /// The largest workload file accepted (traces are separate files).
    public static let maxBytes = 1 << 20

    /// Decodes and validates a workload file's text against ``InputLimits``.
    /// - Throws: ``HeadroomError`` naming the file, line and field; a text over ``maxBytes`` is refused unparsed.
    public static func decode(yaml: String, file: String) throws -> WorkloadSpec {
        guard yaml.utf8.count <= maxBytes else {
            throw HeadroomError(
                .invalidFile, "a workload file must be at most \(maxBytes) bytes, got \(yaml.utf8.count)", file: file)
        }
        let parsed: YAMLDocument<WorkloadDocument>
        do {
            parsed = try YAMLDocument.decode(
                WorkloadDocument.self, yaml: yaml, file: file, empty: "a workload (model, traffic, slo)",
                strictKeys: true)
        } catch {
            // A platform file has no top-level `model`, so it never decodes as one workload.
            guard PlatformLoader.listsModels(yaml) else { throw error }
            throw HeadroomError(
                .invalidFile,
                "this file lists several models (models:), a platform plan: `headroom plan` plans it; this command "
                    + "(and `plan --with-cost`, `cost`, the HTTP API) takes a file with one model", file: file,
                field: "models")
        }
        return try spec(from: parsed.value, file: file) { parsed.error(at: $0, $1) }
    }

    /// Validates a decoded workload document against ``InputLimits``.
    /// - Parameter fail: the error for a problem at a path of the document (a platform file prefixes its entry's).
    /// - Throws: ``HeadroomError`` from `fail`, naming the field.
    static func spec(
        from document: WorkloadDocument, file: String, fail: ([String], String) -> HeadroomError
    ) throws -> WorkloadSpec {
        func relocate(_ error: HeadroomError, _ path: [String]) -> HeadroomError {
            fail(path, error.message)
        }
        func within(_ value: Double, _ range: ClosedRange<Double>, _ path: [String], _ unit: String = "") throws {
            do {
                try InputLimits.check(value, in: range, field: path.joined(separator: "."), unit: unit)
            } catch {
                throw fail(path, error.message)
            }
        }
        func within(_ value: Int, atMost limit: Int, _ path: [String], _ what: String) throws {
            do {
                try InputLimits.check(value, atMost: limit, field: path.joined(separator: "."), what: what)
            } catch {
                throw fail(path, error.message)
            }
        }

        // Traffic.
        let t = document.traffic
        let requests = t.requests ?? 10_000
        guard requests >= 1 else { throw fail(["traffic", "requests"], "must be at least 1, got \(requests)") }
        try within(requests, atMost: InputLimits.simulatedRequests, ["traffic", "requests"], "requests")
        var trace: [SimRequest]?
        if let path = t.trace {
            let base = URL(fileURLWithPath: file).deletingLastPathComponent()
            let traceURL = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
            let traceText: String
            do {
                traceText = try String(contentsOf: traceURL, encoding: .utf8)
            } catch {
                throw fail(["traffic", "trace"], "cannot read trace \(traceURL.path): \(error.localizedDescription)")
            }
            trace = try TraceParser.parse(traceText, file: traceURL.path)
        }
        // Rates: peak_rps, or requests_per_day spread by the profile, or rate_rps; then growth over the horizon.
        for (key, value) in [("peak_rps", t.peakRps), ("requests_per_day", t.requestsPerDay), ("rate_rps", t.rateRps)] {
            if let value, !(value > 0 && value.isFinite) {
                throw fail(["traffic", key], "must be positive, got \(value)")
            }
            if let value {
                let perDay = key == "requests_per_day"
                let limits = InputLimits.requestRate
                try within(
                    value, perDay ? limits.lowerBound * 86_400...limits.upperBound * 86_400 : limits, ["traffic", key],
                    perDay ? "requests per day" : "req/s")
            }
        }
        let profileValues = t.diurnal ?? []
        let peakOverMean =
            profileValues.isEmpty
            ? 1.0 : (profileValues.max() ?? 1) / max(profileValues.reduce(0, +) / Double(profileValues.count), 1e-12)
        var peak: Double
        var average: Double
        if let p = t.peakRps ?? t.rateRps {
            peak = p
            average = p / peakOverMean
        } else if let perDay = t.requestsPerDay {
            average = perDay / 86_400
            peak = average * peakOverMean
        } else if let trace {
            let span = max((trace.last?.arrival ?? 0) - (trace.first?.arrival ?? 0), 1e-9)
            average = Double(trace.count) / span
            peak = average
        } else {
            throw fail(["traffic"], "give peak_rps, requests_per_day or rate_rps (or a trace)")
        }
        let growth = t.growthPerMonth ?? 0
        let horizon = t.horizonMonths ?? 0
        guard growth > -1, growth.isFinite else { throw fail(["traffic", "growth_per_month"], "must be above -1") }
        guard horizon >= 0, horizon.isFinite else {
            throw fail(["traffic", "horizon_months"], "must be zero or positive")
        }
        try within(horizon, InputLimits.horizonMonths, ["traffic", "horizon_months"], "months")
        try within(growth, InputLimits.growthPerMonth, ["traffic", "growth_per_month"], "per month")
        let factor = pow(1 + growth, horizon)
        peak *= factor
        average *= factor
        if growth != 0, horizon > 0,
            !(InputLimits.requestRate.contains(peak) && InputLimits.requestRate.contains(average))
        {
            let limits = InputLimits.requestRate
            throw fail(
                ["traffic", "growth_per_month"],
                "grows the traffic \(humanNumber(factor))× over \(humanNumber(horizon)) months to a peak of "
                    + "\(humanNumber(peak)) req/s (average \(humanNumber(average))); rates must stay between "
                    + "\(InputLimits.describe(limits.lowerBound)) and \(InputLimits.describe(limits.upperBound)) req/s")
        }
        try within(peak, InputLimits.requestRate, ["traffic", "peak_rps"], "req/s (the profile's peak)")
        let rate = t.rateRps ?? t.peakRps ?? peak
        let arrival: ArrivalProcess
        switch (t.arrival ?? "poisson").lowercased() {
        case "poisson": arrival = .poisson(rate: max(rate, 1e-9))
        case "constant": arrival = .constant(rate: max(rate, 1e-9))
        case "gamma":
            let cv = t.burstiness ?? 1
            guard cv > 0, cv.isFinite else {
                throw fail(["traffic", "burstiness"], "must be a positive CV, got \(cv)")
            }
            try within(cv, InputLimits.burstiness, ["traffic", "burstiness"])
            arrival = .gamma(rate: max(rate, 1e-9), cv: cv)
        default:
            throw fail(["traffic", "arrival"], "must be poisson, constant or gamma, got '\(t.arrival ?? "")'")
        }
        if let hourly = t.diurnal {
            guard hourly.count == 24 || hourly.count == 168 else {
                throw fail(["traffic", "diurnal"], "needs 24 (day) or 168 (week) multipliers, got \(hourly.count)")
            }
            guard hourly.allSatisfy({ $0 >= 0 && $0.isFinite }), hourly.contains(where: { $0 > 0 }) else {
                throw fail(["traffic", "diurnal"], "multipliers must be non-negative and not all zero")
            }
        }
        let hourSeconds = t.hourSeconds ?? 3600
        guard hourSeconds > 0, hourSeconds.isFinite else {
            throw fail(["traffic", "hour_seconds"], "must be positive")
        }
        var steps: [RateStep] = []
        for (index, step) in (t.steps ?? []).enumerated() {
            guard step.atS >= 0, step.atS.isFinite, step.multiplier >= 0, step.multiplier.isFinite else {
                throw fail(["traffic", "steps", "\(index)"], "needs at_s ≥ 0 and a non-negative multiplier")
            }
            steps.append(RateStep(at: step.atS, multiplier: step.multiplier))
        }
        let profile: RateProfile
        do {
            profile = try RateProfile(hourly: t.diurnal ?? [], hourSeconds: hourSeconds, steps: steps)
                .validated(field: "traffic")
        } catch {
            throw relocate(error, ["traffic"])
        }

        // Lengths.
        var input = LengthDistribution.fixed(1024)
        var output = LengthDistribution.fixed(256)
        if let preset = document.lengths?.preset {
            do {
                let found = try WorkloadPreset.named(preset)
                input = found.input
                output = found.output
            } catch {
                throw relocate(error, ["lengths", "preset"])
            }
        } else if trace == nil, document.lengths?.input == nil || document.lengths?.output == nil {
            throw fail(["lengths"], "give a preset or both input and output distributions")
        }
        if let spec = document.lengths?.input {
            input = try distribution(spec, path: ["lengths", "input"], fail: fail)
        }
        if let spec = document.lengths?.output {
            output = try distribution(spec, path: ["lengths", "output"], fail: fail)
        }

        // Prefix sharing.
        var prefix = PrefixSharing.none
        if let p = document.prefix {
            guard p.prefixTokens >= 1 else { throw fail(["prefix", "prefix_tokens"], "must be at least 1") }
            try within(
                Double(p.prefixTokens), InputLimits.tokensPerRequest, ["prefix", "prefix_tokens"], "tokens")
            if let rate = p.hitRate {
                guard rate >= 0, rate <= 1 else {
                    throw fail(["prefix", "hit_rate"], "must be in [0, 1], got \(rate)")
                }
                prefix = .hitRate(rate, prefixTokens: p.prefixTokens)
            } else if let groups = p.groups {
                guard groups >= 1 else { throw fail(["prefix", "groups"], "must be at least 1") }
                prefix = .groups(count: groups, prefixTokens: p.prefixTokens)
            } else {
                throw fail(["prefix"], "give hit_rate or groups")
            }
        }

        // SLO.
        var slo = SimulationOptions.SLO()
        if let s = document.slo {
            for (key, value) in [("ttft_ms", s.ttftMs), ("tpot_ms", s.tpotMs), ("e2e_ms", s.e2eMs)] {
                if let value, !(value > 0 && value.isFinite) {
                    throw fail(["slo", key], "must be positive, got \(value)")
                }
                if let value { try within(value, 1e-6...1e9, ["slo", key], "ms") }
            }
            slo = .init(
                ttftSeconds: s.ttftMs.map { $0 / 1000 }, tpotSeconds: s.tpotMs.map { $0 / 1000 },
                e2eSeconds: s.e2eMs.map { $0 / 1000 })
        }
        // Planning: percentile, availability, constraints, quality floor, pricing, integration.
        let percentile = document.slo?.percentile ?? 99
        guard [50.0, 90, 95, 99].contains(percentile) else {
            throw fail(["slo", "percentile"], "must be 50, 90, 95 or 99, got \(percentile)")
        }
        if let a = document.slo?.availability, !(a > 0 && a < 1) {
            throw fail(["slo", "availability"], "must be a fraction such as 0.999, got \(a)")
        }
        let c = document.constraints
        var lowest: Precision?
        if let text = document.quality?.lowestPrecision {
            guard let value = Precision(userInput: text) else {
                throw fail(["quality", "lowest_precision"], "unknown precision '\(text)'")
            }
            lowest = value
        }
        if let budget = c?.budgetPerHour, !(budget > 0 && budget.isFinite) {
            throw fail(["constraints", "budget_per_hour"], "must be positive")
        }
        if let m = c?.minReplicas, m < 1 { throw fail(["constraints", "min_replicas"], "must be at least 1") }
        if let m = c?.minReplicas {
            try within(m, atMost: InputLimits.minimumReplicas, ["constraints", "min_replicas"], "replicas")
        }
        var minimumReplicas = c?.minReplicas ?? 1
        if let floor = c?.minReplicasPerRegion {
            guard floor >= 1 else { throw fail(["constraints", "min_replicas_per_region"], "must be at least 1") }
            guard let regions = c?.regions, !regions.isEmpty else {
                throw fail(
                    ["constraints", "min_replicas_per_region"], "needs constraints.regions to count the regions")
            }
            let total = floor.saturatingMultiplying(by: regions.count)
            try within(
                total, atMost: InputLimits.minimumReplicas, ["constraints", "min_replicas_per_region"],
                "replicas in all")
            minimumReplicas = max(minimumReplicas, total)
        }
        var calibration = PlanRequest.Constraints.CalibrationPolicy.any
        if let margin = document.quality?.uncalibratedMargin, !(margin >= 0 && margin < 1) {
            throw fail(["quality", "uncalibrated_margin"], "must be a fraction in [0, 1), got \(margin)")
        }
        switch document.quality?.calibration?.lowercased() {
        case nil, "any": calibration = .any
        case "require": calibration = .require
        case "widen": calibration = .widen(margin: document.quality?.uncalibratedMargin)
        case let other?:
            throw fail(["quality", "calibration"], "must be any, require or widen, got '\(other)'")
        }
        if document.quality?.uncalibratedMargin != nil, document.quality?.calibration?.lowercased() != "widen" {
            throw fail(["quality", "uncalibrated_margin"], "applies only with calibration: widen")
        }
        var constraints = PlanRequest.Constraints(
            accelerators: c?.accelerators.map { Set($0.map { $0.lowercased() }) },
            stacks: c?.stacks.map { Set($0.map { $0.lowercased() }) },
            providers: c?.providers.map { Set($0.map { $0.lowercased() }) },
            regions: c?.regions.map(Set.init), jurisdictions: c?.dataResidency.map { Set($0.map { $0.uppercased() }) },
            onPremOnly: c?.onPremOnly ?? false, budgetPerHour: c?.budgetPerHour, minimumReplicas: minimumReplicas,
            lowestPrecision: lowest, allowDisaggregation: c?.disaggregation ?? true
        )
        constraints.calibration = calibration
        var overrides: [AcceleratorPrice] = []
        for (index, o) in (document.pricing?.overrides ?? []).enumerated() {
            guard o.perHour > 0, o.perHour.isFinite else {
                throw fail(["pricing", "overrides", "\(index)", "per_hour"], "must be positive")
            }
            try within(
                o.perHour, InputLimits.pricePerHour, ["pricing", "overrides", "\(index)", "per_hour"], "per hour")
            overrides.append(
                AcceleratorPrice(
                    accelerator: o.accelerator.lowercased(), provider: o.provider ?? "override",
                    region: o.region ?? "any",
                    jurisdiction: o.jurisdiction?.uppercased() ?? "unspecified", perHour: o.perHour,
                    currency: o.currency ?? "USD", source: o.source ?? "workload file \(file)", asOf: "workload file"
                )
            )
        }
        var integration = IntegrationInputs()
        if let i = document.integration {
            for (key, value) in [
                ("audit_metadata_bytes", i.auditMetadataBytes), ("bytes_per_token", i.bytesPerToken),
                ("replication", i.replication), ("compression", i.compression), ("retention_days", i.retentionDays),
                ("pii_chars_per_core_second", i.piiCharsPerCoreSecond),
                ("connections_per_gateway", i.connectionsPerGateway),
            ] {
                if let value, !(value > 0 && value.isFinite) { throw fail(["integration", key], "must be positive") }
                if let value, let range = integrationLimits[key] { try within(value, range, ["integration", key]) }
            }
            for (index, tenant) in (i.tenants ?? []).enumerated()
            where !(tenant.tokensPerMinute >= 0 && tenant.tokensPerMinute <= 1e15) {
                throw fail(
                    ["integration", "tenants", "\(index)", "tokens_per_minute"],
                    "must be between 0 and 1000000000000000, got \(tenant.tokensPerMinute)")
            }
            if let f = i.storedTextFraction, !(f >= 0 && f <= 1) {
                throw fail(["integration", "stored_text_fraction"], "must be in [0, 1]")
            }
            integration.auditMetadataBytes = i.auditMetadataBytes ?? integration.auditMetadataBytes
            integration.storedTextFraction = i.storedTextFraction ?? integration.storedTextFraction
            integration.bytesPerToken = i.bytesPerToken ?? integration.bytesPerToken
            integration.replication = i.replication ?? integration.replication
            integration.compression = i.compression ?? integration.compression
            integration.retentionDays = i.retentionDays ?? integration.retentionDays
            integration.piiCharactersPerCoreSecond = i.piiCharsPerCoreSecond ?? integration.piiCharactersPerCoreSecond
            integration.connectionsPerGateway = i.connectionsPerGateway ?? integration.connectionsPerGateway
            integration.tenants = (i.tenants ?? []).map { ($0.name, $0.tokensPerMinute) }
        }
        let d = document.deployment
        let deployment = d.map { entry -> WorkloadSpec.DeploymentSpec in
            var spec = WorkloadSpec.DeploymentSpec()
            spec.accelerator = entry.accelerator
            spec.count = entry.count
            spec.tp = entry.tp
            spec.pp = entry.pp
            spec.ep = entry.ep
            spec.attentionDP = entry.attentionDP
            spec.precision = entry.precision
            spec.kvPrecision = entry.kvPrecision
            spec.stack = entry.stack
            spec.router = entry.router
            spec.prefillReplicas = entry.disaggregate?.prefill
            spec.decodeReplicas = entry.disaggregate?.decode
            return spec
        }
        return WorkloadSpec(
            model: document.model,
            traffic: .init(requests: trace?.count ?? requests, arrival: arrival, profile: profile, trace: trace),
            input: input, output: output, prefix: prefix, slo: slo, deployment: deployment, file: file,
            peakRate: peak, averageRate: average, growthPerMonth: growth, horizonMonths: horizon,
            percentile: percentile,
            availability: document.slo?.availability, constraints: constraints, priceBook: document.pricing?.book,
            priceOverrides: overrides, integration: integration
        )
    }

    /// Upper bounds of the integration sizing's inputs (their lower bound is "positive").
    static let integrationLimits: [String: ClosedRange<Double>] = [
        "audit_metadata_bytes": 0...1e9, "bytes_per_token": 0...1e6, "replication": 0...100, "compression": 0...1e3,
        "retention_days": 0...36_500, "pii_chars_per_core_second": 0...1e12, "connections_per_gateway": 0...1e9,
    ]

    static func distribution(
        _ spec: WorkloadDocument.Distribution, path: [String], fail: ([String], String) -> HeadroomError
    ) throws -> LengthDistribution {
        let field = path.joined(separator: ".")
        let value: LengthDistribution
        switch spec.dist.lowercased() {
        case "fixed":
            guard let n = spec.value ?? spec.mean.map({ Int(saturating: $0.rounded()) }) else {
                throw fail(path, "fixed needs value")
            }
            value = .fixed(n)
        case "uniform":
            guard let low = spec.min, let high = spec.max else { throw fail(path, "uniform needs min and max") }
            value = .uniform(min: low, max: high)
        case "normal":
            guard let mean = spec.mean, let sd = spec.stddev else { throw fail(path, "normal needs mean and stddev") }
            value = .normal(mean: mean, stddev: sd)
        case "lognormal":
            guard let mean = spec.mean, let sigma = spec.sigma else {
                throw fail(path, "lognormal needs mean and sigma")
            }
            value = .lognormal(mean: mean, sigma: sigma)
        case "empirical":
            guard let values = spec.values, let cumulative = spec.cumulative else {
                throw fail(path, "empirical needs values and cumulative")
            }
            value = .empirical(values: values, cumulative: cumulative)
        default:
            throw fail(path + ["dist"], "must be fixed, uniform, normal, lognormal or empirical, got '\(spec.dist)'")
        }
        do {
            return try value.validated(field: field)
        } catch {
            throw fail(path, error.message)
        }
    }
}
