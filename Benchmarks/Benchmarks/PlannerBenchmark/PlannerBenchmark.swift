import Benchmark
import HeadroomCatalog
import HeadroomCore

/// The planner issue's speed target: a plan for Llama-3.1-70B chat at 50 req/s over the whole catalog (every
/// accelerator, stack and precision with a price), finalists confirmed by simulation, in ≤ 1 s wall.
let benchmarks: @Sendable () -> Void = {
    let catalog = try! CatalogLoader.bundled()
    let book = try! PriceBookLoader.bundled()[0]
    let prices = book.instances.compactMap { i -> AcceleratorPrice? in
        guard let rate = i.onDemand, !i.excludesHost else { return nil }
        return AcceleratorPrice(
            accelerator: i.accelerator, provider: i.provider, region: i.region, jurisdiction: i.jurisdiction,
            perHour: rate, currency: book.currency, source: i.provenance.source, asOf: i.provenance.asOf
        )
    }
    let chat = try! WorkloadPreset.named("chat")
    let request = PlanRequest(
        model: try! catalog.model("llama-3.1-70b"),
        traffic: .init(peakRate: 50, averageRate: 30, input: chat.input, output: chat.output),
        objectives: .init(ttftSeconds: 1.0, tpotSeconds: 0.06, percentile: 99), prices: prices,
        simulatedRequests: 3000, seed: 1
    )
    let planner = Planner(catalog: catalog)

    Benchmark(
        "plan llama-3.1-70b chat at 50 req/s over the whole catalog",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal], maxIterations: 10)
    ) { benchmark in
        let plan = try await planner.plan(request)
        precondition(plan.chosen?.verified == true, "the plan must be confirmed by simulation")
        blackHole(plan)
    }
}
