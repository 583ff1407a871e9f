import Foundation
import HeadroomAgent
import HeadroomCore
import HeadroomServer
import Testing

/// The number guard: which figures count as produced by a tool, and which sentences are left out.
struct AgentNumberGuardTests {
    static let toolText =
        #"{"cost_per_hour":33.0,"peak_rps":47.82608695652174,"input":1156,"peak_utilisation":0.92,"#
        + #""model_name":"Llama 3.1 70B Instruct","replicas":[6,100,200]} p99 TTFT 467 ms, $1.43 per 1M tokens"#

    @Test(arguments: [
        ("The fleet costs $33 an hour.", true),
        ("The fleet costs $33.00 an hour.", true),
        ("Peak is 47.8 req/s.", true),
        ("Peak is 48 req/s.", true),
        ("Peak is 47.9 req/s.", false),
        ("Prompts average 1,156 tokens.", true),
        ("Prompts average about 1.2k tokens.", true),
        ("Prompts average 2k tokens.", false),
        ("Utilisation is 92% at peak.", true),
        ("Utilisation is 93% at peak.", false),
        ("It runs on h100-sxm with fp8 and meets p99.", true),
        ("Llama 3.1 70B fits.", true),
        ("It needs 7 replicas.", false),
        ("Buy 200 of them.", true),
        ("This is the 2nd option, at $1.43 per 1M tokens.", true),
        ("TTFT is 467 ms.", true),
        ("TTFT is 470 ms.", false),
        ("It costs 12,345 dollars.", false),
    ])
    func figuresNeedATool(sentence: String, supported: Bool) {
        let guardian = NumberGuard(sources: [Self.toolText])
        #expect(guardian.unsupported(in: sentence).isEmpty == supported, "\(guardian.unsupported(in: sentence))")
    }

    @Test(arguments: [
        ("1,234,567", [1_234_567.0]),
        ("1.5e3 tokens", [1500.0]),
        ("3.2M requests", [3_200_000.0]),
        ("[100,200,300]", [100_200_300.0]),
        ("h100 fp8 p99", []),
        ("-12.5", [12.5]),
    ])
    func figuresAreReadAsWritten(text: String, values: [Double]) {
        #expect(NumberGuard.figures(in: text).map(\.value) == values)
    }

    @Test func sentencesWithInventedFiguresAreLeftOutAndCounted() {
        let guardian = NumberGuard(sources: [Self.toolText, "brief: 40 req/s at peak"])
        let narrative = """
            The recommendation costs $33 an hour. It carries 40 req/s with room to spare! It needs 9 racks.
            1. Buy at $1.43 per 1M tokens.
            - Hire 3 engineers.
            """
        let filtered = guardian.filter(narrative)
        #expect(filtered.removed == ["It needs 9 racks.", "Hire 3 engineers."])
        #expect(
            filtered.text == """
                The recommendation costs $33 an hour. It carries 40 req/s with room to spare!
                1. Buy at $1.43 per 1M tokens.
                """)
    }
}
