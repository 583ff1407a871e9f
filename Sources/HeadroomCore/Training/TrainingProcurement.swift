/// What to buy or rent for a training run: nodes, fabric, storage, power, racks and money by procurement option.
public struct TrainingProcurement: Sendable, Hashable, Codable {
    /// One way to pay for the accelerator-hours.
    public struct CostOption: Sendable, Hashable, Codable {
        /// `on_demand`, `spot`, `reserved_1y`, `reserved_3y`, `capacity_block`, `purchase`.
        public var option: String
        public var pricePerAcceleratorHour: Double?
        public var provider: String
        public var region: String
        public var source: String
        public var asOf: String
        /// Accelerator-hours paid for (spot: with its rework), or accelerators bought.
        public var quantity: Double
        public var cost: Double
        public var wallDays: Double?
        public var note: String?
    }

    public var nodes: Int
    public var nodeSize: Int
    /// Per-accelerator scale-out bandwidth that would hide the data-parallel traffic behind compute, GB/s.
    public var scaleOutNeededGBpsPerAccelerator: Double
    /// The part's scale-out bandwidth per accelerator, GB/s, where the catalog has it.
    public var scaleOutAvailableGBpsPerAccelerator: Double?
    public var checkpointBytes: Double
    public var checkpointsRetained: Int
    public var checkpointStorageBytes: Double
    /// Tokenised training data: token ids at 2 bytes (vocabularies up to 65,536) or 4.
    public var datasetBytes: Double
    public var datasetBytesPerToken: Double
    /// Accelerator TDP × count; `nil` when the part has no published power figure and none was given.
    public var acceleratorPowerKW: Double?
    /// Whole servers where a system power figure exists.
    public var systemPowerKW: Double?
    public var systemPowerSource: String?
    public var pue: Double
    public var pueSource: String
    /// IT power (systems where known, else accelerators) × PUE; `nil` when no power figure exists.
    public var facilityPowerKW: Double?
    public var energyMWh: Double?
    /// What the power figures rest on: the catalog TDP, a given figure, or why there is none.
    public var powerSource: String? = nil
    public var electricityCost: Double?
    public var electricitySource: String?
    public var racks: Int
    public var serversPerRack: Int
    public var rackKW: Double?
    public var rackSource: String
    public var currency: String?
    public var costs: [CostOption]
    /// Spot preemptions per 1,000 node-days at which spot costs as much as the cheapest on-demand offer, when no rate
    /// is given.
    public var spotBreakEvenPreemptionsPerThousandNodeDays: Double?

    enum CodingKeys: String, CodingKey {
        case nodes, nodeSize, checkpointBytes, checkpointsRetained, checkpointStorageBytes, datasetBytes
        case datasetBytesPerToken, acceleratorPowerKW = "accelerator_power_kw", systemPowerKW = "system_power_kw"
        case systemPowerSource, powerSource, pue, pueSource, facilityPowerKW = "facility_power_kw", energyMWh =
            "energy_mwh"
        case electricityCost, electricitySource, racks, serversPerRack, rackKW = "rack_kw", rackSource, currency, costs
        case scaleOutNeededGBpsPerAccelerator = "scale_out_needed_gbps_per_accelerator"
        case scaleOutAvailableGBpsPerAccelerator = "scale_out_available_gbps_per_accelerator"
        case spotBreakEvenPreemptionsPerThousandNodeDays = "spot_break_even_preemptions_per_1000_node_days"
    }
}
