import Foundation

extension NumberGuard {
    /// The figures written in `text`, in order.
    /// - Complexity: O(n) in the length of `text`.
    package static func figures(in text: String) -> [Figure] {
        let s = Array(text.unicodeScalars)
        var figures: [Figure] = []
        var i = 0
        while i < s.count {
            guard isDigit(s[i]) else {
                i += 1
                continue
            }
            // A digit after a letter belongs to an identifier (h100, fp8, p99, llama3): skip the whole word.
            if i > 0, isLetter(s[i - 1]) || isDigit(s[i - 1]) {
                while i < s.count, isLetter(s[i]) || isDigit(s[i]) { i += 1 }
                continue
            }
            let start = i
            var digits = ""
            while i < s.count, isDigit(s[i]) { digits.unicodeScalars.append(s[i]); i += 1 }
            // Thousands separators: `1,234,567` (a comma followed by exactly three digits).
            while i + 3 < s.count, s[i] == ",", isDigit(s[i + 1]), isDigit(s[i + 2]), isDigit(s[i + 3]),
                i + 4 >= s.count || !isDigit(s[i + 4])
            {
                for k in 1...3 { digits.unicodeScalars.append(s[i + k]) }
                i += 4
            }
            var decimals = 0
            if i + 1 < s.count, s[i] == ".", isDigit(s[i + 1]) {
                digits += "."
                i += 1
                while i < s.count, isDigit(s[i]) { digits.unicodeScalars.append(s[i]); decimals += 1; i += 1 }
            }
            var exponent = 0
            if i + 1 < s.count, s[i] == "e" || s[i] == "E" {
                var j = i + 1
                var sign = 1
                if j < s.count, s[j] == "-" || s[j] == "+" { sign = s[j] == "-" ? -1 : 1; j += 1 }
                if j < s.count, isDigit(s[j]) {
                    var e = 0
                    while j < s.count, isDigit(s[j]) { e = min(e * 10 + Int(s[j].value - 48), 400); j += 1 }
                    exponent = sign * e
                    i = j
                }
            }
            var suffix = ""
            var j = i
            while j < s.count, isLetter(s[j]) { suffix.unicodeScalars.append(s[j]); j += 1 }
            let scale: Double =
                switch suffix {
                case "k", "K": 1e3
                case "M": 1e6
                case "B", "bn": 1e9
                case "T": 1e12
                default: 1
                }
            let ordinal = ["st", "nd", "rd", "th"].contains(suffix.lowercased())
            var k = i
            if k < s.count, s[k] == " ", k + 1 < s.count, s[k + 1] == "%" { k += 1 }
            let percent = k < s.count && s[k] == "%" && suffix.isEmpty
            let base = (Double(digits) ?? 0) * pow(10, Double(exponent))
            // Small whole numbers (counts: `3 replicas`) match exactly; others at the precision written (`48` ≈ 47.8).
            let small = decimals == 0 && exponent == 0 && base < 10 && scale == 1
            let tolerance = small ? 0 : 0.5 * pow(10, Double(exponent - decimals))
            figures.append(
                Figure(
                    text: String(String.UnicodeScalarView(s[start..<max(j, k + (percent ? 1 : 0))])),
                    value: base * scale, unscaled: base, tolerance: tolerance * scale, percent: percent,
                    exempt: ordinal || (decimals == 0 && exponent == 0 && (base == 0 || base == 1))))
            i = j
        }
        return figures
    }
}
