import Benchmark
import HeadroomCatalog
import HeadroomCore

/// The simulator issue's speed target: 1,000,000 requests — Llama-3.1-8B on 1× H100 in FP8 under vLLM, lognormal
/// prompts (mean 1024) and outputs (mean 256), Poisson arrivals at 80 % of the deployment's capacity — in ≤ 1.5 s
/// on one core with ≤ 100 MB peak memory.
let benchmarks: @Sendable () -> Void = {
    let catalog = try! CatalogLoader.bundled()
    let deployment = try! Deployment(
        model: catalog.model("llama-3.1-8b"), accelerator: catalog.accelerator("h100-sxm"),
        stack: catalog.stack("vllm"), count: 1, precision: .fp8
    )
    let efficiency = catalog.efficiency(stack: "vllm", accelerator: "h100-sxm")!
    let estimator = Estimator(
        deployment: deployment, shape: try! RequestShape(inputTokens: 1024, outputTokens: 256), efficiency: efficiency
    )
    let capacity = try! estimator.estimate(.offline(requests: nil)).requestsPerSecond
    let fleet = try! FleetSimulator(deployment: deployment, efficiency: efficiency.profile)

    func simulate(_ count: Int) -> SimulationResult {
        var generator = try! WorkloadGenerator(
            arrival: .poisson(rate: 0.8 * capacity), input: .lognormal(mean: 1024, sigma: 0.8),
            output: .lognormal(mean: 256, sigma: 0.8), count: count, seed: 1
        )
        return fleet.run(&generator, expectedCount: count)
    }

    Benchmark(
        "simulate 1M requests (llama-3.1-8b, 1x h100, fp8, 80% load)",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal], maxDuration: .seconds(30),
            maxIterations: 5
        )
    ) { benchmark in
        blackHole(simulate(1_000_000))
    }

    Benchmark(
        "simulate 10k requests",
        configuration: .init(metrics: [.wallClock, .instructions, .mallocCountTotal], maxIterations: 20)
    ) { benchmark in
        blackHole(simulate(10_000))
    }
}
