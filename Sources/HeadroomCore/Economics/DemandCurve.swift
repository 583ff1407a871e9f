import RealModule

/// Required replicas hour by hour over a horizon, from a traffic profile, growth and the per-replica capacity the
/// planner found at the SLO.
public struct DemandCurve: Sendable, Hashable {
    /// Requests per second in each hour.
    public var rates: [Double]
    /// Replicas needed in each hour (at least the floor).
    public var replicas: [Int]
    public var perReplicaCapacity: Double

    /// - Parameters:
    ///   - averageRate: mean requests per second at the start of the horizon.
    ///   - profile: 24 (day) or 168 (week) hourly multipliers; empty for flat.
    ///   - growthPerMonth: compounded monthly growth.
    ///   - hours: horizon length in hours (168 a week, 8760 a year).
    ///   - perReplicaCapacity: requests per second one replica serves within the SLO.
    ///   - floor: replicas always kept (minimum replicas, spares).
    /// - Throws: ``HeadroomError`` for non-positive inputs.
    public init(
        averageRate: Double, profile: [Double], growthPerMonth: Double, hours: Int, perReplicaCapacity: Double,
        floor: Int = 1
    ) throws(HeadroomError) {
        guard averageRate > 0, averageRate.isFinite else {
            throw HeadroomError(.invalidInput, "average rate must be positive", field: "traffic")
        }
        guard perReplicaCapacity > 0, perReplicaCapacity.isFinite else {
            throw HeadroomError(.invalidInput, "per-replica capacity must be positive", field: "capacity")
        }
        guard hours >= 1 else {
            throw HeadroomError(.invalidInput, "horizon must be at least one hour", field: "horizon")
        }
        try InputLimits.check(Double(hours), in: 1...87_600, field: "horizon", unit: "hours")
        try InputLimits.check(growthPerMonth, in: InputLimits.growthPerMonth, field: "traffic.growth_per_month")
        let shape = profile.isEmpty ? [1.0] : profile
        let mean = shape.reduce(0, +) / Double(shape.count)
        guard mean > 0 else {
            throw HeadroomError(.invalidInput, "the profile must not be all zero", field: "traffic.diurnal")
        }
        var rates: [Double] = []
        var replicas: [Int] = []
        rates.reserveCapacity(hours)
        replicas.reserveCapacity(hours)
        for hour in 0..<hours {
            let months = Double(hour) / 730
            let growth = growthPerMonth == 0 ? 1 : Double.pow(1 + growthPerMonth, months)
            let rate = averageRate * shape[hour % shape.count] / mean * growth
            rates.append(rate)
            replicas.append(max(Int(saturating: (rate / perReplicaCapacity).rounded(.up)), floor))
        }
        try Self.checkBounds(replicas)
        self.rates = rates
        self.replicas = replicas
        self.perReplicaCapacity = perReplicaCapacity
    }

    /// The curve a planned fleet is bought to: the demand's replicas (at least `minimum`) with `spares` on top in
    /// every hour, and never fewer than the `fleet` the plan recommends.
    /// - Throws: ``HeadroomError`` when spares or the fleet take the curve past its bounds (see ``init``).
    public func holding(fleet: Int, spares: Int, minimum: Int) throws(HeadroomError) -> DemandCurve {
        var copy = self
        copy.replicas = rates.map { rate in
            max(max(Int(saturating: (rate / perReplicaCapacity).rounded(.up)), minimum).saturatingAdding(spares), fleet)
        }
        try Self.checkBounds(copy.replicas)
        return copy
    }

    /// Procurement and autoscaling walk the curve replica by replica: its peak and its area are bounded.
    private static func checkBounds(_ replicas: [Int]) throws(HeadroomError) {
        let peak = replicas.max() ?? 0
        let area = replicas.reduce(0) { $0.saturatingAdding($1) }
        guard peak <= InputLimits.curveReplicas, area <= InputLimits.curveReplicaHours else {
            throw HeadroomError(
                .invalidInput,
                "the demand grows to \(peak == Int.max ? "more than \(InputLimits.curveReplicas)" : "\(peak)") replicas "
                    + "(\(area == Int.max ? "too many" : "\(area)") replica-hours) over the horizon; at most "
                    + "\(InputLimits.curveReplicas) replicas and \(InputLimits.curveReplicaHours) replica-hours: lower "
                    + "the growth or the horizon", field: "traffic.growth_per_month")
        }
    }

    public var hours: Int { replicas.count }
    public var peakReplicas: Int { replicas.max() ?? 0 }
    public var replicaHours: Int { replicas.reduce(0, +) }

    /// Hours in which at least `level` replicas are needed (the load-duration curve).
    public func hoursAtOrAbove(_ level: Int) -> Int {
        replicas.reduce(0) { $0 + ($1 >= level ? 1 : 0) }
    }
}
