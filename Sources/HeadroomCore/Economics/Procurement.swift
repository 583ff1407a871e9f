/// A way to buy replica-hours, priced per replica-hour.
public struct ProcurementOption: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case reserved3y = "3-year commitment"
        case reserved1y = "1-year commitment"
        case onDemand = "on-demand"
        case spot = "spot"
    }

    public var kind: Kind
    /// Price per replica-hour.
    public var rate: Double
    /// Commitment length in hours (nil: pay as used).
    public var termHours: Int?
    public var source: String

    public init(kind: Kind, rate: Double, termHours: Int?, source: String) {
        self.kind = kind
        self.rate = rate
        self.termHours = termHours
        self.source = source
    }
}

/// Spot for serving: interruptions, what each costs, and how much of the fleet may ride on spot.
public struct SpotPolicy: Sendable, Hashable {
    /// Interruptions per replica-hour.
    public var interruptionsPerHour: Double
    /// Hours to replace an interrupted replica (the bring-up time), during which on-demand covers it.
    public var recoveryHours: Double
    /// Highest fraction of each hour's replicas on spot; the rest stays on committed or on-demand capacity so an
    /// interruption wave cannot take the service down.
    public var maxShare: Double

    public init(interruptionsPerHour: Double, recoveryHours: Double, maxShare: Double) {
        self.interruptionsPerHour = interruptionsPerHour
        self.recoveryHours = recoveryHours
        self.maxShare = maxShare
    }

    /// Expected cost of one useful spot replica-hour: spot paid for the hour, plus on-demand fallback while an
    /// interrupted replica is replaced.
    public func effectiveRate(spot: Double, onDemand: Double) -> Double {
        spot + interruptionsPerHour * recoveryHours * onDemand
    }
}

/// The procurement mix that covers a demand curve at least expected cost.
public struct ProcurementPlan: Sendable {
    public struct Line: Sendable, Hashable {
        public var option: ProcurementOption.Kind
        /// Replicas committed (commitments) or the peak used (pay-as-used).
        public var replicas: Int
        public var replicaHours: Double
        public var cost: Double
        /// Break-even utilisation u* = committed rate / on-demand rate (commitments only).
        public var breakEvenUtilisation: Double?
        /// The committed level's actual utilisation over the horizon.
        public var utilisation: Double?
    }

    public var lines: [Line]
    public var totalCost: Double
    public var allOnDemandCost: Double
    /// The load-duration rule's cost: commit up to the level demand exceeds in at least u* of the hours.
    public var loadDurationRuleCost: Double
    /// Capacity by source in each hour: committed 3-year, committed 1-year, on-demand, spot (replicas).
    public var hourly: [(reserved3y: Int, reserved1y: Int, onDemand: Int, spot: Int)]
    /// Hours in which capacity fell short of demand (always zero: every hour is covered).
    public var uncoveredHours: Int
    public var savingsFraction: Double { allOnDemandCost > 0 ? 1 - totalCost / allOnDemandCost : 0 }
}

/// Chooses commitment levels, on-demand and spot for a demand curve.
///
/// Replica-hours are layered: level k (the k-th replica) is needed in N_k hours (the load-duration curve). A
/// commitment costs its rate for every hour of the horizon (prorated when the term outlasts it, assuming demand
/// continues); on-demand costs its rate for the N_k hours used; spot costs its effective rate (with interruption
/// fallback) for the hours used, but only above the share of each hour that must stay on reliable capacity. With
/// price declines, a 1-year commitment is bought year by year at each year's price while a 3-year one locks today's.
/// Each level takes its cheapest option, which is optimal because levels are independent once spot's share is fixed.
public struct ProcurementOptimizer: Sendable {
    public var options: [ProcurementOption]
    public var spot: SpotPolicy?
    /// Yearly decline of on-demand and new-commitment prices.
    public var annualPriceDecline: Double

    public init(options: [ProcurementOption], spot: SpotPolicy?, annualPriceDecline: Double = 0) {
        self.options = options
        self.spot = spot
        self.annualPriceDecline = annualPriceDecline
    }

    func rate(_ kind: ProcurementOption.Kind) -> Double? { options.first { $0.kind == kind }?.rate }

    /// The price factor in hour `h` for purchases made then (declining yearly).
    func decline(hour: Int) -> Double {
        var factor = 1.0
        for _ in 0..<(hour / 8760) { factor *= 1 - annualPriceDecline }
        return factor
    }

