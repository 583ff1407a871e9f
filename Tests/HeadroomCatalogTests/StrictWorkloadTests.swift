import Foundation
import HeadroomCatalog
import HeadroomCore
import Testing

/// Issue 13 item 7: a key a workload file does not have, at any depth, is an error naming the key, the file, the line
/// and the nearest valid key; every workload the project ships still loads.
///
/// A hang guard, not a timer: in scripts/test's CPU-bound group a test may wait minutes for a pool thread on a
/// loaded 2-core machine (two `yes` and other builds beside it starved 2-minute limits).
@Suite(.timeLimit(.minutes(15)))
struct StrictWorkloadTests {
    /// A valid workload that touches every section; `{KEY:…}` marks keys a case misspells.
    static let base = """
        model: llama-3.1-8b
        traffic:
          peak_rps: 4
          requests: 300
          steps:
            - {at_s: 10, multiplier: 2}
        lengths:
          input: {dist: lognormal, mean: 500, sigma: 0.5}
          output: {dist: fixed, value: 200}
        prefix: {hit_rate: 0.5, prefix_tokens: 100}
        slo:
          ttft_ms: 2000
          tpot_ms: 100
          availability: 0.999
        deployment: {accelerator: h100-sxm, count: 2, tp: 1}
        constraints: {accelerators: [h100-sxm], stacks: [vllm]}
        pricing:
          overrides:
            - {accelerator: h100-sxm, per_hour: 2.5}
        integration:
          tenants:
            - {name: a, tokens_per_minute: 1000}
        """

    struct Misspelling: Sendable, CustomTestStringConvertible {
        var right: String
        var wrong: String
        var line: Int
        var field: String
        var testDescription: String { "\(wrong) at \(field)" }
    }

    static let misspellings: [Misspelling] = [
        .init(right: "traffic:", wrong: "trafic:", line: 2, field: "trafic"),
        .init(right: "model:", wrong: "modle:", line: 1, field: "modle"),
        .init(right: "peak_rps:", wrong: "peek_rps:", line: 3, field: "traffic.peek_rps"),
        .init(right: "at_s:", wrong: "at_sec:", line: 6, field: "traffic.steps.0.at_sec"),
        .init(right: "sigma:", wrong: "sigam:", line: 8, field: "lengths.input.sigam"),
        .init(right: "hit_rate:", wrong: "hitrate:", line: 10, field: "prefix.hitrate"),
        .init(right: "availability:", wrong: "availibility:", line: 14, field: "slo.availibility"),
        .init(right: "count:", wrong: "coutn:", line: 15, field: "deployment.coutn"),
        .init(right: "per_hour:", wrong: "per_hours:", line: 19, field: "pricing.overrides.0.per_hours"),
        .init(
            right: "tokens_per_minute:", wrong: "tokens_per_min:", line: 22,
            field: "integration.tenants.0.tokens_per_min"),
    ]

    @Test func theBaseLoads() throws {
        let spec = try WorkloadLoader.decode(yaml: Self.base, file: "w.yaml")
        #expect(spec.peakRate == 4)
    }

    @Test(arguments: misspellings)
    func aMisspeltKeyNamesItselfTheLineAndTheNearestKey(case bad: Misspelling) throws {
        let text = Self.base.replacingOccurrences(of: bad.right, with: bad.wrong)
        #expect(text != Self.base)
        let key = String(bad.wrong.dropLast())
        let right = String(bad.right.dropLast())
        #expect {
            _ = try WorkloadLoader.decode(yaml: text, file: "w.yaml")
        } throws: { error in
            guard let error = error as? HeadroomError else { return false }
            #expect(error.file == "w.yaml", "\(error)")
            #expect(error.line == bad.line, "\(error)")
            #expect(error.field == bad.field, "\(error)")
            #expect(error.message.contains("unknown key '\(key)'"), "\(error)")
            #expect(error.message.contains("did you mean '\(right)'?"), "\(error)")
            return true
        }
    }

    @Test func aKeyNearNothingListsTheKeysThere() throws {
        let text = Self.base.replacingOccurrences(of: "  requests: 300", with: "  requests: 300\n  zzzzzzzzzz: 1")
        #expect {
            _ = try WorkloadLoader.decode(yaml: text, file: "w.yaml")
        } throws: { error in
            guard let error = error as? HeadroomError else { return false }
            return error.field == "traffic.zzzzzzzzzz" && error.line == 5 && error.message.contains("peak_rps")
        }
    }

    @Test(
        arguments: [
            ("peak_rps", "peek_rps", 1), ("availability", "availibility", 1), ("traffic", "trafic", 1), ("", "ab", 2),
            ("kitten", "sitting", 3),
        ])
    func editDistance(a: String, b: String, distance: Int) {
        #expect(KeyLedger.editDistance(a, b) == distance)
    }

    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every workload in examples/: a YAML file with `traffic:` (a `brief-` file is the agent's, which adds its own
    /// keys to a workload's; AgentBriefTests loads it).
    static func exampleWorkloads() throws -> [(String, String)] {
        let examples = root.appendingPathComponent("examples")
        return try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted()
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("brief-") }
            .map { ("examples/\($0)", try String(contentsOf: examples.appendingPathComponent($0), encoding: .utf8)) }
            .filter { $0.1.contains("\ntraffic:") }
    }

    @Test func everyExampleWorkloadLoads() throws {
        let workloads = try Self.exampleWorkloads()
        #expect(workloads.count >= 3)
        for (name, text) in workloads {
            #expect(throws: Never.self, "\(name)") { _ = try WorkloadLoader.decode(yaml: text, file: name) }
        }
    }

    /// docs/workload.md's reference block lists every field with placeholder values (`diurnal: [24 or 168
    /// numbers]`) and choices that exclude each other, so it need not load; but none of its keys may be unknown.
    @Test func theDocumentedFieldsAreAllKnown() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/workload.md"), encoding: .utf8)
        let blocks = doc.components(separatedBy: "```yaml\n").dropFirst()
            .map { $0.components(separatedBy: "```").first ?? "" }.filter { $0.contains("traffic:") }
        #expect(!blocks.isEmpty)
        for block in blocks {
            let text = block.replacingOccurrences(of: "[24 or 168 numbers]", with: "[1]")
            do {
                _ = try WorkloadLoader.decode(yaml: text, file: "docs/workload.md")
            } catch {
                #expect(!"\(error)".contains("unknown key"), "\(error)")
            }
        }
    }
}
