package import Foundation
package import HeadroomCore

/// The answers of `headroom init`'s interview; every field starts at the default the interview offers.
package struct WorkloadAnswers: Sendable, Hashable {
    /// How traffic is given: the busiest hour's rate, or a daily volume spread over the traffic shape.
    package enum Rate: Sendable, Hashable {
        case peakPerSecond(Double)
        case perDay(Double)
    }

    /// The hourly profile written as `traffic.diurnal`.
    package enum Shape: String, Sendable, Hashable, CaseIterable {
        case flat
        case business
        case consumer
    }

    /// Request lengths: a named preset, or mean input and output tokens.
    package enum Lengths: Sendable, Hashable {
        case preset(String)
        case means(input: Int, output: Int)
    }

    /// A shared prompt prefix reused by a fraction of requests.
    package struct Prefix: Sendable, Hashable {
        package var hitRate: Double
        package var tokens: Int
    }

    package var model = "llama-3.1-8b"
    package var rate = Rate.peakPerSecond(10)
    package var shape = Shape.business
    package var growthPerMonth = 0.0
    package var horizonMonths = 12.0
    package var lengths = Lengths.preset("chat")
    package var prefix: Prefix?
    package var ttftMs: Double? = 1000
    package var tpotMs: Double? = 50
    package var percentile = 99
    package var availability: Double? = 0.99
    /// Allowed accelerator ids; `nil` for every one in the catalog.
    package var accelerators: [String]?
    /// Allowed serving stacks; `nil` for every one.
    package var stacks: [String]?
    /// Jurisdictions prices must come from; `nil` for anywhere.
    package var dataResidency: [String]?
    package var lowestPrecision = "fp8"
    package var budgetPerHour: Double?

    package init() {}
}

extension WorkloadAnswers.Shape {
    /// Hourly multipliers of the peak rate, local time 00:00–23:00.
    package var hourly: [Double] {
        switch self {
        case .flat:
            Array(repeating: 1, count: 24)
        case .business:
            [
                0.1, 0.1, 0.1, 0.1, 0.1, 0.12, 0.2, 0.4, 0.75, 0.95, 1.0, 1.0,
                0.9, 0.95, 1.0, 0.95, 0.85, 0.6, 0.35, 0.25, 0.2, 0.15, 0.12, 0.1,
            ]
        case .consumer:
            [
                0.45, 0.32, 0.22, 0.16, 0.13, 0.13, 0.18, 0.28, 0.4, 0.5, 0.56, 0.62,
                0.66, 0.66, 0.65, 0.66, 0.7, 0.76, 0.84, 0.93, 1.0, 0.98, 0.85, 0.65,
            ]
        }
    }

    /// One line on what the curve is and where its shape comes from.
    package var summary: String {
        switch self {
        case .flat:
            "flat: the same rate every hour (batch jobs, global APIs with no dominant time zone)"
        case .business:
            "business: office hours 09:00–17:00 local with a lunch dip, nights at 10 % of peak (example assumption)"
        case .consumer:
            "consumer: evening peak at 20:00 local, trough at 04:00 at 13 % of peak (example assumption)"
        }
    }
}

