/// Managed API, dedicated cloud or on-prem for one workload: the three monthly costs at its volume, the cheapest, the
/// break-even monthly volume between each pair, and the reasons.
///
/// The API's cost is linear in volume (its token prices). A self-hosted option's cost is a step function: the fleet is
/// re-sized in whole replicas for the volume's peak at the plan's per-replica capacity at the SLO (``FleetScaling``),
/// and the option's current cost per replica is held. So dedicated cloud and on-prem scale with the same fleet and
/// have no break-even in volume: commitment length and utilisation decide between them.
public struct ServingDecision: Sendable {
    /// The three ways to serve the workload.
    public enum Option: String, Sendable, Hashable, CaseIterable {
        case managedAPI = "managed_api"
        case cloud = "dedicated_cloud"
        case onPrem = "on_prem"

        /// The option as the reports name it.
        public var label: String {
            switch self {
            case .managedAPI: "managed API"
            case .cloud: "dedicated cloud"
            case .onPrem: "on-prem"
            }
        }
    }

    /// How a self-hosted fleet grows with volume: whole replicas for the volume's peak, never below the workload's
    /// floor, with the plan's spares (and any rounding to buyable units) kept on top.
    public struct FleetScaling: Sendable, Hashable {
        /// Requests a month one replica serves when the busiest hour runs it at its capacity at the SLO.
        public var requestsPerReplicaMonth: Double
        /// Fewest replicas serving (the workload's `min_replicas`, at least 1).
        public var minimumReplicas: Int
        /// Replicas kept above what the volume needs: the plan's spares and rounding.
        public var extraReplicas: Int

        public init(requestsPerReplicaMonth: Double, minimumReplicas: Int, extraReplicas: Int) {
            self.requestsPerReplicaMonth = max(requestsPerReplicaMonth, 1e-9)
            self.minimumReplicas = max(minimumReplicas, 1)
            self.extraReplicas = max(extraReplicas, 0)
        }

        /// Replicas needed for the volume's peak (at least the floor), before the extra ones.
        func needed(_ requestsPerMonth: Double) -> Double {
            let steps = (max(requestsPerMonth, 0) / requestsPerReplicaMonth * (1 - 1e-12)).rounded(.up)
            return max(Double(minimumReplicas), steps)
        }

        /// The fleet that serves `requestsPerMonth`.
        public func replicas(atRequestsPerMonth requestsPerMonth: Double) -> Int {
            Int(saturating: needed(requestsPerMonth) + Double(extraReplicas))
        }
    }

    /// One option's monthly cost at the workload's volume, or why it was not computed.
    public struct Cost: Sendable, Hashable {
        public var option: Option
        /// Cost a month at the workload's volume; nil when the inputs are missing.
        public var monthly: Double?
        /// What is costed: which API, which mix, which purchase.
        public var basis: String
        public var source: String
        /// Why `monthly` is nil, and what to give to compute it.
        public var missing: String?

        public init(option: Option, monthly: Double?, basis: String, source: String, missing: String? = nil) {
            self.option = option
            self.monthly = monthly.flatMap { $0.isFinite ? max($0, 0) : nil }
            self.basis = basis
            self.source = source
            self.missing = missing
        }
    }

    /// Where one option stops being the cheaper of a pair.
    public struct BreakEven: Sendable, Hashable {
        /// The option cheaper at low volume (or at every volume when there is no break-even).
        public var cheaper: Option
        public var other: Option
        /// Requests a month below which `cheaper` costs less; nil when it does at every volume.
        public var below: Double?
        /// Requests a month from which `other` always costs less: `below`, or higher where the fleet's whole-replica
        /// steps make the two alternate in between.
        public var above: Double?
        public var summary: String
    }

    public var currency: String
    /// The workload's monthly volume: the horizon's average month.
    public var requestsPerMonth: Double
    public var inputTokensPerRequest: Double
    public var outputTokensPerRequest: Double
    /// The fleet re-sizing used for the self-hosted options' costs at other volumes.
    public var scaling: FleetScaling
    /// The self-hosted fleet at the workload's volume (the denominator of the costs per replica).
    public var referenceReplicas: Int
    public var costs: [Cost]
    /// The cheapest computed option at the workload's volume.
    public var winner: Option?
    public var breakEvens: [BreakEven]
    public var reasons: [String]
    public var assumptions: [String]

