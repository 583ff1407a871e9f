import Foundation
import HeadroomCLI
import HeadroomCatalog
import HeadroomCore
import Testing

/// `headroom init`: the interview, the YAML it writes, and the built binary with answers piped on standard input.
@Suite(.serialized) struct InitCommandTests {
    let interview: InitInterview

    init() throws {
        interview = InitInterview(
            catalog: try CatalogLoader.bundled(), jurisdictions: ["AU", "EU", "JP", "SG", "UK", "US"])
    }

    func decode(_ answers: WorkloadAnswers) throws -> WorkloadSpec {
        try WorkloadLoader.decode(yaml: WorkloadTemplate.render(answers, path: "w.yaml"), file: "w.yaml")
    }

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func allDefaultsWriteAWorkloadTheLoaderReads() throws {
        var source = ScriptedAnswers([])
        let answers = try interview.run(&source)
        #expect(answers == WorkloadAnswers())
        #expect(source.prompts.count == 1, "after the end of input nothing more is asked")
        let spec = try decode(answers)
        #expect(spec.model == "llama-3.1-8b")
        #expect(spec.peakRate == 10)
        #expect(spec.averageRate < spec.peakRate, "the business-hours profile averages below its peak")
        #expect(spec.slo.ttftSeconds == 1.0)
        #expect(spec.slo.tpotSeconds == 0.05)
        #expect(spec.percentile == 99)
        #expect(spec.availability == 0.99)
        #expect(spec.constraints.lowestPrecision == .fp8)
        #expect(spec.constraints.accelerators == nil && spec.constraints.jurisdictions == nil)
        #expect(spec.input == WorkloadPreset.chat.input)
        #expect(spec.prefix == .none)
        #expect(spec.traffic.profile.hourly.count == 24)
    }

    @Test func emptyLinesTakeDefaults() throws {
        var source = ScriptedAnswers(Array(repeating: "", count: InitInterview.fieldOrder.count))
        #expect(try interview.run(&source) == WorkloadAnswers())
        #expect(source.prompts.count == InitInterview.fieldOrder.count)
    }

    @Test func scriptedAnswersBecomeTheirFields() throws {
        var source = ScriptedAnswers([
            "llama-3.1-70b", "2M/day", "consumer", "3%", "6", "rag", "0.6 350", "800ms", "60", "p95", "99.9%",
            "h100-sxm, H200", "vllm sglang", "eu", "fp4", "$300",
        ])
        let answers = try interview.run(&source)
        #expect(answers.rate == .perDay(2_000_000))
        #expect(answers.lengths == .preset("rag"))
        #expect(answers.dataResidency == ["EU"])
        let spec = try decode(answers)
        let growth = pow(1.03, 6.0)
        #expect(spec.model == "llama-3.1-70b")
        #expect(abs(spec.averageRate - 2_000_000 / 86_400 * growth) < 1e-9)
        let hourly = WorkloadAnswers.Shape.consumer.hourly
        let peakOverMean = hourly.max()! / (hourly.reduce(0, +) / 24)
        #expect(abs(spec.peakRate - spec.averageRate * peakOverMean) < 1e-9)
        #expect(spec.growthPerMonth == 0.03 && spec.horizonMonths == 6)
        #expect(spec.input == WorkloadPreset.rag.input)
        #expect(spec.prefix == .hitRate(0.6, prefixTokens: 350))
        #expect(spec.slo.ttftSeconds == 0.8 && spec.slo.tpotSeconds == 0.06)
        #expect(spec.percentile == 95)
        #expect(spec.availability == 0.999)
        #expect(spec.constraints.accelerators == ["h100-sxm", "h200"])
        #expect(spec.constraints.stacks == ["vllm", "sglang"])
        #expect(spec.constraints.jurisdictions == ["EU"])
        #expect(spec.constraints.lowestPrecision == .fp4)
        #expect(spec.constraints.budgetPerHour == 300)
    }

    @Test(arguments: [
        ("50", WorkloadAnswers.Rate.peakPerSecond(50)), ("3000/min", .peakPerSecond(50)),
        ("120 rps", .peakPerSecond(120)),
        ("2M/day", .perDay(2_000_000)), ("1,500,000 per day", .perDay(1_500_000)), ("36k/hour", .peakPerSecond(10)),
    ])
    func ratesAcceptEitherForm(text: String, rate: WorkloadAnswers.Rate) throws {
        var source = ScriptedAnswers(["", text])
        #expect(try interview.run(&source).rate == rate)
    }

    @Test func meanLengthsAndNoSLOTerm() throws {
        var source = ScriptedAnswers(["", "", "flat", "", "", "2000/300", "none", "none", "40"])
        let spec = try decode(try interview.run(&source))
        #expect(spec.input == .lognormal(mean: 2000, sigma: 0.8))
        #expect(spec.output == .lognormal(mean: 300, sigma: 0.8))
        #expect(spec.slo.ttftSeconds == nil && spec.slo.tpotSeconds == 0.04)
        #expect(spec.peakRate == spec.averageRate, "a flat profile")
    }

    struct BadAnswer: Sendable, CustomTestStringConvertible {
        var answers: [String]
        var field: String
        var testDescription: String { "\(field): \(answers.last ?? "")" }
    }

