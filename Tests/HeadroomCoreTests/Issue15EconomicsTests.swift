import HeadroomCore
import Testing

/// Issue 15: autoscaling capped by the fleet, cost buying the planned fleet, fleets bought in whole units, and a
/// training batch its data-parallel ranks divide.
@Suite struct Issue15EconomicsTests {
    @Test func autoscalingNeverHoldsMoreThanTheFleet() throws {
        let curve = try DemandCurve(
            averageRate: 20, profile: [1, 2, 3, 2], growthPerMonth: 0, hours: 168, perReplicaCapacity: 10)
        // Ray Serve's default: 2 requests in flight per replica, far below what one replica serves.
        let policy = AutoscalingTests.policy(.ongoingRequests, target: 2)
        let uncapped = AutoscalingSimulator(
            curve: curve, bringUp: AutoscalingTests.bringUp(seconds: 60), meanLatency: 10, minimumReplicas: 1,
            replicaHourPrice: 1)
        let capped = AutoscalingSimulator(
            curve: curve, bringUp: AutoscalingTests.bringUp(seconds: 60), meanLatency: 10, minimumReplicas: 1,
            replicaHourPrice: 1, maximumReplicas: 4)
        #expect(uncapped.run(policy).replicaHours > 4 * 168)
        #expect(capped.run(policy).replicaHours <= 4 * 168 + 1e-9)
    }

    @Test func theBoughtCurveHoldsThePlannedFleetAndItsSparesEveryHour() throws {
        let curve = try DemandCurve(
            averageRate: 10, profile: [0.2, 1, 1.8], growthPerMonth: 0.05, hours: 24 * 365, perReplicaCapacity: 5,
            floor: 2
        )
        let bought = try curve.holding(fleet: 5, spares: 1, minimum: 1)
        #expect(bought.replicas.allSatisfy { $0 >= 5 })
        for (hour, rate) in bought.rates.enumerated() {
            let needed = Int((rate / 5).rounded(.up))
            #expect(bought.replicas[hour] >= needed + 1, "hour \(hour)")
        }
        #expect(bought.peakReplicas > 5, "growth over the year needs more than the planned fleet, spares on top")
    }

    @Test(arguments: [(12, 16, 16), (16, 16, 16), (17, 16, 32), (3, 1, 3), (6, 8, 8)])
    func fleetsAreBilledInWholeUnits(used: Int, unit: Int, billed: Int) {
        var price = AcceleratorPrice(
            accelerator: "trn2", provider: "aws", region: "us-east-2", jurisdiction: "US", perHour: 2.235,
            currency: "USD", source: "t", asOf: "t")
        price.unitAccelerators = unit
        #expect(price.billedAccelerators(used) == billed)
    }
}
