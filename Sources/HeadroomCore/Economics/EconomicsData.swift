/// A number that models the world, with where it comes from. `assumption` marks figures with no published source.
public struct SourcedValue: Sendable, Hashable {
    public var value: Double
    public var source: String
    public var asOf: String
    public var assumption: Bool

    public init(_ value: Double, source: String, asOf: String, assumption: Bool = false) {
        self.value = value
        self.source = source
        self.asOf = asOf
        self.assumption = assumption
    }
}

/// How often spot capacity is taken back, by provider (and bucket where the provider publishes buckets).
public struct SpotInterruption: Sendable, Hashable {
    public var provider: String
    /// The provider's bucket label (AWS Spot Instance Advisor: "<5%", "5-10%", …), or "typical".
    public var bucket: String
    /// Expected interruptions per instance-hour.
    public var perHour: SourcedValue

    public init(provider: String, bucket: String, perHour: SourcedValue) {
        self.provider = provider
        self.bucket = bucket
        self.perHour = perHour
    }
}

/// An autoscaler as a serving stack's users run it, with its real defaults.
public struct AutoscalerPolicy: Sendable, Hashable {
    /// What the policy scales on.
    public enum Signal: String, Sendable, Hashable {
        /// Fleet utilisation of capacity at the SLO (HPA-style target utilisation).
        case utilisation
        /// Requests waiting in the engines' queues (KEDA on vLLM `num_requests_waiting`).
        case waitingRequests = "waiting_requests"
        /// Requests in flight per replica (Ray Serve `target_ongoing_requests`).
        case ongoingRequests = "ongoing_requests"
        /// Requests per second per replica (SkyServe `target_qps_per_replica`).
        case queriesPerSecond = "qps"
        /// A forecast of the next interval's load against the SLO (Dynamo's SLA planner).
        case forecast
        /// A fixed schedule by hour.
        case scheduled
    }

    public var id: String
    public var name: String
    public var signal: Signal
    /// The target value of the signal per replica (or fleet fraction for utilisation).
    public var target: SourcedValue
    /// How often the policy evaluates, seconds.
    public var interval: SourcedValue
    /// How long a scale-up condition must hold before acting, seconds.
    public var upscaleDelay: SourcedValue
    /// How long a scale-down condition must hold before acting (cool-down), seconds.
    public var downscaleDelay: SourcedValue
    public var notes: String?

    public init(
        id: String, name: String, signal: Signal, target: SourcedValue, interval: SourcedValue,
        upscaleDelay: SourcedValue, downscaleDelay: SourcedValue, notes: String?
    ) {
        self.id = id
        self.name = name
        self.signal = signal
        self.target = target
        self.interval = interval
        self.upscaleDelay = upscaleDelay
        self.downscaleDelay = downscaleDelay
        self.notes = notes
    }
}

/// The parts of bringing one replica up, in seconds or rates.
public struct BringUpProfile: Sendable, Hashable {
    /// Time to get a node from the provider.
    public var nodeAcquisition: SourcedValue
    /// Probability a request for a node finds none (stock-out) and must retry.
    public var stockOutProbability: SourcedValue
    /// Extra wait after a stock-out before capacity appears.
    public var stockOutPenalty: SourcedValue
    /// Container image size, GB.
    public var imageSizeGB: SourcedValue
    /// Image pull bandwidth, GB/s.
    public var imagePullGBps: SourcedValue
    /// Weight storage read bandwidth per node, GB/s.
    public var weightLoadGBps: SourcedValue
    /// Engine start, compile and CUDA-graph capture, seconds.
    public var compileAndCapture: SourcedValue

    public init(
        nodeAcquisition: SourcedValue, stockOutProbability: SourcedValue, stockOutPenalty: SourcedValue,
        imageSizeGB: SourcedValue, imagePullGBps: SourcedValue, weightLoadGBps: SourcedValue,
        compileAndCapture: SourcedValue
    ) {
        self.nodeAcquisition = nodeAcquisition
        self.stockOutProbability = stockOutProbability
        self.stockOutPenalty = stockOutPenalty
        self.imageSizeGB = imageSizeGB
        self.imagePullGBps = imagePullGBps
        self.weightLoadGBps = weightLoadGBps
        self.compileAndCapture = compileAndCapture
    }
}

