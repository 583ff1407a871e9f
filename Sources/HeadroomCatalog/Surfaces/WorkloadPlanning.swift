public import Foundation
public import HeadroomCore

/// A workload planned: what `headroom plan` and `POST /v1/plan` report, and what `cost` builds on.
public struct WorkloadPlanning: Sendable {
    public var plan: Plan
    /// Assumptions to print with the plan (prices, trace lengths, growth).
    public var notes: [String]
    public var spec: WorkloadSpec
    public var book: PriceBook

    /// Plans `spec`: resolves its model, prices it from `books`, searches, then sizes the integration.
    /// - Parameters:
    ///   - spec: the workload.
    ///   - modelBase: the folder a `model: config.json` path is relative to; nil refuses file paths.
    ///   - catalog: the catalog to search.
    ///   - books: the price books to choose from.
    ///   - requests: requests per confirming simulation (default: the file's, at most 20,000; 3,000 for a trace).
    ///   - seed: the confirming simulations' seed.
    ///   - today: the date (YYYY-MM-DD) price staleness is judged on.
    /// - Throws: ``HeadroomError`` for unknown entries, missing price books, an infeasible search.
    public static func plan(
        _ spec: WorkloadSpec, modelBase: URL?, catalog: Catalog, books: [PriceBook], requests: Int?, seed: UInt64,
        today: String
    ) async throws -> WorkloadPlanning {
        var notes: [String] = []
        let model: ModelArchitecture
        if let modelBase, spec.model.hasSuffix(".json") {
            let path =
                spec.model.hasPrefix("/")
                ? URL(fileURLWithPath: spec.model) : modelBase.appendingPathComponent(spec.model)
            model = try HuggingFaceImporter.importConfig(at: path)
        } else {
            model = try catalog.model(spec.model)
        }
        let pricing = try PlanPricing.prices(for: spec, books: books, catalog: catalog, today: today)
        notes += pricing.notes
        var input = spec.input
        var outputLengths = spec.output
        if let trace = spec.traffic.trace, !trace.isEmpty {
            input = PlanPricing.empirical(trace.map { Double($0.inputTokens) })
            outputLengths = PlanPricing.empirical(trace.map { Double($0.outputTokens) })
            notes.append("lengths from the trace's empirical distribution (\(trace.count) requests)")
        }
        let request = PlanRequest(
            model: model,
            traffic: .init(
                peakRate: spec.peakRate, averageRate: spec.averageRate, input: input, output: outputLengths,
                prefix: spec.prefix),
            objectives: .init(
                ttftSeconds: spec.slo.ttftSeconds, tpotSeconds: spec.slo.tpotSeconds,
                e2eSeconds: spec.slo.e2eSeconds,
                percentile: spec.percentile, availability: spec.availability
            ),
            constraints: try resolvedConstraints(spec.constraints, catalog: catalog), prices: pricing.prices,
            simulatedRequests: requests ?? (spec.traffic.trace == nil ? min(spec.traffic.requests, 20_000) : 3000),
            seed: seed
        )
        if spec.growthPerMonth != 0, spec.horizonMonths > 0 {
            notes.append(
                "traffic grown \(humanNumber(spec.growthPerMonth * 100))%/month over \(humanNumber(spec.horizonMonths)) months: peak \(humanNumber(spec.peakRate)) req/s, average \(humanNumber(spec.averageRate)) req/s"
            )
        }
        var plan = try await Planner(catalog: catalog).plan(request)
        plan.integration = IntegrationSizing.size(plan, inputs: spec.integration)
        plan.advisories += plan.integration?.advisories ?? []
        return WorkloadPlanning(plan: plan, notes: notes, spec: spec, book: pricing.book)
    }

    /// The constraints with accelerator aliases (`h100`, `trainium2`) replaced by catalog ids.
    /// - Throws: ``HeadroomError`` naming an accelerator the catalog does not hold, with the nearest ids.
    package static func resolvedConstraints(
        _ constraints: PlanRequest.Constraints, catalog: Catalog
    ) throws(HeadroomError) -> PlanRequest.Constraints {
        guard let allowed = constraints.accelerators else { return constraints }
        var resolved = constraints
        var ids = Set<String>()
        for key in allowed.sorted() {
            do {
                ids.insert(try catalog.accelerator(key).id)
            } catch {
                var named = error
                named.message = "constraints.accelerators: " + error.message
                named.field = "constraints.accelerators"
                throw named
            }
        }
        resolved.accelerators = ids
        return resolved
    }

    /// How to buy the plan's recommendation over `hours`: procurement mix, autoscaling, build versus rent.
    /// - Returns: the analysis and a one-line label of the deployment it costs.
    /// - Throws: ``HeadroomError`` when the plan has no recommendation or no price.
    public func costAnalysis(
        hours: Int, economics: EconomicsData, tcoYears: Double, spotMaxShare: Double, penalty: Double, today: String
    ) throws -> (analysis: CostAnalysis, deployment: String) {
        // The curve starts at today's traffic: undo the growth the plan applied over its horizon.
        let growth = Foundation.pow(1 + spec.growthPerMonth, spec.horizonMonths)
        let analysis = try CostAnalysis.analyse(
            plan: plan, book: book, data: economics,
            inputs: .init(
                averageRate: spec.averageRate / growth, profile: spec.traffic.profile.hourly,
                growthPerMonth: spec.growthPerMonth, horizonHours: hours, tcoYears: tcoYears,
                spotMaxShare: spotMaxShare, penaltyPerViolation: penalty, today: today
            )
        )
        guard let d = plan.chosen?.deployment else {
            throw HeadroomError(.infeasible, "the plan has no recommendation to cost; see its advisories", field: "slo")
        }
        let label = "\(d.model.name) on \(d.accelerator.id) (tp=\(d.tensorParallel), \(d.precision), \(d.stack.id))"
        return (analysis, label)
    }

    /// Hours in a cost horizon: `week`, `year`, or a number of hours from 24 to 87,600; nil otherwise.
    public static func horizonHours(_ text: String) -> Int? {
        switch text.lowercased() {
        case "week": return 168
        case "year": return 8760
        default:
            guard let value = Int(text), value >= 24, value <= 87_600 else { return nil }
            return value
        }
    }
}
