import Foundation
import Testing

/// Issue 17 item 4 from the CLI: `headroom plan` of a file with `models:` gives each model's fleet and the totals,
/// and a budget nothing meets stops it with an error naming the budget.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct PlatformPlanCommandTests {
    @Test func theExamplePlansEveryModelAndTotalsTheParts() throws {
        let example = CommandLineTests.repositoryRoot.appendingPathComponent("examples/platform-three-models.yaml")
        let run = try CommandLineTests().run(["plan", example.path, "--format", "json", "--top", "3"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let models = try #require(json["models"] as? [[String: Any]])
        #expect(models.map { $0["name"] as? String } == ["support-chat", "docs-rag", "code-assist"])
        let totals = try #require(json["totals"] as? [String: Any])
        var accelerators = 0
        var perHour = 0.0
        for model in models {
            let fleet = try #require(model["fleet"] as? [String: Any])
            accelerators += (fleet["billed_accelerators"] as? Int) ?? (fleet["accelerators"] as? Int) ?? 0
            perHour += try #require(fleet["cost_per_hour"] as? Double)
            #expect(model["slo_verdict"] as? String != nil)
            #expect(model["plan"] as? [String: Any] != nil)
        }
        #expect(totals["accelerators"] as? Int == accelerators)
        let total = try #require(totals["cost_per_hour"] as? Double)
        #expect(abs(total - perHour) < 1e-6 * max(perHour, 1))
        let budget = try #require(json["budget"] as? [String: Any])
        #expect(accelerators <= (budget["max_accelerators"] as? Int ?? .max))
    }

    @Test func aBudgetNothingMeetsIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("platform-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("p.yaml")
        try """
        models:
          - model: llama-3.1-8b
            traffic: {peak_rps: 4, requests: 300}
            lengths: {preset: chat}
            slo: {ttft_ms: 2000, tpot_ms: 100}
          - model: llama-3.1-70b
            traffic: {peak_rps: 2, requests: 300}
            lengths: {preset: chat}
            slo: {ttft_ms: 2000, tpot_ms: 100}
        constraints: {accelerators: [h100-sxm]}
        budget: {max_accelerators: 1}
        """.write(to: file, atomically: true, encoding: .utf8)
        let run = try CommandLineTests().run(["plan", file.path])
        #expect(run.status == 1, "\(run.stdout)")
        #expect(run.stderr.contains("\(file.path):11"), "\(run.stderr)")
        #expect(run.stderr.contains("budget.max_accelerators"), "\(run.stderr)")
        #expect(run.stderr.contains("allows 1 accelerators"), "\(run.stderr)")
    }

    @Test func costRefusesAPlatformFileByName() throws {
        let example = CommandLineTests.repositoryRoot.appendingPathComponent("examples/platform-three-models.yaml")
        let run = try CommandLineTests().run(["cost", example.path])
        #expect(run.status != 0)
        #expect(run.stderr.contains("lists several models"), "\(run.stderr)")
    }
}
