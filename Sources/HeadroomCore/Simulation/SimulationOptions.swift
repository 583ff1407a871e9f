/// How the simulated fleet schedules, routes and measures.
public struct SimulationOptions: Sendable, Hashable {
    /// How a fleet's router picks a replica for each arrival.
    public enum Router: String, Sendable, Hashable, CaseIterable {
        case roundRobin = "round-robin"
        /// The replica with the fewest requests waiting or running.
        case leastOutstanding = "least-outstanding"
        /// Requests with the same prefix id go to the same replica (their prefix stays cached there); others go to
        /// the least-outstanding replica.
        case prefixAffinity = "prefix-affinity"
    }

    /// Latency objectives that decide goodput (nil terms are not checked).
    public struct SLO: Sendable, Hashable {
        public var ttftSeconds: Double?
        public var tpotSeconds: Double?
        public var e2eSeconds: Double?

        public init(ttftSeconds: Double? = nil, tpotSeconds: Double? = nil, e2eSeconds: Double? = nil) {
            self.ttftSeconds = ttftSeconds
            self.tpotSeconds = tpotSeconds
            self.e2eSeconds = e2eSeconds
        }
    }

    public var router: Router
    public var slo: SLO
    /// Fraction of requests (by arrival order) left out of the statistics while the fleet fills.
    public var warmupFraction: Double
    /// Simulated seconds between time-series samples (the interval doubles when the series grows past its cap).
    public var sampleInterval: Double
    /// Prefix caching on (vLLM V1 default).
    public var prefixCaching: Bool

    public init(
        router: Router = .leastOutstanding, slo: SLO = SLO(), warmupFraction: Double = 0.05, sampleInterval: Double = 1,
        prefixCaching: Bool = true
    ) {
        self.router = router
        self.slo = slo
        self.warmupFraction = warmupFraction
        self.sampleInterval = sampleInterval
        self.prefixCaching = prefixCaching
    }
}

/// Prefill and decode on separate pools, with the KV cache shipped between them.
public struct Disaggregation: Sendable, Hashable {
    /// Replicas that only prefill.
    public var prefillReplicas: Int
    /// Replicas that only decode.
    public var decodeReplicas: Int

    public init(prefillReplicas: Int, decodeReplicas: Int) {
        self.prefillReplicas = prefillReplicas
        self.decodeReplicas = decodeReplicas
    }
}
