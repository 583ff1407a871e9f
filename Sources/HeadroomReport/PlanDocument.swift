public import HeadroomCore

/// `headroom plan --format json`, and the data every plan report (table, Markdown, HTML) renders.
public struct PlanDocument: Encodable, Sendable {
    public struct Latency: Encodable, Sendable {
        public var p50: Double
        public var p90: Double
        public var p99: Double

        package init(_ p: Percentiles) {
            p50 = p.p50 * 1000
            p90 = p.p90 * 1000
            p99 = p.p99 * 1000
        }
    }

    public struct AdvisoryEntry: Encodable, Sendable {
        public var code: String
        public var severity: String
        public var title: String
        public var detail: String

        /// Memberwise, for hand-built documents such as test fixtures.
        package init(code: String, severity: String, title: String, detail: String) {
            self.code = code
            self.severity = severity
            self.title = title
            self.detail = detail
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

        /// Memberwise, for hand-built documents such as test fixtures.
        package init(
            model: String, modelName: String, peakRps: Double, averageRps: Double, meanInputTokens: Double,
            meanOutputTokens: Double, slo: [String: Double], percentile: Double, availability: Double? = nil
        ) {
            self.model = model
            self.modelName = modelName
            self.peakRps = peakRps
            self.averageRps = averageRps
            self.meanInputTokens = meanInputTokens
            self.meanOutputTokens = meanOutputTokens
            self.slo = slo
            self.percentile = percentile
            self.availability = availability
        }

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

        /// Memberwise, for hand-built documents such as test fixtures.
        package init(configurations: Int, fitting: Int, meetingSlo: Int, simulated: Int, rejected: [String: Int]) {
            self.configurations = configurations
            self.fitting = fitting
            self.meetingSlo = meetingSlo
            self.simulated = simulated
            self.rejected = rejected
        }

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

    /// Memberwise, for hand-built documents such as test fixtures.
    package init(
        workload: Workload, candidates: [Candidate], advisories: [AdvisoryEntry], integration: Integration? = nil,
        search: Search, chosenTimeSeries: [[Double]], assumptions: [String], explain: [Explanation]? = nil
    ) {
        self.workload = workload
        self.candidates = candidates
        self.advisories = advisories
        self.integration = integration
        self.search = search
        self.chosenTimeSeries = chosenTimeSeries
        self.assumptions = assumptions
        self.explain = explain
    }

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
            var candidate = Candidate(
                rank: index + 1, accelerator: d.accelerator.id, acceleratorName: d.accelerator.name, stack: d.stack.id,
                precision: d.precision.rawValue, kvCachePrecision: d.kvPrecision.rawValue, tp: d.tensorParallel,
                pp: d.pipelineParallel, ep: d.expertParallel, replicas: d.replicas, spareReplicas: c.spareReplicas,
                accelerators: d.count, prefillReplicas: c.disaggregation?.prefillReplicas,
                decodeReplicas: c.disaggregation?.decodeReplicas, provider: c.price?.provider, region: c.price?.region,
                pricePerAcceleratorHour: c.price?.perHour, currency: c.price?.currency, costPerHour: c.costPerHour,
                costPerMillionOutputTokens: c.costPerMillionTokens, perReplicaCapacityRps: c.perReplicaCapacity,
                peakUtilisation: c.peakUtilisation, averageUtilisation: c.averageUtilisation, ttftMs: Latency(c.ttft),
                tpotMs: Latency(c.tpot), e2eMs: Latency(c.e2e), verifiedBySimulation: c.verified,
                pareto: paretoKeys.contains(Self.key(c)), maxNumSeqs: d.maxNumSeqs,
                maxBatchedTokens: d.maxBatchedTokens,
                memoryFraction: d.memoryFraction,
                memoryGib: [
                    "weights": m.weightsPerAccelerator / gib, "kv_cache": max(m.kvCachePerAccelerator, 0) / gib,
                    "activations": m.activationsPerAccelerator / gib, "runtime": m.runtimeOverheadPerAccelerator / gib,
                    "capacity": d.accelerator.memoryGiB,
                ],
                notes: c.notes
            )
            candidate.attentionDP = d.attentionDataParallel
            candidate.weightOnly = d.accelerator.runsWeightOnly(d.precision)
            if let price = c.price {
                candidate.purchaseUnit = price.unitName
                candidate.purchaseUnitAccelerators = max(price.unitAccelerators, 1)
                candidate.billedAccelerators = price.billedAccelerators(d.count)
            }
            candidate.confirmation = c.simulation.map { CoverageDocument($0, router: .leastOutstanding) }
            return candidate
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
                    .init(
                        name: $0.name, tokensPerMinute: $0.tokensPerMinute, shareOfFleet: $0.shareOfFleet,
                        accelerators: $0.accelerators)
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
            let reason =
                r.reason.hasPrefix("does not fit")
                ? "does not fit" : (r.reason.hasPrefix("no rate meets") ? "misses the SLO even at a trickle" : r.reason)
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
        return
            "\(d.accelerator.id)|\(d.stack.id)|\(d.precision)|\(d.tensorParallel)|\(d.pipelineParallel)|\(d.count)|\(c.disaggregation?.prefillReplicas ?? 0)"
    }
}
