import Foundation
import HeadroomCatalog
import HeadroomCore
import Testing

/// Issue 14: a workload file is checked against ``InputLimits`` in one place (the CLI, the HTTP API and the MCP tools
/// all load through ``WorkloadLoader``), and a hostile YAML text is refused in time linear in its size.
@Suite(.timeLimit(.minutes(2)))
struct WorkloadLimitsTests {
    /// A valid workload with `traffic` and `extra` lines spliced in.
    static func yaml(traffic: String = "peak_rps: 4", extra: String = "") -> String {
        """
        model: llama-3.1-8b
        traffic:
          \(traffic)
        lengths:
          input: {dist: fixed, value: 500}
          output: {dist: fixed, value: 200}
        slo: {ttft_ms: 2000, tpot_ms: 100}
        \(extra)
        """
    }

    func refusal(_ text: String) -> HeadroomError? {
        do {
            _ = try WorkloadLoader.decode(yaml: text, file: "w.yaml")
            return nil
        } catch {
            return error as? HeadroomError
        }
    }

    @Test func theBaseWorkloadLoads() throws {
        let spec = try WorkloadLoader.decode(yaml: Self.yaml(), file: "w.yaml")
        #expect(spec.peakRate == 4)
    }

    /// `headroom plan` with growth 5/month over 120 months used to overflow a replica count.
    @Test func runawayGrowthIsRefusedNamingTheField() {
        let error = refusal(Self.yaml(traffic: "peak_rps: 4\n  growth_per_month: 5\n  horizon_months: 120"))
        #expect(error?.field == "traffic.growth_per_month")
        #expect(error?.message.contains("1000000000 req/s") == true)
    }

    @Test func growthThatStaysInRangeStillLoads() throws {
        let spec = try WorkloadLoader.decode(
            yaml: Self.yaml(traffic: "peak_rps: 4\n  growth_per_month: 0.05\n  horizon_months: 12"), file: "w.yaml")
        #expect(abs(spec.peakRate - 4 * pow(1.05, 12)) < 1e-9)
    }

    @Test(
        arguments: [
            ("peak_rps: 1e12", "traffic.peak_rps"), ("peak_rps: 1e308", "traffic.peak_rps"),
            ("peak_rps: 1e-320", "traffic.peak_rps"), ("peak_rps: .inf", "traffic.peak_rps"),
            ("peak_rps: .nan", "traffic.peak_rps"), ("rate_rps: 1e-320", "traffic.rate_rps"),
            ("requests_per_day: 1e300", "traffic.requests_per_day"),
            ("peak_rps: 4\n  requests: 1000000000", "traffic.requests"),
            ("peak_rps: 4\n  horizon_months: 1e9\n  growth_per_month: 0.01", "traffic.horizon_months"),
            ("peak_rps: 4\n  growth_per_month: -0.999999\n  horizon_months: 600", "traffic.growth_per_month"),
            ("peak_rps: 4\n  hour_seconds: .inf", "traffic.hour_seconds"),
        ] as [(String, String)])
    func trafficOutOfRangeIsRefused(traffic: String, field: String) {
        #expect(refusal(Self.yaml(traffic: traffic))?.field == field)
    }

    @Test(
        arguments: [
            ("constraints: {min_replicas: 1000000000}", "constraints.min_replicas"),
            ("constraints: {min_replicas: 100001}", "constraints.min_replicas"),
            (
                "constraints: {min_replicas_per_region: 9223372036854775807, regions: [a, b]}",
                "constraints.min_replicas_per_region"
            ),
            ("integration: {bytes_per_token: 1e300}", "integration.bytes_per_token"),
            ("pricing: {overrides: [{accelerator: h100-sxm, per_hour: 1e308}]}", "pricing.overrides.0.per_hour"),
            ("prefix: {prefix_tokens: 9223372036854775807, hit_rate: 0.5}", "prefix.prefix_tokens"),
            ("constraints: {budget_per_hour: .inf}", "constraints.budget_per_hour"),
        ] as [(String, String)])
    func sectionsOutOfRangeAreRefused(extra: String, field: String) {
        #expect(refusal(Self.yaml(extra: extra))?.field == field)
    }

    @Test func aHugeFixedMeanIsRefusedNotTrapped() {
        let text = Self.yaml().replacingOccurrences(of: "{dist: fixed, value: 500}", with: "{dist: fixed, mean: 1e300}")
        #expect(refusal(text)?.field == "lengths.input")
    }

    // MARK: Cancellation

    @Test func aCancelledPlanStopsWithACancelledError() async throws {
        let spec = try WorkloadLoader.decode(yaml: Self.yaml(), file: "w.yaml")
        let catalog = try CatalogLoader.bundled()
        let books = try PriceBookLoader.bundled()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await WorkloadPlanning.plan(
                spec, modelBase: nil, catalog: catalog, books: books, requests: 100_000, seed: 1, today: "2026-12-01")
        }
        let started = ContinuousClock.now
        await #expect {
            try await task.value
        } throws: { ($0 as? HeadroomError)?.code == .cancelled }
        // Uncancelled, this plan (every accelerator, 100,000 requests per confirming simulation) runs for minutes.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    // MARK: Hostile YAML

    @Test func anOversizedWorkloadIsRefusedUnparsed() {
        let text = Self.yaml() + "\n# " + String(repeating: "x", count: WorkloadLoader.maxBytes)
        let started = ContinuousClock.now
        #expect(refusal(text)?.message.contains("at most") == true)
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test(arguments: [100, 10_000, 500_000])
    func deepFlowNestingIsRefusedQuickly(depth: Int) {
        let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let started = ContinuousClock.now
        #expect(refusal(Self.yaml(extra: "deployment: \(nested)"))?.message.contains("deeper than 64") == true)
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func deepIndentationIsRefused() {
        var text = Self.yaml() + "\nquality:\n"
        for level in 1...300 { text += String(repeating: " ", count: level) + "k\(level):\n" }
        #expect(refusal(text)?.message.contains("indented more than") == true)
    }

    @Test func bracketsInQuotedTextAndCommentsDoNotCount() throws {
        let brackets = String(repeating: "[", count: 100)
        let text = Self.yaml(extra: "# \(brackets)\npricing: {book: \"\(brackets)\"}")
        #expect(refusal(text)?.message.contains("deeper") != true)
    }

    @Test func aliasExpansionIsBounded() {
        // The "billion laughs": nine levels of ten aliases each expand to 10^9 values.
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let aliases = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(aliases)]\n"
        }
        text += Self.yaml()
        let started = ContinuousClock.now
        #expect(refusal(text)?.message.contains("more than 1000000 values") == true)
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
