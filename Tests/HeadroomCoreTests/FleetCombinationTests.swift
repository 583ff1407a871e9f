import HeadroomCore
import PropertyBased
import Testing

/// Issue 17 item 4: one configuration per model, the cheapest combined fleet within a shared budget.
@Suite struct FleetCombinationTests {
    typealias Option = FleetCombination.Option

    /// Chat: 16 cheap accelerators ($40/h) or 8 dearer ones ($48/h); RAG: 8 ($20/h) or 4 ($26/h).
    static let options: [[Option]] = [
        [.init(accelerators: 16, costPerHour: 40), .init(accelerators: 8, costPerHour: 48)],
        [.init(accelerators: 8, costPerHour: 20), .init(accelerators: 4, costPerHour: 26)],
    ]

    @Test func withoutABudgetEachModelKeepsItsRecommendation() throws {
        #expect(try FleetCombination.cheapest(Self.options, names: ["chat", "rag"], budget: .init()) == [0, 0])
        // A budget the recommendations meet changes nothing.
        let roomy = FleetBudget(maxAccelerators: 24, perMonth: 60 * 730)
        #expect(try FleetCombination.cheapest(Self.options, names: ["chat", "rag"], budget: roomy) == [0, 0])
    }

    @Test func anAcceleratorCapForcesTheCheapestSwap() throws {
        // 24 accelerators recommended; a cap of 20 forces a swap: RAG to 4 (+$6/h) is cheaper than chat to 8 (+$8/h).
        #expect(
            try FleetCombination.cheapest(Self.options, names: ["chat", "rag"], budget: .init(maxAccelerators: 20))
                == [0, 1])
        // 12 needs both swapped.
        #expect(
            try FleetCombination.cheapest(Self.options, names: ["chat", "rag"], budget: .init(maxAccelerators: 12))
                == [1, 1])
    }

    @Test func aCapNothingMeetsNamesTheBudgetAndTheLeast() {
        #expect {
            try FleetCombination.cheapest(Self.options, names: ["chat", "rag"], budget: .init(maxAccelerators: 11))
        } throws: { error in
            let e = error as? HeadroomError
            return e?.field == "budget.max_accelerators" && e?.message.contains("at least 12") == true
                && e?.message.contains("chat: 8, rag: 4") == true
        }
    }

    @Test func aMonthlyCapNothingMeetsNamesIt() throws {
        // The cheapest fleet within 12 accelerators costs $74/h = $54,020 a month.
        #expect {
            try FleetCombination.cheapest(
                Self.options, names: ["chat", "rag"], budget: .init(maxAccelerators: 12, perMonth: 50_000))
        } throws: { error in
            let e = error as? HeadroomError
            return e?.field == "budget.per_month" && e?.message.contains("54") == true
        }
        #expect(
            try FleetCombination.cheapest(
                Self.options, names: ["chat", "rag"], budget: .init(maxAccelerators: 12, perMonth: 55_000)) == [1, 1])
    }

    @Test func aModelWithoutOptionsIsNamed() {
        #expect {
            try FleetCombination.cheapest([Self.options[0], []], names: ["chat", "rag"], budget: .init())
        } throws: { error in
            (error as? HeadroomError)?.field == "models.1"
        }
    }

    /// Random platforms: the search's choice meets the cap, its totals are the sums of its parts, and no other
    /// combination within the cap is cheaper (checked by enumerating every combination).
    @Test func theChoiceIsTheCheapestWithinTheCapAndTotalsAreSums() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000), Gen.int(in: 1...80)) { seed, cap in
            var rng = SeededGenerator(seed: UInt64(seed))
            let models = Int.random(in: 1...4, using: &rng)
            let options: [[Option]] = (0..<models).map { _ in
                (0..<Int.random(in: 1...4, using: &rng)).map { _ in
                    Option(
                        accelerators: Int.random(in: 1...24, using: &rng),
                        costPerHour: Double(Int.random(in: 1...400, using: &rng)) / 4)
                }.sorted { $0.costPerHour < $1.costPerHour }  // as a plan lists them: its recommendation first
            }
            let budget = FleetBudget(maxAccelerators: cap)
            var best = Double.infinity
            var combination = [Int](repeating: 0, count: models)
            func enumerate(_ model: Int) {
                if model == models {
                    if FleetCombination.accelerators(combination, options) <= cap {
                        best = min(best, FleetCombination.cost(combination, options))
                    }
                    return
                }
                for index in options[model].indices {
                    combination[model] = index
                    enumerate(model + 1)
                }
            }
            enumerate(0)
            guard let choice = try? FleetCombination.cheapest(options, names: [], budget: budget) else {
                #expect(best == .infinity, "the search found nothing where a combination fits")
                return
            }
            #expect(FleetCombination.accelerators(choice, options) <= cap)
            #expect(abs(FleetCombination.cost(choice, options) - best) < 1e-9)
            let parts = zip(choice, options).map { $1[$0] }
            #expect(FleetCombination.cost(choice, options) == parts.reduce(0) { $0 + $1.costPerHour })
            #expect(FleetCombination.accelerators(choice, options) == parts.reduce(0) { $0 + $1.accelerators })
        }
    }
}
