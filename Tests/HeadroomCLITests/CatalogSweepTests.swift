import HeadroomCatalog
import HeadroomCore
import Testing

/// Every accelerator × every model × every stack that runs there: the estimator either answers with finite,
/// positive figures or refuses with a Headroom error — never a crash, a NaN or an infinity.
@Suite struct CatalogSweepTests {
    static let catalog = try! CatalogLoader.bundled()

    @Test(arguments: try! CatalogLoader.bundled().accelerators.map(\.id))
    func everyCombinationAnswersOrRefusesCleanly(accelerator: String) throws {
        let part = try Self.catalog.accelerator(accelerator)
        var answered = 0
        for model in Self.catalog.models {
            for stack in Self.catalog.stacks {
                for precision in stack.precisions(on: part.id) where precision != .fp32 {
                    let domain = max(part.scaleUp?.domainSize ?? 1, 1)
                    let tp = [8, 4, 2, 1].first { $0 <= domain && model.attentionHeads % $0 == 0 } ?? 1
                    guard
                        let deployment = try? Deployment(
                            model: model, accelerator: part, stack: stack, count: tp, tensorParallel: tp,
                            precision: precision
                        ), let efficiency = Self.catalog.efficiency(stack: stack.id, accelerator: part.id)
                    else { continue }
                    let estimator = Estimator(
                        deployment: deployment, shape: try RequestShape(inputTokens: 2000, outputTokens: 300),
                        efficiency: efficiency
                    )
                    do {
                        // A part too slow for the fixed rate (a single CPU core) is still estimated at one client.
                        let e: Estimate
                        do { e = try estimator.estimate(.rate(0.5)) } catch {
                            e = try estimator.estimate(.concurrency(1))
                        }
                        let figures = [
                            e.outputTokensPerSecond, e.ttft.p50, e.ttft.p99, e.tpot.p50, e.tpot.p99, e.e2e.p99,
                            e.memory.weightsPerAccelerator, e.memory.kvCachePerAccelerator,
                        ]
                        #expect(
                            figures.allSatisfy { $0.isFinite && $0 > 0 }, "\(model.id) \(stack.id) \(precision) tp\(tp)"
                        )
                        #expect(e.tpot.p50 < 5 && e.ttft.p50 < 3600, "absurd latency for \(model.id) on \(accelerator)")
                        answered += 1
                    } catch {
                        #expect(!error.message.isEmpty)
                    }
                }
            }
        }
        #expect(answered > 0, "no model could be estimated on \(accelerator)")
    }
}
