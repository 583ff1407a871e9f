public import HeadroomCore

/// `headroom plan` of a platform file (`models:`): each model's fleet, the totals and the budget, as JSON keys
/// (snake_case) and the source of the table, Markdown and HTML reports.
public struct PlatformDocument: Encodable, Sendable {
    /// One model's fleet.
    public struct Model: Encodable, Sendable {
        public var name: String
        public var workload: PlanDocument.Workload
        /// The configuration chosen for the platform.
        public var fleet: PlanDocument.Candidate
        /// Whether it is the model's own recommendation (false: the fleet budget chose another of its candidates).
        public var ownRecommendation: Bool
        /// Whether a simulation confirmed the SLO (false: the analytic estimate meets it).
        public var simulated: Bool
        /// `met_in_simulation` or `met_by_estimate`.
        public var sloVerdict: String
        public var powerKw: Double?
        /// The model's own plan: its ranked candidates, advisories and assumptions.
        public var plan: PlanDocument

        enum CodingKeys: String, CodingKey {
            case name, workload, fleet, simulated, plan
            case ownRecommendation = "own_recommendation"
            case sloVerdict = "slo_verdict"
            case powerKw = "power_kw"
        }
    }

    /// The whole fleet.
    public struct Totals: Encodable, Sendable {
        /// Accelerators paid for (whole purchase units, spares included).
        public var accelerators: Int
        /// Accelerators paid for, by accelerator id.
        public var byAccelerator: [String: Int]
        public var costPerHour: Double
        public var costPerMonth: Double
        /// Full-load power of the parts whose TDP the catalog gives, kW.
        public var powerKw: Double
        public var currency: String?

        enum CodingKeys: String, CodingKey {
            case accelerators, currency
            case byAccelerator = "by_accelerator"
            case costPerHour = "cost_per_hour"
            case costPerMonth = "cost_per_month"
            case powerKw = "power_kw"
        }
    }

    /// The shared cap and whether it changed any model's choice.
    public struct Budget: Encodable, Sendable {
        public var maxAccelerators: Int?
        public var perMonth: Double?
        public var binding: Bool

        enum CodingKeys: String, CodingKey {
            case binding
            case maxAccelerators = "max_accelerators"
            case perMonth = "per_month"
        }
    }

    /// What a model contributes: its plan, the candidate chosen for the platform and its assumptions.
    public struct Part: Sendable {
        public var name: String
        public var plan: Plan
        public var chosen: PlanCandidate
        /// The chosen candidate's rank (1-based) among the plan's candidates.
        public var rank: Int
        public var assumptions: [String]
        public var ownRecommendation: Bool { rank == 1 }

        public init(name: String, plan: Plan, chosen: PlanCandidate, rank: Int, assumptions: [String]) {
            self.name = name
            self.plan = plan
            self.chosen = chosen
            self.rank = rank
            self.assumptions = assumptions
        }
    }

    public var models: [Model]
    public var totals: Totals
    public var budget: Budget?
    public var notes: [String]

    /// Builds the document; the totals are the sums of the models' fleets.
    /// - Parameter limit: candidates listed in each model's own plan.
    public init(_ parts: [Part], budget: FleetBudget, notes: [String], limit: Int = 10) {
        models = parts.map { part in
            var alone = part.plan
            alone.candidates = [part.chosen]
            alone.pareto = []
            var fleet = PlanDocument(alone, limit: 1).candidates[0]
            fleet.rank = part.rank
            let own = PlanDocument(part.plan, limit: max(limit, 1), assumptions: part.assumptions)
            let billed = fleet.billedAccelerators ?? fleet.accelerators
            return Model(
                name: part.name, workload: own.workload, fleet: fleet, ownRecommendation: part.ownRecommendation,
                simulated: part.chosen.verified,
                sloVerdict: part.chosen.verified ? "met_in_simulation" : "met_by_estimate",
                powerKw: part.chosen.deployment.accelerator.tdpWatts.map { $0 * Double(billed) / 1000 }, plan: own)
        }
        var byAccelerator: [String: Int] = [:]
        for model in models {
            byAccelerator[model.fleet.accelerator, default: 0] +=
                model.fleet.billedAccelerators ?? model.fleet.accelerators
        }
        let perHour = models.reduce(0) { $0 + $1.fleet.costPerHour }
        let currencies = Set(models.compactMap(\.fleet.currency))
        totals = Totals(
            accelerators: models.reduce(0) { $0 + ($1.fleet.billedAccelerators ?? $1.fleet.accelerators) },
            byAccelerator: byAccelerator, costPerHour: perHour, costPerMonth: perHour * FleetBudget.hoursPerMonth,
            powerKw: models.reduce(0) { $0 + ($1.powerKw ?? 0) },
            currency: currencies.count == 1 ? currencies.first : nil)
        self.budget =
            budget.isEmpty
            ? nil
            : Budget(
                maxAccelerators: budget.maxAccelerators, perMonth: budget.perMonth,
                binding: models.contains { !$0.ownRecommendation })
        self.notes = notes
    }
}