    /// The managed API's cost of one request, from its input and output prices per 1M tokens.
    var apiPerRequest: Double?

    /// A managed API's token prices.
    public struct API: Sendable, Hashable {
        public var name: String
        public var inputPerMillion: Double
        public var outputPerMillion: Double
        public var source: String

        public init(name: String, inputPerMillion: Double, outputPerMillion: Double, source: String) {
            self.name = name
            self.inputPerMillion = inputPerMillion
            self.outputPerMillion = outputPerMillion
            self.source = source
        }
    }

    /// What decides between the options besides the prices.
    public struct Context: Sendable, Hashable {
        /// Average rate over the fleet's capacity at the SLO, at the workload's volume.
        public var fleetUtilisation: Double
        /// Share of the cloud mix's replica-hours bought on 1- or 3-year commitments.
        public var committedShare: Double
        /// Years of the build-versus-rent horizon, and the month owning first beats renting on demand.
        public var tcoYears: Double
        public var ownBreakEvenMonth: Int?
        /// Utilisation at which owning costs what renting on demand does per used hour.
        public var ownBreakEvenUtilisation: Double?

        public init(
            fleetUtilisation: Double, committedShare: Double, tcoYears: Double, ownBreakEvenMonth: Int? = nil,
            ownBreakEvenUtilisation: Double? = nil
        ) {
            self.fleetUtilisation = fleetUtilisation
            self.committedShare = committedShare
            self.tcoYears = tcoYears
            self.ownBreakEvenMonth = ownBreakEvenMonth
            self.ownBreakEvenUtilisation = ownBreakEvenUtilisation
        }
    }

    /// - Parameters:
    ///   - requestsPerMonth: the workload's monthly volume.
    ///   - inputTokens, outputTokens: mean tokens per request.
    ///   - api: the cheapest comparable managed API, or nil with `apiMissing` saying why.
    ///   - cloud: the recommended mix's cost a month at this volume, with what it buys and its source.
    ///   - onPrem: owning's amortised cost a month, or nil with `onPremMissing` saying why.
    ///   - scaling: how the self-hosted fleet grows with volume.
    public init(
        currency: String, requestsPerMonth: Double, inputTokens: Double, outputTokens: Double, api: API?,
        apiMissing: String, cloud: (monthly: Double, basis: String, source: String),
        onPrem: (monthly: Double, basis: String, source: String)?, onPremMissing: String, scaling: FleetScaling,
        context: Context
    ) {
        self.currency = currency
        self.requestsPerMonth = max(requestsPerMonth.isFinite ? requestsPerMonth : 0, 0)
        inputTokensPerRequest = max(inputTokens, 0)
        outputTokensPerRequest = max(outputTokens, 0)
        self.scaling = scaling
        let reference = max(scaling.replicas(atRequestsPerMonth: self.requestsPerMonth), 1)
        referenceReplicas = reference
        let volume = self.requestsPerMonth
        let (input, output) = (max(inputTokens, 0), max(outputTokens, 0))
        let perRequest = api.map { (input * $0.inputPerMillion + output * $0.outputPerMillion) / 1e6 }
        apiPerRequest = perRequest
        costs = [
            Cost(
                option: .managedAPI, monthly: perRequest.map { $0 * volume },
                basis: api.map {
                    "\($0.name) at \(humanNumber($0.inputPerMillion)) in / \(humanNumber($0.outputPerMillion)) out \(currency) per 1M tokens"
                } ?? "no comparable managed API", source: api?.source ?? "price book",
                missing: api == nil ? apiMissing : nil),
            Cost(option: .cloud, monthly: cloud.monthly, basis: cloud.basis, source: cloud.source),
            Cost(
                option: .onPrem, monthly: onPrem?.monthly, basis: onPrem?.basis ?? "not computed",
                source: onPrem?.source ?? "price book", missing: onPrem == nil ? onPremMissing : nil),
        ]
        let priced = costs.compactMap { c in c.monthly.map { (c.option, $0) } }
        winner = priced.min { $0.1 < $1.1 }?.0
        breakEvens = []
        reasons = []
        assumptions = [
            "volume is the horizon's average month: \(Self.count(volume)) requests (\(Self.count(volume * output)) output, \(Self.count(volume * input)) input tokens)",
            "at other volumes the self-hosted fleet is re-sized in whole replicas for the volume's peak (one replica serves \(Self.count(scaling.requestsPerReplicaMonth)) requests a month with the busiest hour at its capacity at the SLO), never below \(scaling.minimumReplicas), with \(scaling.extraReplicas) spare or rounding replica\(scaling.extraReplicas == 1 ? "" : "s") on top; each option's current cost per replica (\(reference) at this volume) is held",
            "managed API cost = input tokens × input price + output tokens × output price; prompt caching discounts are not counted",
        ]
        for pair in [(Option.managedAPI, Option.cloud), (.managedAPI, .onPrem), (.cloud, .onPrem)] {
            if let b = breakEven(pair.0, pair.1, context: context) { breakEvens.append(b) }
        }
        reasons = explanation(context: context)
    }

