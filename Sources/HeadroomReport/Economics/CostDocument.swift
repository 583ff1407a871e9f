public import HeadroomCore

/// `headroom cost --format json`, and what the cost reports render.
public struct CostDocument: Encodable, Sendable {
    public struct Option: Encodable, Sendable {
        var kind: String
        var ratePerReplicaHour: Double
        var provider: String
        var region: String
        var termHours: Int?
        var source: String
        enum CodingKeys: String, CodingKey {
            case kind, provider, region, source
            case ratePerReplicaHour = "rate_per_replica_hour"
            case termHours = "term_hours"
        }
    }

    public struct Line: Encodable, Sendable {
        var option: String
        var replicas: Int
        var replicaHours: Double
        var cost: Double
        var breakEvenUtilisation: Double?
        var utilisation: Double?
        enum CodingKeys: String, CodingKey {
            case option, replicas, cost, utilisation
            case replicaHours = "replica_hours"
            case breakEvenUtilisation = "break_even_utilisation"
        }
    }

    public struct Policy: Encodable, Sendable {
        var id: String
        var name: String
        var replicaHours: Double
        var overProvisionedReplicaHours: Double
        var starvedMinutes: Int
        var sloViolatingRequests: Double
        var cost: Double
        var warnings: [String]
        enum CodingKeys: String, CodingKey {
            case id, name, cost, warnings
            case replicaHours = "replica_hours"
            case overProvisionedReplicaHours = "over_provisioned_replica_hours"
            case starvedMinutes = "starved_minutes"
            case sloViolatingRequests = "slo_violating_requests"
        }
    }

    public struct TCO: Encodable, Sendable {
        var lines: [[String: String]]
        var ownPerYear: Double
        var rentPerYear: Double
        var ownPerUsedHour: Double
        var rentPerUsedHour: Double
        var breakEvenUtilisation: Double
        var breakEvenMonth: Int?
        var cumulative: [[Double]]
        var assumptions: [String]
        enum CodingKeys: String, CodingKey {
            case lines, cumulative, assumptions
            case ownPerYear = "own_per_year"
            case rentPerYear = "rent_per_year"
            case ownPerUsedHour = "own_per_used_accelerator_hour"
            case rentPerUsedHour = "rent_per_used_accelerator_hour"
            case breakEvenUtilisation = "break_even_utilisation"
            case breakEvenMonth = "break_even_month"
        }
    }

    /// Managed API, dedicated cloud or on-prem: `headroom cost`'s headline decision.
    public struct Decision: Encodable, Sendable {
        public struct Option: Encodable, Sendable {
            var option: String
            var costPerMonth: Double?
            var costPerMillionOutputTokens: Double?
            var basis: String
            var source: String
            var notComputed: String?
            enum CodingKeys: String, CodingKey {
                case option, basis, source
                case costPerMonth = "cost_per_month"
                case costPerMillionOutputTokens = "cost_per_million_output_tokens"
                case notComputed = "not_computed"
            }
        }

        public struct BreakEven: Encodable, Sendable {
            var pair: [String]
            var cheaperAtLowVolume: String
            var cheaperBelowRequestsPerMonth: Double?
            var otherCheaperFromRequestsPerMonth: Double?
            var cheaperBelowOutputTokensPerMonth: Double?
            var otherCheaperFromOutputTokensPerMonth: Double?
            var summary: String
            enum CodingKeys: String, CodingKey {
                case pair, summary
                case cheaperAtLowVolume = "cheaper_at_low_volume"
                case cheaperBelowRequestsPerMonth = "cheaper_below_requests_per_month"
                case otherCheaperFromRequestsPerMonth = "other_cheaper_from_requests_per_month"
                case cheaperBelowOutputTokensPerMonth = "cheaper_below_output_tokens_per_month"
                case otherCheaperFromOutputTokensPerMonth = "other_cheaper_from_output_tokens_per_month"
            }
        }

        var winner: String?
        var requestsPerMonth: Double
        var inputTokensPerMonth: Double
        var outputTokensPerMonth: Double
        var fleetReplicas: Int
        var options: [Option]
        var breakEvens: [BreakEven]
        var reasons: [String]
        var assumptions: [String]
        enum CodingKeys: String, CodingKey {
            case winner, options, reasons, assumptions
            case requestsPerMonth = "requests_per_month"
            case inputTokensPerMonth = "input_tokens_per_month"
            case outputTokensPerMonth = "output_tokens_per_month"
            case fleetReplicas = "fleet_replicas"
            case breakEvens = "break_evens"
        }

