import Foundation
import HeadroomCatalog
import HeadroomCore
package import HeadroomReport

/// Headroom's use cases over decoded requests: what `POST /v1/estimate|simulate|plan|cost|train` answer, what the
/// MCP server's and the agent's tools call, and what the CLI's commands compute with, so every surface returns the
/// same figures for the same input.
package enum Operations {
    /// `headroom estimate`: one deployment, one request shape.
    /// - Throws: ``OperationError`` naming the field for inputs the model refuses.
    package static func estimate(_ body: EstimateBody, env: some OperationEnvironment) async throws -> EstimateDocument
    {
        let catalog = env.catalog
        return try await env.compute("estimate") {
            try body.inputs.validate()
            let (estimate, deployment) = try body.inputs.estimate(body.selection, in: catalog)
            return EstimateDocument(estimate, deployment: deployment, includeExplanation: body.explain ?? false)
        }
    }

    /// `headroom simulate`: a fleet serving a workload, request by request.
    /// - Throws: ``OperationError`` naming the field.
    package static func simulate(
        _ body: SimulateBody, env: some OperationEnvironment, caller: Caller
    ) async throws -> SimulationDocument {
        let spec =
            body.workload == nil && body.workloadName == nil
            ? nil : try await env.workload(inline: body.workload, name: body.workloadName, caller: caller)
        let catalog = env.catalog
        return try await env.compute("simulate") {
            let outcome = try body.inputs.simulate(body.selection, spec: spec, catalog: catalog)
            let memory = EstimateDocument.Memory(
                plan: outcome.deployment.memoryPlan, maxConcurrentSequences: outcome.maxConcurrentSequences)
            return SimulationDocument(
                outcome.result, deployment: outcome.deployment, memory: memory, assumptions: outcome.notes,
                wallSeconds: body.timing == true ? outcome.wallSeconds : nil, router: outcome.router)
        }
    }

    /// A plan, and how to buy it when the request asks (`with_cost`).
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
    /// - Throws: ``OperationError`` naming the field.
    package static func plan(
        _ body: PlanBody, env: some OperationEnvironment, caller: Caller
    ) async throws -> PlanOutcome {
        let spec = try await env.workload(inline: body.workload, name: body.workloadName, caller: caller)
        let books = try await env.priceBooks(named: body.priceBook, caller: caller)
        let top = body.top ?? 10
        let catalog = env.catalog
        return try await env.compute("plan") {
            let planning = try await WorkloadPlanning.plan(
                spec, modelBase: nil, catalog: catalog, books: books, requests: body.requests,
                seed: body.seed ?? 1, today: BundledData.today())
            var document = PlanDocument(planning.plan, limit: max(top, 1), assumptions: planning.notes)
            if body.explain == true { document.explain = planning.plan.explanation(catalog: catalog) }
            guard body.withCost == true, planning.plan.chosen != nil else { return PlanOutcome(document: document) }
            let defaults = CostDefaults()
            let (analysis, label) = try planning.costAnalysis(
                hours: defaults.hours, economics: try BundledData.economics.get(), tcoYears: defaults.tcoYears,
                spotMaxShare: defaults.spotMaxShare, penalty: defaults.violationPenalty, today: BundledData.today())
            return PlanOutcome(document: document, cost: CostDocument(analysis, deployment: label))
        }
    }

    /// `headroom cost`: how to buy a workload's plan over a horizon.
    /// - Throws: ``OperationError`` naming the field.
    package static func cost(
        _ body: CostBody, env: some OperationEnvironment, caller: Caller
    ) async throws -> CostDocument {
        guard let hours = WorkloadPlanning.horizonHours(body.horizon ?? CostDefaults.horizon) else {
            throw OperationError(.invalid, "horizon takes week, year or 24…87600 hours", field: "horizon")
        }
        let spec = try await env.workload(inline: body.workload, name: body.workloadName, caller: caller)
        let books = try await env.priceBooks(named: body.priceBook, caller: caller)
        let catalog = env.catalog
        let defaults = CostDefaults()
        return try await env.compute("cost") {
            let planning = try await WorkloadPlanning.plan(
                spec, modelBase: nil, catalog: catalog, books: books, requests: body.requests,
                seed: body.seed ?? 1, today: BundledData.today())
            let (analysis, label) = try planning.costAnalysis(
                hours: hours, economics: try BundledData.economics.get(),
                tcoYears: body.tcoYears ?? defaults.tcoYears, spotMaxShare: body.spotMaxShare ?? defaults.spotMaxShare,
                penalty: body.violationPenalty ?? defaults.violationPenalty, today: BundledData.today())
            return CostDocument(analysis, deployment: label)
        }
    }

    /// `headroom train`: a training run's FLOPs, memory, schedule and procurement, as JSON.
    /// - Throws: ``OperationError`` naming the field.
    package static func train(_ body: TrainBody, env: some OperationEnvironment, caller: Caller) async throws -> String
    {
        let book = try await env.priceBooks(named: body.priceBook, caller: caller).first
        let catalog = env.catalog
        return try await env.compute("train") {
            let trainingRequest = try body.inputs.request(TrainingSpec(), catalog: catalog, book: book)
            let plan = try TrainingPlanner().plan(trainingRequest)
            let domain = trainingRequest.accelerator.scaleUp?.domainSize ?? trainingRequest.accelerator.nodeSize ?? 1
            return try TrainingReport.json(plan, domain: domain)
        }
    }
}
