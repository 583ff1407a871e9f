import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomReport
import Testing

@Suite struct ComparisonTests {
    static func aggregates(output: Double, ttft: Double = 0.05, tpot: Double = 0.01) -> BenchAggregates {
        func d(_ v: Double) -> BenchDistribution {
            BenchDistribution(mean: v, p50: v, p90: v, p95: v, p99: v * 1.5, max: v * 2, count: 10)
        }
        return BenchAggregates(
            durationSeconds: 10, completed: 10, outcomes: ["success": 10], requestsPerSecond: 1,
            outputTokensPerSecond: output, totalTokensPerSecond: output * 2, ttftSeconds: d(ttft), tpotSeconds: d(tpot),
            meanInputTokens: 100, meanOutputTokens: 100, outputTokensFromUsage: true, clientBottleneck: false)
    }

    static func result(
        accelerator: String = "h100-sxm", count: Int = 2, output: Double = 1000,
        load: BenchLoad = BenchLoad(mode: "poisson", rateRequestsPerSecond: 2, requests: 10, dataset: "x")
    ) -> BenchResult {
        BenchResult(
            tool: "test", startedAt: "",
            target: BenchTarget(
                url: "http://x", api: "completions", model: "m", acceleratorID: accelerator, acceleratorCount: count,
                stackID: "vllm", catalogModelID: "meta-llama/Llama-3.1-8B-Instruct"),
            load: load, requests: [], aggregates: aggregates(output: output))
    }

    static let book = PriceBook(
        name: "test-book", currency: "USD", asOf: "2026-01-01", staleAfterDays: 90,
        provenance: Provenance(source: "test", asOf: "2026-01-01"),
        instances: [
            InstancePrice(
                provider: "cheap", region: "us-east", jurisdiction: "US", accelerator: "h100-sxm", sku: "8x",
                acceleratorsPerInstance: 8, perAccelerator: HourlyRates(onDemand: 2.5),
                provenance: Provenance(source: "cheap price list", asOf: "2026-01-01")),
            InstancePrice(
                provider: "dear", region: "us-west", jurisdiction: "US", accelerator: "h100-sxm",
                acceleratorsPerInstance: 8, perAccelerator: HourlyRates(onDemand: 4),
                provenance: Provenance(source: "dear price list", asOf: "2026-01-01")),
        ])

    @Test func costPerMillionAndTokensPerWatt() throws {
        let catalog = try CatalogLoader.bundled()
        let doc = ComparisonDocument.make(
            [.init(file: "a.json", result: Self.result())], catalog: catalog, priceBook: Self.book)
        let row = try #require(doc.rows.first)
        // 2.5 $/h × 2 accelerators = 5 $/h; 1000 tok/s × 3600 = 3.6 M tok/h; 5 / 3.6 = 1.3889 $/1M.
        #expect(abs((row.costPerMillionOutputTokens ?? 0) - 5.0 / 3.6) < 1e-12)
        #expect(row.pricePerAcceleratorHour == 2.5)
        #expect(row.priceRow?.contains("cheap us-east 8x") == true)
        // H100 SXM TDP 700 W × 2 = 1400 W; 1000 / 1400 tok/s/W.
        #expect(row.tdpWatts == 1400)
        #expect(abs((row.outputTokensPerSecondPerWatt ?? 0) - 1000.0 / 1400) < 1e-12)
        #expect(row.outputTokensPerSecondPerAccelerator == 500)
        #expect(row.label == "2×h100-sxm / vllm / meta-llama/Llama-3.1-8B-Instruct")
    }

    @Test func maxRateUnderSLOFromASweep() throws {
        var sweep = Self.result(load: BenchLoad(mode: "sweep", requests: 30, dataset: "x"))
        sweep.sweep = [(1.0, true), (2.0, true), (4.0, false)].enumerated().map { index, step in
            BenchSweepStep(
                step: index, rateRequestsPerSecond: step.0, aggregates: Self.aggregates(output: 100 * step.0),
                attainmentLowerBound: step.1 ? 0.99 : 0.5, passed: step.1)
        }
        let catalog = try CatalogLoader.bundled()
        let own = ComparisonDocument.make([.init(file: "s.json", result: sweep)], catalog: catalog, priceBook: nil)
        #expect(own.rows[0].maxRateUnderSLO == 2)
        // Judged anew from the records: step 0 and 2 fast, step 1 slow → 4 req/s.
        sweep.requests = (0..<3).flatMap { step in
            (0..<10).map { i in
                BenchRequestRecord(
                    index: step * 10 + i, step: step, intendedSendSeconds: 0, actualSendSeconds: 0, inputTokens: 100,
                    requestedOutputTokens: 100, outcome: .success, ttftSeconds: step == 1 ? 0.5 : 0.05,
                    e2eSeconds: 1, outputTokens: 100)
            }
        }
        let judged = ComparisonDocument.make(
            [.init(file: "s.json", result: sweep)], catalog: catalog, priceBook: nil,
            slo: BenchSLO(ttftSeconds: 0.1, attainment: 0.99))
        #expect(judged.rows[0].maxRateUnderSLO == 4)
        #expect(judged.latencyByLoad.count == 3)
    }

    @Test func singleRunsJudgedFromPercentiles() throws {
        let catalog = try CatalogLoader.bundled()
        let run = Self.result()  // p99 TTFT 75 ms at 2 req/s
        let pass = ComparisonDocument.make(
            [.init(file: "a.json", result: run)], catalog: catalog, priceBook: nil,
            slo: BenchSLO(ttftSeconds: 0.1, attainment: 0.99))
        #expect(pass.rows[0].maxRateUnderSLO == 2)
        let fail = ComparisonDocument.make(
            [.init(file: "a.json", result: run)], catalog: catalog, priceBook: nil,
            slo: BenchSLO(ttftSeconds: 0.07, attainment: 0.99))
        #expect(fail.rows[0].maxRateUnderSLO == nil)
    }

    @Test func renderingsCarryTheFigures() throws {
        let catalog = try CatalogLoader.bundled()
        let doc = ComparisonDocument.make(
            [
                .init(file: "a.json", result: Self.result()),
                .init(
                    file: "b.json",
                    result: Self.result(
                        output: 800,
                        load: BenchLoad(mode: "poisson", rateRequestsPerSecond: 4, requests: 10, dataset: "x"))),
                .init(file: "c.json", result: Self.result(accelerator: "a100-80g", count: 1, output: 400)),
            ], catalog: catalog, priceBook: Self.book)
        let html = ComparisonHTML.render(doc)
        #expect(html.contains("<svg"))
        #expect(html.contains("Cost per million output tokens"))
        #expect(html.contains("against load"))
        let json = try JSONRendering.render(doc)
        #expect(json.contains("\"cost_per_million_output_tokens\""))
        #expect(json.contains("\"output_tokens_per_second_per_watt\""))
        #expect(ComparisonMarkdown.render(doc).contains("| result |"))
        let table = ComparisonTable.render(doc)
        #expect(table.contains("Latency at equal load"))
        // Same deployment at two rates: the labels say which.
        #expect(Set(doc.rows.map(\.label)).count == 3)
        // No A100 price in the book: said, not guessed.
        #expect(doc.rows[2].costPerMillionOutputTokens == nil)
        #expect(doc.rows[2].warnings.contains { $0.contains("no on-demand price") })
    }
}
