public import HeadroomCore

/// `headroom plan --format json`, and the data every plan report (table, Markdown, HTML) renders.
public struct PlanDocument: Encodable, Sendable {
    public struct Latency: Encodable, Sendable {
        public var p50: Double
        public var p90: Double
        public var p99: Double

        init(_ p: Percentiles) {
            p50 = p.p50 * 1000
            p90 = p.p90 * 1000
            p99 = p.p99 * 1000
        }
    }

    public struct Candidate: Encodable, Sendable {
        public var rank: Int
        public var accelerator: String
        public var acceleratorName: String
        public var stack: String
        public var precision: String
        public var kvCachePrecision: String
        public var tp: Int
        public var pp: Int
        public var ep: Int
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

        enum CodingKeys: String, CodingKey {
            case rank, accelerator, stack, precision, tp, pp, ep, replicas, accelerators, provider, region, currency,
                pareto, notes
            case acceleratorName = "accelerator_name"
            case kvCachePrecision = "kv_cache_precision"
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

    public struct AdvisoryEntry: Encodable, Sendable {
        public var code: String
        public var severity: String
        public var title: String
        public var detail: String
    }

    public struct Integration: Encodable, Sendable {
        public var requestsPerDay: Double
        public var auditGbPerDay: Double
        public var auditTbRetained: Double
        public var auditWritesPerSecondPeak: Double
        public var bytesPerStreamedToken: Double
        public var peakEgressGbps: Double
        public var egressGbPerMonth: Double
        public var piiScanCores: Double
        public var concurrentStreamsPeak: Double
        public var gatewayReplicas: Int
        public var tenants: [Tenant]
        public var checklist: [String]
        public var assumptions: [String]

        public struct Tenant: Encodable, Sendable {
            public var name: String
            public var tokensPerMinute: Double
            public var shareOfFleet: Double
            public var accelerators: Double

            enum CodingKeys: String, CodingKey {
                case name, accelerators
                case tokensPerMinute = "tokens_per_minute"
                case shareOfFleet = "share_of_fleet"
            }
        }

        enum CodingKeys: String, CodingKey {
            case tenants, checklist, assumptions
            case requestsPerDay = "requests_per_day"
            case auditGbPerDay = "audit_gb_per_day"
            case auditTbRetained = "audit_tb_retained"
            case auditWritesPerSecondPeak = "audit_writes_per_second_peak"
            case bytesPerStreamedToken = "bytes_per_streamed_token"
            case peakEgressGbps = "peak_egress_gbps"
            case egressGbPerMonth = "egress_gb_per_month"
            case piiScanCores = "pii_scan_cores"
            case concurrentStreamsPeak = "concurrent_streams_peak"
            case gatewayReplicas = "gateway_replicas"
        }
    }

    public struct Workload: Encodable, Sendable {
        public var model: String
        public var modelName: String
        public var peakRps: Double
        public var averageRps: Double
        public var meanInputTokens: Double
        public var meanOutputTokens: Double
        public var slo: [String: Double]
        public var percentile: Double
        public var availability: Double?

        enum CodingKeys: String, CodingKey {
            case model, slo, percentile, availability
            case modelName = "model_name"
            case peakRps = "peak_rps"
            case averageRps = "average_rps"
            case meanInputTokens = "mean_input_tokens"
            case meanOutputTokens = "mean_output_tokens"
        }
    }

    public struct Search: Encodable, Sendable {
        public var configurations: Int
        public var fitting: Int
        public var meetingSlo: Int
        public var simulated: Int
        public var rejected: [String: Int]

        enum CodingKeys: String, CodingKey {
            case configurations, fitting, simulated, rejected
            case meetingSlo = "meeting_slo"
        }
    }

    public var workload: Workload
    /// Cheapest verified first.
    public var candidates: [Candidate]
    public var advisories: [AdvisoryEntry]
    public var integration: Integration?
    public var search: Search
    /// Samples of the chosen plan's simulated time series: [time_s, running, waiting, kv_utilisation].
    public var chosenTimeSeries: [[Double]]
    public var assumptions: [String]
    /// `--explain`: the formula inputs behind the recommendation's figures.
    public var explain: [Explanation]?

    enum CodingKeys: String, CodingKey {
        case workload, candidates, advisories, integration, search, assumptions, explain
        case chosenTimeSeries = "chosen_time_series"
    }

