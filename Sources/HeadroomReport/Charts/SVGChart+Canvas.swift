extension SVGChart {
    /// An SVG under construction: elements in drawing order.
    struct Canvas {
        var width: Double
        var height: Double
        var parts: [String] = []

        init(width: Double, height: Double) {
            self.width = max(width, 200)
            self.height = max(height, 120)
        }

        mutating func text(
            _ s: String, _ x: Double, _ y: Double, anchor: Anchor = .start, size: Double = 12,
            fill: String = SVGChart.ink,
            bold: Bool = false, rotate: Bool = false
        ) {
            var attributes = "x=\"\(c(x))\" y=\"\(c(y))\" font-size=\"\(c(size))\" fill=\"\(fill)\""
            if anchor != .start { attributes += " text-anchor=\"\(anchor.rawValue)\"" }
            if bold { attributes += " font-weight=\"600\"" }
            if rotate { attributes += " transform=\"rotate(-90 \(c(x)) \(c(y)))\"" }
            parts.append("<text \(attributes)>\(escape(s))</text>")
        }

        mutating func line(
            _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
            dash: String? = nil
        ) {
            let dashed = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            parts.append(
                "<line x1=\"\(c(x1))\" y1=\"\(c(y1))\" x2=\"\(c(x2))\" y2=\"\(c(y2))\" "
                    + "stroke=\"\(stroke)\" stroke-width=\"\(c(width))\"\(dashed)/>"
            )
        }

        mutating func rect(_ box: Box, fill: String, tooltip: String? = nil) {
            let shape =
                "x=\"\(c(box.x))\" y=\"\(c(box.y))\" width=\"\(c(max(box.width, 0)))\" "
                + "height=\"\(c(max(box.height, 0)))\" fill=\"\(fill)\""
            parts.append(tooltip.map { "<rect \(shape)><title>\(escape($0))</title></rect>" } ?? "<rect \(shape)/>")
        }

        mutating func circle(
            _ x: Double, _ y: Double, radius: Double, fill: String, opacity: Double = 1, stroke: String? = nil,
            strokeWidth: Double = 1, tooltip: String? = nil
        ) {
            var shape = "cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"\(c(radius))\" fill=\"\(fill)\""
            if opacity < 1 { shape += " fill-opacity=\"\(c(opacity, 2))\"" }
            if let stroke { shape += " stroke=\"\(stroke)\" stroke-width=\"\(c(strokeWidth))\"" }
            parts.append(
                tooltip.map { "<circle \(shape)><title>\(escape($0))</title></circle>" } ?? "<circle \(shape)/>")
        }

        mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double, dash: String? = nil) {
            let list = points.map { "\(c($0.0)),\(c($0.1))" }.joined(separator: " ")
            let dashed = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            parts.append(
                "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(c(width))\" "
                    + "stroke-linejoin=\"round\"\(dashed)/>"
            )
        }

        /// Draws the title and legend; returns the y where the content starts.
        mutating func header(title: String, legend: [LegendItem]) -> Double {
            text(truncated(title, to: Int(width / 8)), 16, 24, size: 15, bold: true)
            var x = 16.0
            var y = 46.0
            for item in legend {
                let w = 26 + textWidth(item.name, size: 12)
                if x + w > width - 16, x > 16 {
                    x = 16
                    y += 18
                }
                let mid = y - 4
                switch item.mark {
                case .dot: circle(x + 8, mid, radius: 4.5, fill: item.colour, opacity: 0.7)
                case .dotLine:
                    line(x, mid, x + 16, mid, stroke: item.colour, width: 2, dash: "6 4")
                    circle(x + 8, mid, radius: 4.5, fill: item.colour)
                case .ring:
                    circle(x + 8, mid, radius: 6.5, fill: "none", stroke: item.colour, strokeWidth: 2)
                    circle(x + 8, mid, radius: 3.5, fill: item.colour)
                case .line: line(x, mid, x + 16, mid, stroke: item.colour, width: 2.5)
                case .dashed: line(x, mid, x + 16, mid, stroke: item.colour, width: 2, dash: "5 3")
                case .swatch: rect(Box(x: x + 2, y: mid - 6, width: 12, height: 12), fill: item.colour)
                case .limit: rect(Box(x: x + 6.5, y: mid - 7, width: 3, height: 14), fill: item.colour)
                }
                text(item.name, x + 21, y, size: 12, fill: SVGChart.muted)
                x += w + 14
            }
            return legend.isEmpty ? 40 : y + 16
        }

        /// Draws the header and returns the plot area, leaving room for tick labels and axis titles.
        mutating func frame(title: String, legend: [LegendItem], yTicks: Ticks, rightTicks: Ticks?) -> Box {
            let top = header(title: title, legend: legend) + 8
            let left = 16 + 14 + 8 + yTicks.widestLabel + 8
            let right = rightTicks.map { 8 + $0.widestLabel + 8 + 14 + 16 } ?? 28
            return Box(x: left, y: top, width: max(width - left - right, 40), height: max(height - top - 52, 40))
        }

        mutating func axes(_ plot: Box, x: Ticks, y: Ticks, xAxis: Axis, yAxis: Axis) {
            for v in y.values {
                let py = plot.y(y.fraction(v))
                line(plot.x, py, plot.x + plot.width, py, stroke: SVGChart.gridColour)
                text(y.label(v), plot.x - 8, py + 4, anchor: .end, size: 11, fill: SVGChart.muted)
            }
            var lastRight = -Double.infinity
            for v in x.values {
                let px = plot.x(x.fraction(v))
                line(px, plot.y, px, plot.y + plot.height, stroke: SVGChart.gridColour)
                let label = x.label(v)
                let w = textWidth(label, size: 11)
                guard px - w / 2 > lastRight + 6 else { continue }
                lastRight = px + w / 2
                text(label, px, plot.y + plot.height + 17, anchor: .middle, size: 11, fill: SVGChart.muted)
            }
            line(plot.x, plot.y + plot.height, plot.x + plot.width, plot.y + plot.height, stroke: SVGChart.axisColour)
            line(plot.x, plot.y, plot.x, plot.y + plot.height, stroke: SVGChart.axisColour)
            text(
                xAxis.title + (xAxis.scale == .logarithmic ? ", log scale" : ""), plot.x + plot.width / 2,
                plot.y + plot.height + 38, anchor: .middle, size: 12, fill: SVGChart.ink)
            text(
                yAxis.title + (yAxis.scale == .logarithmic ? ", log scale" : ""), 22, plot.y + plot.height / 2,
                anchor: .middle, size: 12, fill: SVGChart.ink, rotate: true)
        }

        mutating func rightAxis(_ plot: Box, ticks: Ticks, axis: Axis) {
            let edge = plot.x + plot.width
            line(edge, plot.y, edge, plot.y + plot.height, stroke: SVGChart.axisColour)
            for v in ticks.values {
                let py = plot.y(ticks.fraction(v))
                line(edge, py, edge + 4, py, stroke: SVGChart.axisColour)
                text(ticks.label(v), edge + 8, py + 4, size: 11, fill: SVGChart.muted)
            }
            text(
                axis.title, width - 16, plot.y + plot.height / 2, anchor: .middle, size: 12, fill: SVGChart.ink,
                rotate: true)
        }

        mutating func references(_ references: [Reference], plot: Box, x: Ticks, y: Ticks) {
            for r in references where r.value.isFinite {
                if r.vertical {
                    let px = plot.x(x.fraction(r.value))
                    line(px, plot.y, px, plot.y + plot.height, stroke: SVGChart.palette[1], width: 1.5, dash: "5 3")
                } else {
                    let py = plot.y(y.fraction(r.value))
                    line(plot.x, py, plot.x + plot.width, py, stroke: SVGChart.palette[1], width: 1.5, dash: "5 3")
                }
            }
            for (r, box) in zip(
                references.filter { $0.value.isFinite }, referenceLabelBoxes(references, plot: plot, x: x, y: y))
            {
                text(r.label, box.x + 1, box.y + 10, size: 11, fill: SVGChart.palette[1])
            }
        }

        /// Where each finite reference's label goes: beside a vertical line at the top, above a horizontal one at
        /// the right.
        func referenceLabelBoxes(_ references: [Reference], plot: Box, x: Ticks, y: Ticks) -> [Box] {
            references.filter { $0.value.isFinite }.map { r in
                let w = textWidth(r.label, size: 11)
                if r.vertical {
                    let px = plot.x(x.fraction(r.value))
                    let left = px + 4 + w <= plot.x + plot.width ? px + 4 : px - 4 - w
                    return Box(x: left - 1, y: plot.y + 2, width: w + 2, height: 13)
                }
                let py = plot.y(y.fraction(r.value))
                return Box(x: plot.x + plot.width - 4 - w - 1, y: py - 14, width: w + 2, height: 13)
            }
        }

        mutating func empty(_ plot: Box) {
            text(
                "no data", plot.x + plot.width / 2, plot.y + plot.height / 2, anchor: .middle, size: 13,
                fill: SVGChart.muted)
        }

        func svg(title: String, summary: String) -> String {
            let w = c(width, 0)
            let h = c(height, 0)
            var out =
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" "
                + "role=\"img\" "
                + "font-family=\"\(SVGChart.fontFamily)\">\n"
            out += "<title>\(escape(title))</title>\n<desc>\(escape(summary))</desc>\n"
            out += "<rect width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
            out += parts.joined(separator: "\n")
            out += "\n</svg>"
            return out
        }
    }
}