/// Inputs to build-versus-rent TCO.
public struct TCOAssumptions: Sendable, Hashable {
    /// Annual cost of capital (discount rate).
    public var costOfCapital: SourcedValue
    /// Years the hardware is used.
    public var usefulLifeYears: SourcedValue
    /// Resale value at end of life, fraction of purchase price.
    public var resaleFraction: SourcedValue
    /// Maintenance and support per year, fraction of purchase price.
    public var maintenanceFractionPerYear: SourcedValue
    /// Network, storage and control-plane capex per accelerator, fraction of server price.
    public var networkShareOfCapex: SourcedValue
    /// Colocation per contracted kW per month.
    public var colocationPerKWMonth: SourcedValue
    /// Power usage effectiveness.
    public var pue: SourcedValue
    /// Electricity per kWh.
    public var electricityPerKWh: SourcedValue
    /// Server power beyond the accelerators' TDP (CPUs, NICs, fans), fraction of accelerator TDP.
    public var hostPowerFraction: SourcedValue
    /// Staff cost per accelerator per year.
    public var staffPerAcceleratorYear: SourcedValue
    /// Cloud lines an on-demand price leaves out (storage, egress, control plane), fraction of compute spend.
    public var cloudOverheadFraction: SourcedValue

    public init(
        costOfCapital: SourcedValue, usefulLifeYears: SourcedValue, resaleFraction: SourcedValue,
        maintenanceFractionPerYear: SourcedValue, networkShareOfCapex: SourcedValue, colocationPerKWMonth: SourcedValue,
        pue: SourcedValue, electricityPerKWh: SourcedValue, hostPowerFraction: SourcedValue,
        staffPerAcceleratorYear: SourcedValue, cloudOverheadFraction: SourcedValue
    ) {
        self.costOfCapital = costOfCapital
        self.usefulLifeYears = usefulLifeYears
        self.resaleFraction = resaleFraction
        self.maintenanceFractionPerYear = maintenanceFractionPerYear
        self.networkShareOfCapex = networkShareOfCapex
        self.colocationPerKWMonth = colocationPerKWMonth
        self.pue = pue
        self.electricityPerKWh = electricityPerKWh
        self.hostPowerFraction = hostPowerFraction
        self.staffPerAcceleratorYear = staffPerAcceleratorYear
        self.cloudOverheadFraction = cloudOverheadFraction
    }
}

/// Facility figures.
public struct FacilityAssumptions: Sendable, Hashable {
    /// Highest rack power air cooling handles, kW.
    public var airCooledRackLimitKW: SourcedValue
    /// Rack power budget for liquid-cooled racks, kW.
    public var liquidCooledRackKW: SourcedValue
    /// Grid carbon intensity by jurisdiction, kg CO2e per kWh.
    public var gridIntensity: [String: SourcedValue]

    public init(
        airCooledRackLimitKW: SourcedValue, liquidCooledRackKW: SourcedValue, gridIntensity: [String: SourcedValue]
    ) {
        self.airCooledRackLimitKW = airCooledRackLimitKW
        self.liquidCooledRackKW = liquidCooledRackKW
        self.gridIntensity = gridIntensity
    }
}

/// Everything economic that is not a price: spot behaviour, autoscalers, bring-up, TCO and facility inputs.
public struct EconomicsData: Sendable, Hashable {
    public var spotInterruptions: [SpotInterruption]
    public var autoscalers: [AutoscalerPolicy]
    public var bringUp: BringUpProfile
    public var tco: TCOAssumptions
    public var facility: FacilityAssumptions
    /// Yearly decline of on-demand accelerator prices (for term choice over a growing horizon).
    public var annualPriceDecline: SourcedValue

    public init(
        spotInterruptions: [SpotInterruption], autoscalers: [AutoscalerPolicy], bringUp: BringUpProfile,
        tco: TCOAssumptions, facility: FacilityAssumptions, annualPriceDecline: SourcedValue
    ) {
        self.spotInterruptions = spotInterruptions
        self.autoscalers = autoscalers
        self.bringUp = bringUp
        self.tco = tco
        self.facility = facility
        self.annualPriceDecline = annualPriceDecline
    }

    /// Interruptions per hour for a provider: its typical bucket, else the mean of its buckets.
    public func spotRate(provider: String) -> SourcedValue? {
        let rows = spotInterruptions.filter { $0.provider == provider }
        if let typical = rows.first(where: { $0.bucket == "typical" }) { return typical.perHour }
        guard !rows.isEmpty else { return spotInterruptions.first { $0.provider == "default" }?.perHour }
        let mean = rows.map(\.perHour.value).reduce(0, +) / Double(rows.count)
        return SourcedValue(
            mean, source: rows[0].perHour.source, asOf: rows[0].perHour.asOf, assumption: rows[0].perHour.assumption)
    }
}
