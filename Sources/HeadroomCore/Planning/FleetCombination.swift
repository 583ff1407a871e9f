/// A cap on a whole platform's fleet: several models' deployments that share one budget.
public struct FleetBudget: Sendable, Hashable {
    /// Most accelerators the combined fleet may use (spares and idle accelerators of purchase units included).
    public var maxAccelerators: Int?
    /// Most the combined fleet may cost per month, at ``hoursPerMonth`` hours of the listed hourly costs.
    public var perMonth: Double?

    /// Hours in the month a monthly budget is spent over (365 × 24 / 12).
    public static let hoursPerMonth = 730.0

    public init(maxAccelerators: Int? = nil, perMonth: Double? = nil) {
        self.maxAccelerators = maxAccelerators
        self.perMonth = perMonth
    }

    /// Whether the budget caps anything.
    public var isEmpty: Bool { maxAccelerators == nil && perMonth == nil }
}

/// Chooses one configuration per model so the combined fleet is the cheapest within a shared ``FleetBudget``.
///
/// Each model's options are its planner's candidates, cheapest first, the first being its recommendation. When the
/// recommendations together fit the budget they are the answer (so a platform plan never contradicts the models'
/// own plans). Otherwise an exact search: a dynamic programme over the accelerators used so far that keeps, for
/// each count, the cheapest way to serve the models seen (a multiple-choice knapsack), so the answer is the cheapest
/// combination within the accelerator cap; the monthly cap is then met or the budget cannot be met at all, since
/// nothing is cheaper than the cheapest combination.
public enum FleetCombination {
    /// One model's configuration as the combination sees it.
    public struct Option: Sendable, Hashable {
        /// Accelerators paid for (spares and a purchase unit's idle accelerators included).
        public var accelerators: Int
        /// Cost per hour.
        public var costPerHour: Double

        public init(accelerators: Int, costPerHour: Double) {
            self.accelerators = accelerators
            self.costPerHour = costPerHour
        }
    }

    /// The largest accelerator count the search tabulates; a cap above it cannot bind any fleet the planner sizes.
    public static let maxTabulatedAccelerators = 2_000_000

    /// The index of the option chosen for each model.
    /// - Parameters:
    ///   - options: for each model (in order), its options; the first is its own recommendation.
    ///   - names: each model's name, for errors.
    ///   - budget: the shared caps.
    /// - Returns: one index into `options[m]` per model.
    /// - Throws: ``HeadroomError`` (`infeasible`) naming the budget field that no combination meets and the least
    ///   the models need, or naming a model that has no option.
    /// - Complexity: O(models × options × min(cap, accelerators of the largest options)) when the accelerator cap
    ///   binds, O(models) otherwise.
    public static func cheapest(
        _ options: [[Option]], names: [String], budget: FleetBudget
    ) throws(HeadroomError) -> [Int] {
        for (index, list) in options.enumerated() where list.isEmpty {
            let name = index < names.count ? names[index] : "model \(index + 1)"
            throw HeadroomError(
                .infeasible, "\(name) has no configuration that meets its SLO under its constraints",
                field: "models.\(index)")
        }
        let recommended = options.map { _ in 0 }
        if fits(recommended, options, budget) { return recommended }
        var choice = recommended
        if let cap = budget.maxAccelerators {
            let least = options.reduce(0) { $0 + ($1.map(\.accelerators).min() ?? 0) }
            guard least <= cap else {
                throw HeadroomError(
                    .infeasible,
                    "the fleet budget allows \(cap) accelerators but the models need at least \(least) together "
                        + "(\(leastBreakdown(options, names)))",
                    field: "budget.max_accelerators")
            }
            choice = try withinAcceleratorCap(options, cap: cap)
        }
        if let perMonth = budget.perMonth {
            let monthly = cost(choice, options) * FleetBudget.hoursPerMonth
            guard monthly <= perMonth * (1 + 1e-12) else {
                let within = budget.maxAccelerators.map { " within \($0) accelerators" } ?? ""
                throw HeadroomError(
                    .infeasible,
                    "the fleet budget allows \(humanNumber(perMonth)) per month but the cheapest fleet\(within) that "
                        + "meets every model's SLO costs \(humanNumber(monthly)) per month",
                    field: "budget.per_month")
            }
        }
        return choice
    }

