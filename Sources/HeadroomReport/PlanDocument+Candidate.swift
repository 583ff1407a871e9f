extension PlanDocument {
    public struct Candidate: Encodable, Sendable {
        public var rank: Int
        public var accelerator: String
        public var acceleratorName: String
        public var stack: String
        public var precision: String
        public var kvCachePrecision: String
        /// Whether the weights are dequantised for the matrix products (no matrix units for their format on this
        /// part): memory and bandwidth savings only.
        public var weightOnly: Bool = false
        /// What the price buys in one piece (`trn2.48xlarge`, `tpu-v6e-8`, a rack), its accelerators, and the
        /// accelerators paid for once the fleet is rounded up to whole units.
        public var purchaseUnit: String? = nil
        public var purchaseUnitAccelerators: Int = 1
        public var billedAccelerators: Int? = nil
        public var tp: Int
        public var pp: Int
        public var ep: Int
        /// Data-parallel attention across the tensor-parallel ranks.
        public var attentionDP: Bool = false
        public var replicas: Int
        public var spareReplicas: Int
        public var accelerators: Int
        public var prefillReplicas: Int?
        public var decodeReplicas: Int?
        public var provider: String?
        public var region: String?
        public var pricePerAcceleratorHour: Double?
        public var currency: String?
        public var costPerHour: Double
        public var costPerMillionOutputTokens: Double
        public var perReplicaCapacityRps: Double
        public var peakUtilisation: Double
        public var averageUtilisation: Double
        public var ttftMs: Latency
        public var tpotMs: Latency
        public var e2eMs: Latency
        public var verifiedBySimulation: Bool
        public var pareto: Bool
        public var maxNumSeqs: Int?
        public var maxBatchedTokens: Int
        public var memoryFraction: Double
        /// Per accelerator, GiB: weights, KV cache, activations, runtime overhead, and the part's capacity.
        public var memoryGib: [String: Double]
        public var notes: [String]
        /// The confirming simulation: whole fleet or sampled (absent for an analytic estimate).
        public var confirmation: CoverageDocument?

        /// Memberwise, for hand-built documents such as test fixtures.
        package init(
            rank: Int, accelerator: String, acceleratorName: String, stack: String, precision: String,
            kvCachePrecision: String, tp: Int, pp: Int, ep: Int, replicas: Int, spareReplicas: Int, accelerators: Int,
            prefillReplicas: Int? = nil, decodeReplicas: Int? = nil, provider: String? = nil, region: String? = nil,
            pricePerAcceleratorHour: Double? = nil, currency: String? = nil, costPerHour: Double,
            costPerMillionOutputTokens: Double, perReplicaCapacityRps: Double, peakUtilisation: Double,
            averageUtilisation: Double, ttftMs: Latency, tpotMs: Latency, e2eMs: Latency, verifiedBySimulation: Bool,
            pareto: Bool, maxNumSeqs: Int? = nil, maxBatchedTokens: Int, memoryFraction: Double,
            memoryGib: [String: Double], notes: [String]
        ) {
            self.rank = rank
            self.accelerator = accelerator
            self.acceleratorName = acceleratorName
            self.stack = stack
            self.precision = precision
            self.kvCachePrecision = kvCachePrecision
            self.tp = tp
            self.pp = pp
            self.ep = ep
            self.replicas = replicas
            self.spareReplicas = spareReplicas
            self.accelerators = accelerators
            self.prefillReplicas = prefillReplicas
            self.decodeReplicas = decodeReplicas
            self.provider = provider
            self.region = region
            self.pricePerAcceleratorHour = pricePerAcceleratorHour
            self.currency = currency
            self.costPerHour = costPerHour
            self.costPerMillionOutputTokens = costPerMillionOutputTokens
            self.perReplicaCapacityRps = perReplicaCapacityRps
            self.peakUtilisation = peakUtilisation
            self.averageUtilisation = averageUtilisation
            self.ttftMs = ttftMs
            self.tpotMs = tpotMs
            self.e2eMs = e2eMs
            self.verifiedBySimulation = verifiedBySimulation
            self.pareto = pareto
            self.maxNumSeqs = maxNumSeqs
            self.maxBatchedTokens = maxBatchedTokens
            self.memoryFraction = memoryFraction
            self.memoryGib = memoryGib
            self.notes = notes
        }

        enum CodingKeys: String, CodingKey {
            case rank, accelerator, stack, precision, tp, pp, ep, replicas, accelerators, provider, region, currency,
                pareto, notes, confirmation
            case attentionDP = "attention_dp"
            case acceleratorName = "accelerator_name"
            case kvCachePrecision = "kv_cache_precision"
            case weightOnly = "weight_only"
            case purchaseUnit = "purchase_unit"
            case purchaseUnitAccelerators = "purchase_unit_accelerators"
            case billedAccelerators = "billed_accelerators"
            case spareReplicas = "spare_replicas"
            case prefillReplicas = "prefill_replicas"
            case decodeReplicas = "decode_replicas"
            case pricePerAcceleratorHour = "price_per_accelerator_hour"
            case costPerHour = "cost_per_hour"
            case costPerMillionOutputTokens = "cost_per_million_output_tokens"
            case perReplicaCapacityRps = "per_replica_capacity_rps"
            case peakUtilisation = "peak_utilisation"
            case averageUtilisation = "average_utilisation"
            case ttftMs = "ttft_ms"
            case tpotMs = "tpot_ms"
            case e2eMs = "e2e_ms"
            case verifiedBySimulation = "verified_by_simulation"
            case maxNumSeqs = "max_num_seqs"
            case maxBatchedTokens = "max_num_batched_tokens"
            case memoryFraction = "memory_fraction"
            case memoryGib = "memory_gib"
        }
    }
}
