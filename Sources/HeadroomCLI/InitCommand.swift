import ArgumentParser
import Foundation
import HeadroomCatalog
package import HeadroomCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `headroom init`: writes a workload file by interview.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a workload file by interview, with every default explained.",
        discussion: """
            At a terminal each question shows its default in brackets; press return to accept it. When standard \
            input is not a terminal, answers are read one per line in this order (an empty line takes the \
            default; the end of input takes every remaining default): \
            \(InitInterview.fieldOrder.joined(separator: ", ")).
            """
    )

    @Argument(help: "Where to write the workload file.") var path = "workload.yaml"
    @Flag(help: "Overwrite the file if it exists.") var force = false
    @Flag(help: "Accept every default without asking.") var defaults = false
    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        try reportingErrors {
            let url = URL(fileURLWithPath: path)
            try WorkloadTemplate.refuseOverwrite(url, force: force)
            let catalog = try catalogOptions.load()
            let jurisdictions = Set(try PriceBookLoader.bundled().flatMap { $0.instances.map(\.jurisdiction) })
            let interview = InitInterview(
                catalog: catalog, jurisdictions: jurisdictions.filter { $0 != "unspecified" }.sorted()
            )
            var answers: WorkloadAnswers
            if !defaults, isatty(STDIN_FILENO) != 0 {
                emit(
                    "Answer each question, or press return to take the default in brackets; "
                        + "Ctrl-D takes every remaining default."
                )
            }
            if defaults {
                var source = ScriptedAnswers([], interactive: false)
                answers = try interview.run(&source)
            } else {
                var source = TerminalAnswers()
                answers = try interview.run(&source)
            }
            answers.model = WorkloadTemplate.modelReference(answers.model, from: url.deletingLastPathComponent())
            try WorkloadTemplate.write(WorkloadTemplate.render(answers, path: path), to: url, force: force)
            let spec = try WorkloadLoader.load(url: url)
            emit("wrote \(path): \(spec.model), peak \(humanNumber(spec.peakRate)) req/s at the horizon")
            emit("next: headroom plan \(Self.shellQuoted(path))")
        }
    }

    static func shellQuoted(_ text: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-+=:@")
        if !text.isEmpty, text.unicodeScalars.allSatisfy(safe.contains) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Where interview answers come from: a person at a terminal, piped lines, or a script in a test.
package protocol AnswerSource {
    /// Whether a bad answer is asked again (a person) rather than an error (a script).
    var isInteractive: Bool { get }
    /// The answer to `prompt`, or `nil` when input has ended (every remaining default is then accepted).
    mutating func next(prompt: String) -> String?
    /// Tells the person why an answer was not accepted before the question is asked again.
    mutating func reject(_ problem: String)
}

/// Standard input: interactive (prompts shown) at a terminal, line by line without prompts otherwise.
package struct TerminalAnswers: AnswerSource {
    package let isInteractive: Bool

    package init(interactive: Bool = isatty(STDIN_FILENO) != 0) {
        isInteractive = interactive
    }

    package mutating func next(prompt: String) -> String? {
        if isInteractive { FileHandle.standardOutput.write(Data((prompt + "> ").utf8)) }
        let line = readLine(strippingNewline: true)
        if line == nil, isInteractive {
            FileHandle.standardOutput.write(Data("\n(end of input: defaults for the rest)\n".utf8))
        }
        return line
    }

    package mutating func reject(_ problem: String) {
        FileHandle.standardOutput.write(Data("  ✗ \(problem)\n".utf8))
    }
}

/// A fixed list of answers; records what was asked and rejected.
package struct ScriptedAnswers: AnswerSource {
    package let isInteractive: Bool
    package private(set) var remaining: [String]
    package private(set) var prompts: [String] = []
    package private(set) var rejections: [String] = []

    package init(_ answers: [String], interactive: Bool = false) {
        remaining = answers
        isInteractive = interactive
    }

    package mutating func next(prompt: String) -> String? {
        prompts.append(prompt)
        return remaining.isEmpty ? nil : remaining.removeFirst()
    }

    package mutating func reject(_ problem: String) {
        rejections.append(problem)
    }
}

/// The interview behind `headroom init`: questions in a fixed order, each with a default, an explanation and a
/// validator.
package struct InitInterview {
    package var catalog: Catalog
    /// Jurisdictions with prices in the bundled book; residency answers must name one of them.
    package var jurisdictions: [String]

    package init(catalog: Catalog, jurisdictions: [String]) {
        self.catalog = catalog
        self.jurisdictions = jurisdictions
    }

    /// The workload fields in the order they are asked.
    package static let fieldOrder = [
        "model", "traffic.peak_rps", "traffic.diurnal", "traffic.growth_per_month", "traffic.horizon_months",
        "lengths", "prefix", "slo.ttft_ms", "slo.tpot_ms", "slo.percentile", "slo.availability",
        "constraints.accelerators", "constraints.stacks", "constraints.data_residency", "quality.lowest_precision",
        "constraints.budget_per_hour",
    ]

    /// Asks every question of `source`.
    ///
    /// An empty answer keeps the default; once `source` ends, every remaining default is kept without asking. A
    /// bad answer is asked again when the source is interactive.
    /// - Returns: the answers.
    /// - Throws: ``HeadroomError`` `.invalidInput` naming the question's field when a non-interactive answer is bad.
    package func run(_ source: inout some AnswerSource) throws(HeadroomError) -> WorkloadAnswers {
        var answers = WorkloadAnswers()
        var ended = false
        for question in questions() where !ended {
            var retry = false
            while true {
                // A question asked again shows only its title and default.
                let prompt =
                    "\n\(question.title) [\(question.current(answers))]\n"
                    + (retry ? "" : question.explanation.map { "  \($0)\n" }.joined())
                retry = true
                guard let raw = source.next(prompt: prompt) else {
                    ended = true
                    break
                }
                let text = raw.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { break }
                do {
                    try question.apply(text, &answers)
                    break
                } catch {
                    let message = (error as? AnswerProblem)?.message ?? "\(error)"
                    guard source.isInteractive else {
                        throw HeadroomError(
                            .invalidInput, "\(question.field): \(message) (answer '\(text)' to '\(question.title)')",
                            field: question.field
                        )
                    }
                    source.reject(message)
                }
            }
        }
        return answers
    }

    struct AnswerProblem: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    struct Question {
        var field: String
        var title: String
        var explanation: [String]
        var current: (WorkloadAnswers) -> String
        var apply: (String, inout WorkloadAnswers) throws -> Void
    }

    func questions() -> [Question] {
        let examples = stride(from: 0, to: catalog.models.count, by: max(1, catalog.models.count / 5))
            .map { catalog.models[$0] }.map { $0.aliases.first ?? $0.id }
        let presets = WorkloadPreset.all.map { preset in
            let origin = preset.source.split(separator: ":").first.map(String.init) ?? preset.source
            let (input, output) = (Int(preset.input.mean.rounded()), Int(preset.output.mean.rounded()))
            return "  \(preset.name): mean \(input) in / \(output) out tokens (\(origin))"
        }
        let acceleratorExamples = catalog.accelerators.prefix(6).map(\.id).joined(separator: ", ")
        let list = { (values: [String]?) in values.map { $0.joined(separator: ", ") } ?? "all" }
        return [
            Question(
                field: "model", title: "Model",
                explanation: [
                    "The model to serve: a catalog id or alias such as \(examples.joined(separator: ", "))",
                    "(`headroom catalog models` lists all), or a path to a Hugging Face config.json.",
                ],
                current: { $0.model }, apply: { text, a in a.model = try model(text) }
            ),
            Question(
                field: "traffic.peak_rps", title: "Peak traffic",
                explanation: [
                    "Requests per second in the busiest hour (50, 3000/min), or a daily volume (2M/day)",
                    "that the traffic shape spreads over the day.",
                ],
                current: {
                    switch $0.rate {
                    case .peakPerSecond(let r): WorkloadTemplate.number(r)
                    case .perDay(let d): "\(WorkloadTemplate.number(d))/day"
                    }
                },
                apply: { text, a in a.rate = try Self.rate(text) }
            ),
            Question(
                field: "traffic.diurnal", title: "Traffic shape",
                explanation: ["How the rate moves over a day (sets the peak of a daily volume, and the average load):"]
                    + WorkloadAnswers.Shape.allCases.map { "  \($0.summary)" },
                current: { $0.shape.rawValue },
                apply: { text, a in
                    let key = text.lowercased()
                    guard
                        let shape = WorkloadAnswers.Shape.allCases.first(where: {
                            $0.rawValue.hasPrefix(key) || key.hasPrefix($0.rawValue)
                        })
                    else {
                        throw AnswerProblem("choose flat, business or consumer")
                    }
                    a.shape = shape
                }
            ),
            Question(
                field: "traffic.growth_per_month", title: "Growth per month",
                explanation: [
                    "Traffic growth compounded monthly (3% or 0.03); the plan is sized for the end of the horizon."
                ],
                current: { "\(WorkloadTemplate.number($0.growthPerMonth * 100))%" },
                apply: { text, a in
                    let value = try Self.fraction(text, allowNegative: true, example: "0.03 or 3%")
                    guard value > -1 else { throw AnswerProblem("growth must be above -100%") }
                    a.growthPerMonth = value
                }
            ),
            Question(
                field: "traffic.horizon_months", title: "Planning horizon in months",
                explanation: [
                    "How long the deployment must last before it is planned again (matters only with growth)."
                ],
                current: { WorkloadTemplate.number($0.horizonMonths) },
                apply: { text, a in
                    let trimmed = text.lowercased().replacingOccurrences(of: "months", with: "")
                    guard let value = Double(trimmed.trimmingCharacters(in: .whitespaces)), value >= 0, value <= 120
                    else {
                        throw AnswerProblem("give a number of months from 0 to 120")
                    }
                    a.horizonMonths = value
                }
            ),
            Question(
                field: "lengths", title: "Request lengths",
                explanation: ["A preset from a published trace, or mean input/output tokens such as 1024/256:"]
                    + presets,
                current: {
                    switch $0.lengths {
                    case .preset(let name): name
                    case .means(let i, let o): "\(i)/\(o)"
                    }
                },
                apply: { text, a in a.lengths = try Self.lengths(text) }
            ),
            Question(
                field: "prefix", title: "Shared prefix",
                explanation: [
                    "A system prompt or document many requests share, served from the prefix cache:",
                    "the share of requests that reuse it and its tokens (0.6 350), or none.",
                ],
                current: { $0.prefix.map { "\(WorkloadTemplate.number($0.hitRate)) \($0.tokens)" } ?? "none" },
                apply: { text, a in a.prefix = try Self.prefix(text) }
            ),
            Question(
                field: "slo.ttft_ms", title: "Time to first token (TTFT) target in ms",
                explanation: ["How long a user waits before the answer starts; none drops the term."],
                current: { $0.ttftMs.map(WorkloadTemplate.number) ?? "none" },
                apply: { text, a in a.ttftMs = try Self.milliseconds(text) }
            ),
            Question(
                field: "slo.tpot_ms", title: "Time per output token (TPOT) target in ms",
                explanation: [
                    "Gap between streamed tokens after the first (50 ms = 20 tokens/s, faster than people read);",
                    "none drops it.",
                ],
                current: { $0.tpotMs.map(WorkloadTemplate.number) ?? "none" },
                apply: { text, a in a.tpotMs = try Self.milliseconds(text) }
            ),
            Question(
                field: "slo.percentile", title: "SLO percentile",
                explanation: ["The percentile the latency targets apply at: 50, 90, 95 or 99."],
                current: { "\($0.percentile)" },
                apply: { text, a in
                    let key = text.lowercased().hasPrefix("p") ? String(text.dropFirst()) : text
                    guard let value = Int(key), [50, 90, 95, 99].contains(value) else {
                        throw AnswerProblem("choose 50, 90, 95 or 99")
                    }
                    a.percentile = value
                }
            ),
            Question(
                field: "slo.availability", title: "Availability",
                explanation: [
                    "Target uptime: 0.99 adds a spare replica (N+1); 0.999 or more also asks for a second region;",
                    "none for neither.",
                ],
                current: { $0.availability.map(WorkloadTemplate.number) ?? "none" },
                apply: { text, a in
                    if Self.isNone(text) {
                        a.availability = nil
                        return
                    }
                    let value = try Self.fraction(text, allowNegative: false, example: "0.999 or 99.9%")
                    guard value > 0, value < 1 else {
                        throw AnswerProblem("give a fraction below 1 such as 0.999 or 99.9%")
                    }
                    a.availability = value
                }
            ),
            Question(
                field: "constraints.accelerators", title: "Allowed accelerators",
                explanation: [
                    "Catalog ids the planner may choose (\(acceleratorExamples), …), comma-separated, or all."
                ],
                current: { list($0.accelerators) },
                apply: { text, a in a.accelerators = try Self.names(text) { try catalog.accelerator($0).id } }
            ),
            Question(
                field: "constraints.stacks", title: "Allowed serving stacks",
                explanation: ["\(catalog.stacks.map(\.id).joined(separator: ", ")), comma-separated, or all."],
                current: { list($0.stacks) },
                apply: { text, a in a.stacks = try Self.names(text) { try catalog.stack($0).id } }
            ),
            Question(
                field: "constraints.data_residency", title: "Data residency",
                explanation: [
                    "Jurisdictions the hardware must be in, or none",
                    "(the bundled prices cover \(jurisdictions.joined(separator: ", "))).",
                ],
                current: { $0.dataResidency.map { $0.joined(separator: ", ") } ?? "none" },
                apply: { text, a in
                    if Self.isNone(text) {
                        a.dataResidency = nil
                        return
                    }
                    a.dataResidency = try Self.names(text) { code in
                        let upper = code.uppercased()
                        guard jurisdictions.isEmpty || jurisdictions.contains(upper) else {
                            throw AnswerProblem(
                                "no bundled prices in '\(code)'; known: \(jurisdictions.joined(separator: ", "))")
                        }
                        return upper
                    }
                }
            ),
            Question(
                field: "quality.lowest_precision", title: "Lowest precision",
                explanation: [
                    "The narrowest weight format allowed, a quality floor: bf16 (full quality), fp8, fp6 or fp4",
                    "(cheapest).",
                ],
                current: { $0.lowestPrecision },
                apply: { text, a in
                    guard let precision = Precision(userInput: text) else {
                        throw AnswerProblem("unknown precision; choose bf16, fp8, fp6 or fp4")
                    }
                    a.lowestPrecision = precision.rawValue
                }
            ),
            Question(
                field: "constraints.budget_per_hour", title: "Budget per hour (USD)",
                explanation: ["A ceiling on the whole fleet's hourly cost (200), or none."],
                current: { $0.budgetPerHour.map(WorkloadTemplate.number) ?? "none" },
                apply: { text, a in
                    if Self.isNone(text) {
                        a.budgetPerHour = nil
                        return
                    }
                    var key = text.lowercased().replacingOccurrences(of: "$", with: "")
                    for suffix in ["/hour", "/hr", "/h", "usd"] where key.hasSuffix(suffix) {
                        key.removeLast(suffix.count)
                    }
                    guard let value = Self.quantity(key), value > 0 else {
                        throw AnswerProblem("give a positive amount such as 200, or none")
                    }
                    a.budgetPerHour = value
                }
            ),
        ]
    }
}

extension InitInterview {
    /// A catalog id or alias, or the absolute path of a config.json that imports.
    func model(_ text: String) throws -> String {
        guard text.lowercased().hasSuffix(".json") else {
            do {
                _ = try catalog.model(text)
            } catch {
                throw AnswerProblem(error.message)
            }
            return text
        }
        let url = URL(fileURLWithPath: (text as NSString).expandingTildeInPath)
        guard FileManager.default.fileExists(atPath: url.path) else { throw AnswerProblem("no file at \(url.path)") }
        do {
            _ = try HuggingFaceImporter.importConfig(at: url)
        } catch let error as HeadroomError {
            throw AnswerProblem(error.description)
        }
        return url.standardizedFileURL.path
    }

    /// `50`, `50/s`, `50 rps`, `3000/min`, `2M/day`: a peak rate per second, or a daily volume.
    static func rate(_ text: String) throws -> WorkloadAnswers.Rate {
        let key = text.lowercased().replacingOccurrences(of: " per ", with: "/").replacingOccurrences(of: " ", with: "")
        var parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        var unit = parts.count == 2 ? parts[1] : "s"
        if parts.count == 1, parts[0].hasSuffix("rps") {
            parts[0].removeLast(3)
            unit = "s"
        }
        for word in ["requests", "request", "reqs", "req"] where parts[0].hasSuffix(word) {
            parts[0].removeLast(word.count)
            break
        }
        guard let count = quantity(parts[0]), count > 0, count.isFinite else {
            throw AnswerProblem("give a positive rate such as 50 (per second), 3000/min or 2M/day")
        }
        switch unit {
        case "s", "sec", "second": return .peakPerSecond(count)
        case "m", "min", "minute": return .peakPerSecond(count / 60)
        case "h", "hr", "hour": return .peakPerSecond(count / 3600)
        case "d", "day": return .perDay(count)
        default: throw AnswerProblem("unknown unit '/\(unit)'; use /s, /min, /hour or /day")
        }
    }

    /// A number with an optional k, M or B multiplier and `,` or `_` separators: `2M`, `1,500`, `0.5k`.
    static func quantity(_ text: String) -> Double? {
        var key = text.lowercased().replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")
        var multiplier = 1.0
        switch key.last {
        case "k": multiplier = 1e3
        case "m": multiplier = 1e6
        case "b", "g": multiplier = 1e9
        default: break
        }
        if multiplier != 1 { key.removeLast() }
        return Double(key).map { $0 * multiplier }.flatMap { $0.isFinite ? $0 : nil }
    }

    /// `3%` or `0.03`; a bare number above 1 must be written as a percentage.
    static func fraction(_ text: String, allowNegative: Bool, example: String) throws -> Double {
        let percent = text.hasSuffix("%")
        guard let number = Double(percent ? String(text.dropLast()).trimmingCharacters(in: .whitespaces) : text),
            number.isFinite
        else { throw AnswerProblem("give a fraction or a percentage, such as \(example)") }
        guard allowNegative || number >= 0 else { throw AnswerProblem("must not be negative") }
        guard percent || abs(number) <= 1 else {
            throw AnswerProblem("write \(text)% for a percentage, or a fraction below 1")
        }
        return percent ? (number * 1e10).rounded() / 1e12 : number
    }

    /// A preset name, or `1024/256` mean input and output tokens.
    static func lengths(_ text: String) throws -> WorkloadAnswers.Lengths {
        if let preset = try? WorkloadPreset.named(text) { return .preset(preset.name) }
        let parts = text.split(whereSeparator: { "/, x".contains($0) })
        guard parts.count == 2, let input = Int(parts[0]), let output = Int(parts[1]), input >= 1, output >= 1,
            input <= LengthDistribution.maximum, output <= LengthDistribution.maximum
        else {
            throw AnswerProblem(
                "give a preset (\(WorkloadPreset.all.map(\.name).joined(separator: ", "))) "
                    + "or mean tokens in/out such as 1024/256"
            )
        }
        return .means(input: input, output: output)
    }

    /// `none`, or a hit rate and a token count: `0.6 350`, `60%, 350`.
    static func prefix(_ text: String) throws -> WorkloadAnswers.Prefix? {
        if isNone(text) || text == "0" { return nil }
        let parts = text.split(whereSeparator: { " ,/".contains($0) }).map(String.init)
        guard parts.count == 2, let tokens = Int(parts[1]), tokens >= 1 else {
            throw AnswerProblem("give the share of requests and the prefix tokens, such as 0.6 350, or none")
        }
        let rate = try fraction(parts[0], allowNegative: false, example: "0.6 or 60%")
        return .init(hitRate: rate, tokens: tokens)
    }

    /// Milliseconds (`800`, `800ms`, `0.8s`), or `none`.
    static func milliseconds(_ text: String) throws -> Double? {
        if isNone(text) { return nil }
        var key = text.lowercased().replacingOccurrences(of: " ", with: "")
        var scale = 1.0
        if key.hasSuffix("ms") {
            key.removeLast(2)
        } else if key.hasSuffix("s") {
            key.removeLast()
            scale = 1000
        }
        guard let value = Double(key), value > 0, value.isFinite else {
            throw AnswerProblem("give a positive number of milliseconds such as 800, or none")
        }
        return value * scale
    }

    /// `all` (nil), or a comma- or space-separated list mapped through `lookup` with duplicates removed.
    static func names(_ text: String, lookup: (String) throws -> String) throws -> [String]? {
        if ["all", "any", "*"].contains(text.lowercased()) { return nil }
        var result: [String] = []
        for name in text.split(whereSeparator: { ", ".contains($0) }) {
            let value: String
            do {
                value = try lookup(String(name))
            } catch let error as HeadroomError {
                throw AnswerProblem(error.message)
            }
            if !result.contains(value) { result.append(value) }
        }
        guard !result.isEmpty else { throw AnswerProblem("give at least one name, or all") }
        return result
    }

    static func isNone(_ text: String) -> Bool {
        ["none", "no", "-", "n/a"].contains(text.lowercased())
    }
}
