import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomOperations
import HeadroomReport

/// `headroom cost`: how to buy a workload's plan — procurement mix, autoscaling, build versus rent, managed APIs,
/// facility.
struct CostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract:
            "How to buy a plan: commitments vs on-demand vs spot, autoscaling, build vs rent, managed APIs, power."
    )

    @Argument(help: "A workload file (YAML; see docs/workload.md).") var workload: String
    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Horizon: week, year, or a number of hours.") var horizon: String = CostDefaults.horizon
    @Option(help: "Years for build versus rent.") var tcoYears: Double = CostDefaults().tcoYears
    @Option(help: "Highest share of each hour's replicas allowed on spot (0 turns spot off).") var spotMaxShare:
        Double = CostDefaults().spotMaxShare
    @Option(help: "What one SLO-violating request costs, to balance autoscaling policies.") var violationPenalty:
        Double = CostDefaults().violationPenalty
    @Option(help: "table, json, markdown or html.") var format: PlanCommand.PlanFormat = .table
    @Option(help: "Write the report here instead of standard output.") var output: String?
    @Option(help: "A price book file (YAML or CSV) replacing the bundled one.") var priceBook: String?
    @Option(help: "An economics data file replacing the bundled assumptions.") var economics: String?
    @Option(help: "Requests per confirming simulation.") var requests: Int?
    @Option(help: "Seed of the confirming simulations.") var seed: UInt64 = 1

    func validate() throws {
        guard spotMaxShare >= 0, spotMaxShare <= 1 else { throw ValidationError("--spot-max-share must be in [0, 1]") }
        guard tcoYears > 0, tcoYears <= 20 else { throw ValidationError("--tco-years must be in (0, 20]") }
        guard violationPenalty >= 0 else { throw ValidationError("--violation-penalty must not be negative") }
    }

    func run() async throws {
        let planned = try await PlannedWorkload.make(
            workload: workload, catalogOptions: catalogOptions, priceBook: priceBook, requests: requests, seed: seed,
            top: 10, explain: false
        )
        guard let hours = WorkloadPlanning.horizonHours(horizon) else {
            throw failure("--horizon takes week, year or 24…87600 hours")
        }
        let document = try Self.document(
            for: planned, hours: hours, economics: economics, tcoYears: tcoYears, spotMaxShare: spotMaxShare,
            penalty: violationPenalty
        )
        let text: String
        switch format {
        case .table: text = CostReport.table(document)
        case .json: text = try reportingErrors { try JSONRendering.render(document) }
        case .markdown: text = CostReport.markdown(document)
        case .html: text = CostReport.html(document)
        }
        if let output {
            try reportingErrors { try PlanCommand.write(text, to: output) }
            emit("wrote \(output)")
        } else {
            emit(text)
        }
    }

    /// The cost analysis of a planned workload, as `cost` prints it and `plan --with-cost` appends it.
    static func document(
        for planned: PlannedWorkload, hours: Int, economics: String?, tcoYears: Double, spotMaxShare: Double,
        penalty: Double
    ) throws -> CostDocument {
        do {
            let data =
                try economics.map { try EconomicsLoader.load(url: URL(fileURLWithPath: $0)) }
                ?? EconomicsLoader.bundled()
            let (analysis, label) = try planned.planning.costAnalysis(
                hours: hours, economics: data, tcoYears: tcoYears, spotMaxShare: spotMaxShare, penalty: penalty,
                today: today())
            return CostDocument(analysis, deployment: label)
        } catch let error as HeadroomError {
            throw failure(error)
        }
    }
}
