import Foundation
import HeadroomCatalog
import HeadroomCore
import PropertyBased
import Testing

/// Issue 14's fuzz harness for the CLI's paths: `estimate`, `simulate` and `train` take their flags without the HTTP
/// API's schema bounds, so the shared inputs (``EstimateInputs``, ``SimulationInputs``, ``TrainingInputs``) and the
/// core must refuse hostile figures themselves. Each case returns a result or throws ``HeadroomError``, in time.
///
/// A hang guard, not a timer: in scripts/test's CPU-bound group a test may wait minutes for a pool thread on a
/// loaded 2-core machine (two `yes` and other builds beside it starved 2-minute limits).
@Suite(.timeLimit(.minutes(15)))
struct SurfaceFuzzTests {
    static let catalog = try! CatalogLoader.bundled()
    /// An upper bound for a busy two-core machine; each case alone takes well under a second.
    static let budget = Duration.seconds(30)

    static let doubles: [Double] = [
        0, -0.0, .leastNonzeroMagnitude, 1e-300 * 1e-20, .leastNormalMagnitude, 1e-9, 0.5, 1, 3, 1e6, 1e9, 1e12, 1e30,
        1e308, -1e308, .infinity, -.infinity, .nan, -1,
    ]
    static let ints: [Int] = [0, -1, 1, 2, 3, 64, 1000, 2_000_000, Int(Int32.max), Int.max, Int.min]
    static let counts: [String] = [
        "1e30T", "99999999999999999999999T", "NaN", "inf", "-1", "0", "8B", "1T", "1e40", "15.6T", "", "1e-320",
    ]

    /// Runs `body`, which must return or throw ``HeadroomError``, within ``budget``.
    static func expectTypedAndTimely(_ label: String, _ body: () throws -> Void) {
        let started = ContinuousClock.now
        do {
            try body()
        } catch let error as HeadroomError {
            #expect(!error.message.isEmpty, "\(label)")
        } catch {
            Issue.record("\(label): untyped error \(error)")
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < budget, "\(label) took \(elapsed)")
    }

    @Test func estimateTakesHostileFlags() async {
        await propertyCheck(
            count: 60, input: Gen.element(of: Self.ints), Gen.element(of: Self.ints), Gen.element(of: Self.doubles),
            Gen.element(of: Self.ints), Gen.element(of: Self.ints)
        ) { count, tokens, rate, requests, budget in
            guard let count, let tokens, let rate, let requests, let budget else { return }
            let selection = DeploymentSelection(
                model: "llama-3.1-8b", accelerator: "h100-sxm", count: count, maxBatchedTokens: budget,
                allowsFiles: false)
            let inputs = EstimateInputs(inputTokens: tokens, outputTokens: 20, rate: rate, requests: requests)
            Self.expectTypedAndTimely("estimate count=\(count) tokens=\(tokens) rate=\(rate) requests=\(requests)") {
                try inputs.validate()
                _ = try inputs.estimate(selection, in: Self.catalog)
            }
        }
    }

    @Test func simulateTakesHostileFlags() async {
        await propertyCheck(
            count: 60, input: Gen.element(of: Self.ints), Gen.element(of: Self.doubles), Gen.element(of: Self.ints),
            Gen.element(of: Self.doubles), Gen.element(of: Self.doubles)
        ) { count, rate, requests, burstiness, warmup in
            guard let count, let rate, let requests, let burstiness, let warmup else { return }
            var inputs = SimulationInputs()
            inputs.inputTokens = 100
            inputs.outputTokens = 20
            inputs.rate = rate
            inputs.requests = requests
            inputs.burstiness = burstiness
            inputs.warmup = warmup
            let selection = DeploymentSelection(
                model: "llama-3.1-8b", accelerator: "h100-sxm", count: count, allowsFiles: false)
            Self.expectTypedAndTimely("simulate count=\(count) rate=\(rate) requests=\(requests) cv=\(burstiness)") {
                _ = try inputs.simulate(selection, spec: nil, catalog: Self.catalog)
            }
        }
    }

    @Test func trainTakesHostileFlags() async {
        let book = try? PriceBookLoader.bundled().first
        await propertyCheck(
            count: 60, input: Gen.element(of: Self.counts), Gen.element(of: Self.counts), Gen.element(of: Self.ints),
            Gen.element(of: Self.doubles)
        ) { params, tokens, count, mfu in
            guard let params, let tokens, let count, let mfu else { return }
            var inputs = TrainingInputs()
            inputs.params = params
            inputs.tokens = tokens
            inputs.accelerator = "h100-sxm"
            inputs.count = count
            inputs.mfu = mfu
            inputs.allowsFiles = false
            Self.expectTypedAndTimely("train params=\(params) tokens=\(tokens) count=\(count) mfu=\(mfu)") {
                _ = try TrainingPlanner().plan(inputs.request(TrainingSpec(), catalog: Self.catalog, book: book))
            }
        }
    }
}
