/// What a plan must serve, under which objectives and constraints.
public struct PlanRequest: Sendable {
    /// Traffic the fleet must carry.
    public struct Traffic: Sendable, Hashable {
        /// Requests per second at the busiest hour of the planning horizon.
        public var peakRate: Double
        /// Mean requests per second over the profile (for utilisation and cost per token).
        public var averageRate: Double
        public var input: LengthDistribution
        public var output: LengthDistribution
        public var prefix: PrefixSharing

        public init(
            peakRate: Double, averageRate: Double, input: LengthDistribution, output: LengthDistribution,
            prefix: PrefixSharing = .none
        ) {
            self.peakRate = peakRate
            self.averageRate = averageRate
            self.input = input
            self.output = output
            self.prefix = prefix
        }
    }

    /// Latency objectives at a percentile, and an availability target.
    public struct Objectives: Sendable, Hashable {
        public var ttftSeconds: Double?
        public var tpotSeconds: Double?
        public var e2eSeconds: Double?
        /// Percentile the latency terms apply at (90, 95 or 99).
        public var percentile: Double
        /// Fraction of time the service must be up (0.999); ≥ 0.99 asks for a spare replica (N+1).
        public var availability: Double?

        public init(
            ttftSeconds: Double? = nil, tpotSeconds: Double? = nil, e2eSeconds: Double? = nil, percentile: Double = 99,
            availability: Double? = nil
        ) {
            self.ttftSeconds = ttftSeconds
            self.tpotSeconds = tpotSeconds
            self.e2eSeconds = e2eSeconds
            self.percentile = percentile
            self.availability = availability
        }
    }

    /// Where and on what the plan may run.
    public struct Constraints: Sendable, Hashable {
        /// Accelerator ids allowed (nil: all).
        public var accelerators: Set<String>?
        /// Stack ids allowed (nil: all).
        public var stacks: Set<String>?
        /// Providers allowed (nil: all).
        public var providers: Set<String>?
        /// Regions allowed (nil: all).
        public var regions: Set<String>?
        /// Jurisdictions data may be processed in (nil: anywhere).
        public var jurisdictions: Set<String>?
        /// Only hardware the organisation owns (priced by the on-prem book, or ranked by accelerator count).
        public var onPremOnly: Bool
        /// Most the fleet may cost per hour.
        public var budgetPerHour: Double?
        public var minimumReplicas: Int
        /// Lowest precision allowed (a quality floor): fp8 forbids 4-bit formats. `nil` means the default floor,
        /// ``defaultLowestPrecision``: 4-bit weights only where a workload allows them explicitly.
        public var lowestPrecision: Precision?
        /// The floor when none is given: FP8, so no 4-bit or 6-bit weights unless asked for.
        public static let defaultLowestPrecision = Precision.fp8
        /// Bits of the quality floor in force (the given one, else the default's).
        public var precisionFloorBits: Int { (lowestPrecision ?? Self.defaultLowestPrecision).bits }
        /// Whether disaggregated prefill/decode layouts are considered.
        public var allowDisaggregation: Bool
        /// How the search treats stack and accelerator pairs whose efficiency constants were not fitted for them.
        public var calibration: CalibrationPolicy = .any

        /// Planning with constants borrowed from another stack or part.
        public enum CalibrationPolicy: Sendable, Hashable {
            /// Rank every pair on its figures (each says whether it is calibrated).
            case any
            /// Leave out pairs without their own fitted profile.
            case require
            /// Derate an uncalibrated pair's per-replica capacity by a margin: `margin` when given, else the
            /// validated throughput error of the profile it borrows.
            case widen(margin: Double?)
        }

        public init(
            accelerators: Set<String>? = nil, stacks: Set<String>? = nil, providers: Set<String>? = nil,
            regions: Set<String>? = nil, jurisdictions: Set<String>? = nil, onPremOnly: Bool = false,
            budgetPerHour: Double? = nil, minimumReplicas: Int = 1, lowestPrecision: Precision? = nil,
            allowDisaggregation: Bool = true
        ) {
            self.accelerators = accelerators
            self.stacks = stacks
            self.providers = providers
            self.regions = regions
            self.jurisdictions = jurisdictions
            self.onPremOnly = onPremOnly
            self.budgetPerHour = budgetPerHour
            self.minimumReplicas = minimumReplicas
            self.lowestPrecision = lowestPrecision
            self.allowDisaggregation = allowDisaggregation
        }
    }

    public var model: ModelArchitecture
    public var traffic: Traffic
    public var objectives: Objectives
    public var constraints: Constraints
    /// Prices per accelerator-hour the plan may buy at.
    public var prices: [AcceleratorPrice]
    /// Requests each finalist's confirming simulation runs.
    public var simulatedRequests: Int
    public var seed: UInt64

    public init(
        model: ModelArchitecture, traffic: Traffic, objectives: Objectives, constraints: Constraints = Constraints(),
        prices: [AcceleratorPrice], simulatedRequests: Int = 3000, seed: UInt64 = 1
    ) {
        self.model = model
        self.traffic = traffic
        self.objectives = objectives
        self.constraints = constraints
        self.prices = prices
        self.simulatedRequests = simulatedRequests
        self.seed = seed
    }
}

/// One price an accelerator-hour can be bought at.
public struct AcceleratorPrice: Sendable, Hashable {
    public var accelerator: String
    public var provider: String
    public var region: String
    public var jurisdiction: String
    public var perHour: Double
    public var currency: String
    public var source: String
    public var asOf: String
    /// Accelerators in the smallest unit the price buys: an instance (8 GPUs in p5.48xlarge, 16 Trainium2 chips in
    /// trn2.48xlarge, 4 GB200 GPUs in a CoreWeave instance), a TPU slice, a server or rack bought outright; 1 for a
    /// single card or an override.
    public var unitAccelerators: Int = 1
    /// The unit's name (the SKU), for reports.
    public var unitName: String? = nil

    /// Accelerators paid for when `accelerators` are used: whole units, rounded up.
    public func billedAccelerators(_ accelerators: Int) -> Int {
        let unit = max(unitAccelerators, 1)
        return (accelerators.saturatingAdding(unit - 1) / unit).saturatingMultiplying(by: unit)
    }

    public init(
        accelerator: String, provider: String, region: String, jurisdiction: String, perHour: Double, currency: String,
        source: String, asOf: String
    ) {
        self.accelerator = accelerator
        self.provider = provider
        self.region = region
        self.jurisdiction = jurisdiction
        self.perHour = perHour
        self.currency = currency
        self.source = source
        self.asOf = asOf
    }
}

extension Precision {
    /// Bits per weight, for quality floors: 16-bit formats above 8-bit above 6 above 4.
    public var bits: Int {
        switch self {
        case .fp32: 32
        case .fp16, .bf16: 16
        case .fp8, .int8, .q8_0: 8
        case .fp6: 6
        case .fp4, .mxfp4, .int4AWQ, .int4GPTQ, .q4_0, .q4_1, .q4_K: 4
        }
    }
}