/// Writes a workload file from interview answers: YAML with a comment on every field.
package enum WorkloadTemplate {
    /// The workload YAML for `answers`.
    /// - Parameters:
    ///   - answers: the interview's answers.
    ///   - path: where the file will be written, quoted in the header's `headroom plan` line.
    /// - Returns: YAML that ``WorkloadLoader`` reads.
    package static func render(_ answers: WorkloadAnswers, path: String) -> String {
        var lines = [
            "# Workload written by `headroom init`; docs/workload.md documents every field.",
            "# Plan it:  headroom plan \(path)",
            line("model: \(scalar(answers.model))", "catalog id or alias, or a path to a config.json"),
            "traffic:",
        ]
        switch answers.rate {
        case .peakPerSecond(let rps):
            lines.append(line("  peak_rps: \(number(rps))", "requests per second in the busiest hour"))
        case .perDay(let perDay):
            lines.append(
                line("  requests_per_day: \(number(perDay))", "daily volume; peak = mean × the profile's max/mean"))
        }
        lines.append("  # hourly multipliers of the peak, 00:00–23:00 local time")
        lines.append("  # \(answers.shape.summary)")
        let hourly = answers.shape.hourly.map(number)
        lines.append("  diurnal: [\(hourly[0..<12].joined(separator: ", ")),")
        lines.append("            \(hourly[12...].joined(separator: ", "))]")
        lines.append(
            line("  growth_per_month: \(number(answers.growthPerMonth))", "traffic growth, compounded monthly …"))
        lines.append(
            line("  horizon_months: \(number(answers.horizonMonths))", "… over the months the plan must last")
        )
        lines.append("lengths:")
        switch answers.lengths {
        case .preset(let name):
            lines.append(line("  preset: \(name)", "token lengths from a published trace (headroom simulate --help)"))
        case .means(let input, let output):
            lines.append("  # lognormal around your means; sigma 0.8 is an assumption (a preset or a trace is better)")
            lines.append("  input:  {dist: lognormal, mean: \(input), sigma: 0.8}")
            lines.append("  output: {dist: lognormal, mean: \(output), sigma: 0.8}")
        }
        if let prefix = answers.prefix {
            lines.append(line("prefix:", "prefix caching of a shared prompt"))
            lines.append(line("  hit_rate: \(number(prefix.hitRate))", "share of requests that reuse the prefix …"))
            lines.append(line("  prefix_tokens: \(prefix.tokens)", "… and its length in tokens"))
        } else {
            lines.append(line("# prefix: {hit_rate: 0.5, prefix_tokens: 400}", "no shared prefix given"))
        }
        lines.append(line("slo:", "goodput counts the requests that meet every term"))
        if let ttft = answers.ttftMs {
            lines.append(line("  ttft_ms: \(number(ttft))", "time to first token"))
        }
        if let tpot = answers.tpotMs {
            lines.append(line("  tpot_ms: \(number(tpot))", "time per output token after the first"))
        }
        lines.append(line("  percentile: \(answers.percentile)", "the percentile the latency terms apply at"))
        if let availability = answers.availability {
            lines.append(
                line(
                    "  availability: \(number(availability))",
                    "≥ 0.99 adds a spare replica; ≥ 0.999 more than one region")
            )
        }
        lines.append(line("constraints:", "what the planner may choose"))
        lines.append(list("accelerators", answers.accelerators, otherwise: "any accelerator in the catalog"))
        lines.append(list("stacks", answers.stacks, otherwise: "any serving stack"))
        lines.append(list("data_residency", answers.dataResidency, otherwise: "prices from any jurisdiction"))
        if let budget = answers.budgetPerHour {
            lines.append(line("  budget_per_hour: \(number(budget))", "ceiling on the fleet's hourly cost"))
        } else {
            lines.append(line("  # budget_per_hour: 200", "no budget ceiling"))
        }
        lines.append("quality:")
        lines.append(
            line("  lowest_precision: \(answers.lowestPrecision)", "quality floor: no weights narrower than this"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `  key: [a, b]`, or a commented-out line when the list is absent (no restriction).
    private static func list(_ key: String, _ values: [String]?, otherwise: String) -> String {
        guard let values, !values.isEmpty else { return line("  # \(key): []", otherwise) }
        return line("  \(key): [\(values.map(scalar).joined(separator: ", "))]", "only these")
    }

    /// `text` with `comment` aligned at column 33.
    private static func line(_ text: String, _ comment: String) -> String {
        text + String(repeating: " ", count: max(1, 32 - text.count)) + "# \(comment)"
    }

    /// - Throws: ``HeadroomError`` naming the path when it exists and `force` is off.
    package static func refuseOverwrite(_ url: URL, force: Bool) throws(HeadroomError) {
        guard !force, FileManager.default.fileExists(atPath: url.path) else { return }
        throw HeadroomError(.invalidFile, "already exists; pass --force to overwrite it", file: url.path)
    }

    /// Writes `text` to `url`, creating its folder.
    /// - Throws: ``HeadroomError`` naming the path when it exists (without `force`) or cannot be written.
    package static func write(_ text: String, to url: URL, force: Bool) throws(HeadroomError) {
        try refuseOverwrite(url, force: force)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true
            )
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw HeadroomError(.invalidFile, "cannot write: \(error.localizedDescription)", file: url.path)
        }
    }

    /// A config.json path as the workload file should hold it: relative to the file's folder when inside it,
    /// absolute otherwise (`headroom plan` resolves relative paths against the workload file). Catalog ids pass
    /// unchanged.
    package static func modelReference(_ model: String, from folder: URL) -> String {
        guard model.lowercased().hasSuffix(".json") else { return model }
        let absolute = URL(fileURLWithPath: model).standardizedFileURL.path
        let base = folder.standardizedFileURL.path + "/"
        return absolute.hasPrefix(base) ? String(absolute.dropFirst(base.count)) : absolute
    }

    /// A number as YAML: integers without a fraction, others in Swift's shortest round-trip form.
    package static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        // Twelve significant digits hide binary noise such as 99.9 / 100 = 0.9990000000000001.
        let rounded = Double(String(format: "%.12g", value)) ?? value
        return String(rounded)
    }

    /// A plain scalar when it is safe, otherwise a double-quoted string.
    package static func scalar(_ text: String) -> String {
        let plain = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-+")
        if !text.isEmpty, text.unicodeScalars.allSatisfy(plain.contains), text.first != "-",
            !["true", "false", "yes", "no", "on", "off", "null", "~"].contains(text.lowercased()),
            Double(text) == nil
        {
            return text
        }
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }
}
