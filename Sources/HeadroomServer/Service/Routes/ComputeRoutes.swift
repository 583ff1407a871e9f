import Foundation
import HTTPTypes
import HeadroomCatalog
import HeadroomCore
import HeadroomOperations
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
                return RouteOutput(try ServiceEnvironment.json(try await Operations.estimate(body, env: env)))
            },
            ServiceRoute(
                .post, "/v1/simulate", access: .role(.viewer),
                summary: "Simulate a fleet serving a workload (headroom simulate).",
                request: SimulateBody.schema, response: OpenAPISchemas.simulate
            ) { request, context, env in
                let body = try await env.body(SimulateBody.self, from: request)
                let document = try await Operations.simulate(
                    body, env: env, caller: context.caller("POST /v1/simulate"))
                return RouteOutput(try ServiceEnvironment.json(document))
            },
            ServiceRoute(
                .post, "/v1/plan", access: .role(.viewer),
                summary: "Find the cheapest deployments that meet a workload's SLO (headroom plan).",
                request: PlanBody.schema, response: OpenAPISchemas.plan
            ) { request, context, env in
                let body = try await env.body(PlanBody.self, from: request)
                return RouteOutput(
                    ServiceEnvironment.json(try await plan(body, env: env, caller: context.caller("POST /v1/plan"))))
            },
            ServiceRoute(
                .post, "/v1/cost", access: .role(.viewer),
                summary: "How to buy a workload's plan (headroom cost).",
                request: CostBody.schema, response: OpenAPISchemas.cost
            ) { request, context, env in
                let body = try await env.body(CostBody.self, from: request)
                let document = try await Operations.cost(body, env: env, caller: context.caller("POST /v1/cost"))
                return RouteOutput(try ServiceEnvironment.json(document))
            },
            ServiceRoute(
                .post, "/v1/train", access: .role(.viewer),
                summary: "Plan a training run (headroom train).",
                request: TrainBody.schema, response: OpenAPISchemas.train
            ) { request, context, env in
                let body = try await env.body(TrainBody.self, from: request)
                let text = try await Operations.train(body, env: env, caller: context.caller("POST /v1/train"))
                return RouteOutput(ServiceEnvironment.json(text))
            },
        ]
    }

    /// The plan's JSON as `headroom plan --format json [--with-cost]` prints it.
    static func plan(_ body: PlanBody, env: ServiceEnvironment, caller: Caller) async throws -> String {
        try await Operations.plan(body, env: env, caller: caller).json()
    }
}
