/// "How should we buy this?": demand over a horizon, the procurement mix, autoscaling, build versus rent, managed
/// APIs and the facility, for a plan's recommended deployment.
public struct CostAnalysis: Sendable {
    public struct Inputs: Sendable {
        /// Mean requests per second at the start of the horizon, and the hourly profile and growth.
        public var averageRate: Double
        public var profile: [Double]
        public var growthPerMonth: Double
        public var horizonHours: Int
        /// Years for build-versus-rent.
        public var tcoYears: Double
        /// Highest share of each hour's replicas allowed on spot.
        public var spotMaxShare: Double
        /// What one SLO-violating request costs the business, to balance autoscaling policies.
        public var penaltyPerViolation: Double
        /// Today's date (YYYY-MM-DD) to flag a stale price book; nil skips the check.
        public var today: String?

        public init(
            averageRate: Double, profile: [Double], growthPerMonth: Double, horizonHours: Int, tcoYears: Double = 3,
            spotMaxShare: Double = 0.5, penaltyPerViolation: Double = 0.01, today: String? = nil
        ) {
            self.today = today
            self.averageRate = averageRate
            self.profile = profile
            self.growthPerMonth = growthPerMonth
            self.horizonHours = horizonHours
            self.tcoYears = tcoYears
            self.spotMaxShare = spotMaxShare
            self.penaltyPerViolation = penaltyPerViolation
        }
    }

    public var currency: String
    public var curve: DemandCurve
    public var options: [(option: ProcurementOption, provider: String, region: String)]
    public var procurement: ProcurementPlan
    public var bringUp: BringUpTime
    public var recommendedBuffer: Int
    public var autoscaling: [AutoscalingOutcome]
    public var balancedPolicy: String?
    public var tco: TCOAnalysis?
    public var api: APIComparison
    public var facility: FacilityEstimate
    /// Managed API, dedicated cloud or on-prem at the workload's monthly volume, with the break-evens.
    public var decision: ServingDecision
    /// Output tokens over the horizon (for cost per 1M tokens).
    public var outputTokens: Double
    public var notes: [String]