    /// An option's monthly cost at another volume; nil when the option was not computed.
    public func monthlyCost(_ option: Option, atRequestsPerMonth requestsPerMonth: Double) -> Double? {
        let v = max(requestsPerMonth, 0)
        switch option {
        case .managedAPI: return apiPerRequest.map { $0 * v }
        case .cloud, .onPrem:
            guard let now = cost(option)?.monthly else { return nil }
            return now / Double(referenceReplicas) * Double(scaling.replicas(atRequestsPerMonth: v))
        }
    }

    /// The cost row of `option`.
    public func cost(_ option: Option) -> Cost? { costs.first { $0.option == option } }

    /// A self-hosted option's cost of one replica a month.
    func perReplica(_ option: Option) -> Double? {
        cost(option)?.monthly.map { $0 / Double(referenceReplicas) }
    }

    /// Break-even of a pair, or nil when either option was not computed.
    func breakEven(_ a: Option, _ b: Option, context: Context) -> BreakEven? {
        guard cost(a)?.monthly != nil, cost(b)?.monthly != nil else { return nil }
        if a == .managedAPI, let perRequest = apiPerRequest, let k = perReplica(b) {
            return apiBreakEven(perRequest: perRequest, perReplica: k, fleet: b)
        }
        // Two self-hosted options scale with the same fleet: one is cheaper at every volume.
        guard let ka = perReplica(a), let kb = perReplica(b) else { return nil }
        let (cheaper, other) = ka <= kb ? (a, b) : (b, a)
        let low = min(ka, kb)
        let high = max(ka, kb)
        let share = high > 0 ? (1 - low / high) * 100 : 0
        var summary =
            "no break-even in volume: both buy whole replicas of the same fleet, so \(cheaper.label) costs \(humanNumber(share))% less than \(other.label) at any volume (\(Self.money(low, currency)) against \(Self.money(high, currency)) a replica-month)"
        if let month = context.ownBreakEvenMonth {
            summary +=
                "; owning beats renting on demand from month \(month) of a \(humanNumber(context.tcoYears))-year commitment"
        } else {
            summary +=
                "; owning does not beat renting on demand within the \(humanNumber(context.tcoYears))-year horizon"
        }
        return BreakEven(cheaper: cheaper, other: other, below: nil, above: nil, summary: summary)
    }