        init(_ d: ServingDecision) {
            winner = d.winner?.rawValue
            requestsPerMonth = d.requestsPerMonth
            inputTokensPerMonth = d.requestsPerMonth * d.inputTokensPerRequest
            outputTokensPerMonth = d.requestsPerMonth * d.outputTokensPerRequest
            fleetReplicas = d.referenceReplicas
            let outputMillions = outputTokensPerMonth / 1e6
            options = d.costs.map { c in
                Option(
                    option: c.option.rawValue, costPerMonth: c.monthly,
                    costPerMillionOutputTokens: outputMillions > 0 ? c.monthly.map { $0 / outputMillions } : nil,
                    basis: c.basis, source: c.source, notComputed: c.missing)
            }
            let tokens = d.outputTokensPerRequest
            breakEvens = d.breakEvens.map { b in
                BreakEven(
                    pair: [b.cheaper.rawValue, b.other.rawValue], cheaperAtLowVolume: b.cheaper.rawValue,
                    cheaperBelowRequestsPerMonth: b.below, otherCheaperFromRequestsPerMonth: b.above,
                    cheaperBelowOutputTokensPerMonth: b.below.map { $0 * tokens },
                    otherCheaperFromOutputTokensPerMonth: b.above.map { $0 * tokens }, summary: b.summary)
            }
            reasons = d.reasons
            assumptions = d.assumptions
        }
    }

    var currency: String
    var deployment: String
    var horizonHours: Int
    var peakReplicas: Int
    var replicaHours: Int
    var perReplicaCapacityRps: Double
    var options: [Option]
    var totalCost: Double
    var allOnDemandCost: Double
    var loadDurationRuleCost: Double
    var savingsFraction: Double
    var uncoveredHours: Int
    var lines: [Line]
    /// Per chart point (hourly, or daily maxima for long horizons): [hour, needed, 3y, 1y, on-demand, spot].
    var demand: [[Double]]
    var bringUpSeconds: [String: Double]
    var recommendedBufferReplicas: Int
    var autoscaling: [Policy]
    var balancedPolicy: String?
    /// The balanced policy's week: [hour, needed replicas, ready replicas].
    var autoscalingWeek: [[Double]]
    var tco: TCO?
    /// Fraction of the horizon's hours each replica level (1st, 2nd, …) is needed: a commitment priced below this
    /// fraction of the on-demand rate pays for that replica.
    var levelUtilisation: [Double]
    /// Cost per 1M output tokens: the recommended mix, and owning (when build-versus-rent was computed).
    var costPerMillionOutputTokens: Double
    var ownCostPerMillionOutputTokens: Double?
    var api: [[String: String]]
    var apiBreakEvenMillionOutputTokensPerMonth: Double?
    var facility: [String: Double]
    var facilityCooling: String
    var facilityNotes: [String]
    var notes: [String]
    var decision: Decision

    /// The notes, facility notes and build-versus-rent assumptions as printed: each once, in that order (the
    /// power-draw assumption belongs to both the facility estimate and the TCO).
    var printedNotes: [String] {
        var seen = Set<String>()
        return (notes + facilityNotes + (tco?.assumptions ?? [])).filter { seen.insert($0).inserted }
    }

    enum CodingKeys: String, CodingKey {
        case currency, deployment, options, lines, demand, autoscaling, tco, api, facility, notes, decision
        case horizonHours = "horizon_hours"
        case peakReplicas = "peak_replicas"
        case replicaHours = "replica_hours"
        case perReplicaCapacityRps = "per_replica_capacity_rps"
        case totalCost = "total_cost"
        case allOnDemandCost = "all_on_demand_cost"
        case loadDurationRuleCost = "load_duration_rule_cost"
        case savingsFraction = "savings_fraction"
        case uncoveredHours = "uncovered_hours"
        case bringUpSeconds = "bring_up_seconds"
        case recommendedBufferReplicas = "recommended_buffer_replicas"
        case balancedPolicy = "balanced_policy"
        case autoscalingWeek = "autoscaling_week"
        case apiBreakEvenMillionOutputTokensPerMonth = "api_break_even_million_output_tokens_per_month"
        case facilityCooling = "facility_cooling"
        case facilityNotes = "facility_notes"
        case levelUtilisation = "level_utilisation"
        case costPerMillionOutputTokens = "cost_per_million_output_tokens"
        case ownCostPerMillionOutputTokens = "own_cost_per_million_output_tokens"
    }

