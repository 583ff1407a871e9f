import Benchmark
import Foundation
import HeadroomCatalog
import HeadroomCore

/// Issue 17's table: plan, cost and simulate at fleet scale. The plans are examples/chat-llama70b.yaml restricted to
/// H100/H200 at an FP8 floor, at 300, 2,000, 20,000 and 200,000 req/s; the simulations Llama-3.1-8B, chat preset,
/// 100,000 requests on 200 and 2,000 H100 replicas. Targets: plan ≤ 2 s at any rate, cost at 20,000 req/s ≤ 3 s,
/// 100,000 requests on 2,000 replicas ≤ 1 s (release build, wall time).
let benchmarks: @Sendable () -> Void = {
    let catalog = try! CatalogLoader.bundled()
    let books = try! PriceBookLoader.bundled()
    let economics = try! EconomicsLoader.bundled()

    @Sendable func workload(peak: Int) -> WorkloadSpec {
        let yaml = """
            model: llama-3.1-70b
            traffic:
              peak_rps: \(peak)
              diurnal: [0.25, 0.2, 0.18, 0.18, 0.2, 0.3, 0.45, 0.65, 0.85, 0.95, 1.0, 1.0,
                        0.98, 0.96, 0.95, 0.93, 0.9, 0.85, 0.78, 0.7, 0.6, 0.5, 0.4, 0.3]
              growth_per_month: 0.03
              horizon_months: 6
              requests: 6000
            lengths:
              preset: chat
            prefix:
              hit_rate: 0.6
              prefix_tokens: 350
            slo:
              ttft_ms: 800
              tpot_ms: 60
              percentile: 99
              availability: 0.999
            constraints:
              stacks: [vllm, sglang, trtllm]
              accelerators: [h100-sxm, h200]
              data_residency: [US]
              min_replicas: 2
            quality:
              lowest_precision: fp8
            """
        return try! WorkloadLoader.decode(yaml: yaml, file: "chat-llama70b-\(peak).yaml")
    }

    @Sendable func plan(peak: Int) async throws -> WorkloadPlanning {
        try await WorkloadPlanning.plan(
            workload(peak: peak), modelBase: nil, catalog: catalog, books: books, requests: nil, seed: 1,
            today: "2026-12-01")
    }

    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal], maxDuration: .seconds(60),
        maxIterations: 5)

    for peak in [300, 2_000, 20_000, 200_000] {
        Benchmark("plan llama-3.1-70b chat, H100/H200, FP8 floor, \(peak) req/s", configuration: configuration) {
            _ in
            let planned = try await plan(peak: peak)
            precondition(planned.plan.chosen?.verified == true, "the plan must be confirmed by simulation")
            blackHole(planned)
        }
    }

    for peak in [2_000, 20_000] {
        Benchmark("cost llama-3.1-70b chat, H100/H200, FP8 floor, \(peak) req/s", configuration: configuration) {
            _ in
            let planned = try await plan(peak: peak)
            let cost = try planned.costAnalysis(
                hours: 8760, economics: economics, tcoYears: 3, spotMaxShare: 0.5, penalty: 0, today: "2026-12-01")
            blackHole(cost)
        }
    }

    let chat = try! WorkloadPreset.named("chat")
    let efficiency = catalog.efficiency(stack: "vllm", accelerator: "h100-sxm")!
    for (replicas, rate) in [(200, 3_000.0), (2_000, 30_000.0)] {
        let deployment = try! Deployment(
            model: catalog.model("llama-3.1-8b"), accelerator: catalog.accelerator("h100-sxm"),
            stack: catalog.stack("vllm"), count: replicas, precision: .bf16)
        let fleet = try! FleetSimulator(deployment: deployment, efficiency: efficiency.profile)
        Benchmark(
            "simulate llama-3.1-8b chat, 100,000 requests on \(replicas) H100 replicas (\(Int(rate)) req/s)",
            configuration: configuration
        ) { _ in
            var generator = try! WorkloadGenerator(
                arrival: .poisson(rate: rate), input: chat.input, output: chat.output, count: 100_000, seed: 1)
            blackHole(fleet.run(&generator, expectedCount: 100_000))
        }
    }
}
