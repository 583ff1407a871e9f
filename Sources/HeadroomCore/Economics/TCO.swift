import RealModule

/// The power a fleet draws on average: an assumption shared by build-versus-rent and the facility estimate.
enum PowerDraw {
    /// Fraction of peak power an idle accelerator server still draws. Assumption: no published figure for serving
    /// fleets; stated in the reports that use it.
    static let idleFraction = 0.3

    /// Average fraction of peak power at `utilisation`: idle draw, plus the rest in proportion to the busy time.
    static func averageFraction(utilisation: Double) -> Double {
        idleFraction + (1 - idleFraction) * min(max(utilisation, 0), 1)
    }

    static let assumption =
        "average power draw \(Int(saturating: idleFraction * 100))% of peak when idle, 100% when busy (assumption)"
}

/// Build versus rent for a fleet of accelerators over N years.
public struct TCOAnalysis: Sendable {
    public struct YearLine: Sendable, Hashable {
        public var label: String
        public var perYear: Double
        public var source: String
    }

    public var accelerators: Int
    public var years: Double
    /// Owning: each line's yearly cost for the whole fleet.
    public var lines: [YearLine]
    public var ownPerYear: Double
    public var rentPerYear: Double
    /// Own cost per accelerator-hour used, at the plan's utilisation.
    public var ownPerUsedHour: Double
    public var rentPerUsedHour: Double
    /// Utilisation at which owning costs the same per used hour as renting on demand.
    public var breakEvenUtilisation: Double
    /// Month at which cumulative rent first exceeds cumulative ownership (capex up front), if within the horizon.
    public var breakEvenMonth: Int?
    /// Cumulative cost by month: own (capex at month 0, then opex) and rent.
    public var cumulative: [(month: Int, own: Double, rent: Double)]
    public var assumptions: [String]

    /// - Parameters:
    ///   - accelerators: fleet size.
    ///   - serverPricePerAccelerator: purchase price of one accelerator's share of a server.
    ///   - tdpWatts: accelerator TDP.
    ///   - utilisation: fraction of hours the fleet does useful work (from the demand curve).
    ///   - rentPerHour: on-demand price per accelerator-hour.
    public init(
        accelerators: Int, serverPricePerAccelerator: Double, tdpWatts: Double, utilisation: Double,
        rentPerHour: Double, years: Double, assumptions a: TCOAssumptions
    ) throws(HeadroomError) {
        guard accelerators >= 1, serverPricePerAccelerator > 0, tdpWatts > 0, rentPerHour > 0, years > 0 else {
            throw HeadroomError(
                .invalidInput, "TCO needs a fleet, a server price, a TDP, a rent price and a horizon", field: "tco")
        }
        let u = min(max(utilisation, 0.01), 1)
        let n = Double(accelerators)
        let capex = serverPricePerAccelerator * (1 + a.networkShareOfCapex.value) * n
        let r = a.costOfCapital.value
        let life = a.usefulLifeYears.value
        // Capital recovery factor: the level yearly payment that repays capex at rate r over the useful life.
        let growth = Double.pow(1 + r, life)
        let crf = r > 0 ? r * growth / (growth - 1) : 1 / life
        let resale = capex * a.resaleFraction.value / growth
        let capital = (capex - resale) * crf
        let kwPerAccelerator = tdpWatts * (1 + a.hostPowerFraction.value) / 1000
        // Average draw: idle at 30 % of peak (assumption), full peak when busy.
        let averageKW = kwPerAccelerator * PowerDraw.averageFraction(utilisation: u) * n
        let energy = averageKW * a.pue.value * 8760 * a.electricityPerKWh.value
        let colocation = kwPerAccelerator * n * a.colocationPerKWMonth.value * 12
        let maintenance = capex * a.maintenanceFractionPerYear.value
        let staff = n * a.staffPerAcceleratorYear.value
        lines = [
            YearLine(
                label:
                    "capital (capex \(humanNumber(capex)) recovered over \(humanNumber(life)) years at \(humanNumber(r * 100))%, resale \(humanNumber(a.resaleFraction.value * 100))%)",
                perYear: capital, source: a.costOfCapital.source),
            YearLine(
                label:
                    "energy (\(humanNumber(averageKW)) kW average × PUE \(humanNumber(a.pue.value)) × \(humanNumber(a.electricityPerKWh.value))/kWh)",
                perYear: energy, source: a.electricityPerKWh.source),
            YearLine(
                label:
                    "colocation (\(humanNumber(kwPerAccelerator * n)) kW contracted × \(humanNumber(a.colocationPerKWMonth.value))/kW-month)",
                perYear: colocation, source: a.colocationPerKWMonth.source),
            YearLine(
                label: "maintenance and support (\(humanNumber(a.maintenanceFractionPerYear.value * 100))% of capex)",
                perYear: maintenance, source: a.maintenanceFractionPerYear.source),
            YearLine(label: "staff", perYear: staff, source: a.staffPerAcceleratorYear.source),
        ]
        ownPerYear = lines.reduce(0) { $0 + $1.perYear }
        // Renting: pay only the hours used, plus the lines a cloud bill adds (storage, egress, control plane).
        rentPerYear = rentPerHour * (1 + a.cloudOverheadFraction.value) * 8760 * u * n
        ownPerUsedHour = ownPerYear / (8760 * u * n)
        rentPerUsedHour = rentPerHour * (1 + a.cloudOverheadFraction.value)
        breakEvenUtilisation = min(ownPerYear / (8760 * n * rentPerUsedHour), 10)
        var cumulative: [(month: Int, own: Double, rent: Double)] = []
        let opexPerMonth = (energy + colocation + maintenance + staff) / 12
        var own = capex
        var rent = 0.0
        var month: Int?
        let months = Int(saturating: (years * 12).rounded())
        for m in 0...months {
            if m > 0 {
                own += opexPerMonth
                rent += rentPerYear / 12
            }
            let resaleNow = m == months ? capex * a.resaleFraction.value * max(0, 1 - Double(m) / 12 / life) : 0
            cumulative.append((m, own - resaleNow, rent))
            if month == nil, m > 0, rent >= own - resaleNow { month = m }
        }
        breakEvenMonth = month
        self.cumulative = cumulative
        self.accelerators = accelerators
        self.years = years
        self.assumptions =
            [
                PowerDraw.assumption,
                "renting pays only used hours at the on-demand rate plus \(humanNumber(a.cloudOverheadFraction.value * 100))% for storage, egress and control plane",
            ]
            + [
                a.costOfCapital, a.usefulLifeYears, a.resaleFraction, a.maintenanceFractionPerYear,
                a.staffPerAcceleratorYear, a.cloudOverheadFraction,
            ]
            .filter(\.assumption).map { "assumption: \($0.source)" }
    }
}