    /// - Throws: ``HeadroomError`` when no on-demand rate is given (the fallback every plan needs).
    public func optimise(_ curve: DemandCurve) throws(HeadroomError) -> ProcurementPlan {
        guard let onDemand = rate(.onDemand), onDemand > 0 else {
            throw HeadroomError(
                .invalidInput, "an on-demand rate is needed to price the uncovered hours", field: "pricing")
        }
        let hours = curve.hours
        let years = (hours + 8759) / 8760
        let peak = curve.peakReplicas
        // Spot may serve at most maxShare of each hour's replicas, at the top of the stack.
        let reliable = curve.replicas.map { n -> Int in
            guard let spot, rate(.spot) != nil else { return n }
            return n - Int(saturating: (Double(n) * spot.maxShare).rounded(.down))
        }
        // Hours per level, per year, for on-demand/spot costing (prices decline by year).
        var odCostPerLevel = Array(repeating: 0.0, count: peak + 1)
        var odHoursPerLevel = Array(repeating: 0.0, count: peak + 1)
        var spotCostPerLevel = Array(repeating: 0.0, count: peak + 1)
        var spotEligible = Array(repeating: true, count: peak + 1)
        var levelHoursByYear = Array(repeating: Array(repeating: 0.0, count: peak + 1), count: years)
        for h in 0..<hours {
            let factor = decline(hour: h)
            let n = curve.replicas[h]
            guard n > 0 else { continue }
            for level in 1...n {
                odCostPerLevel[level] += onDemand * factor
                odHoursPerLevel[level] += 1
                levelHoursByYear[h / 8760][level] += 1
                if let spot, let spotRate = rate(.spot) {
                    spotCostPerLevel[level] += spot.effectiveRate(spot: spotRate, onDemand: onDemand) * factor
                    if level <= reliable[h] { spotEligible[level] = false }
                } else {
                    spotEligible[level] = false
                }
            }
        }
        // Commitment cost of one level over the horizon.
        func commitCost(_ kind: ProcurementOption.Kind) -> Double? {
            guard let r = rate(kind) else { return nil }
            switch kind {
            case .reserved3y: return r * Double(hours)  // locked at today's price
            case .reserved1y:
                var total = 0.0
                for year in 0..<years {
                    let span = min(8760, hours - year * 8760)
                    total += r * decline(hour: year * 8760) * Double(span)
                }
                return total
            default: return nil
            }
        }
        let cost3 = commitCost(.reserved3y)
        let cost1 = commitCost(.reserved1y)
        var choice = Array(repeating: ProcurementOption.Kind.onDemand, count: peak + 1)
        var levelCost = Array(repeating: 0.0, count: peak + 1)
        if peak >= 1 {
            for level in 1...peak {
                var best = (ProcurementOption.Kind.onDemand, odCostPerLevel[level])
                if spotEligible[level], rate(.spot) != nil, spotCostPerLevel[level] < best.1 {
                    best = (.spot, spotCostPerLevel[level])
                }
                if let c = cost1, c < best.1 { best = (.reserved1y, c) }
                if let c = cost3, c < best.1 { best = (.reserved3y, c) }
                choice[level] = best.0
                levelCost[level] = best.1
            }
        }
        // Lines.
        var lines: [ProcurementPlan.Line] = []
        for kind in ProcurementOption.Kind.allCases {
            let levels = (1...max(peak, 1)).filter { $0 <= peak && choice[$0] == kind }
            guard !levels.isEmpty else { continue }
            let cost = levels.reduce(0) { $0 + levelCost[$1] }
            let used = levels.reduce(0) { $0 + odHoursPerLevel[$1] }
            let committed = kind == .reserved1y || kind == .reserved3y
            let paidHours = committed ? Double(levels.count * hours) : used
            lines.append(
                .init(
                    option: kind, replicas: levels.count, replicaHours: paidHours, cost: cost,
                    breakEvenUtilisation: committed ? rate(kind).map { $0 / onDemand } : nil,
                    utilisation: committed ? used / paidHours : nil
                )
            )
        }
        // Hourly stack.
        var hourly: [(reserved3y: Int, reserved1y: Int, onDemand: Int, spot: Int)] = []
        hourly.reserveCapacity(hours)
        let count3 = choice.dropFirst().filter { $0 == .reserved3y }.count
        let count1 = choice.dropFirst().filter { $0 == .reserved1y }.count
        var uncovered = 0
        for h in 0..<hours {
            let n = curve.replicas[h]
            var r3 = 0, r1 = 0, od = 0, sp = 0
            if n >= 1 {
                for level in 1...n {
                    switch choice[level] {
                    case .reserved3y: r3 += 1
                    case .reserved1y: r1 += 1
                    case .onDemand: od += 1
                    case .spot: sp += 1
                    }
                }
            }
            if r3 + r1 + od + sp < n { uncovered += 1 }
            hourly.append((max(r3, count3 > 0 ? count3 : 0), max(r1, count1), od, sp))
        }
        let allOnDemand = odCostPerLevel.reduce(0, +)
        return ProcurementPlan(
            lines: lines, totalCost: levelCost.reduce(0, +), allOnDemandCost: allOnDemand,
            loadDurationRuleCost: loadDurationRule(
                curve: curve, onDemandCost: odCostPerLevel, cost1: cost1, cost3: cost3, onDemand: onDemand),
            hourly: hourly, uncoveredHours: uncovered
        )
    }

    /// The classic rule: commit (to the cheapest term) every level demanded in at least u* = r/p of the hours; the
    /// rest on demand.
    func loadDurationRule(
        curve: DemandCurve, onDemandCost: [Double], cost1: Double?, cost3: Double?, onDemand: Double
    ) -> Double {
        let terms = [(rate(.reserved3y), cost3), (rate(.reserved1y), cost1)].compactMap { r, c -> (Double, Double)? in
            guard let r, let c else { return nil }
            return (r, c)
        }
        guard let best = terms.min(by: { $0.0 < $1.0 }) else { return onDemandCost.reduce(0, +) }
        let threshold = best.0 / onDemand
        var total = 0.0
        for level in 1..<onDemandCost.count {
            let share = Double(curve.hoursAtOrAbove(level)) / Double(curve.hours)
            total += share >= threshold ? best.1 : onDemandCost[level]
        }
        return total
    }
}