    /// The recommended candidate (rank 1), if any.
    public var chosen: Candidate? { candidates.first }
}

extension PlanDocument {
    /// Builds the document from a plan; `limit` caps the candidates listed (the Pareto front is always kept).
    public init(_ plan: Plan, limit: Int = 25, assumptions: [String] = []) {
        let gib = 1_073_741_824.0
        let request = plan.request
        let paretoKeys = Set(plan.pareto.map(Self.key))
        var listed: [PlanCandidate] = []
        for (index, c) in plan.candidates.enumerated() where index < limit || paretoKeys.contains(Self.key(c)) {
            listed.append(c)
        }
        candidates = listed.enumerated().map { index, c in
            let d = c.deployment
            let m = d.memoryPlan
            return Candidate(
                rank: index + 1, accelerator: d.accelerator.id, acceleratorName: d.accelerator.name, stack: d.stack.id,
                precision: d.precision.rawValue, kvCachePrecision: d.kvPrecision.rawValue, tp: d.tensorParallel,
                pp: d.pipelineParallel, ep: d.expertParallel, replicas: d.replicas, spareReplicas: c.spareReplicas,
                accelerators: d.count, prefillReplicas: c.disaggregation?.prefillReplicas,
                decodeReplicas: c.disaggregation?.decodeReplicas, provider: c.price?.provider, region: c.price?.region,
                pricePerAcceleratorHour: c.price?.perHour, currency: c.price?.currency, costPerHour: c.costPerHour,
                costPerMillionOutputTokens: c.costPerMillionTokens, perReplicaCapacityRps: c.perReplicaCapacity,
                peakUtilisation: c.peakUtilisation, averageUtilisation: c.averageUtilisation, ttftMs: Latency(c.ttft),
                tpotMs: Latency(c.tpot), e2eMs: Latency(c.e2e), verifiedBySimulation: c.verified,
                pareto: paretoKeys.contains(Self.key(c)), maxNumSeqs: d.maxNumSeqs, maxBatchedTokens: d.maxBatchedTokens,
                memoryFraction: d.memoryFraction,
                memoryGib: [
                    "weights": m.weightsPerAccelerator / gib, "kv_cache": max(m.kvCachePerAccelerator, 0) / gib,
                    "activations": m.activationsPerAccelerator / gib, "runtime": m.runtimeOverheadPerAccelerator / gib,
                    "capacity": d.accelerator.memoryGiB,
                ],
                notes: c.notes
            )
        }
        advisories = plan.advisories.map {
            AdvisoryEntry(code: $0.code, severity: $0.severity.rawValue, title: $0.title, detail: $0.detail)
        }
        integration = plan.integration.map { s in
            Integration(
                requestsPerDay: s.requestsPerDay, auditGbPerDay: s.auditBytesPerDay / 1e9,
                auditTbRetained: s.auditStorageBytes / 1e12, auditWritesPerSecondPeak: s.auditWritesPerSecondPeak,
                bytesPerStreamedToken: s.bytesPerStreamedToken, peakEgressGbps: s.peakEgressGbps,
                egressGbPerMonth: s.egressGBPerMonth, piiScanCores: s.piiScanCores,
                concurrentStreamsPeak: s.concurrentStreamsPeak, gatewayReplicas: s.gatewayReplicas,
                tenants: s.tenants.map {
                    .init(name: $0.name, tokensPerMinute: $0.tokensPerMinute, shareOfFleet: $0.shareOfFleet, accelerators: $0.accelerators)
                },
                checklist: s.checklist, assumptions: s.assumptions
            )
        }
        var slo: [String: Double] = [:]
        if let v = request.objectives.ttftSeconds { slo["ttft_ms"] = v * 1000 }
        if let v = request.objectives.tpotSeconds { slo["tpot_ms"] = v * 1000 }
        if let v = request.objectives.e2eSeconds { slo["e2e_ms"] = v * 1000 }
        workload = Workload(
            model: request.model.id, modelName: request.model.name, peakRps: request.traffic.peakRate,
            averageRps: request.traffic.averageRate, meanInputTokens: request.traffic.input.mean,
            meanOutputTokens: request.traffic.output.mean, slo: slo, percentile: request.objectives.percentile,
            availability: request.objectives.availability
        )
        var rejected: [String: Int] = [:]
        for r in plan.rejections {
            let reason = r.reason.hasPrefix("does not fit") ? "does not fit" : (r.reason.hasPrefix("no rate meets") ? "misses the SLO even at a trickle" : r.reason)
            rejected[reason, default: 0] += 1
        }
        search = Search(
            configurations: plan.statistics.configurations, fitting: plan.statistics.fitting,
            meetingSlo: plan.statistics.meetingSLO, simulated: plan.statistics.simulated, rejected: rejected
        )
        chosenTimeSeries = (plan.chosen?.simulation?.timeSeries ?? []).map {
            [$0.time, Double($0.running), Double($0.waiting), $0.kvUtilisation]
        }
        self.assumptions = assumptions
    }

    static func key(_ c: PlanCandidate) -> String {
        let d = c.deployment
        return "\(d.accelerator.id)|\(d.stack.id)|\(d.precision)|\(d.tensorParallel)|\(d.pipelineParallel)|\(d.count)|\(c.disaggregation?.prefillReplicas ?? 0)"
    }
}
