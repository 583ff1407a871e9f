import Foundation
import HTTPTypes
import HeadroomCatalog
import HeadroomCore
package import HeadroomReport

/// The CLI's computations over a decoded request body: what `POST /v1/estimate|simulate|plan|cost|train` answer and
/// what the MCP server's and the agent's tools call, so every surface returns the same figures for the same input.
package enum Computations {
    /// `headroom estimate`: one deployment, one request shape.
    /// - Throws: ``ServiceError`` 422 naming the field for inputs the model refuses.
    package static func estimate(_ body: EstimateBody, env: ServiceEnvironment) async throws -> EstimateDocument {
        try await env.compute("estimate") {
            try body.inputs.validate()
            let (estimate, deployment) = try body.inputs.estimate(body.selection, in: env.catalog)
            return EstimateDocument(estimate, deployment: deployment, includeExplanation: body.explain ?? false)
        }
    }

    /// `headroom simulate`: a fleet serving a workload, request by request.
    /// - Throws: ``ServiceError`` 422 naming the field.
    package static func simulate(
        _ body: SimulateBody, env: ServiceEnvironment, caller: Caller
    ) async throws -> SimulationDocument {
        let spec =
            body.workload == nil && body.workloadName == nil
            ? nil : try await env.workload(inline: body.workload, name: body.workloadName, caller: caller)
        return try await env.compute("simulate") {
            let outcome = try body.inputs.simulate(body.selection, spec: spec, catalog: env.catalog)
            let memory = EstimateDocument.Memory(
                plan: outcome.deployment.memoryPlan, maxConcurrentSequences: outcome.maxConcurrentSequences)
            return SimulationDocument(
                outcome.result, deployment: outcome.deployment, memory: memory, assumptions: outcome.notes,
                wallSeconds: body.timing == true ? outcome.wallSeconds : nil, router: outcome.router)
        }
    }

    /// A plan, and how to buy it when the body asks (`with_cost`).
    package struct PlanOutcome: Sendable {
        package var document: PlanDocument
        package var cost: CostDocument?

        /// The JSON `headroom plan --format json [--with-cost]` prints.
        package func json() throws -> String {
            if let cost { return try JSONRendering.render(PlanWithCost(plan: document, cost: cost)) }
            return try JSONRendering.render(document)
        }

        /// The Markdown `headroom plan --format markdown [--with-cost]` prints.
        package func markdown() -> String {
            PlanMarkdown.render(document) + (cost.map { "\n" + CostReport.markdown($0) } ?? "")
        }
    }

    /// `headroom plan`: the cheapest deployments that meet the workload's SLO.
    /// - Throws: ``ServiceError`` 422 naming the field.
    package static func plan(_ body: PlanBody, env: ServiceEnvironment, caller: Caller) async throws -> PlanOutcome {
        let spec = try await env.workload(inline: body.workload, name: body.workloadName, caller: caller)
        let books = try await env.priceBooks(named: body.priceBook, caller: caller)
        let top = body.top ?? 10
        return try await env.compute("plan") {
            let planning = try await WorkloadPlanning.plan(
                spec, modelBase: nil, catalog: env.catalog, books: books, requests: body.requests,
                seed: body.seed ?? 1, today: ServiceEnvironment.today())
            var document = PlanDocument(planning.plan, limit: max(top, 1), assumptions: planning.notes)
            if body.explain == true { document.explain = planning.plan.explanation(catalog: env.catalog) }
            guard body.withCost == true, planning.plan.chosen != nil else { return PlanOutcome(document: document) }
            let (analysis, label) = try planning.costAnalysis(
                hours: 8760, economics: try ServiceEnvironment.bundledEconomics.get(), tcoYears: 3, spotMaxShare: 0.5,
                penalty: 0.01, today: ServiceEnvironment.today())
            return PlanOutcome(document: document, cost: CostDocument(analysis, deployment: label))
        }
    }

    /// `headroom cost`: how to buy a workload's plan over a horizon.
    /// - Throws: ``ServiceError`` 422 naming the field.
    package static func cost(_ body: CostBody, env: ServiceEnvironment, caller: Caller) async throws -> CostDocument {
        guard let hours = WorkloadPlanning.horizonHours(body.horizon ?? "year") else {
            throw ServiceError(.unprocessableContent, "horizon takes week, year or 24…87600 hours", field: "horizon")
        }
        let spec = try await env.workload(inline: body.workload, name: body.workloadName, caller: caller)
        let books = try await env.priceBooks(named: body.priceBook, caller: caller)
        return try await env.compute("cost") {
            let planning = try await WorkloadPlanning.plan(
                spec, modelBase: nil, catalog: env.catalog, books: books, requests: body.requests,
                seed: body.seed ?? 1, today: ServiceEnvironment.today())
            let (analysis, label) = try planning.costAnalysis(
                hours: hours, economics: try ServiceEnvironment.bundledEconomics.get(), tcoYears: body.tcoYears ?? 3,
                spotMaxShare: body.spotMaxShare ?? 0.5, penalty: body.violationPenalty ?? 0.01,
                today: ServiceEnvironment.today())
            return CostDocument(analysis, deployment: label)
        }
    }

    /// `headroom train`: a training run's FLOPs, memory, schedule and procurement, as JSON.
    /// - Throws: ``ServiceError`` 422 naming the field.
    package static func train(_ body: TrainBody, env: ServiceEnvironment, caller: Caller) async throws -> String {
        let book = try await env.priceBooks(named: body.priceBook, caller: caller).first
        return try await env.compute("train") {
            let trainingRequest = try body.inputs.request(TrainingSpec(), catalog: env.catalog, book: book)
            let plan = try TrainingPlanner().plan(trainingRequest)
            let domain = trainingRequest.accelerator.scaleUp?.domainSize ?? trainingRequest.accelerator.nodeSize ?? 1
            return try TrainingReport.json(plan, domain: domain)
        }
    }
}
