import Foundation

// Text for the SVG: escaping, and numbers for labels, tooltips and coordinates.

extension SVGChart {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities, for XML and HTML text and attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A value for a label or tooltip: three significant digits, k/M/G for large magnitudes.
    static func axisValue(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let a = abs(v)
        if a >= 1e4 { return trimmed(number(v, step: a >= 1e9 ? 1e7 : (a >= 1e6 ? 1e4 : 100), magnitude: a)) }
        if a >= 100 { return fixed(v, 0) }
        if a >= 10 { return trimmed(fixed(v, 1)) }
        if a >= 1 { return trimmed(fixed(v, 2)) }
        if a == 0 { return "0" }
        return trimmed(fixed(v, 3))
    }

    /// A tick label: as many decimals as the tick spacing needs; k, M or G when `magnitude` (the axis's largest
    /// value) reaches 10 thousand, 1 million or 1 billion, so one axis uses one suffix.
    static func number(_ v: Double, step: Double, magnitude: Double) -> String {
        guard v.isFinite else { return "–" }
        for (scale, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where magnitude >= (scale == 1e3 ? 1e4 : scale) {
            return v == 0 ? "0" : fixed(v / scale, decimals(step / scale)) + suffix
        }
        return fixed(v, decimals(step))
    }

    static func decimals(_ step: Double) -> Int {
        guard step.isFinite, step > 0 else { return 0 }
        var digits = 0
        var s = step
        while digits < 6, abs(s - s.rounded()) > 1e-6 * max(s, 1) {
            s *= 10
            digits += 1
        }
        return digits
    }

    /// `v` with exactly `digits` decimals, without Foundation's formatters.
    static func fixed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return "0" }
        let p = pow(10, Double(digits))
        let scaled = (abs(v) * p).rounded()
        guard scaled < 9e15 else { return String(format: "%.0f", v) }
        let n = Int64(scaled)
        let sign = v < 0 && n != 0 ? "-" : ""
        guard digits > 0 else { return sign + String(n) }
        let unit = Int64(p)
        let fraction = String(n % unit)
        return sign + String(n / unit) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    static func trimmed(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var out = s
        while out.last == "0" { out.removeLast() }
        if out.last == "." { out.removeLast() }
        return out
    }

    /// A coordinate: one decimal.
    static func c(_ v: Double, _ digits: Int = 1) -> String { trimmed(fixed(v, digits)) }
}
