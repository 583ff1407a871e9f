import Foundation
import HeadroomCore

extension InitInterview {
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
