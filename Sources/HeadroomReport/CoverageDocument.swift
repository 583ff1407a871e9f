public import HeadroomCore

/// Which simulation confirmed a figure, in `plan` and `simulate` JSON: `"mode": "whole_fleet"` (every replica behind
/// the router) or `"sampled"` (a few identical replicas at their share of the traffic, with the confidence interval
/// of the tail percentile).
public struct CoverageDocument: Encodable, Sendable, Hashable {
    var mode: String
    var router: String
    var fleetReplicas: Int
    var simulatedReplicas: Int
    var simulatedRequests: Int
    var requestsPerReplica: Int?
    var percentile: Double?
    var confidence: Double?
    var percentileBounds: [Double]?
    var ttftMsInterval: [Double]?
    var tpotMsInterval: [Double]?
    var e2eMsInterval: [Double]?

    enum CodingKeys: String, CodingKey {
        case mode, router, percentile, confidence
        case fleetReplicas = "fleet_replicas"
        case simulatedReplicas = "simulated_replicas"
        case simulatedRequests = "simulated_requests"
        case requestsPerReplica = "requests_per_replica"
        case percentileBounds = "percentile_bounds"
        case ttftMsInterval = "ttft_ms_interval"
        case tpotMsInterval = "tpot_ms_interval"
        case e2eMsInterval = "e2e_ms_interval"
    }

    /// - Parameter router: the router of a whole-fleet simulation (a sample states its own).
    public init(_ result: SimulationResult, router: SimulationOptions.Router) {
        fleetReplicas = result.replicas
        simulatedRequests = result.arrived
        switch result.coverage {
        case .wholeFleet:
            mode = "whole_fleet"
            self.router = router.rawValue
            simulatedReplicas = result.replicas
        case .sampled(let s):
            func ms(_ r: ClosedRange<Double>) -> [Double] { [r.lowerBound * 1000, r.upperBound * 1000] }
            mode = "sampled"
            self.router = s.router.rawValue
            simulatedReplicas = s.sampledReplicas
            requestsPerReplica = s.requestsPerReplica
            percentile = s.percentile
            confidence = s.confidence
            percentileBounds = [s.percentileBounds.lowerBound, s.percentileBounds.upperBound]
            ttftMsInterval = ms(s.ttft)
            tpotMsInterval = ms(s.tpot)
            e2eMsInterval = ms(s.e2e)
        }
    }
}
