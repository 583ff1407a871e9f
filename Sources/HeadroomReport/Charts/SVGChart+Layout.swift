// Colours, fonts and geometry shared by the charts, and the estimates that lay out text and legends.

extension SVGChart {
    static let ink = "#1f2328"
    static let muted = "#57606a"
    static let gridColour = "#e1e4e8"
    static let axisColour = "#8c959f"
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

    enum Anchor: String {
        case start, middle, end
    }

    struct Box {
        var x: Double
        var y: Double
        var width: Double
        var height: Double

        func x(_ fraction: Double) -> Double { x + fraction * width }
        /// Fractions grow upwards.
        func y(_ fraction: Double) -> Double { y + height - fraction * height }
        func overlaps(_ o: Box) -> Bool {
            x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height
        }
        func inside(_ o: Box) -> Bool {
            x >= o.x - 2 && y >= o.y - 14 && x + width <= o.x + o.width + 2 && y + height <= o.y + o.height + 2
        }
    }

    struct LegendItem {
        enum Mark { case dot, dotLine, ring, line, dashed, swatch, limit }
        var name: String
        var colour: String
        var mark: Mark
    }

    /// Whether `value` can be placed on `axis`.
    static func usable(_ value: Double, on axis: Axis) -> Bool {
        value.isFinite && abs(value) < 1e15 && (axis.scale == .linear || value > 0)
    }

    /// Keeps each bucket's minimum and maximum (in order), so spikes survive the reduction.
    static func reduced(_ points: [(Double, Double)], to limit: Int) -> [(Double, Double)] {
        guard points.count > limit, limit >= 4 else { return points }
        let size = Int((Double(points.count) / Double(limit / 2)).rounded(.up))
        var out: [(Double, Double)] = []
        var start = 0
        while start < points.count {
            let bucket = points[start..<min(start + size, points.count)]
            let low = bucket.indices.min { bucket[$0].1 < bucket[$1].1 }!
            let high = bucket.indices.max { bucket[$0].1 < bucket[$1].1 }!
            out += low == high ? [bucket[low]] : [bucket[min(low, high)], bucket[max(low, high)]]
            start += size
        }
        return out
    }

    /// Where content starts below the title and legend (what ``Canvas/header(title:legend:)`` returns).
    static func headerHeight(_ legend: [LegendItem], width: Double) -> Double {
        legend.isEmpty ? 40 : 46 + Double(legendRows(legend, width: width) - 1) * 18 + 16
    }

    static func legendRows(_ legend: [LegendItem], width: Double) -> Int {
        guard !legend.isEmpty else { return 0 }
        var rows = 1
        var x = 16.0
        for item in legend {
            let w = 26 + textWidth(item.name, size: 12)
            if x + w > width - 16, x > 16 {
                rows += 1
                x = 16
            }
            x += w + 14
        }
        return rows
    }

    /// An estimate of rendered width for a proportional sans-serif font.
    static func textWidth(_ s: String, size: Double, bold: Bool = false) -> Double {
        var units = 0.0
        for ch in s {
            switch ch {
            case "i", "l", "j", "t", "f", "r", ".", ",", ":", ";", "|", "!", "'", " ", "(", ")", "[", "]", "/", "1":
                units += 0.36
            case "m", "w", "M", "W", "@", "%": units += 0.86
            case _ where ch.isUppercase: units += 0.66
            default: units += 0.56
            }
        }
        return units * size * (bold ? 1.06 : 1)
    }

    static func truncated(_ s: String, to limit: Int) -> String {
        s.count <= limit ? s : String(s.prefix(max(limit - 1, 1))) + "…"
    }

}
