/// One deployment the planner found, sized for the peak and priced.
public struct PlanCandidate: Sendable {
    public var deployment: Deployment
    /// Prefill and decode pools, when disaggregated.
    public var disaggregation: Disaggregation?
    public var price: AcceleratorPrice?
    /// Fleet cost per hour at peak (replicas × accelerators × price).
    public var costPerHour: Double
    /// Cost per million output tokens at the average rate, with the fleet sized for peak.
    public var costPerMillionTokens: Double
    /// Requests per second one replica serves within the SLO (analytic).
    public var perReplicaCapacity: Double
    /// Replicas beyond the peak's need, for availability.
    public var spareReplicas: Int
    /// Peak load over the fleet's capacity at the SLO.
    public var peakUtilisation: Double
    /// Average load over the fleet's capacity at the SLO.
    public var averageUtilisation: Double
    /// Latency at peak: simulated for finalists, analytic otherwise.
    public var ttft: Percentiles
    public var tpot: Percentiles
    public var e2e: Percentiles
    /// Whether a simulation at peak traffic confirmed the SLO.
    public var verified: Bool
    public var simulation: SimulationResult?
    public var notes: [String]

    public var replicas: Int { deployment.replicas }
    public var accelerators: Int { deployment.count }
}

/// A deterministic piece of push-back, with the numbers behind it.
public struct Advisory: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case info
        case warning
        case critical

        public static func < (a: Severity, b: Severity) -> Bool {
            let order: [Severity] = [.info, .warning, .critical]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    public var code: String
    public var severity: Severity
    public var title: String
    public var detail: String

    public init(_ code: String, _ severity: Severity, _ title: String, _ detail: String) {
        self.code = code
        self.severity = severity
        self.title = title
        self.detail = detail
    }
}

/// A configuration the search set aside, and why.
public struct Rejection: Sendable, Hashable {
    public var configuration: String
    public var reason: String
}

/// How much work the search did.
public struct SearchStatistics: Sendable, Hashable {
    public var configurations: Int
    public var fitting: Int
    public var meetingSLO: Int
    public var simulated: Int
}

/// The planner's answer: ranked candidates, the Pareto front, advisories and integration sizing.
public struct Plan: Sendable {
    public var request: PlanRequest
    /// Feasible candidates, cheapest first; the first verified one is the recommendation.
    public var candidates: [PlanCandidate]
    /// Candidates no other beats on both cost per hour and p99 TTFT.
    public var pareto: [PlanCandidate]
    public var advisories: [Advisory]
    public var rejections: [Rejection]
    public var statistics: SearchStatistics
    public var integration: IntegrationSizing?

    /// The recommended deployment.
    public var chosen: PlanCandidate? { candidates.first { $0.verified } ?? candidates.first }
}
