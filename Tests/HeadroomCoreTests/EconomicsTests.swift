import HeadroomCore
import PropertyBased
import Testing

@Suite struct ProcurementTests {
    static let options = [
        ProcurementOption(kind: .onDemand, rate: 10, termHours: nil, source: "test"),
        ProcurementOption(kind: .reserved1y, rate: 6, termHours: 8760, source: "test"),
        ProcurementOption(kind: .reserved3y, rate: 4.5, termHours: 26_280, source: "test"),
    ]

    func curve(_ replicas: [Int]) throws -> DemandCurve {
        // A curve whose hourly replica needs are exactly `replicas` (capacity 1 req/s per replica).
        let mean = Double(replicas.reduce(0, +)) / Double(replicas.count)
        return try DemandCurve(
            averageRate: mean, profile: replicas.map { Double($0) }, growthPerMonth: 0, hours: replicas.count,
            perReplicaCapacity: 1, floor: 0
        )
    }

    @Test func flatDemandBuysTheCheapestCommitmentOnly() throws {
        let plan = try ProcurementOptimizer(options: Self.options, spot: nil).optimise(
            curve(Array(repeating: 5, count: 8760)))
        #expect(plan.lines.count == 1)
        #expect(plan.lines.first?.option == .reserved3y)
        #expect(abs(plan.totalCost - 5 * 4.5 * 8760) < 1e-6)
        #expect(plan.uncoveredHours == 0)
    }

    @Test func spikesGoOnDemand() throws {
        // 4 replicas always, 10 for one hour in 24: the six spike levels are used 1/24 of the time (< u* = 0.45).
        let day = Array(repeating: 4, count: 23) + [10]
        let replicas = Array((0..<365).map { _ in day }.joined())
        let plan = try ProcurementOptimizer(options: Self.options, spot: nil).optimise(curve(replicas))
        let onDemand = try #require(plan.lines.first { $0.option == .onDemand })
        #expect(onDemand.replicas == 6)
        #expect(plan.lines.first { $0.option == .reserved3y }?.replicas == 4)
    }

    /// Hand calculation: with on-demand at 10 and the 3-year rate at 4.5, u* = 0.45. A level used 50 % of the hours
    /// costs 0.5 × 8760 × 10 = 43,800 on demand against 8760 × 4.5 = 39,420 committed → commit; one used 40 % costs
    /// 35,040 on demand → stay on demand.
    @Test func breakEvenUtilisationMatchesTheHandCalculation() throws {
        var hours = Array(repeating: 1, count: 8760)
        for h in 0..<4380 { hours[h] = 2 }  // level 2: 50 %
        for h in 0..<3504 { hours[h] = 3 }  // level 3: 40 %
        let plan = try ProcurementOptimizer(options: Self.options, spot: nil).optimise(curve(hours))
        let committed = try #require(plan.lines.first { $0.option == .reserved3y })
        #expect(committed.replicas == 2)
        #expect(abs((committed.breakEvenUtilisation ?? 0) - 0.45) < 1e-12)
        #expect(plan.lines.first { $0.option == .onDemand }?.replicas == 1)
        let expected = 2 * 8760 * 4.5 + 3504 * 10.0
        #expect(abs(plan.totalCost - expected) < 1e-6)
    }

    @Test func spotServesOnlyAboveTheReliableShare() throws {
        let options = Self.options + [ProcurementOption(kind: .spot, rate: 2, termHours: nil, source: "test")]
        let spot = SpotPolicy(interruptionsPerHour: 0.01, recoveryHours: 0.25, maxShare: 0.5)
        let replicas = Array(repeating: 2, count: 4000) + Array(repeating: 8, count: 4760)
        let plan = try ProcurementOptimizer(options: options, spot: spot).optimise(curve(replicas))
        for (h, stack) in plan.hourly.enumerated() where stack.spot > 0 {
            #expect(Double(stack.spot) <= Double(replicas[h]) * 0.5 + 1e-9)
        }
        #expect(abs(spot.effectiveRate(spot: 2, onDemand: 10) - (2 + 0.01 * 0.25 * 10)) < 1e-12)
    }