    /// - Throws: ``HeadroomError`` when the plan has no recommendation or no on-demand price, or an input is out of
    ///   range (horizon, TCO years, spot share, penalty, rates).
    public static func analyse(
        plan: Plan, book: PriceBook, data: EconomicsData, inputs: Inputs
    ) throws(HeadroomError) -> CostAnalysis {
        try InputLimits.check(Double(inputs.horizonHours), in: 1...87_600, field: "horizon", unit: "hours")
        try InputLimits.check(inputs.tcoYears, in: 1e-3...100, field: "tco_years", unit: "years")
        try InputLimits.check(inputs.spotMaxShare, in: 0...1, field: "spot_max_share")
        try InputLimits.check(inputs.penaltyPerViolation, in: 0...1e6, field: "violation_penalty")
        try InputLimits.check(inputs.averageRate, in: 0...InputLimits.requestRate.upperBound, field: "traffic")
        guard let chosen = plan.chosen else {
            throw HeadroomError(.infeasible, "the plan has no recommendation to cost; see its advisories", field: "slo")
        }
        let d = chosen.deployment
        let perReplica = Double(d.acceleratorsPerReplica)
        var notes: [String] = []
        if let today = inputs.today, book.isStale(today: today) {
            notes.append(
                "STALE PRICES: book '\(book.name)' is dated \(book.asOf), older than its \(book.staleAfterDays)-day limit"
            )
        }
        let floor = max(plan.request.constraints.minimumReplicas, 1) + chosen.spareReplicas
        // Buy the fleet the plan recommends, spares included, in every hour: never fewer replicas than `plan` said,
        // and the spares on top of the demand where growth needs more.
        let curve = try DemandCurve(
            averageRate: inputs.averageRate, profile: inputs.profile, growthPerMonth: inputs.growthPerMonth,
            hours: inputs.horizonHours, perReplicaCapacity: chosen.perReplicaCapacity, floor: floor
        ).holding(
            fleet: chosen.replicas, spares: chosen.spareReplicas,
            minimum: max(plan.request.constraints.minimumReplicas, 1))
        // Options: the cheapest rate of each kind for this accelerator under the plan's constraints.
        let c = plan.request.constraints
        let entries = book.instances(for: d.accelerator.id).filter { i in
            !i.excludesHost && (c.providers?.contains(i.provider) ?? true) && (c.regions?.contains(i.region) ?? true)
                && (c.jurisdictions?.contains(i.jurisdiction) ?? true)
        }
        var options: [(option: ProcurementOption, provider: String, region: String)] = []
        func add(_ kind: ProcurementOption.Kind, term: Int?, _ pick: (InstancePrice) -> Double?) {
            guard let best = entries.compactMap({ e in pick(e).map { (e, $0) } }).min(by: { $0.1 < $1.1 }) else {
                return
            }
            options.append(
                (
                    ProcurementOption(
                        kind: kind, rate: best.1 * perReplica, termHours: term, source: best.0.provenance.source),
                    best.0.provider, best.0.region
                ))
        }
        if let price = chosen.price {
            options.append(
                (
                    ProcurementOption(
                        kind: .onDemand, rate: price.perHour * perReplica, termHours: nil, source: price.source),
                    price.provider, price.region
                ))
        } else {
            add(.onDemand, term: nil) { $0.onDemand }
        }
        add(.reserved1y, term: 8760) { $0.perAccelerator.reserved1Year }
        add(.reserved3y, term: 26_280) { $0.perAccelerator.reserved3Year }
        add(.spot, term: nil) { $0.spot }
        if !options.contains(where: { $0.option.kind == .reserved1y || $0.option.kind == .reserved3y }) {
            notes.append(
                "no commitment price for \(d.accelerator.id) under the constraints: the mix can only use on-demand and spot"
            )
        }
        let bringUp = BringUpTime(
            profile: data.bringUp,
            weightBytesPerNode: d.weightBytes / perReplica
                * Double(min(d.acceleratorsPerReplica, d.accelerator.nodeSize ?? 8)))
        let spotProvider = options.first { $0.option.kind == .spot }?.provider
        let spot = spotProvider.flatMap { data.spotRate(provider: $0) }.map {
            SpotPolicy(
                interruptionsPerHour: $0.value, recoveryHours: bringUp.total / 3600, maxShare: inputs.spotMaxShare)
        }
        let optimizer = ProcurementOptimizer(
            options: options.map(\.option), spot: spot, annualPriceDecline: data.annualPriceDecline.value
        )
        let procurement = try optimizer.optimise(curve)

        // Autoscaling over the first week (or the horizon, if shorter) of the curve.
        let week = try DemandCurve(
            averageRate: inputs.averageRate, profile: inputs.profile, growthPerMonth: inputs.growthPerMonth,
            hours: min(inputs.horizonHours, 168), perReplicaCapacity: chosen.perReplicaCapacity, floor: floor
        )
        let onDemandReplicaHour = options.first { $0.option.kind == .onDemand }?.option.rate ?? 0
        let simulator = AutoscalingSimulator(
            curve: week, bringUp: bringUp, meanLatency: max(chosen.e2e.p50, 0.1), minimumReplicas: floor,
            replicaHourPrice: onDemandReplicaHour, maximumReplicas: max(chosen.replicas, week.peakReplicas)
        )
        var outcomes = data.autoscalers.map { policy -> AutoscalingOutcome in
            var tuned = policy
            if policy.signal == .queriesPerSecond, policy.target.assumption {
                // SkyServe has no default QPS target: users set it; use 80 % of the capacity at the SLO.
                tuned.target = SourcedValue(
                    chosen.perReplicaCapacity * 0.8, source: "80% of the planned per-replica capacity at the SLO",
                    asOf: "plan", assumption: true)
            }
            return simulator.run(tuned)
        }
        outcomes.sort { $0.cost < $1.cost }
        let balanced = simulator.balanced(outcomes, penaltyPerViolation: inputs.penaltyPerViolation)

        // Build versus rent.
        var tco: TCOAnalysis?
        var serverUsed: ServerPrice?
        if let server = book.servers.filter({ $0.accelerator == d.accelerator.id }).min(by: {
            $0.pricePerAccelerator < $1.pricePerAccelerator
        }),
            let tdp = d.accelerator.tdpWatts, let rent = chosen.price?.perHour
        {
            let utilisation = Double(curve.replicaHours) / Double(max(curve.peakReplicas * curve.hours, 1))
            tco = try TCOAnalysis(
                accelerators: curve.peakReplicas * d.acceleratorsPerReplica,
                serverPricePerAccelerator: server.pricePerAccelerator,
                tdpWatts: tdp, utilisation: utilisation, rentPerHour: rent, years: inputs.tcoYears,
                assumptions: data.tco
            )
            serverUsed = server
            notes.append(
                "TCO uses \(server.name) at \(humanNumber(server.price)) \(book.currency) (\(server.provenance.source))"
            )
        } else {
            // Say which input is missing: a part with a catalog TDP (B200: 1,000 W) lacks only a purchase price.
            let hasServer = book.servers.contains { $0.accelerator == d.accelerator.id }
            let missing = [
                hasServer ? nil : "no server purchase price in price book '\(book.name)'",
                d.accelerator.tdpWatts == nil ? "no published TDP" : nil,
                chosen.price == nil ? "no rental price" : nil,
            ].compactMap { $0 }
            notes.append(
                "build-versus-rent not computed for \(d.accelerator.id): \(missing.joined(separator: ", "))"
                    + (d.accelerator.tdpWatts.map { " (the catalog's TDP, \(humanNumber($0)) W, is available)" } ?? "")
                    + (hasServer ? "" : "; add a `servers:` entry for it to a price book (`price_book`)"))
        }

        // Managed APIs at the horizon's average monthly volume: with the fleet's average monthly cost this is the one
        // definition of cost per 1M output tokens (fleet cost over a period ÷ output tokens served in it, in millions)
        // that the headline, the plan and this table share.
        let monthlyRequests = curve.rates.reduce(0, +) * 3600 / Double(max(curve.hours, 1)) * 730
        let inputMillions = monthlyRequests * plan.request.traffic.input.mean / 1e6
        let outputMillions = monthlyRequests * plan.request.traffic.output.mean / 1e6
        let aliases = Set([plan.request.model.id.lowercased()] + plan.request.model.aliases)
        let comparable = book.managedAPIs.filter { $0.comparableTo.map { aliases.contains($0.lowercased()) } ?? false }
        if comparable.isEmpty {
            notes.append("no managed API in the price book is marked comparable to \(plan.request.model.id)")
        }
        let monthlyFleet = procurement.totalCost / Double(curve.hours) * 730
        let api = APIComparison(
            inputMillionsPerMonth: inputMillions, outputMillionsPerMonth: outputMillions,
            selfHostedPerMonth: monthlyFleet,
            selfHostedFloorPerMonth: Double(floor) * onDemandReplicaHour * 730,
            apis: comparable.map {
                ("\($0.provider) \($0.model)", $0.inputPerMillion, $0.outputPerMillion, $0.provenance.source)
            }
        )
        let decision = Self.decision(
            plan: plan, book: book, comparable: comparable, monthlyRequests: monthlyRequests,
            cloudMonthly: monthlyFleet,
            procurement: procurement, tco: tco, server: serverUsed, inputs: inputs,
            onPremMissing: notes.last { $0.hasPrefix("build-versus-rent not computed") })
        let facility = FacilityEstimate(
            accelerators: curve.peakReplicas * d.acceleratorsPerReplica, tdpWatts: d.accelerator.tdpWatts ?? 700,
            nodeSize: d.accelerator.nodeSize ?? 8, acceleratorCooling: d.accelerator.cooling,
            utilisation: Double(curve.replicaHours) / Double(max(curve.peakReplicas * curve.hours, 1)), tco: data.tco,
            facility: data.facility, jurisdiction: chosen.price?.jurisdiction
        )
        if d.accelerator.tdpWatts == nil {
            notes.append("\(d.accelerator.id) has no published TDP: facility power assumes 700 W (assumption)")
        }
        return CostAnalysis(
            currency: book.currency, curve: curve, options: options, procurement: procurement, bringUp: bringUp,
            recommendedBuffer: simulator.recommendedBuffer, autoscaling: outcomes, balancedPolicy: balanced?.policy,
            tco: tco, api: api, facility: facility, decision: decision,
            outputTokens: curve.rates.reduce(0, +) * 3600 * plan.request.traffic.output.mean, notes: notes
        )
    }

