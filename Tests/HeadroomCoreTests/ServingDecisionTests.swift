import HeadroomCore
import Testing

/// Issue 15 item 4: managed API, dedicated cloud or on-prem, with the break-even volume between each pair.
@Suite struct ServingDecisionTests {
    /// One replica serves 1,000 requests a month; at least 1 replica, 1 spare on top.
    static let scaling = ServingDecision.FleetScaling(
        requestsPerReplicaMonth: 1000, minimumReplicas: 1, extraReplicas: 1)

    /// A decision at `volume` requests a month, 1,000 output tokens per request (so `outputPrice` per 1M tokens is
    /// `outputPrice / 1000` per request), with the self-hosted costs given per replica-month.
    static func decision(
        volume: Double, outputPrice: Double?, cloudPerReplica: Double, onPremPerReplica: Double?,
        scaling: ServingDecision.FleetScaling = scaling, inputTokens: Double = 0
    ) -> ServingDecision {
        let replicas = Double(scaling.replicas(atRequestsPerMonth: volume))
        return ServingDecision(
            currency: "USD", requestsPerMonth: volume, inputTokens: inputTokens, outputTokens: 1000,
            api: outputPrice.map { .init(name: "api m", inputPerMillion: 1, outputPerMillion: $0, source: "test") },
            apiMissing: "no managed API", cloud: (cloudPerReplica * replicas, "mix", "test"),
            onPrem: onPremPerReplica.map { ($0 * replicas, "owning", "test") }, onPremMissing: "no server price",
            scaling: scaling, context: .init(fleetUtilisation: 0.5, committedShare: 0, tcoYears: 3))
    }

    @Test func theAPIWinsAtLowVolumeAndAtAnyVolumeWhenItsMarginalCostIsLower() throws {
        // 100 requests: 2 replicas at 1,000 each against 1 USD of API tokens.
        let low = Self.decision(volume: 100, outputPrice: 10, cloudPerReplica: 1000, onPremPerReplica: 800)
        #expect(low.winner == .managedAPI)
        // A replica's 1,000 requests cost 10 USD on the API against 800-1,000 USD: the API is cheaper at any volume.
        let pair = try #require(low.breakEvens.first { $0.cheaper == .managedAPI && $0.other == .cloud })
        #expect(pair.below == nil && pair.summary.contains("at any volume"))
    }

    @Test func theCloudWinsAboveItsBreakEven() throws {
        // 10,000 requests: 11 replicas at 100 USD = 1,100 against 5,000 USD of API tokens (0.5 USD a request).
        let d = Self.decision(volume: 10_000, outputPrice: 500, cloudPerReplica: 100, onPremPerReplica: nil)
        #expect(d.winner == .cloud)
        let pair = try #require(d.breakEvens.first { $0.other == .cloud })
        // 2 replicas (200 USD) cost what 400 requests do on the API.
        let below = try #require(pair.below)
        #expect(below == 400)
        #expect(pair.above == pair.below)
        #expect(pair.summary.contains("above it"))
        #expect(d.cost(.onPrem)?.monthly == nil && d.cost(.onPrem)?.missing == "no server price")
        #expect(d.reasons.contains { $0.contains("on-prem not costed: no server price") })
    }

    @Test func onPremWinsWhenOwningCostsLessPerReplica() throws {
        let d = Self.decision(volume: 10_000, outputPrice: 500, cloudPerReplica: 100, onPremPerReplica: 60)
        #expect(d.winner == .onPrem)
        let pair = try #require(d.breakEvens.first { $0.cheaper == .onPrem && $0.other == .cloud })
        // Both scale with the same fleet: no break-even in volume, owning is 40% cheaper everywhere.
        #expect(pair.below == nil && pair.summary.contains("40.0% less"))
        #expect(d.breakEvens.count == 3)
    }

    @Test func noComparableAPIIsSaidNotPriced() throws {
        let d = Self.decision(volume: 10_000, outputPrice: nil, cloudPerReplica: 100, onPremPerReplica: nil)
        let api = try #require(d.cost(.managedAPI))
        #expect(api.monthly == nil && api.missing == "no managed API")
        #expect(d.winner == .cloud)
        #expect(d.breakEvens.isEmpty)
        #expect(d.monthlyCost(.managedAPI, atRequestsPerMonth: 1e6) == nil)
    }

