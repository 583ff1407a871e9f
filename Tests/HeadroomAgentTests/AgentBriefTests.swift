import Foundation
import HeadroomAgent
import HeadroomCore
import HeadroomServer
import Testing

/// The agent without a model: structured briefs through the deterministic pipeline.
@Suite(.serialized)
struct AgentBriefTests {
    static let complete = """
        description: A small chat bot.
        budget_usd_per_hour: 0.5
        model: llama-3.1-8b
        traffic:
          peak_rps: 4
          requests: 300
        lengths:
          preset: chat
        slo:
          ttft_ms: 1000
          tpot_ms: 100
          availability: 0.99
        constraints:
          accelerators: [h100-sxm]
          stacks: [vllm]
        """

    func run(_ text: String, answers: [String] = []) async throws -> (AgentResult, AgentTranscript) {
        let brief = try StructuredBrief.parse(text, file: "brief.yaml")
        return try await BriefPipeline(
            toolbox: try await PlanningToolbox.local(), answers: ScriptedAgentAnswers(answers)
        )
        .run(brief)
    }

    @Test(.timeLimit(.minutes(3)))
    func aCompleteBriefIsPlannedAndTheBudgetPushedBack() async throws {
        let (result, transcript) = try await run(Self.complete)
        #expect(result.finish == .planned, "\(result.status)")
        #expect(result.assumptions.isEmpty)
        #expect(result.questions.isEmpty)
        #expect(result.pushback.contains { $0.contains("over the budget of $0.50 per hour") }, "\(result.pushback)")
        #expect(result.report.contains("## Push-back"))
        let call = try #require(transcript.steps.first?.toolCalls.first)
        #expect(call.tool == "plan")
        #expect(!call.isError)
        #expect(call.arguments.contains(#""with_cost":true"#))
        #expect(transcript.mode == "brief-file")
        #expect(transcript.report == result.report)
    }

    @Test(.timeLimit(.minutes(3)))
    func aMissingSLOIsAssumedAndLabelled() async throws {
        let text = Self.complete.replacingOccurrences(
            of: "slo:\n  ttft_ms: 1000\n  tpot_ms: 100\n  availability: 0.99\n", with: "")
        let (result, _) = try await run(text)
        #expect(result.finish == .planned, "\(result.status)")
        #expect(result.assumptions.contains { $0.hasPrefix("slo: none given") })
        #expect(result.assumptions.contains { $0.hasPrefix("slo.availability: none given") })
        #expect(result.report.contains("## Assumptions"))
    }

    @Test(.timeLimit(.minutes(1)))
    func aMissingModelIsAQuestionNamingTheField() async throws {
        let text = Self.complete.replacingOccurrences(of: "model: llama-3.1-8b\n", with: "")
        let (result, transcript) = try await run(text)
        #expect(result.finish == .questionsUnanswered)
        #expect(result.questions.map(\.field) == ["model"])
        #expect(result.questions.first?.question.contains("field: model") == true)
        #expect(transcript.steps.isEmpty, "no tool is called without a model")
    }

    @Test(.timeLimit(.minutes(3)))
    func anAnsweredQuestionFillsTheWorkload() async throws {
        let text = Self.complete.replacingOccurrences(of: "model: llama-3.1-8b\n", with: "")
        let (result, _) = try await run(text, answers: ["llama-3.1-8b"])
        #expect(result.finish == .planned, "\(result.status)")
        #expect(result.questions.first?.answer == "llama-3.1-8b")
    }

    @Test(arguments: [
        ("model: llama-3.1-8b\ntraffic:\n  peak_rps: 4\nslo:\n  ttft_ms: -5\n", "slo.ttft_ms", 5),
        ("budget_usd_per_hour: cheap\nmodel: llama-3.1-8b\n", "budget_usd_per_hour", 1),
        ("model: llama-3.1-8b\ntraffic: [1, 2]\n", "traffic", 2),
    ])
    func badBriefsNameTheFileLineAndField(text: String, field: String, line: Int) async throws {
        await #expect {
            _ = try await run(text)
        } throws: { error in
            guard let error = error as? HeadroomError else { return false }
            return error.file == "brief.yaml" && error.field == field && error.line == line
        }
    }

    @Test func theExampleBriefParses() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/brief-chat-llama70b.yaml")
        let brief = try StructuredBrief.load(path: url.path)
        #expect(brief.budgetPerHour == 60)
        #expect(brief.workload["model"]?.stringValue == "llama-3.1-70b")
        #expect(brief.workload["description"] == nil)
    }
}
