import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomReport
import Testing

@Suite struct EstimateDocumentTests {
    func document() throws -> EstimateDocument {
        let catalog = try CatalogLoader.bundled()
        let deployment = try Deployment(
            model: catalog.model("llama-3.1-8b"), accelerator: catalog.accelerator("h200"),
            stack: catalog.stack("vllm"),
            count: 2, precision: .fp8
        )
        let estimator = Estimator(
            deployment: deployment, shape: try RequestShape(inputTokens: 2000, outputTokens: 300),
            efficiency: catalog.efficiency(stack: "vllm", accelerator: "h200")!
        )
        return EstimateDocument(try estimator.estimate(.rate(10)), deployment: deployment, includeExplanation: true)
    }

    @Test func jsonUsesTheContractKeysAndMilliseconds() throws {
        let doc = try document()
        let text = try JSONRendering.render(doc)
        #expect(text.contains("\"max_rate_requests_per_second\" : null"))
        #expect(text.contains("\"kv_cache_gib\""))
        #expect(doc.ttftMs.p50 > 1 && doc.ttftMs.p50 < 10_000, "TTFT in ms")
        #expect(doc.deployment.replicas == 2)
        #expect(abs(doc.outputTokensPerSecond - 10 * 300) < 1e-6)
    }

    @Test func tableShowsExplanationAndAssumptions() throws {
        let text = EstimateTable.render(try document())
        #expect(text.contains("step time"))
        #expect(text.contains("assumptions:"))
        #expect(text.contains("KV bytes per token"))
    }

    @Test func nonFiniteNumbersAreRefused() {
        struct Bad: Encodable { var x = Double.nan }
        #expect(throws: HeadroomError.self) { try JSONRendering.render(Bad()) }
    }
}
