import Foundation
import HeadroomCatalog
import HeadroomCore

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
