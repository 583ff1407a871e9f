import Foundation
import HTTPTypes
import HeadroomCatalog
import HeadroomCore
import HeadroomReport
import Hummingbird

/// `POST /v1/estimate|simulate|plan|cost|train`: the CLI's computations, answering its `--format json`.
enum ComputeRoutes {
    static func routes() -> [ServiceRoute] {
        [
            ServiceRoute(
                .post, "/v1/estimate", access: .role(.viewer),
                summary: "Predict throughput, latency and memory of one deployment (headroom estimate).",
                request: EstimateBody.schema, response: OpenAPISchemas.estimate
            ) { request, _, env in
                let body = try await env.body(EstimateBody.self, from: request)
                let document = try await env.compute("estimate") {
                    try body.inputs.validate()
                    let (estimate, deployment) = try body.inputs.estimate(body.selection, in: env.catalog)
                    return EstimateDocument(estimate, deployment: deployment, includeExplanation: body.explain ?? false)
                }
                return RouteOutput(try ServiceEnvironment.json(document))
            },
            ServiceRoute(
                .post, "/v1/simulate", access: .role(.viewer),
                summary: "Simulate a fleet serving a workload (headroom simulate).",
                request: SimulateBody.schema, response: OpenAPISchemas.simulate
            ) { request, _, env in
                let body = try await env.body(SimulateBody.self, from: request)
                let spec =
                    body.workload == nil && body.workloadName == nil
                    ? nil : try await env.workload(inline: body.workload, name: body.workloadName)
                if body.requests == nil, let requests = spec?.traffic.requests,
                    let limit = SimulateBody.bounds["requests"], !limit.contains(Double(requests))
                {
                    throw ServiceError(
                        .unprocessableContent,
                        "the workload's traffic.requests is over \(Int(limit.upperBound)); give requests to simulate fewer",
                        field: "workload.traffic.requests")
                }
                let document = try await env.compute("simulate") {
                    let outcome = try body.inputs.simulate(body.selection, spec: spec, catalog: env.catalog)
                    let memory = EstimateDocument.Memory(
                        plan: outcome.deployment.memoryPlan, maxConcurrentSequences: outcome.maxConcurrentSequences)
                    return SimulationDocument(
                        outcome.result, deployment: outcome.deployment, memory: memory, assumptions: outcome.notes,
                        wallSeconds: body.timing == true ? outcome.wallSeconds : nil)
                }
                return RouteOutput(try ServiceEnvironment.json(document))
            },
            ServiceRoute(
                .post, "/v1/plan", access: .role(.viewer),
                summary: "Find the cheapest deployments that meet a workload's SLO (headroom plan).",
                request: PlanBody.schema, response: OpenAPISchemas.plan
            ) { request, _, env in
                let body = try await env.body(PlanBody.self, from: request)
                return RouteOutput(ServiceEnvironment.json(try await plan(body, env: env)))
            },
            ServiceRoute(
                .post, "/v1/cost", access: .role(.viewer),
                summary: "How to buy a workload's plan (headroom cost).",
                request: CostBody.schema, response: OpenAPISchemas.cost
            ) { request, _, env in
                let body = try await env.body(CostBody.self, from: request)
                guard let hours = WorkloadPlanning.horizonHours(body.horizon ?? "year") else {
                    throw ServiceError(
                        .unprocessableContent, "horizon takes week, year or 24…87600 hours", field: "horizon")
                }
                let spec = try await env.workload(inline: body.workload, name: body.workloadName)
                let books = try await env.priceBooks(named: body.priceBook)
                let document = try await env.compute("cost") {
                    let planning = try await WorkloadPlanning.plan(
                        spec, modelBase: nil, catalog: env.catalog, books: books, requests: body.requests,
                        seed: body.seed ?? 1, today: ServiceEnvironment.today())
                    let (analysis, label) = try planning.costAnalysis(
                        hours: hours, economics: try EconomicsLoader.bundled(), tcoYears: body.tcoYears ?? 3,
                        spotMaxShare: body.spotMaxShare ?? 0.5, penalty: body.violationPenalty ?? 0.01,
                        today: ServiceEnvironment.today())
                    return CostDocument(analysis, deployment: label)
                }
                return RouteOutput(try ServiceEnvironment.json(document))
            },
            ServiceRoute(
                .post, "/v1/train", access: .role(.viewer),
                summary: "Plan a training run (headroom train).",
                request: TrainBody.schema, response: OpenAPISchemas.train
            ) { request, _, env in
                let body = try await env.body(TrainBody.self, from: request)
                let book = try await env.priceBooks(named: body.priceBook).first
                let text = try await env.compute("train") {
                    let trainingRequest = try body.inputs.request(TrainingSpec(), catalog: env.catalog, book: book)
                    let plan = try TrainingPlanner().plan(trainingRequest)
                    let domain =
                        trainingRequest.accelerator.scaleUp?.domainSize ?? trainingRequest.accelerator.nodeSize ?? 1
                    return try TrainingReport.json(plan, domain: domain)
                }
                return RouteOutput(ServiceEnvironment.json(text))
            },
        ]
    }

    /// The plan's JSON as `headroom plan --format json [--with-cost]` prints it.
    static func plan(_ body: PlanBody, env: ServiceEnvironment) async throws -> String {
        let spec = try await env.workload(inline: body.workload, name: body.workloadName)
        let books = try await env.priceBooks(named: body.priceBook)
        let top = body.top ?? 10
        return try await env.compute("plan") {
            let planning = try await WorkloadPlanning.plan(
                spec, modelBase: nil, catalog: env.catalog, books: books, requests: body.requests,
                seed: body.seed ?? 1, today: ServiceEnvironment.today())
            var document = PlanDocument(planning.plan, limit: max(top, 1), assumptions: planning.notes)
            if body.explain == true { document.explain = planning.plan.explanation(catalog: env.catalog) }
            if body.withCost == true, planning.plan.chosen != nil {
                let (analysis, label) = try planning.costAnalysis(
                    hours: 8760, economics: try EconomicsLoader.bundled(), tcoYears: 3, spotMaxShare: 0.5,
                    penalty: 0.01, today: ServiceEnvironment.today())
                return try JSONRendering.render(
                    PlanWithCost(plan: document, cost: CostDocument(analysis, deployment: label)))
            }
            return try JSONRendering.render(document)
        }
    }
}
