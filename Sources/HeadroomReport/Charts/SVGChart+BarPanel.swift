extension SVGChart {
    /// One panel of horizontal bars: what ``Canvas/barPanel(_:frame:band:)`` draws.
    struct BarPanel {
        var categories: [String]
        var series: [Series]
        var axis: Axis
        var layout: BarLayout
        var limits: [Double]
        var references: [Reference]
        var colours: [String]
    }
}

extension SVGChart.Canvas {
    /// Horizontal bars in `frame`: category labels on the left, the value axis (ticks and title) at the bottom.
    mutating func barPanel(_ panel: SVGChart.BarPanel, frame: SVGChart.Box, band: Double) {
        let stacked = panel.layout == .stacked
        let count = panel.categories.count
        func value(_ s: Int, _ c: Int) -> Double? {
            guard c < panel.series[s].values.count else { return nil }
            let v = panel.series[s].values[c]
            guard SVGChart.usable(v, on: panel.axis) else { return nil }
            return stacked ? max(v, 0) : v
        }
        var data: [Double] = panel.references.map(\.value) + panel.limits
        for c in 0..<count {
            let values = panel.series.indices.compactMap { value($0, c) }
            data += stacked ? [values.reduce(0, +)] : values
        }
        let ticks = SVGChart.Ticks(data, axis: panel.axis)
        let labels = panel.categories.map { SVGChart.truncated($0, to: 30) }
        let labelWidth = min(labels.map { SVGChart.textWidth($0, size: 12) }.max() ?? 0, 230)
        let plot = SVGChart.Box(
            x: frame.x + 16 + labelWidth + 10, y: frame.y,
            width: max(frame.width - 16 - labelWidth - 10 - 56, 40), height: Double(max(count, 1)) * band)
        for v in ticks.values {
            let px = plot.x(ticks.fraction(v))
            line(px, plot.y, px, plot.y + plot.height, stroke: SVGChart.gridColour)
        }
        var lastRight = -Double.infinity
        for v in ticks.values {
            let px = plot.x(ticks.fraction(v))
            let label = ticks.label(v)
            let w = SVGChart.textWidth(label, size: 11)
            guard px - w / 2 > lastRight + 6 else { continue }
            lastRight = px + w / 2
            text(label, px, plot.y + plot.height + 16, anchor: .middle, size: 11, fill: SVGChart.muted)
        }
        text(
            panel.axis.title + (panel.axis.scale == .logarithmic ? ", log scale" : ""), plot.x + plot.width / 2,
            plot.y + plot.height + 34, anchor: .middle, size: 12)
        let zero = plot.x(ticks.fraction(ticks.logarithmic ? ticks.low : max(min(0, ticks.high), ticks.low)))
        for c in 0..<count {
            let top = plot.y + Double(c) * band
            text(labels[c], plot.x - 10, top + band / 2 + 4, anchor: .end, size: 12)
            var end = zero
            var cursor = zero
            var sum = 0.0
            let inner = band - 10
            let thickness = stacked ? inner : inner / Double(max(panel.series.count, 1))
            for s in panel.series.indices {
                guard let v = value(s, c) else { continue }
                let colour = panel.colours.isEmpty ? SVGChart.palette[0] : panel.colours[s % panel.colours.count]
                let tooltip = "\(panel.categories[c]) · \(panel.series[s].name): \(SVGChart.axisValue(v))"
                if stacked {
                    sum += v
                    let next = plot.x(ticks.fraction(sum))
                    rect(
                        SVGChart.Box(x: cursor, y: top + 5, width: next - cursor, height: thickness), fill: colour,
                        tooltip: tooltip)
                    cursor = next
                    end = max(end, next)
                } else {
                    let px = plot.x(ticks.fraction(v))
                    let y = top + 5 + Double(s) * thickness
                    rect(
                        SVGChart.Box(x: min(px, zero), y: y + 1, width: abs(px - zero), height: max(thickness - 2, 1)),
                        fill: colour, tooltip: tooltip)
                    if thickness >= 11 {
                        text(
                            SVGChart.axisValue(v), max(px, zero) + 4, y + thickness / 2 + 4, size: 10.5,
                            fill: SVGChart.muted
                        )
                    }
                }
            }
            if c < panel.limits.count, SVGChart.usable(panel.limits[c], on: panel.axis) {
                let px = plot.x(ticks.fraction(panel.limits[c]))
                rect(
                    SVGChart.Box(x: px - 1.5, y: top + 2, width: 3, height: band - 4), fill: SVGChart.ink,
                    tooltip: "\(panel.categories[c]) · limit \(SVGChart.axisValue(panel.limits[c]))")
                end = max(end, px + 2)
            }
            if stacked {
                let total = panel.series.indices.compactMap { value($0, c) }.reduce(0, +)
                var label = SVGChart.axisValue(total)
                if c < panel.limits.count, SVGChart.usable(panel.limits[c], on: panel.axis) {
                    label += " / " + SVGChart.axisValue(panel.limits[c])
                }
                text(label, end + 5, top + band / 2 + 4, size: 10.5, fill: SVGChart.muted)
            }
        }
        line(plot.x, plot.y, plot.x, plot.y + plot.height, stroke: SVGChart.axisColour)
        line(plot.x, plot.y + plot.height, plot.x + plot.width, plot.y + plot.height, stroke: SVGChart.axisColour)
        for r in panel.references where r.value.isFinite {
            let px = plot.x(ticks.fraction(r.value))
            line(px, plot.y - 14, px, plot.y + plot.height, stroke: SVGChart.palette[1], width: 1.5, dash: "5 3")
            // Above the bars, clear of the value labels at their ends.
            let w = SVGChart.textWidth(r.label, size: 10.5)
            let fits = px + 4 + w <= frame.x + frame.width - 4
            text(
                r.label, fits ? px + 4 : px - 4, plot.y - 5, anchor: fits ? .start : .end, size: 10.5,
                fill: SVGChart.palette[1])
        }
        if count == 0 { empty(plot) }
    }
}