    @Test func neverCostsMoreThanOnDemandNorLeavesAnHourUncovered() async {
        await propertyCheck(count: 60, input: Gen.int(in: 1...30).array(of: 24...24 * 14), Gen.double(in: 0.3...0.95)) {
            shape, ratio in
            let options = [
                ProcurementOption(kind: .onDemand, rate: 10, termHours: nil, source: "p"),
                ProcurementOption(kind: .reserved1y, rate: 10 * ratio, termHours: 8760, source: "p"),
            ]
            guard let curve = try? self.curve(shape),
                let plan = try? ProcurementOptimizer(options: options, spot: nil).optimise(curve)
            else {
                Issue.record("optimiser failed")
                return
            }
            #expect(plan.totalCost <= plan.allOnDemandCost + 1e-6)
            #expect(plan.totalCost <= plan.loadDurationRuleCost + 1e-6)
            #expect(plan.uncoveredHours == 0)
            for (h, s) in plan.hourly.enumerated() {
                #expect(s.reserved3y + s.reserved1y + s.onDemand + s.spot >= curve.replicas[h])
            }
        }
    }

    @Test func moreTrafficNeverCostsLess() async {
        await propertyCheck(count: 40, input: Gen.double(in: 0.5...50), Gen.double(in: 0...20)) { rate, extra in
            let profile = [0.3, 0.3, 0.4, 0.6, 0.9, 1, 1, 0.9, 0.8, 0.6, 0.5, 0.4]
            func cost(_ r: Double) -> Double? {
                guard
                    let curve = try? DemandCurve(
                        averageRate: r, profile: profile, growthPerMonth: 0.02, hours: 24 * 30, perReplicaCapacity: 3)
                else { return nil }
                return try? ProcurementOptimizer(options: Self.options, spot: nil).optimise(curve).totalCost
            }
            guard let low = cost(rate), let high = cost(rate + extra) else { return }
            #expect(high >= low - 1e-6)
        }
    }

    @Test func demandCurveCompoundsGrowth() throws {
        let curve = try DemandCurve(
            averageRate: 10, profile: [], growthPerMonth: 0.1, hours: 8760, perReplicaCapacity: 1)
        #expect(abs(curve.rates[0] - 10) < 1e-9)
        #expect(abs(curve.rates[730] / curve.rates[0] - 1.1) < 1e-9)
        #expect(curve.replicas[0] == 10)
    }
}

@Suite struct BuildVersusRentTests {
    static let assumptions = TCOAssumptions(
        costOfCapital: .init(0.08, source: "t", asOf: "t"), usefulLifeYears: .init(5, source: "t", asOf: "t"),
        resaleFraction: .init(0, source: "t", asOf: "t"), maintenanceFractionPerYear: .init(0, source: "t", asOf: "t"),
        networkShareOfCapex: .init(0, source: "t", asOf: "t"), colocationPerKWMonth: .init(0, source: "t", asOf: "t"),
        pue: .init(1, source: "t", asOf: "t"), electricityPerKWh: .init(0, source: "t", asOf: "t"),
        hostPowerFraction: .init(0, source: "t", asOf: "t"), staffPerAcceleratorYear: .init(0, source: "t", asOf: "t"),
        cloudOverheadFraction: .init(0, source: "t", asOf: "t")
    )

    /// Hand calculation: CRF(8 %, 5 y) = 0.08 · 1.08⁵ / (1.08⁵ − 1) = 0.250456; 100,000 of capex costs 25,045.65 a
    /// year; renting at 4/h for every hour costs 35,040; break-even utilisation = 25,045.65 / 35,040 = 0.7148.
    @Test func capitalRecoveryMatchesTheHandCalculation() throws {
        let tco = try TCOAnalysis(
            accelerators: 1, serverPricePerAccelerator: 100_000, tdpWatts: 700, utilisation: 1, rentPerHour: 4,
            years: 3,
            assumptions: Self.assumptions
        )
        #expect(abs(tco.ownPerYear - 25_045.65) < 0.5)
        #expect(abs(tco.breakEvenUtilisation - 25_045.65 / 35_040) < 1e-4)
        #expect(abs(tco.rentPerYear - 35_040) < 1e-6)
        #expect(tco.breakEvenMonth != nil)
    }

