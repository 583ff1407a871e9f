import ArgumentParser
import Foundation
import HeadroomAgent
import HeadroomCore

/// `headroom agent`: turns a brief into a plan, with a language model behind an OpenAI-compatible chat endpoint, or
/// without one from a structured brief file.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Turn a brief into a plan: a model extracts the workload, asks or assumes, calls the tools.",
        discussion: """
            With a model: headroom agent "40 req/s of chat on Llama 3.1 70B, p99 TTFT under a second" --url URL \
            --model NAME. Without one: headroom agent --brief-file brief.yaml (see docs/agent.md). Every figure \
            printed comes from a tool, the brief or an answer.
            """
    )

    @Argument(help: "The brief, in prose.") var brief: String?
    @Option(help: "A structured brief (YAML): runs without a language model.") var briefFile: String?
    @Flag(help: "Ask the questions on the terminal, and take follow-ups after the report.") var interactive = false
    @Option(help: "Chat endpoint (OpenAI-compatible; env HEADROOM_AGENT_URL, then OPENAI_BASE_URL).") var url: String?
    @Option(help: "Model name sent to the endpoint (env HEADROOM_AGENT_MODEL).") var model: String?
    @Option(help: "API key sent as a Bearer token (env HEADROOM_AGENT_API_KEY, then OPENAI_API_KEY).")
    var apiKey: String?
    @Option(help: "Model turns allowed per message.") var maxSteps: Int = 8
    @Option(help: "The longest reply asked of the model per turn (max_tokens).") var maxTokens: Int = 1024
    @Option(help: "Seconds one chat request may take.") var timeout: Double = 300
    @Option(help: "Write the transcript (JSON) here.") var transcript: String?
    @Option(help: "markdown or json.") var format: AgentFormat = .markdown
    @OptionGroup var catalogOptions: CatalogOptions

    enum AgentFormat: String, ExpressibleByArgument, CaseIterable {
        case markdown, json
    }

    func validate() throws {
        if brief == nil, briefFile == nil, !interactive {
            throw ValidationError("give a brief, --brief-file or --interactive")
        }
        if brief != nil, briefFile != nil { throw ValidationError("give a brief or --brief-file, not both") }
        guard (1...100).contains(maxSteps) else { throw ValidationError("--max-steps takes 1 to 100") }
        guard (16...200_000).contains(maxTokens) else { throw ValidationError("--max-tokens takes 16 to 200000") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let toolbox = try await reportingErrors {
            try await PlanningToolbox.local(catalogDirectories: catalogOptions.directories)
        }
        let answers: any AgentAnswering = interactive ? TerminalAgentAnswers() : NoAnswers()
        if let briefFile {
            let brief = try reportingErrors { try StructuredBrief.load(path: briefFile) }
            let (result, record) = try await reportingErrors {
                try await BriefPipeline(toolbox: toolbox, answers: answers).run(brief)
            }
            try finish(result, record)
            if result.finish == .questionsUnanswered {
                let fields = result.questions.compactMap(\.field).joined(separator: ", ")
                FileHandle.standardError.write(Data("error: the brief lacks \(fields); answer:\n".utf8))
                for question in result.questions where question.answer == nil {
                    FileHandle.standardError.write(Data("  - \(question.question)\n".utf8))
                }
                throw ExitCode(2)
            }
            return
        }
        let environment = ProcessInfo.processInfo.environment
        guard let endpoint = url ?? environment["HEADROOM_AGENT_URL"] ?? environment["OPENAI_BASE_URL"] else {
            throw failure("no chat endpoint: give --url or set HEADROOM_AGENT_URL (or use --brief-file)")
        }
        guard let modelName = model ?? environment["HEADROOM_AGENT_MODEL"] else {
            throw failure("no model name: give --model or set HEADROOM_AGENT_MODEL")
        }
        let key = apiKey ?? environment["HEADROOM_AGENT_API_KEY"] ?? environment["OPENAI_API_KEY"]
        let client = ChatClient(url: endpoint, model: modelName, apiKey: key, timeout: timeout)
        var agent = PlanningAgent(
            chat: client, toolbox: toolbox, answers: answers, maxSteps: maxSteps,
            endpoint: .init(url: client.completionsURL, model: modelName))
        agent.maxReplyTokens = maxTokens
        var message = brief ?? TerminalAgentAnswers.read(prompt: "brief") ?? ""
        var failed = false
        while !message.isEmpty {
            let result = await agent.respond(to: message)
            do {
                try finish(result, agent.transcript)
            } catch {
                try? await client.shutdown()
                throw error
            }
            failed = result.finish == .endpointError
            guard interactive, !failed, let next = TerminalAgentAnswers.read(prompt: "follow-up (empty to end)") else {
                break
            }
            message = next
        }
        try? await client.shutdown()
        if failed { throw ExitCode.failure }
    }

    /// Prints the result and writes the transcript.
    func finish(_ result: AgentResult, _ record: AgentTranscript) throws {
        if let transcript {
            do {
                try record.json().write(to: URL(fileURLWithPath: transcript))
            } catch {
                throw failure("cannot write the transcript \(transcript): \(error.localizedDescription)")
            }
            FileHandle.standardError.write(Data("wrote transcript \(transcript)\n".utf8))
        }
        switch format {
        case .markdown: emit(result.report)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            emit(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
    }
}

/// The person at the terminal answers the agent's questions.
struct TerminalAgentAnswers: AgentAnswering {
    func answer(_ question: String) async -> String? {
        Self.read(prompt: question)
    }

    /// Shows `prompt` and reads a line; `nil` at the end of input or for an empty line.
    static func read(prompt: String) -> String? {
        FileHandle.standardError.write(Data("\(prompt)\n> ".utf8))
        guard let line = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces), !line.isEmpty else {
            return nil
        }
        return line
    }
}