    @Test func theFleetAddsWholeReplicasWithVolume() {
        let s = Self.scaling
        #expect(s.replicas(atRequestsPerMonth: 0) == 2)
        #expect(s.replicas(atRequestsPerMonth: 1000) == 2)
        #expect(s.replicas(atRequestsPerMonth: 1000.5) == 3)
        #expect(s.replicas(atRequestsPerMonth: 5000) == 6)
    }

    /// A small deterministic generator for the properties below.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func atTheBreakEvenTheCostsMeetAndEachSideWinsItsRange() throws {
        var rng = SplitMix(state: 15)
        for _ in 0..<500 {
            let scaling = ServingDecision.FleetScaling(
                requestsPerReplicaMonth: Double.random(in: 100...1e7, using: &rng),
                minimumReplicas: Int.random(in: 1...4, using: &rng), extraReplicas: Int.random(in: 0...3, using: &rng))
            let d = Self.decision(
                volume: Double.random(in: 0...1e8, using: &rng), outputPrice: Double.random(in: 0.1...50, using: &rng),
                cloudPerReplica: Double.random(in: 100...50_000, using: &rng),
                onPremPerReplica: Double.random(in: 100...50_000, using: &rng), scaling: scaling,
                inputTokens: Double.random(in: 0...4000, using: &rng))
            for pair in d.breakEvens where pair.cheaper == .managedAPI {
                guard let below = pair.below, let above = pair.above else { continue }
                let api = try #require(d.monthlyCost(.managedAPI, atRequestsPerMonth: below))
                let fleet = try #require(d.monthlyCost(pair.other, atRequestsPerMonth: below))
                #expect(abs(api - fleet) <= 1e-6 * max(fleet, 1), "\(pair.summary)")
                let justBelow = below * (1 - 1e-9)
                let apiBelow = try #require(d.monthlyCost(.managedAPI, atRequestsPerMonth: justBelow))
                let fleetBelow = try #require(d.monthlyCost(pair.other, atRequestsPerMonth: justBelow))
                #expect(apiBelow < fleetBelow, "\(pair.summary)")
                #expect(above >= below)
                for factor in [1 + 1e-6, 2, 10] {
                    let v = above * factor
                    let fleetAbove = try #require(d.monthlyCost(pair.other, atRequestsPerMonth: v))
                    let apiAbove = try #require(d.monthlyCost(.managedAPI, atRequestsPerMonth: v))
                    #expect(fleetAbove <= apiAbove * (1 + 1e-9), "\(pair.summary) at \(v)")
                }
            }
        }
    }

    @Test func moreVolumeNeverLowersAnOptionsCost() throws {
        var rng = SplitMix(state: 4)
        for _ in 0..<200 {
            let d = Self.decision(
                volume: Double.random(in: 0...1e7, using: &rng), outputPrice: Double.random(in: 0.1...50, using: &rng),
                cloudPerReplica: Double.random(in: 100...50_000, using: &rng),
                onPremPerReplica: Double.random(in: 100...50_000, using: &rng),
                scaling: .init(
                    requestsPerReplicaMonth: Double.random(in: 100...1e6, using: &rng), minimumReplicas: 2,
                    extraReplicas: 1))
            let volumes = (0..<40).map { _ in Double.random(in: 0...1e8, using: &rng) }.sorted()
            for option in ServingDecision.Option.allCases {
                let costs = volumes.compactMap { d.monthlyCost(option, atRequestsPerMonth: $0) }
                #expect(costs.count == volumes.count)
                #expect(zip(costs, costs.dropFirst()).allSatisfy { $0 <= $1 }, "\(option)")
                #expect(costs.allSatisfy { $0.isFinite })
            }
        }
    }

    @Test func aZeroVolumeWorkloadPrintsNoNaN() throws {
        let d = Self.decision(volume: 0, outputPrice: 1, cloudPerReplica: 100, onPremPerReplica: 50)
        #expect(d.winner == .managedAPI)
        let finite = d.costs.allSatisfy { $0.monthly?.isFinite ?? true }
        #expect(finite)
        let text = (d.reasons + d.assumptions + d.breakEvens.map(\.summary)).joined()
        let words = Set(text.split { !$0.isLetter }.map(String.init))
        #expect(!words.contains("nan") && !words.contains("inf") && !text.contains("—"))
    }
}