    static let bad: [BadAnswer] = [
        .init(answers: ["gpt-9"], field: "model"),
        .init(answers: ["/nonexistent/config.json"], field: "model"),
        .init(answers: ["", "fast"], field: "traffic.peak_rps"),
        .init(answers: ["", "5/fortnight"], field: "traffic.peak_rps"),
        .init(answers: ["", "", "weekly"], field: "traffic.diurnal"),
        .init(answers: ["", "", "", "300"], field: "traffic.growth_per_month"),
        .init(answers: ["", "", "", "", "-2"], field: "traffic.horizon_months"),
        .init(answers: ["", "", "", "", "", "huge"], field: "lengths"),
        .init(answers: ["", "", "", "", "", "", "0.5"], field: "prefix"),
        .init(answers: ["", "", "", "", "", "", "", "soon"], field: "slo.ttft_ms"),
        .init(answers: ["", "", "", "", "", "", "", "", "", "97"], field: "slo.percentile"),
        .init(answers: ["", "", "", "", "", "", "", "", "", "", "1.5"], field: "slo.availability"),
        .init(answers: Array(repeating: "", count: 11) + ["h900"], field: "constraints.accelerators"),
        .init(answers: Array(repeating: "", count: 12) + ["ollama"], field: "constraints.stacks"),
        .init(answers: Array(repeating: "", count: 13) + ["EU, Mars"], field: "constraints.data_residency"),
        .init(answers: Array(repeating: "", count: 14) + ["fp9"], field: "quality.lowest_precision"),
        .init(answers: Array(repeating: "", count: 15) + ["free"], field: "constraints.budget_per_hour"),
    ]

    @Test(arguments: bad)
    func badAnswerWithoutATerminalNamesTheField(bad: BadAnswer) throws {
        var source = ScriptedAnswers(bad.answers, interactive: false)
        let error = try #require(throws: HeadroomError.self) { try interview.run(&source) }
        #expect(error.field == bad.field)
        #expect(error.message.hasPrefix("\(bad.field): "), "\(error.message)")
    }

    @Test func badAnswerAtATerminalIsAskedAgain() throws {
        var source = ScriptedAnswers(["gpt-9", "qwen3-32b", "fast", "50"], interactive: true)
        let answers = try interview.run(&source)
        #expect(answers.model == "qwen3-32b")
        #expect(answers.rate == .peakPerSecond(50))
        #expect(source.rejections.count == 2)
        #expect(source.rejections[0].contains("unknown model 'gpt-9'"))
        #expect(source.prompts[0].contains("Model [llama-3.1-8b]") && source.prompts[0].contains("config.json"))
    }

    @Test func promptsShowDefaultsAndExplanations() throws {
        var source = ScriptedAnswers(Array(repeating: "", count: InitInterview.fieldOrder.count))
        _ = try interview.run(&source)
        let text = source.prompts.joined()
        for expected in [
            "[10]", "[business]", "[chat]", "[none]", "[1000]", "[50]", "[99]", "[0.99]", "[all]", "[fp8]",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        for preset in ["chat", "rag", "code", "agent"] { #expect(text.contains("  \(preset): mean ")) }
        #expect(text.contains("example assumption"))
    }

    @Test func refusesToOverwriteUnlessForced() throws {
        let url = try temporaryFolder().appendingPathComponent("w.yaml")
        try "keep me\n".write(to: url, atomically: true, encoding: .utf8)
        let error = try #require(throws: HeadroomError.self) {
            try WorkloadTemplate.write("new\n", to: url, force: false)
        }
        #expect(error.description.contains(url.path) && error.description.contains("--force"))
        #expect(try String(contentsOf: url, encoding: .utf8) == "keep me\n")
        try WorkloadTemplate.write("new\n", to: url, force: true)
        #expect(try String(contentsOf: url, encoding: .utf8) == "new\n")
    }

    @Test func configPathIsWrittenRelativeToTheWorkloadFile() throws {
        let folder = try temporaryFolder()
        #expect(WorkloadTemplate.modelReference(folder.path + "/m/config.json", from: folder) == "m/config.json")
        #expect(WorkloadTemplate.modelReference("/elsewhere/config.json", from: folder) == "/elsewhere/config.json")
        #expect(WorkloadTemplate.modelReference("llama-3.1-8b", from: folder) == "llama-3.1-8b")
    }

    // MARK: - The built binary

    func run(_ arguments: [String], stdin: String?, in folder: URL) throws -> CommandLineTests.Run {
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["HEADROOM_CONFIG_DIR"] = "/nonexistent-headroom-config"
        process.environment = environment
        let input = Pipe()
        let out = Pipe()
        let err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }

    @Test func pipedAnswersWriteAFileThatPlans() throws {
        let folder = try temporaryFolder()
        // Seven answers, then the end of input: the rest take their defaults.
        let answers = "llama-3.1-8b\n8\nbusiness\n5%\n6\n\n0.5 300\n"
        let written = try run(["init", "chat.yaml"], stdin: answers, in: folder)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("next: headroom plan chat.yaml"))
        let spec = try WorkloadLoader.load(url: folder.appendingPathComponent("chat.yaml"))
        #expect(abs(spec.peakRate - 8 * pow(1.05, 6)) < 1e-9)
        #expect(spec.prefix == .hitRate(0.5, prefixTokens: 300))
        let plan = try run(["plan", "chat.yaml", "--requests", "1000"], stdin: nil, in: folder)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("Recommendation"))

        let again = try run(["init", "chat.yaml"], stdin: answers, in: folder)
        #expect(again.status != 0)
        #expect(again.stderr.contains("chat.yaml") && again.stderr.contains("--force"), "\(again.stderr)")
        let forced = try run(["init", "chat.yaml", "--force", "--defaults"], stdin: nil, in: folder)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try WorkloadLoader.load(url: folder.appendingPathComponent("chat.yaml")).peakRate == 10)
    }

    @Test func badPipedAnswerFailsNamingTheField() throws {
        let folder = try temporaryFolder()
        let result = try run(["init", "w.yaml"], stdin: "llama-3.1-8b\nlots\n", in: folder)
        #expect(result.status != 0)
        #expect(result.stderr.contains("traffic.peak_rps"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("w.yaml").path))
    }
}