    /// The decision across managed API, the recommended cloud mix and owning, at the horizon's average month.
    static func decision(
        plan: Plan, book: PriceBook, comparable: [ManagedAPIPrice], monthlyRequests: Double, cloudMonthly: Double,
        procurement: ProcurementPlan, tco: TCOAnalysis?, server: ServerPrice?, inputs: Inputs, onPremMissing: String?
    ) -> ServingDecision {
        let traffic = plan.request.traffic
        let inputTokens = traffic.input.mean
        let outputTokens = traffic.output.mean
        func perRequest(_ api: ManagedAPIPrice) -> Double {
            inputTokens * api.inputPerMillion + outputTokens * api.outputPerMillion
        }
        let cheapest = comparable.min { perRequest($0) < perRequest($1) }
        let capacity = plan.chosen.map(\.perReplicaCapacity) ?? 0
        let peakToAverage = traffic.averageRate > 0 ? max(traffic.peakRate / traffic.averageRate, 1) : 1
        let floor = max(plan.request.constraints.minimumReplicas, 1)
        let perReplicaMonth = capacity * 3600 * 730 / peakToAverage
        let neededAtPlan = max(Double(floor), (traffic.peakRate / max(capacity, 1e-9) * (1 - 1e-12)).rounded(.up))
        let scaling = ServingDecision.FleetScaling(
            requestsPerReplicaMonth: perReplicaMonth, minimumReplicas: floor,
            extraReplicas: (plan.chosen?.replicas ?? 0) - Int(saturating: neededAtPlan))
        let committed = procurement.lines.filter { $0.option == .reserved1y || $0.option == .reserved3y }
            .reduce(0) { $0 + $1.replicaHours }
        let bought = procurement.lines.reduce(0) { $0 + $1.replicaHours }
        let replicas = Double(max(scaling.replicas(atRequestsPerMonth: monthlyRequests), 1))
        let mix = procurement.lines.filter { $0.replicaHours > 0 }.map(\.option.rawValue).joined(separator: ", ")
        let onPrem = tco.map { t in
            (
                monthly: t.ownPerYear / 12,
                basis:
                    "owning \(t.accelerators) accelerators\(server.map { " (\($0.name))" } ?? ""): capital over the useful life, power × PUE, colocation, maintenance and staff, a month",
                source: server?.provenance.source ?? "price book \(book.name)"
            )
        }
        return ServingDecision(
            currency: book.currency, requestsPerMonth: monthlyRequests, inputTokens: inputTokens,
            outputTokens: outputTokens,
            api: cheapest.map {
                .init(
                    name: "\($0.provider) \($0.model)", inputPerMillion: $0.inputPerMillion,
                    outputPerMillion: $0.outputPerMillion, source: $0.provenance.source)
            },
            apiMissing:
                "no managed API for \(plan.request.model.id) in price book '\(book.name)' (none marked comparable_to it); add a `managed_apis:` entry with `comparable_to: \(plan.request.model.id)` to a price book to compare one",
            cloud: (
                monthly: cloudMonthly,
                basis: "recommended mix (\(mix.isEmpty ? "on-demand" : mix)) of the recommended fleet, spares included",
                source: "price book \(book.name)"
            ),
            onPrem: onPrem,
            onPremMissing: onPremMissing ?? "build-versus-rent not computed",
            scaling: scaling,
            context: .init(
                fleetUtilisation: capacity > 0 ? monthlyRequests / (730 * 3600) / (replicas * capacity) : 0,
                committedShare: bought > 0 ? committed / bought : 0, tcoYears: inputs.tcoYears,
                ownBreakEvenMonth: tco?.breakEvenMonth, ownBreakEvenUtilisation: tco?.breakEvenUtilisation)
        )
    }
}
