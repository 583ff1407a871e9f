/// How long one replica takes to come up, from its parts.
public struct BringUpTime: Sendable, Hashable {
    public var nodeAcquisition: Double
    public var expectedStockOutWait: Double
    public var imagePull: Double
    public var weightLoad: Double
    public var compileAndCapture: Double

    public var total: Double { nodeAcquisition + expectedStockOutWait + imagePull + weightLoad + compileAndCapture }

    /// - Parameter weightBytesPerNode: bytes of weights each node reads.
    public init(profile: BringUpProfile, weightBytesPerNode: Double) {
        nodeAcquisition = profile.nodeAcquisition.value
        expectedStockOutWait = profile.stockOutProbability.value * profile.stockOutPenalty.value
        imagePull = profile.imageSizeGB.value / max(profile.imagePullGBps.value, 1e-9)
        weightLoad = weightBytesPerNode / 1e9 / max(profile.weightLoadGBps.value, 1e-9)
        compileAndCapture = profile.compileAndCapture.value
    }
}

/// One autoscaling policy played over a demand curve, minute by minute.
public struct AutoscalingOutcome: Sendable {
    public var policy: String
    public var name: String
    /// Replica-hours paid.
    public var replicaHours: Double
    /// Replica-hours of capacity above what the load needed (over-provisioning).
    public var overProvisionedReplicaHours: Double
    /// Minutes in which arrivals exceeded ready capacity (starvation).
    public var starvedMinutes: Int
    /// Requests that arrived above ready capacity (they queue past the SLO).
    public var sloViolatingRequests: Double
    public var cost: Double
    /// Ready replicas and needed replicas per hour (for the chart).
    public var hourlyReady: [Double]
    public var warnings: [String]
}

/// Plays autoscaling policies over a demand curve: each evaluates its signal at its interval, waits its up/down
/// delays, and a scale-up only serves once the new replicas have come up.
public struct AutoscalingSimulator: Sendable {
    public var curve: DemandCurve
    public var bringUp: BringUpTime
    /// Mean end-to-end seconds of a request at the SLO (for in-flight counts).
    public var meanLatency: Double
    public var minimumReplicas: Int
    /// The most replicas a policy may hold: the fleet that was planned and bought (an autoscaler's `max_replicas`).
    /// `nil` leaves policies uncapped.
    public var maximumReplicas: Int?
    /// Price per replica-hour (on-demand) to cost each policy.
    public var replicaHourPrice: Double

    public init(
        curve: DemandCurve, bringUp: BringUpTime, meanLatency: Double, minimumReplicas: Int, replicaHourPrice: Double,
        maximumReplicas: Int? = nil
    ) {
        self.curve = curve
        self.bringUp = bringUp
        self.meanLatency = meanLatency
        self.minimumReplicas = max(minimumReplicas, 1)
        self.maximumReplicas = maximumReplicas.map { max($0, max(minimumReplicas, 1)) }
        self.replicaHourPrice = replicaHourPrice
    }

    /// Replicas to hold in reserve so the steepest ramp is met while new replicas come up:
    /// ⌈steepest rise in req/s per second × bring-up seconds ÷ per-replica capacity⌉.
    public var recommendedBuffer: Int {
        var steepest = 0.0
        for h in 1..<max(curve.rates.count, 1) {
            steepest = max(steepest, (curve.rates[h] - curve.rates[h - 1]) / 3600)
        }
        return Int(saturating: (steepest * bringUp.total / curve.perReplicaCapacity).rounded(.up))
    }