    /// Total cost per hour of a choice.
    public static func cost(_ choice: [Int], _ options: [[Option]]) -> Double {
        zip(choice, options).reduce(0) { $0 + $1.1[$1.0].costPerHour }
    }

    /// Total accelerators of a choice.
    public static func accelerators(_ choice: [Int], _ options: [[Option]]) -> Int {
        zip(choice, options).reduce(0) { $0 + $1.1[$1.0].accelerators }
    }

    static func fits(_ choice: [Int], _ options: [[Option]], _ budget: FleetBudget) -> Bool {
        if let cap = budget.maxAccelerators, accelerators(choice, options) > cap { return false }
        if let perMonth = budget.perMonth, cost(choice, options) * FleetBudget.hoursPerMonth > perMonth * (1 + 1e-12) {
            return false
        }
        return true
    }

    static func leastBreakdown(_ options: [[Option]], _ names: [String]) -> String {
        options.enumerated().map { index, list in
            let name = index < names.count ? names[index] : "model \(index + 1)"
            return "\(name): \(list.map(\.accelerators).min() ?? 0)"
        }.joined(separator: ", ")
    }

    /// The cheapest combination using at most `cap` accelerators (some combination is known to fit).
    static func withinAcceleratorCap(_ options: [[Option]], cap: Int) throws(HeadroomError) -> [Int] {
        // Only options on each model's (accelerators, cost) frontier can be in a cheapest combination.
        let frontiers = options.map(frontier)
        var reachable = 0
        for (model, frontier) in frontiers.enumerated() {
            reachable = reachable.saturatingAdding(frontier.last.map { options[model][$0].accelerators } ?? 0)
        }
        let width = min(cap, reachable, maxTabulatedAccelerators)
        let slots = width + 1
        // best[a]: the least cost of the models so far using exactly a accelerators; picks[m][a]: the option.
        var best = [Double](repeating: .infinity, count: slots)
        best[0] = 0
        var picks: [[Int32]] = []
        picks.reserveCapacity(frontiers.count)
        for (model, frontier) in frontiers.enumerated() {
            var next = [Double](repeating: .infinity, count: slots)
            var pick = [Int32](repeating: -1, count: slots)
            for used in 0..<slots where best[used].isFinite {
                for (position, index) in frontier.enumerated() {
                    let option = options[model][index]
                    let total = used + option.accelerators
                    if total > width { break }  // the frontier is ordered by accelerators
                    let value = best[used] + option.costPerHour
                    if value < next[total] {
                        next[total] = value
                        pick[total] = Int32(position)
                    }
                }
            }
            best = next
            picks.append(pick)
        }
        guard var total = best.indices.min(by: { best[$0] < best[$1] }), best[total].isFinite else {
            throw HeadroomError(
                .infeasible, "no combination fits the accelerator cap", field: "budget.max_accelerators")
        }
        var choice = [Int](repeating: 0, count: options.count)
        for model in stride(from: options.count - 1, through: 0, by: -1) {
            let position = Int(picks[model][total])
            let index = frontiers[model][position]
            choice[model] = index
            total -= options[model][index].accelerators
        }
        return choice
    }

    /// Indices of the options no other beats on both accelerators and cost, by accelerators ascending (the first
    /// listed wins a tie, so a model's recommendation stays in play).
    static func frontier(_ options: [Option]) -> [Int] {
        let order = options.indices.sorted {
            let (a, b) = (options[$0], options[$1])
            if a.accelerators != b.accelerators { return a.accelerators < b.accelerators }
            if a.costPerHour != b.costPerHour { return a.costPerHour < b.costPerHour }
            return $0 < $1
        }
        var kept: [Int] = []
        var cheapest = Double.infinity
        for index in order where options[index].costPerHour < cheapest {
            kept.append(index)
            cheapest = options[index].costPerHour
        }
        return kept
    }
}
