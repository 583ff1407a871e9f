import Foundation
import HTTPTypes
import HeadroomCatalog
import HeadroomCore
import HeadroomReport
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Each compute route answers what the CLI's core function renders for the same input.
@Suite(.timeLimit(.minutes(5)))
struct ComputeRouteTests {
    @Test func estimateMatchesTheCLI() async throws {
        let service = await TestService()
        let selection = DeploymentSelection(
            model: "llama-3.1-8b", accelerator: "h100-sxm", count: 1, allowsFiles: false)
        let inputs = EstimateInputs(inputTokens: 1000, outputTokens: 200, rate: 2, requests: 300, seed: 7)
        let (estimate, deployment) = try inputs.estimate(selection, in: TestService.catalog)
        let expected = try JSONRendering.render(
            EstimateDocument(estimate, deployment: deployment, includeExplanation: false))
        try await service.test { client in
            try await client.send(
                .post, "/v1/estimate", key: service.viewer,
                json: """
                    {"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1, "input_tokens": 1000,
                     "output_tokens": 200, "rate": 2, "requests": 300, "seed": 7}
                    """
            ) { response in
                #expect(response.status == .ok)
                #expect(response.text == expected)
            }
        }
    }

    @Test func simulateMatchesTheCLI() async throws {
        let service = await TestService()
        let selection = DeploymentSelection(
            model: "llama-3.1-8b", accelerator: "h100-sxm", count: 2, allowsFiles: false)
        var inputs = SimulationInputs()
        inputs.inputTokens = 800
        inputs.outputTokens = 150
        inputs.rate = 3
        inputs.requests = 400
        inputs.seed = 3
        let outcome = try inputs.simulate(selection, spec: nil, catalog: TestService.catalog)
        let expected = try JSONRendering.render(
            SimulationDocument(
                outcome.result, deployment: outcome.deployment,
                memory: EstimateDocument.Memory(
                    plan: outcome.deployment.memoryPlan, maxConcurrentSequences: outcome.maxConcurrentSequences),
                assumptions: outcome.notes, wallSeconds: nil))
        try await service.test { client in
            try await client.send(
                .post, "/v1/simulate", key: service.viewer,
                json: """
                    {"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 2, "input_tokens": 800,
                     "output_tokens": 150, "rate": 3, "requests": 400, "seed": 3}
                    """
            ) { response in
                #expect(response.status == .ok)
                #expect(response.text == expected)
            }
        }
    }

    @Test func planAndCostMatchTheCLI() async throws {
        let service = await TestService()
        let spec = try WorkloadLoader.decode(yaml: smallWorkload, file: "workload")
        let planning = try await WorkloadPlanning.plan(
            spec, modelBase: nil, catalog: TestService.catalog, books: try PriceBookLoader.bundled(), requests: nil,
            seed: 1, today: Self.today())
        let expectedPlan = try JSONRendering.render(
            PlanDocument(planning.plan, limit: 10, assumptions: planning.notes))
        let (analysis, label) = try planning.costAnalysis(
            hours: 168, economics: try EconomicsLoader.bundled(), tcoYears: 3, spotMaxShare: 0.5, penalty: 0.01,
            today: Self.today())
        let expectedCost = try JSONRendering.render(CostDocument(analysis, deployment: label))
        try await service.test { client in
            try await client.send(.post, "/v1/plan", key: service.viewer, json: #"{"workload": \#(smallWorkload)}"#) {
                response in
                #expect(response.status == .ok)
                #expect(response.text == expectedPlan)
            }
            try await client.send(
                .post, "/v1/cost", key: service.viewer, json: #"{"workload": \#(smallWorkload), "horizon": "week"}"#
            ) { response in
                #expect(response.status == .ok)
                #expect(response.text == expectedCost)
            }
        }
    }

    @Test func trainMatchesTheCLI() async throws {
        let service = await TestService()
        var inputs = TrainingInputs()
        inputs.model = "llama-3.1-8b"
        inputs.tokens = "1T"
        inputs.accelerator = "h100-sxm"
        inputs.count = 256
        inputs.allowsFiles = false
        let request = try inputs.request(
            TrainingSpec(), catalog: TestService.catalog, book: try PriceBookLoader.bundled().first)
        let plan = try TrainingPlanner().plan(request)
        let expected = try TrainingReport.json(
            plan, domain: request.accelerator.scaleUp?.domainSize ?? request.accelerator.nodeSize ?? 1)
        try await service.test { client in
            try await client.send(
                .post, "/v1/train", key: service.viewer,
                json: #"{"model": "llama-3.1-8b", "tokens": "1T", "accelerator": "h100-sxm", "count": 256}"#
            ) { response in
                #expect(response.status == .ok)
                #expect(response.text == expected)
            }
        }
    }

    @Test func catalogListsAndFinds() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(.get, "/v1/catalog/accelerators/h100-sxm", key: service.viewer) { response in
                #expect(response.status == .ok)
                let json1 = try response.json()
                #expect(json1["id"] == .string("h100-sxm"))
            }
            try await client.send(.get, "/v1/catalog/models", key: service.viewer) { response in
                guard case .array(let models) = try response.json() else {
                    Issue.record("not an array")
                    return
                }
                #expect(models.count == TestService.catalog.models.count)
            }
            try await client.send(.get, "/v1/catalog/stacks/nope", key: service.viewer) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func headroomErrorsNameTheField() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(
                .post, "/v1/estimate", key: service.viewer,
                json:
                    #"{"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1, "input_tokens": 10, "output_tokens": 10, "rate": 1, "precision": "fp3"}"#
            ) { response in
                #expect(response.status == .unprocessableContent)
                let json2 = try response.json()
                #expect(json2["error"]?["field"] == .string("precision"))
            }
        }
    }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