    /// Where a linear API cost (`perRequest` × volume) meets a fleet's step cost (`perReplica` × replicas(volume)).
    ///
    /// With `q` requests a month per replica, `m = perRequest × q` is what the API charges for one replica's volume.
    /// When `m ≤ perReplica` the API is cheaper at every volume. Otherwise, on the fleet's step of `n` needed
    /// replicas, ((n − 1)q, nq], the API is cheaper below `perReplica × (n + extra) / perRequest`; the first step where
    /// that falls inside the step gives the first crossing, the last step where it lies above the step's start the last.
    /// - Complexity: O(1).
    func apiBreakEven(perRequest: Double, perReplica k: Double, fleet: Option) -> BreakEven {
        let q = scaling.requestsPerReplicaMonth
        let f = Double(scaling.minimumReplicas)
        let e = Double(scaling.extraReplicas)
        let m = perRequest * q
        guard perRequest > 0, m > k else {
            let summary =
                perRequest > 0
                ? "managed API is cheaper than \(fleet.label) at any volume: the \(Self.count(q)) requests one replica serves a month cost \(Self.money(m, currency)) on the API against \(Self.money(k, currency)) for the replica"
                : "managed API is cheaper than \(fleet.label) at any volume: its price book entry charges nothing"
            return BreakEven(cheaper: .managedAPI, other: fleet, below: nil, above: nil, summary: summary)
        }
        let n1 = max(f, (k * e / (m - k)).rounded(.down) + 1)
        let first = max(k * (n1 + e) / perRequest, n1 == f ? 0 : (n1 - 1) * q)
        let n2 = max(f, ((m + k * e) / (m - k)).rounded(.up) - 1)
        let last = max(min(k * (n2 + e) / perRequest, n2 * q), first)
        let tokens = outputTokensPerRequest
        var summary =
            "managed API is cheaper than \(fleet.label) below \(Self.count(first)) requests a month (\(Self.count(first * tokens)) output tokens)"
        if last > first * (1 + 1e-9) {
            summary +=
                "; \(fleet.label) is cheaper from \(Self.count(last)) (\(Self.count(last * tokens)) output tokens) upward; in between the two alternate as the fleet adds whole replicas"
        } else {
            summary += ", \(fleet.label) above"
        }
        let position =
            requestsPerMonth < first
            ? "this workload (\(Self.count(requestsPerMonth))) is below it: the API wins at any volume below \(Self.count(first))"
            : requestsPerMonth >= last
                ? "this workload (\(Self.count(requestsPerMonth))) is above it: \(fleet.label) wins at any volume above \(Self.count(last))"
                : "this workload (\(Self.count(requestsPerMonth))) is in between"
        return BreakEven(
            cheaper: .managedAPI, other: fleet, below: first, above: last, summary: summary + "; " + position)
    }

    /// Why the winner wins: volume against the fleet's capacity, commitments, what is missing.
    func explanation(context: Context) -> [String] {
        var out: [String] = []
        let utilisation = min(max(context.fleetUtilisation, 0), 1)
        out.append(
            "volume: \(Self.count(requestsPerMonth)) requests a month keep the \(referenceReplicas)-replica fleet \(humanNumber(utilisation * 100))% busy on average (of its capacity at the SLO); a fleet is paid for every hour, an API only for the tokens"
        )
        if let api = cost(.managedAPI)?.monthly, let cloud = cost(.cloud)?.monthly, requestsPerMonth > 0 {
            let perMillion = 1e6 / max(requestsPerMonth * outputTokensPerRequest, 1e-9)
            out.append(
                "per 1M output tokens: managed API \(Self.money(api * perMillion, currency)), dedicated cloud \(Self.money(cloud * perMillion, currency))"
                    + (cost(.onPrem)?.monthly.map { ", on-prem \(Self.money($0 * perMillion, currency))" } ?? ""))
        }
        out.append(
            context.committedShare > 0
                ? "commitment: the cloud mix buys \(humanNumber(context.committedShare * 100))% of its replica-hours on 1- or 3-year terms"
                : "commitment: the cloud mix commits to nothing (on-demand and spot only); the API commits to nothing either"
        )
        if cost(.onPrem)?.monthly != nil {
            let threshold = context.ownBreakEvenUtilisation.map {
                ", and pays for itself only above \(humanNumber($0 * 100))% utilisation"
            }
            out.append(
                "on-prem: owning is a purchase amortised over its useful life; the cost counts capital, power × PUE, colocation, maintenance and staff"
                    + (threshold ?? ""))
        }
        for c in costs where c.monthly == nil {
            out.append("\(c.option.label) not costed: \(c.missing ?? "not computed")")
        }
        return out
    }

    /// A count with a k/M/G suffix: 1.23 M.
    public static func count(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        let magnitude = abs(value)
        if magnitude >= 1e12 { return humanNumber(value / 1e12) + " T" }
        if magnitude >= 1e9 { return humanNumber(value / 1e9) + " G" }
        if magnitude >= 1e6 { return humanNumber(value / 1e6) + " M" }
        if magnitude >= 1e4 { return humanNumber(value / 1e3) + " k" }
        return humanNumber(value)
    }

    static func money(_ value: Double, _ currency: String) -> String { "\(humanNumber(value)) \(currency)" }
}