    @Test func apiBreakEvenIsTheFixedFleetOverThePerTokenPrice() {
        // Floor 7,300/month; an API at 1 per 1M input and 3 per 1M output with 2 inputs per output: 5 per 1M output.
        let comparison = APIComparison(
            inputMillionsPerMonth: 200, outputMillionsPerMonth: 100, selfHostedPerMonth: 9000,
            selfHostedFloorPerMonth: 7300,
            apis: [("api", 1, 3, "test")]
        )
        #expect(abs((comparison.breakEvenMillionOutputTokensPerMonth ?? 0) - 1460) < 1e-9)
        #expect(comparison.rows.first?.option == "api")
    }
}

@Suite struct AutoscalingTests {
    static func policy(
        _ signal: AutoscalerPolicy.Signal, target: Double, interval: Double = 60, up: Double = 0, down: Double = 300
    ) -> AutoscalerPolicy {
        AutoscalerPolicy(
            id: signal.rawValue, name: signal.rawValue, signal: signal, target: .init(target, source: "t", asOf: "t"),
            interval: .init(interval, source: "t", asOf: "t"), upscaleDelay: .init(up, source: "t", asOf: "t"),
            downscaleDelay: .init(down, source: "t", asOf: "t"), notes: nil
        )
    }

    static func bringUp(seconds: Double) -> BringUpTime {
        BringUpTime(
            profile: BringUpProfile(
                nodeAcquisition: .init(seconds, source: "t", asOf: "t"),
                stockOutProbability: .init(0, source: "t", asOf: "t"),
                stockOutPenalty: .init(0, source: "t", asOf: "t"), imageSizeGB: .init(0, source: "t", asOf: "t"),
                imagePullGBps: .init(1, source: "t", asOf: "t"), weightLoadGBps: .init(1, source: "t", asOf: "t"),
                compileAndCapture: .init(0, source: "t", asOf: "t")
            ),
            weightBytesPerNode: 0
        )
    }

    @Test func slowBringUpStarvesDuringRampsAndTheBufferCoversIt() throws {
        let profile = [1.0, 1, 1, 1, 1, 1, 4, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 4, 2, 1, 1, 1, 1, 1]
        let curve = try DemandCurve(
            averageRate: 10, profile: profile, growthPerMonth: 0, hours: 168, perReplicaCapacity: 1)
        let slow = AutoscalingSimulator(
            curve: curve, bringUp: Self.bringUp(seconds: 1800), meanLatency: 2, minimumReplicas: 1, replicaHourPrice: 1)
        let fast = AutoscalingSimulator(
            curve: curve, bringUp: Self.bringUp(seconds: 60), meanLatency: 2, minimumReplicas: 1, replicaHourPrice: 1)
        let utilisation = Self.policy(.utilisation, target: 0.8)
        let slowRun = slow.run(utilisation)
        let fastRun = fast.run(utilisation)
        #expect(slowRun.starvedMinutes > fastRun.starvedMinutes)
        #expect(slowRun.warnings.contains { $0.contains("to come up") })
        #expect(slow.recommendedBuffer > fast.recommendedBuffer)
        // A schedule that looks ahead by the bring-up time does not starve at the ramp.
        #expect(slow.run(Self.policy(.scheduled, target: 1)).starvedMinutes <= slowRun.starvedMinutes)
    }

    @Test func aLowerTargetBuysMoreReplicaHours() throws {
        let curve = try DemandCurve(
            averageRate: 20, profile: [1, 2, 3, 2], growthPerMonth: 0, hours: 96, perReplicaCapacity: 2)
        let sim = AutoscalingSimulator(
            curve: curve, bringUp: Self.bringUp(seconds: 120), meanLatency: 3, minimumReplicas: 1, replicaHourPrice: 1)
        let loose = sim.run(Self.policy(.utilisation, target: 0.9))
        let tight = sim.run(Self.policy(.utilisation, target: 0.5))
        #expect(tight.replicaHours > loose.replicaHours)
        #expect(tight.overProvisionedReplicaHours > loose.overProvisionedReplicaHours)
        #expect(tight.starvedMinutes <= loose.starvedMinutes)
    }
}