    public init(_ a: CostAnalysis, deployment label: String) {
        currency = a.currency
        deployment = label
        horizonHours = a.curve.hours
        peakReplicas = a.curve.peakReplicas
        replicaHours = a.curve.replicaHours
        perReplicaCapacityRps = a.curve.perReplicaCapacity
        options = a.options.map {
            Option(
                kind: $0.option.kind.rawValue, ratePerReplicaHour: $0.option.rate, provider: $0.provider,
                region: $0.region, termHours: $0.option.termHours, source: $0.option.source)
        }
        totalCost = a.procurement.totalCost
        allOnDemandCost = a.procurement.allOnDemandCost
        loadDurationRuleCost = a.procurement.loadDurationRuleCost
        savingsFraction = a.procurement.savingsFraction
        uncoveredHours = a.procurement.uncoveredHours
        lines = a.procurement.lines.map {
            Line(
                option: $0.option.rawValue, replicas: $0.replicas, replicaHours: $0.replicaHours, cost: $0.cost,
                breakEvenUtilisation: $0.breakEvenUtilisation, utilisation: $0.utilisation)
        }
        // Long horizons are charted by daily maxima.
        let step = a.curve.hours > 24 * 21 ? 24 : 1
        var points: [[Double]] = []
        var hour = 0
        while hour < a.curve.hours {
            let range = hour..<min(hour + step, a.curve.hours)
            let peakHour = range.max { a.curve.replicas[$0] < a.curve.replicas[$1] } ?? hour
            let stack = a.procurement.hourly[peakHour]
            points.append([
                Double(hour), Double(a.curve.replicas[peakHour]), Double(stack.reserved3y), Double(stack.reserved1y),
                Double(stack.onDemand), Double(stack.spot),
            ])
            hour += step
        }
        demand = points
        let millions = max(a.outputTokens / 1e6, 1e-9)
        costPerMillionOutputTokens = a.procurement.totalCost / millions
        ownCostPerMillionOutputTokens = a.tco.map { $0.ownPerYear * Double(a.curve.hours) / 8760 / millions }
        levelUtilisation = (0..<a.curve.peakReplicas).map {
            Double(a.curve.hoursAtOrAbove($0 + 1)) / Double(max(a.curve.hours, 1))
        }
        bringUpSeconds = [
            "node_acquisition": a.bringUp.nodeAcquisition, "stock_out_wait": a.bringUp.expectedStockOutWait,
            "image_pull": a.bringUp.imagePull, "weight_load": a.bringUp.weightLoad,
            "compile_and_capture": a.bringUp.compileAndCapture, "total": a.bringUp.total,
        ]
        recommendedBufferReplicas = a.recommendedBuffer
        autoscaling = a.autoscaling.map {
            Policy(
                id: $0.policy, name: $0.name, replicaHours: $0.replicaHours,
                overProvisionedReplicaHours: $0.overProvisionedReplicaHours, starvedMinutes: $0.starvedMinutes,
                sloViolatingRequests: $0.sloViolatingRequests, cost: $0.cost, warnings: $0.warnings)
        }
        balancedPolicy = a.balancedPolicy
        let chosen = a.autoscaling.first { $0.policy == a.balancedPolicy }
        autoscalingWeek = (chosen?.hourlyReady ?? []).enumerated().map { h, ready in
            [Double(h), a.curve.rates.indices.contains(h) ? a.curve.rates[h] / a.curve.perReplicaCapacity : 0, ready]
        }
        tco = a.tco.map { t in
            TCO(
                lines: t.lines.map {
                    ["item": $0.label, "per_year": String(($0.perYear * 100).rounded() / 100), "source": $0.source]
                },
                ownPerYear: t.ownPerYear, rentPerYear: t.rentPerYear, ownPerUsedHour: t.ownPerUsedHour,
                rentPerUsedHour: t.rentPerUsedHour, breakEvenUtilisation: t.breakEvenUtilisation,
                breakEvenMonth: t.breakEvenMonth,
                cumulative: t.cumulative.map { [Double($0.month), $0.own, $0.rent] }, assumptions: t.assumptions
            )
        }
        api = a.api.rows.map {
            [
                "option": $0.option, "cost_per_month": humanNumber($0.costPerMonth),
                "cost_per_million_output": humanNumber($0.costPerMillionOutput), "source": $0.source,
            ]
        }
        apiBreakEvenMillionOutputTokensPerMonth = a.api.breakEvenMillionOutputTokensPerMonth
        facility = [
            "it_kw": a.facility.itKW, "facility_kw": a.facility.facilityKW, "rack_kw": a.facility.rackKW,
            "racks": Double(a.facility.racks), "annual_mwh": a.facility.annualMWh,
            "annual_energy_cost": a.facility.annualEnergyCost,
        ].merging(a.facility.annualTonnesCO2.map { ["annual_tonnes_co2e": $0] } ?? [:]) { a, _ in a }
        facilityCooling = a.facility.liquidCooling ? "liquid" : "air"
        facilityNotes = a.facility.notes
        notes = a.notes
        decision = Decision(a.decision)
    }
}
