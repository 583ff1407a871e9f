import Foundation
import HeadroomCatalog
import HeadroomCore
import Testing

/// Issue 17 item 4: a workload file listing several models (`models:`), their shared pricing and constraints, and a
/// fleet budget; errors name the field path, the file and the line.
@Suite(.timeLimit(.minutes(2)))
struct PlatformFileTests {
    static let base = """
        models:
          - name: chat
            model: llama-3.1-70b
            traffic: {peak_rps: 20}
            lengths: {preset: chat}
            slo: {ttft_ms: 800, tpot_ms: 60}
            constraints: {min_replicas: 2}
          - model: llama-3.1-8b
            traffic: {peak_rps: 30}
            lengths: {preset: rag}
            slo: {ttft_ms: 1500, tpot_ms: 50}
            quality: {lowest_precision: fp4}
        constraints:
          accelerators: [h100-sxm, h200]
          data_residency: [US]
        quality: {lowest_precision: fp8}
        pricing:
          overrides:
            - {accelerator: h100-sxm, per_hour: 2.5}
        budget: {max_accelerators: 40, per_month: 100000}
        """

    @Test func theBaseLoadsWithSharedFieldsMerged() throws {
        let platform = try PlatformLoader.decode(yaml: Self.base, file: "p.yaml")
        #expect(platform.models.map(\.name) == ["chat", "llama-3.1-8b"])
        let chat = platform.models[0].spec
        #expect(chat.constraints.minimumReplicas == 2)
        #expect(chat.constraints.accelerators == ["h100-sxm", "h200"])
        #expect(chat.constraints.jurisdictions == ["US"])
        #expect(chat.constraints.lowestPrecision == .fp8)
        #expect(chat.priceOverrides.first?.perHour == 2.5)
        let rag = platform.models[1].spec
        #expect(rag.constraints.lowestPrecision == .fp4)  // the entry's own floor wins
        #expect(rag.constraints.minimumReplicas == 1)
        #expect(rag.peakRate == 30)
        #expect(platform.budget == FleetBudget(maxAccelerators: 40, perMonth: 100_000))
        #expect(PlatformLoader.listsModels(Self.base))
    }

    @Test func theShippedExampleLoads() throws {
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root = root.deletingLastPathComponent()
        }
        let platform = try PlatformLoader.load(url: root.appendingPathComponent("examples/platform-three-models.yaml"))
        #expect(platform.models.count == 3)
        #expect(platform.budget.maxAccelerators != nil)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var from: String
        var to: String
        var field: String
        var line: Int
        var says: String
        var testDescription: String { field }
    }

    static let cases: [Case] = [
        .init(from: "peak_rps: 30", to: "peek_rps: 30", field: "models.1.traffic.peek_rps", line: 9, says: "peak_rps"),
        .init(from: "ttft_ms: 1500", to: "ttft_ms: -1", field: "models.1.slo.ttft_ms", line: 11, says: "positive"),
        .init(
            from: "min_replicas: 2", to: "min_replicas: 0", field: "models.0.constraints.min_replicas", line: 7,
            says: "at least 1"),
        .init(
            from: "lowest_precision: fp4", to: "lowest_precision: fp3", field: "models.1.quality.lowest_precision",
            line: 12, says: "fp3"),
        .init(
            from: "{lowest_precision: fp8}", to: "{lowest_precision: fp2}", field: "quality.lowest_precision",
            line: 16, says: "fp2"),
        .init(
            from: "per_hour: 2.5", to: "per_hour: -2", field: "pricing.overrides.0.per_hour", line: 19,
            says: "positive"),
        .init(
            from: "max_accelerators: 40", to: "max_accelerators: 0", field: "budget.max_accelerators", line: 20,
            says: "at least 1"),
        .init(
            from: "per_month: 100000", to: "per_mnth: 100000", field: "budget.per_mnth", line: 20,
            says: "per_month"),
        .init(
            from: "per_month: 100000", to: "per_month: .nan", field: "budget.per_month", line: 20,
            says: "positive"),
        .init(
            from: "  - model: llama-3.1-8b", to: "  - model: llama-3.1-8b\n    name: chat", field: "models.1.name",
            line: 9, says: "twice"),
    ]

    @Test(arguments: cases)
    func aBadFieldIsNamedWithItsLine(_ c: Case) throws {
        let yaml = Self.base.replacingOccurrences(of: c.from, with: c.to)
        #expect(yaml != Self.base)
        #expect {
            try PlatformLoader.decode(yaml: yaml, file: "p.yaml")
        } throws: { error in
            guard let e = error as? HeadroomError else { return false }
            let ok = e.field == c.field && e.line == c.line && e.file == "p.yaml" && e.message.contains(c.says)
            if !ok { Issue.record("got \(e.description)") }
            return ok
        }
    }

    @Test func anEmptyListIsRefused() {
        #expect {
            try PlatformLoader.decode(yaml: "models: []\n", file: "p.yaml")
        } throws: { error in
            (error as? HeadroomError)?.field == "models"
        }
    }

    @Test func aOneModelCommandRefusesAPlatformFileByName() {
        #expect {
            try WorkloadLoader.decode(yaml: Self.base, file: "p.yaml")
        } throws: { error in
            let e = error as? HeadroomError
            return e?.field == "models" && e?.message.contains("headroom plan") == true
        }
    }
}