    public func run(_ policy: AutoscalerPolicy) -> AutoscalingOutcome {
        let minutes = curve.hours * 60
        let capacity = curve.perReplicaCapacity
        let interval = max(Int(saturating: (policy.interval.value / 60).rounded()), 1)
        let upDelay = Int(saturating: (policy.upscaleDelay.value / 60).rounded())
        let downDelay = Int(saturating: (policy.downscaleDelay.value / 60).rounded())
        let bringUpMinutes = Int(saturating: (bringUp.total / 60).rounded(.up))
        var ready = max(curve.replicas.first ?? minimumReplicas, minimumReplicas)
        var pending: [Int] = []  // minutes at which pending replicas become ready
        var queue = 0.0
        var wantUpSince: Int?
        var wantDownSince: Int?
        var previousRate = curve.rates.first ?? 0
        var paid = 0.0
        var over = 0.0
        var starved = 0
        var violating = 0.0
        var hourlyReady = Array(repeating: 0.0, count: curve.hours)
        for minute in 0..<minutes {
            let hour = minute / 60
            let next = min(hour + 1, curve.hours - 1)
            let fraction = Double(minute % 60) / 60
            let rate = curve.rates[hour] * (1 - fraction) + curve.rates[next] * fraction
            pending.removeAll { at in
                if at <= minute { ready += 1; return true }
                return false
            }
            let served = Double(ready) * capacity
            if rate > served {
                starved += 1
                violating += (rate - served) * 60
                queue += (rate - served) * 60
            } else {
                queue = max(0, queue - (served - rate) * 60)
            }
            over += max(0, Double(ready) - rate / capacity) / 60
            paid += Double(ready + pending.count) / 60
            hourlyReady[hour] += Double(ready) / 60
            guard minute % interval == 0 else { continue }
            // The policy's desired replica count from its signal.
            let desired: Int
            let target = max(policy.target.value, 1e-9)
            switch policy.signal {
            case .utilisation: desired = Int(saturating: (rate / capacity / target).rounded(.up))
            case .waitingRequests:
                desired =
                    queue > 0
                    ? ready + Int(saturating: (queue / target / Double(max(ready, 1))).rounded(.up))
                    : Int(saturating: (rate / capacity).rounded(.up))
            case .ongoingRequests: desired = Int(saturating: (rate * meanLatency / target).rounded(.up))
            case .queriesPerSecond: desired = Int(saturating: (rate / target).rounded(.up))
            case .forecast:
                let predicted = rate + (rate - previousRate) * Double(bringUpMinutes) / Double(interval)
                desired = Int(saturating: (max(predicted, rate) / capacity / target).rounded(.up))
            case .scheduled:
                // Cover this hour and every hour a replica ordered now could still be late for.
                let ahead = min(hour + 1 + Int(saturating: (Double(bringUpMinutes) / 60).rounded(.up)), curve.hours - 1)
                desired = curve.replicas[hour...ahead].max() ?? curve.replicas[hour]
            }
            previousRate = rate
            let goal = min(max(desired, minimumReplicas), maximumReplicas ?? .max)
            let provisioned = ready + pending.count
            if goal > provisioned {
                wantDownSince = nil
                if wantUpSince == nil { wantUpSince = minute }
                if minute - (wantUpSince ?? minute) >= upDelay {
                    for _ in 0..<(goal - provisioned) { pending.append(minute + bringUpMinutes) }
                    wantUpSince = nil
                }
            } else if goal < provisioned {
                wantUpSince = nil
                if wantDownSince == nil { wantDownSince = minute }
                if minute - (wantDownSince ?? minute) >= downDelay {
                    var remove = provisioned - goal
                    while remove > 0, !pending.isEmpty { pending.removeLast(); remove -= 1 }
                    ready = max(ready - remove, minimumReplicas)
                    wantDownSince = nil
                }
            } else {
                wantUpSince = nil
                wantDownSince = nil
            }
        }
        var warnings: [String] = []
        if policy.signal == .ongoingRequests {
            let concurrency = capacity * meanLatency
            if policy.target.value < 0.5 * concurrency {
                warnings.append(
                    "\(policy.name): a target of \(humanNumber(policy.target.value)) requests in flight per replica is far below the \(humanNumber(concurrency)) one replica serves at the SLO (capacity × mean latency); raise it to about \(humanNumber(concurrency * 0.8))"
                )
            }
        }
        let reaction = policy.interval.value + policy.upscaleDelay.value
        if reaction < bringUp.total {
            warnings.append(
                "\(policy.name) reacts within \(humanNumber(reaction)) s but a replica takes \(humanNumber(bringUp.total)) s to come up: a rise faster than that is starved for the bring-up time unless the buffer covers it"
            )
        }
        return AutoscalingOutcome(
            policy: policy.id, name: policy.name, replicaHours: paid, overProvisionedReplicaHours: over,
            starvedMinutes: starved, sloViolatingRequests: violating, cost: paid * replicaHourPrice,
            hourlyReady: hourlyReady, warnings: warnings
        )
    }

    /// The policy that balances the two failure modes: the least cost once each SLO-violating request is charged
    /// `penaltyPerViolation`.
    public func balanced(_ outcomes: [AutoscalingOutcome], penaltyPerViolation: Double) -> AutoscalingOutcome? {
        outcomes.min { a, b in
            a.cost + a.sloViolatingRequests * penaltyPerViolation < b.cost + b.sloViolatingRequests
                * penaltyPerViolation
        }
    }
}
