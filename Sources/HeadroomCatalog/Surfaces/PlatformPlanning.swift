public import Foundation
public import HeadroomCore

/// A platform planned: every model's own plan, one configuration chosen per model so the combined fleet is the
/// cheapest within the shared budget, and the totals. What `headroom plan` reports for a file with `models:`.
public struct PlatformPlanning: Sendable {
    /// One model's share of the fleet.
    public struct Entry: Sendable {
        public var name: String
        /// The model's own plan (its candidates, advisories, assumptions).
        public var planning: WorkloadPlanning
        /// The configuration the combination chose.
        public var candidate: PlanCandidate
        /// The candidate's rank (1-based) in the model's plan: 1 is its own recommendation.
        public var rank: Int
        /// Accelerators paid for: whole purchase units, spares included.
        public var billedAccelerators: Int
        /// Power at full load, watts (nil when the catalog gives the part no TDP).
        public var powerWatts: Double?

        /// Whether it is the model's own recommendation (false: the budget chose another of its candidates).
        public var isRecommendation: Bool { rank == 1 }
    }

    public var entries: [Entry]
    public var budget: FleetBudget
    /// Notes that apply to the whole platform (a binding budget, what is not pooled).
    public var notes: [String]

    /// Accelerators paid for by the whole fleet.
    public var totalAccelerators: Int { entries.reduce(0) { $0 + $1.billedAccelerators } }
    /// Cost per hour of the whole fleet.
    public var totalCostPerHour: Double { entries.reduce(0) { $0 + $1.candidate.costPerHour } }
    /// Cost per month (``FleetBudget/hoursPerMonth`` hours).
    public var totalCostPerMonth: Double { totalCostPerHour * FleetBudget.hoursPerMonth }
    /// Power of the whole fleet at full load, watts, over the parts whose TDP is known.
    public var totalPowerWatts: Double { entries.reduce(0) { $0 + ($1.powerWatts ?? 0) } }

    /// Plans every model of `platform`, then chooses one configuration per model within the budget.
    /// - Parameters:
    ///   - platform: the platform file.
    ///   - modelBase: the folder a `model: config.json` path is relative to; nil refuses file paths.
    ///   - catalog: the catalog to search.
    ///   - books: the price books to choose from.
    ///   - requests: requests per confirming simulation (default: each model's, as ``WorkloadPlanning``).
    ///   - seed: the confirming simulations' seed (the same for every model).
    ///   - today: the date (YYYY-MM-DD) price staleness is judged on.
    /// - Throws: ``HeadroomError`` naming the model (`models.1`) whose planning failed, or the budget field no
    ///   combination meets.
    public static func plan(
        _ platform: PlatformSpec, modelBase: URL?, catalog: Catalog, books: [PriceBook], requests: Int?, seed: UInt64,
        today: String
    ) async throws -> PlatformPlanning {
        var plannings: [WorkloadPlanning] = []
        for (index, model) in platform.models.enumerated() {
            do {
                plannings.append(
                    try await WorkloadPlanning.plan(
                        model.spec, modelBase: modelBase, catalog: catalog, books: books, requests: requests,
                        seed: seed, today: today))
            } catch var error as HeadroomError {
                error.message = "models.\(index) (\(model.name)): " + error.message
                error.field = "models.\(index)" + (error.field.map { "." + $0 } ?? "")
                throw error
            }
        }
        do {
            return try combine(plannings, names: platform.models.map(\.name), budget: platform.budget)
        } catch {
            var located = error
            located.file = platform.file
            if error.field?.hasPrefix("budget") == true { located.line = platform.budgetLine }
            throw located
        }
    }

    /// Chooses one candidate per planned model so the combined fleet is the cheapest within `budget`.
    /// - Throws: ``HeadroomError`` (`infeasible`) naming the budget field, or a model with no candidate.
    package static func combine(
        _ plannings: [WorkloadPlanning], names: [String], budget: FleetBudget
    ) throws(HeadroomError) -> PlatformPlanning {
        // The planner lists its recommendation (the cheapest confirmed candidate) first, then the rest by cost.
        let options = plannings.map { planning in
            planning.plan.candidates.map {
                FleetCombination.Option(accelerators: billed($0), costPerHour: $0.costPerHour)
            }
        }
        let choice = try FleetCombination.cheapest(options, names: names, budget: budget)
        var entries: [Entry] = []
        var notes: [String] = []
        for (index, planning) in plannings.enumerated() {
            let candidate = planning.plan.candidates[choice[index]]
            let tdp = candidate.deployment.accelerator.tdpWatts
            entries.append(
                Entry(
                    name: names[index], planning: planning, candidate: candidate, rank: choice[index] + 1,
                    billedAccelerators: billed(candidate), powerWatts: tdp.map { $0 * Double(billed(candidate)) }))
            if choice[index] != 0, let own = planning.plan.candidates.first {
                notes.append(
                    "\(names[index]): the fleet budget replaced its own recommendation "
                        + "(\(billed(own)) × \(own.deployment.accelerator.id), \(money(own.costPerHour))/h) with its "
                        + "candidate #\(choice[index] + 1) (\(billed(candidate)) × "
                        + "\(candidate.deployment.accelerator.id), \(money(candidate.costPerHour))/h)"
                        + (candidate.verified ? "" : "; it is an analytic estimate, not confirmed by simulation"))
            }
        }
        if entries.contains(where: { $0.powerWatts == nil }) {
            notes.append("power leaves out accelerators whose catalog entry gives no TDP")
        }
        if Set(entries.compactMap { $0.candidate.price?.currency }).count > 1 {
            notes.append("the models are priced in different currencies: the totals add them unconverted")
        }
        notes.append(
            "each model's fleet is sized and rounded to whole purchase units on its own: models do not share "
                + "replicas, spares or the idle accelerators of a purchase unit")
        return PlatformPlanning(entries: entries, budget: budget, notes: notes)
    }

    /// Accelerators paid for: whole purchase units of the fleet (spares included).
    static func billed(_ candidate: PlanCandidate) -> Int {
        candidate.price?.billedAccelerators(candidate.accelerators) ?? candidate.accelerators
    }

    static func money(_ value: Double) -> String {
        "$" + String(format: "%.2f", value)
    }
}