/// Managed API against self-hosting at a forecast volume.
public struct APIComparison: Sendable {
    public struct Row: Sendable, Hashable {
        public var option: String
        public var costPerMonth: Double
        public var costPerMillionOutput: Double
        public var source: String
    }

    public var rows: [Row]
    /// Monthly output tokens (millions) above which self-hosting is cheaper than the cheapest API, if any.
    public var breakEvenMillionOutputTokensPerMonth: Double?

    /// - Parameters:
    ///   - inputMillionsPerMonth / outputMillionsPerMonth: forecast volume.
    ///   - selfHostedPerMonth: the planned fleet's monthly cost at that volume.
    ///   - selfHostedFloorPerMonth: the cost of the smallest fleet kept up (fixed cost).
    ///   - apis: (name, input $/1M, output $/1M, source).
    public init(
        inputMillionsPerMonth: Double, outputMillionsPerMonth: Double, selfHostedPerMonth: Double,
        selfHostedFloorPerMonth: Double, apis: [(name: String, input: Double, output: Double, source: String)]
    ) {
        let out = max(outputMillionsPerMonth, 1e-9)
        var rows = [
            Row(
                option: "self-hosted (this plan)", costPerMonth: selfHostedPerMonth,
                costPerMillionOutput: selfHostedPerMonth / out, source: "plan")
        ]
        for api in apis {
            let monthly = inputMillionsPerMonth * api.input + outputMillionsPerMonth * api.output
            rows.append(
                Row(option: api.name, costPerMonth: monthly, costPerMillionOutput: monthly / out, source: api.source))
        }
        self.rows = rows.sorted { $0.costPerMonth < $1.costPerMonth }
        // Per million output tokens, an API charges its output price plus the input that rides with it.
        let ratio = inputMillionsPerMonth / out
        if let cheapest = apis.map({ $0.output + ratio * $0.input }).min(), cheapest > 0 {
            breakEvenMillionOutputTokensPerMonth = selfHostedFloorPerMonth / cheapest
        } else {
            breakEvenMillionOutputTokensPerMonth = nil
        }
    }
}

/// Power, racks, cooling, energy and carbon of a fleet.
public struct FacilityEstimate: Sendable {
    public var itKW: Double
    public var facilityKW: Double
    public var rackKW: Double
    public var racks: Int
    public var liquidCooling: Bool
    public var annualMWh: Double
    public var annualEnergyCost: Double
    public var annualTonnesCO2: Double?
    public var notes: [String]

    public init(
        accelerators: Int, tdpWatts: Double, nodeSize: Int, acceleratorCooling: String?, utilisation: Double,
        tco: TCOAssumptions, facility: FacilityAssumptions, jurisdiction: String?
    ) {
        let n = Double(accelerators)
        let kwPerAccelerator = tdpWatts * (1 + tco.hostPowerFraction.value) / 1000
        itKW = kwPerAccelerator * n
        facilityKW = itKW * tco.pue.value
        let nodeKW = kwPerAccelerator * Double(max(nodeSize, 1))
        let airLimit = facility.airCooledRackLimitKW.value
        liquidCooling = acceleratorCooling == "liquid" || nodeKW > airLimit
        rackKW = liquidCooling ? facility.liquidCooledRackKW.value : airLimit
        let nodesPerRack = max(Int(saturating: (rackKW / nodeKW).rounded(.down)), 1)
        let nodes = Int(saturating: (n / Double(max(nodeSize, 1))).rounded(.up))
        racks = Int(saturating: (Double(nodes) / Double(nodesPerRack)).rounded(.up))
        let averageKW = itKW * PowerDraw.averageFraction(utilisation: utilisation)
        annualMWh = averageKW * tco.pue.value * 8760 / 1000
        annualEnergyCost = annualMWh * 1000 * tco.electricityPerKWh.value
        let intensity = jurisdiction.flatMap { facility.gridIntensity[$0] }
        let mwh = annualMWh
        annualTonnesCO2 = intensity.map { mwh * $0.value }  // MWh × kg/kWh = t
        var lines = [
            "\(humanNumber(nodeKW)) kW per \(nodeSize)-accelerator node; \(liquidCooling ? "liquid" : "air") cooling at \(humanNumber(rackKW)) kW per rack (\(nodesPerRack) node\(nodesPerRack == 1 ? "" : "s") per rack)"
        ]
        lines.append(PowerDraw.assumption)
        if let intensity {
            lines.append("grid intensity \(humanNumber(intensity.value)) kg CO2e/kWh (\(intensity.source))")
        }
        notes = lines
    }
}
