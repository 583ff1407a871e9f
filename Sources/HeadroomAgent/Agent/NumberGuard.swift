import Foundation

/// Keeps a model's invented figures out of the agent's output: every number in the narrative must occur in what the
/// tools produced (or in the brief and the user's answers); a sentence with any other number is left out.
///
/// Numbers compare at the precision they are written with: `47.8` matches a tool's `47.826…`, `1.2k` matches
/// `1,156`, `92%` matches `92%` or a fraction `0.92`. Identifiers (`h100`, `fp8`, `p99`), ordinals (`2nd`), list
/// markers (`1.`) and the numbers 0 and 1 (`per 1M tokens`) are not figures; whole numbers under 10 (counts)
/// must match exactly.
package struct NumberGuard: Sendable {
    /// A number as written: its value, the precision it was written with, and whether it is a percentage.
    package struct Figure: Sendable, Hashable {
        package var text: String
        /// Scaled value (`1.2k` → 1200).
        package var value: Double
        /// The value before a `k`/`M`/`B`/`T` suffix.
        package var unscaled: Double
        /// Half a unit of the last digit written, scaled (`1.2k` → 50).
        package var tolerance: Double
        package var percent: Bool
        /// An ordinal or the number 0 or 1: never needs support.
        package var exempt: Bool
    }

    /// What the filter kept and left out.
    package struct Filtered: Sendable, Hashable {
        package var text: String
        package var removed: [String]
    }

    /// Every figure value the sources hold, sorted.
    let support: [Double]

    /// - Parameter sources: texts whose figures are facts (tool outcomes and reports, the brief, answers).
    package init(sources: [String]) {
        var values: [Double] = []
        for source in sources {
            for figure in Self.figures(in: source) {
                values.append(figure.value)
                if figure.unscaled != figure.value { values.append(figure.unscaled) }
                // `[100,200]` in JSON reads as one grouped number; its parts are figures too.
                if figure.text.contains(",") {
                    values += figure.text.split(separator: ",").compactMap { Double(String($0)) }
                }
            }
        }
        support = values.sorted()
    }

    /// Whether some source holds `figure` at the precision it is written with.
    package func supports(_ figure: Figure) -> Bool {
        if figure.exempt { return true }
        var targets = [(figure.value, figure.tolerance)]
        if figure.unscaled != figure.value {
            targets.append((figure.unscaled, figure.tolerance * figure.unscaled / max(figure.value, 1e-300)))
        }
        if figure.percent { targets.append((figure.value / 100, figure.tolerance / 100)) }
        return targets.contains { target, tolerance in contains(target, within: tolerance * (1 + 1e-9) + 1e-12) }
    }

    /// The figures in `text` no source holds.
    package func unsupported(in text: String) -> [Figure] {
        Self.figures(in: text).filter { !supports($0) }
    }

    /// `text` without the sentences that hold a figure no source holds.
    package func filter(_ text: String) -> Filtered {
        var lines: [String] = []
        var removed: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let (marker, body) = Self.splitMarker(String(line))
            let sentences = Self.sentences(body)
            let kept = sentences.filter { sentence in
                let ok = unsupported(in: sentence).isEmpty
                if !ok { removed.append(sentence) }
                return ok
            }
            if kept.count == sentences.count {
                lines.append(String(line))
            } else if !kept.isEmpty {
                lines.append(marker + kept.joined(separator: " "))
            }
        }
        return Filtered(text: lines.joined(separator: "\n"), removed: removed)
    }

    func contains(_ target: Double, within tolerance: Double) -> Bool {
        var low = 0
        var high = support.count
        let floor = abs(target) - tolerance
        while low < high {
            let middle = (low + high) / 2
            if support[middle] < floor { low = middle + 1 } else { high = middle }
        }
        return low < support.count && abs(support[low] - abs(target)) <= tolerance
    }

    /// A line's list marker or heading prefix (`- `, `1. `, `## `) and the rest.
    static func splitMarker(_ line: String) -> (String, String) {
        let scalars = Array(line.unicodeScalars)
        var index = 0
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        var end = index
        if end < scalars.count, "-*+>#".unicodeScalars.contains(scalars[end]) {
            while end < scalars.count, "-*+>#".unicodeScalars.contains(scalars[end]) { end += 1 }
        } else {
            while end < scalars.count, Self.isDigit(scalars[end]) { end += 1 }
            if end > index, end < scalars.count, scalars[end] == "." || scalars[end] == ")" {
                end += 1
            } else {
                end = index
            }
        }
        guard end > index, end < scalars.count, scalars[end] == " " else {
            return (
                String(String.UnicodeScalarView(scalars[..<index])), String(String.UnicodeScalarView(scalars[index...]))
            )
        }
        return (
            String(String.UnicodeScalarView(scalars[...end])), String(String.UnicodeScalarView(scalars[(end + 1)...]))
        )
    }

    /// Sentences end at `.`, `!` or `?` followed by a space (a decimal point never is).
    static func sentences(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var previous: Character?
        for character in text {
            if character == " ", let previous, ".!?".contains(previous), !current.isEmpty {
                result.append(current)
                current = ""
            } else if !(current.isEmpty && character == " ") {
                current.append(character)
            }
            previous = character
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { result.append(current) }
        return result
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar == "_"
    }
}
