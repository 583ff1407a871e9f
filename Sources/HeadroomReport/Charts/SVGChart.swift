import Foundation

/// Small, dependency-free SVG charts for reports: scatter, lines, horizontal bars and latency percentiles.
///
/// Every chart is one standalone `<svg>` element with a fixed `viewBox`, an accessible `<title>` and `<desc>`,
/// system fonts, colours from ``palette`` and escaped text, so it can be written to a `.svg` file or inlined in HTML.
/// Inputs are plain arrays; non-finite values (and non-positive ones on a logarithmic axis) are skipped, so empty
/// or single-point input draws axes and a note instead of dividing by zero.
public enum SVGChart {
    /// Series colours, in order (Paul Tol's "bright" scheme, safe for colour-blind readers).
    public static let palette = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"]

    /// How an axis maps values to positions.
    public enum Scale: Sendable, Hashable {
        case linear
        case logarithmic
    }

    /// An axis: its title (with the unit, e.g. `"p99 TTFT (ms)"`), scale and range.
    public struct Axis: Sendable, Hashable {
        public var title: String
        public var scale: Scale
        /// Whether a linear axis stretches to include zero.
        public var includesZero: Bool
        /// A fixed range, instead of one fitted to the data (e.g. `0...100` for percentages).
        public var range: ClosedRange<Double>?

        public init(
            _ title: String, scale: Scale = .linear, includesZero: Bool = true, range: ClosedRange<Double>? = nil
        ) {
            self.title = title
            self.scale = scale
            self.includesZero = includesZero
            self.range = range
        }
    }

    /// A named run of values: one per x (lines) or one per category (bars).
    public struct Series: Sendable, Hashable {
        public var name: String
        public var values: [Double]
        /// Lines only: plot against the secondary (right-hand) axis.
        public var secondaryAxis: Bool

        public init(_ name: String, _ values: [Double], secondaryAxis: Bool = false) {
            self.name = name
            self.values = values
            self.secondaryAxis = secondaryAxis
        }
    }

    /// A labelled dashed guide line, such as an SLO or a budget.
    public struct Reference: Sendable, Hashable {
        public var label: String
        public var value: Double
        /// Vertical (at an x value) rather than horizontal. Bars always draw references across their value axis.
        public var vertical: Bool

        /// A vertical line at `value` on the x axis.
        public static func x(_ label: String, _ value: Double) -> Reference {
            Reference(label: label, value: value, vertical: true)
        }

        /// A horizontal line at `value` on the (primary) y axis.
        public static func y(_ label: String, _ value: Double) -> Reference {
            Reference(label: label, value: value, vertical: false)
        }
    }

    /// How bars of several series share a category.
    public enum BarLayout: Sendable, Hashable {
        case grouped
        case stacked
    }

    /// One latency metric for ``percentiles(title:labels:metrics:width:)``: its values at each percentile label.
    public struct Distribution: Sendable, Hashable {
        public var name: String
        public var unit: String
        public var values: [Double]
        /// The objective, drawn as a dashed line.
        public var objective: Double?

        public init(_ name: String, unit: String, values: [Double], objective: Double? = nil) {
            self.name = name
            self.unit = unit
            self.values = values
            self.objective = objective
        }
    }

    // MARK: - Charts

    /// A scatter plot with labelled points, a highlighted front line and one emphasised point.
    ///
    /// - Parameters:
    ///   - title: The chart title (also its accessible name).
    ///   - x: Horizontal positions.
    ///   - y: Vertical positions, paired with `x` by index.
    ///   - labels: Point labels, paired by index; placed where they do not collide, otherwise left to the tooltip.
    ///   - xAxis: The horizontal axis.
    ///   - yAxis: The vertical axis.
    ///   - front: Indices of points joined by the front line (e.g. the Pareto front), in any order.
    ///   - highlight: Index of the point to emphasise (e.g. the recommendation).
    ///   - references: Guide lines (``Reference/x(_:_:)`` or ``Reference/y(_:_:)``).
    ///   - width: The `viewBox` width; `height` its height.
    /// - Returns: An `<svg>` element.
    public static func scatter(
        title: String, x: [Double], y: [Double], labels: [String] = [], xAxis: Axis, yAxis: Axis, front: [Int] = [],
        highlight: Int? = nil, references: [Reference] = [], width: Int = 720, height: Int = 440
    ) -> String {
        let count = min(x.count, y.count)
        let points = (0..<count).filter { usable(x[$0], on: xAxis) && usable(y[$0], on: yAxis) }
        let frontSet = Set(front).intersection(points)
        let emphasised = highlight.flatMap { points.contains($0) ? $0 : nil }
        var legend: [LegendItem] = []
        if points.contains(where: { !frontSet.contains($0) && $0 != emphasised }) {
            legend.append(LegendItem(name: "candidate", colour: palette[0], mark: .dot))
        }
        if !frontSet.isEmpty { legend.append(LegendItem(name: "Pareto front", colour: palette[1], mark: .dotLine)) }
        if emphasised != nil { legend.append(LegendItem(name: "recommended", colour: palette[2], mark: .ring)) }
        let xTicks = Ticks(
            points.map { x[$0] } + references.filter(\.vertical).map(\.value), axis: xAxis)
        let yTicks = Ticks(
            points.map { y[$0] } + references.filter { !$0.vertical }.map(\.value), axis: yAxis)
        var canvas = Canvas(width: Double(width), height: Double(height))
        let plot = canvas.frame(title: title, legend: legend, yTicks: yTicks, rightTicks: nil)
        canvas.axes(plot, x: xTicks, y: yTicks, xAxis: xAxis, yAxis: yAxis)
        canvas.references(references, plot: plot, x: xTicks, y: yTicks)
        func position(_ i: Int) -> (Double, Double) {
            (plot.x(xTicks.fraction(x[i])), plot.y(yTicks.fraction(y[i])))
        }
        func tooltip(_ i: Int) -> String {
            let name = i < labels.count ? labels[i] + ": " : ""
            return "\(name)\(axisValue(x[i])) × \(axisValue(y[i]))"
        }
        let frontLine = frontSet.sorted { (x[$0], y[$0]) < (x[$1], y[$1]) }.map(position)
        if frontLine.count > 1 { canvas.polyline(frontLine, stroke: palette[1], width: 2, dash: "6 4") }
        for i in points where !frontSet.contains(i) && i != emphasised {
            let (px, py) = position(i)
            canvas.circle(px, py, radius: 4.5, fill: palette[0], opacity: 0.7, tooltip: tooltip(i))
        }
        for i in frontSet.sorted() where i != emphasised {
            let (px, py) = position(i)
            canvas.circle(px, py, radius: 5, fill: palette[1], tooltip: tooltip(i))
        }
        if let i = emphasised {
            let (px, py) = position(i)
            canvas.circle(px, py, radius: 9, fill: "none", stroke: palette[2], strokeWidth: 2.5)
            canvas.circle(px, py, radius: 5.5, fill: palette[2], tooltip: tooltip(i))
        }
        // Labels: the emphasised point first, then the front, then the rest, each where it collides with nothing.
        var taken = points.map { i -> Box in
            let (px, py) = position(i)
            let r = i == emphasised ? 10.0 : 5
            return Box(x: px - r, y: py - r, width: 2 * r, height: 2 * r)
        }
        // Labels keep off the front line and the reference labels too.
        for (a, b) in zip(frontLine, frontLine.dropFirst()) {
            let steps = Int((hypot(b.0 - a.0, b.1 - a.1) / 6).rounded(.up))
            for k in 0...max(steps, 1) {
                let t = Double(k) / Double(max(steps, 1))
                taken.append(Box(x: a.0 + (b.0 - a.0) * t - 2, y: a.1 + (b.1 - a.1) * t - 2, width: 4, height: 4))
            }
        }
        taken += canvas.referenceLabelBoxes(references, plot: plot, x: xTicks, y: yTicks)
        let order =
            [emphasised].compactMap { $0 } + frontSet.sorted().filter { $0 != emphasised }
            + points.filter { !frontSet.contains($0) && $0 != emphasised }
        for i in order where i < labels.count && !labels[i].isEmpty {
            let (px, py) = position(i)
            let text = truncated(labels[i], to: 28)
            let bold = i == emphasised
            let w = textWidth(text, size: 11, bold: bold)
            let gap = bold ? 13.0 : 8  // clear of the ring around the emphasised point
            let spots: [(Double, Double, Anchor)] = [
                (px + gap + 1, py + 4, .start), (px - gap - 1, py + 4, .end), (px, py - gap - 2, .middle),
                (px, py + gap + 9, .middle), (px + gap, py - gap, .start), (px - gap, py - gap, .end),
                (px + gap, py + gap + 7, .start), (px - gap, py + gap + 7, .end),
            ]
            var placed = false
            for (tx, ty, anchor) in spots {
                let left = anchor == .start ? tx : (anchor == .end ? tx - w : tx - w / 2)
                let box = Box(x: left - 1, y: ty - 10, width: w + 2, height: 13)
                guard box.inside(plot), !taken.contains(where: { $0.overlaps(box) }) else { continue }
                taken.append(box)
                canvas.text(text, tx, ty, anchor: anchor, size: 11, fill: bold ? ink : muted, bold: bold)
                placed = true
                break
            }
            // The emphasised point is always labelled: on the side with room.
            if !placed, bold {
                let right = px + 14 + w <= plot.x + plot.width
                canvas.text(
                    text, right ? px + 14 : px - 14, py + 4, anchor: right ? .start : .end, size: 11, fill: ink,
                    bold: true)
            }
        }
        if points.isEmpty { canvas.empty(plot) }
        let summary =
            "Scatter of \(points.count) point\(points.count == 1 ? "" : "s"): \(xAxis.title) against \(yAxis.title)"
            + (frontSet.isEmpty ? "" : "; \(frontSet.count) on the front")
            + (emphasised.map { $0 < labels.count ? "; highlighted: \(labels[$0])" : "" } ?? "")
        return canvas.svg(title: title, summary: summary)
    }

    /// A line chart over a shared x, with an optional secondary axis on the right.
    ///
    /// - Parameters:
    ///   - title: The chart title.
    ///   - x: The shared horizontal positions (e.g. time in seconds).
    ///   - series: Lines, each with a value per x; a non-finite value breaks its line.
    ///   - xAxis: The horizontal axis.
    ///   - yAxis: The primary (left) axis.
    ///   - secondaryAxis: The right-hand axis for series with ``Series/secondaryAxis`` set.
    ///   - references: Guide lines; horizontal ones read against the primary axis.
    ///   - width: The `viewBox` width; `height` its height.
    /// - Returns: An `<svg>` element.
    /// - Complexity: O(n) in the points; series over 1,200 points are reduced to each bucket's minimum and maximum.
    public static func lines(
        title: String, x: [Double], series: [Series], xAxis: Axis, yAxis: Axis, secondaryAxis: Axis? = nil,
        references: [Reference] = [], width: Int = 720, height: Int = 380
    ) -> String {
        let secondary = secondaryAxis ?? yAxis
        func points(_ s: Series) -> [[(Double, Double)]] {
            let axis = s.secondaryAxis ? secondary : yAxis
            var runs: [[(Double, Double)]] = [[]]
            for i in 0..<min(x.count, s.values.count) {
                if usable(x[i], on: xAxis) && usable(s.values[i], on: axis) {
                    runs[runs.count - 1].append((x[i], s.values[i]))
                } else if !runs[runs.count - 1].isEmpty {
                    runs.append([])
                }
            }
            return runs.filter { !$0.isEmpty }.map { reduced($0, to: 1200) }
        }
        let runs = series.map(points)
        let legend = series.enumerated().map { index, s in
            LegendItem(
                name: s.secondaryAxis && secondaryAxis != nil ? "\(s.name) (right axis)" : s.name,
                colour: palette[index % palette.count], mark: s.secondaryAxis && secondaryAxis != nil ? .dashed : .line)
        }
        let all = runs.flatMap { $0.flatMap { $0 } }
        let onSecondary = zip(series, runs).filter { $0.0.secondaryAxis && secondaryAxis != nil }.flatMap {
            $0.1.flatMap { $0 }
        }
        let onPrimary = zip(series, runs).filter { !($0.0.secondaryAxis && secondaryAxis != nil) }.flatMap {
            $0.1.flatMap { $0 }
        }
        let xTicks = Ticks(all.map(\.0) + references.filter(\.vertical).map(\.value), axis: xAxis)
        let yTicks = Ticks(onPrimary.map(\.1) + references.filter { !$0.vertical }.map(\.value), axis: yAxis)
        let rightTicks = secondaryAxis.map { Ticks(onSecondary.map(\.1), axis: $0) }
        var canvas = Canvas(width: Double(width), height: Double(height))
        let plot = canvas.frame(title: title, legend: legend, yTicks: yTicks, rightTicks: rightTicks)
        canvas.axes(plot, x: xTicks, y: yTicks, xAxis: xAxis, yAxis: yAxis)
        if let rightTicks, let secondaryAxis { canvas.rightAxis(plot, ticks: rightTicks, axis: secondaryAxis) }
        canvas.references(references, plot: plot, x: xTicks, y: yTicks)
        for (index, (s, sRuns)) in zip(series, runs).enumerated() {
            let ticks = s.secondaryAxis ? (rightTicks ?? yTicks) : yTicks
            let colour = palette[index % palette.count]
            for run in sRuns {
                let pixels = run.map { (plot.x(xTicks.fraction($0.0)), plot.y(ticks.fraction($0.1))) }
                if pixels.count > 1 {
                    canvas.polyline(
                        pixels, stroke: colour, width: 2, dash: s.secondaryAxis && secondaryAxis != nil ? "5 3" : nil)
                }
                if pixels.count <= 40 {
                    for (px, py) in pixels { canvas.circle(px, py, radius: 2.5, fill: colour) }
                }
            }
        }
        if all.isEmpty { canvas.empty(plot) }
        let names = series.map(\.name).joined(separator: ", ")
        return canvas.svg(
            title: title, summary: "Line chart of \(names.isEmpty ? "no series" : names) against \(xAxis.title)")
    }

    /// Horizontal bars, one band per category, grouped or stacked, with optional per-category limit marks.
    ///
    /// - Parameters:
    ///   - title: The chart title.
    ///   - categories: Band labels, top to bottom.
    ///   - series: Values per category; stacked bars treat negative values as zero.
    ///   - valueAxis: The horizontal axis the bars extend along.
    ///   - layout: Side by side or end to end.
    ///   - limits: A mark per category (e.g. memory capacity), drawn as a dark bar across the band.
    ///   - references: Guide lines across the value axis.
    ///   - width: The `viewBox` width; the height follows from the categories.
    /// - Returns: An `<svg>` element.
    public static func bars(
        title: String, categories: [String], series: [Series], valueAxis: Axis, layout: BarLayout = .grouped,
        limits: Series? = nil, references: [Reference] = [], width: Int = 720
    ) -> String {
        let band = layout == .grouped ? max(30.0, Double(series.count) * 15 + 14) : 32
        var legend = series.enumerated().map {
            LegendItem(name: $1.name, colour: palette[$0 % palette.count], mark: .swatch)
        }
        if let limits { legend.append(LegendItem(name: limits.name, colour: ink, mark: .limit)) }
        let panel = BarPanel(
            categories: categories, series: series, axis: valueAxis, layout: layout, limits: limits?.values ?? [],
            references: references, colours: series.indices.map { palette[$0 % palette.count] })
        let height = headerHeight(legend, width: Double(width)) + Double(max(categories.count, 1)) * band + 52
        var canvas = Canvas(width: Double(width), height: height.rounded())
        let top = canvas.header(title: title, legend: legend)
        canvas.barPanel(panel, frame: Box(x: 0, y: top, width: Double(width), height: height - top - 52), band: band)
        let summary =
            "\(layout == .stacked ? "Stacked" : "Grouped") bars of \(series.map(\.name).joined(separator: ", ")) for "
            + "\(categories.count) categor\(categories.count == 1 ? "y" : "ies"), in \(valueAxis.title)"
        return canvas.svg(title: title, summary: summary)
    }

    /// Latency percentiles as small multiples: one panel of bars per metric, each on its own axis with its objective.
    ///
    /// - Parameters:
    ///   - title: The chart title.
    ///   - labels: The percentile names, one bar each.
    ///   - metrics: The metrics, one panel each (e.g. TTFT, TPOT and E2E in milliseconds).
    ///   - width: The `viewBox` width; the height follows from the metrics.
    /// - Returns: An `<svg>` element.
    public static func percentiles(
        title: String, labels: [String] = ["p50", "p90", "p99"], metrics: [Distribution], width: Int = 720
    ) -> String {
        let band = 22.0
        let panelHeight = 26 + Double(max(labels.count, 1)) * band + 40
        var legend: [LegendItem] = []
        if metrics.contains(where: { $0.objective != nil }) {
            legend.append(LegendItem(name: "objective", colour: palette[1], mark: .dashed))
        }
        let height = headerHeight(legend, width: Double(width)) + Double(max(metrics.count, 1)) * panelHeight
        var canvas = Canvas(width: Double(width), height: height.rounded())
        var top = canvas.header(title: title, legend: legend)
        for (index, metric) in metrics.enumerated() {
            let panel = BarPanel(
                categories: labels, series: [Series(metric.name, metric.values)],
                axis: Axis("\(metric.name) (\(metric.unit))"),
                layout: .grouped, limits: [],
                references: metric.objective.map { [.x("objective \(axisValue($0))", $0)] } ?? [],
                colours: [palette[index % palette.count]])
            canvas.text("\(metric.name) (\(metric.unit))", 16, top + 14, size: 12.5, fill: ink, bold: true)
            canvas.barPanel(
                panel, frame: Box(x: 0, y: top + 22, width: Double(width), height: panelHeight - 22), band: band)
            top += panelHeight
        }
        if metrics.isEmpty {
            canvas.text("no data", Double(width) / 2, top + panelHeight / 2, anchor: .middle, size: 13, fill: muted)
        }
        let summary = metrics.map { m in
            "\(m.name): " + zip(labels, m.values).map { "\($0) \(axisValue($1)) \(m.unit)" }.joined(separator: ", ")
        }.joined(separator: "; ")
        return canvas.svg(title: title, summary: summary.isEmpty ? "No latency data" : summary)
    }

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
}

// MARK: - Internals

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

    struct BarPanel {
        var categories: [String]
        var series: [Series]
        var axis: Axis
        var layout: BarLayout
        var limits: [Double]
        var references: [Reference]
        var colours: [String]
    }

    /// Tick values fitted to data: 1-2-5 steps on linear axes, decades (with 2 and 5 when few) on logarithmic ones.
    struct Ticks {
        var low: Double
        var high: Double
        var values: [Double]
        var logarithmic: Bool

        init(_ data: [Double], axis: Axis, target: Int = 5) {
            logarithmic = axis.scale == .logarithmic
            let finite = data.filter { usable($0, on: axis) }
            if logarithmic {
                var lo = axis.range.map { max($0.lowerBound, 1e-12) } ?? finite.min() ?? 1
                var hi = axis.range.map { max($0.upperBound, lo) } ?? finite.max() ?? 10
                if axis.range == nil {
                    lo = Self.step(below: lo)
                    hi = Self.step(above: hi)
                }
                if hi <= lo { hi = Self.step(above: lo * 1.0001) }
                if hi <= lo { hi = lo * 10 }
                let decades = log10(hi / lo)
                let mantissas: [Double] = decades <= 1.2 ? [1, 2, 5] : (decades <= 2.6 ? [1, 3] : [1])
                var ticks: [Double] = []
                var exponent = floor(log10(lo)) - 1
                while ticks.count < 40, exponent <= ceil(log10(hi)) + 1 {
                    for m in mantissas {
                        let v = m * pow(10, exponent)
                        if v >= lo * 0.9999 && v <= hi * 1.0001 { ticks.append(v) }
                    }
                    exponent += 1
                }
                // Label the ends too, where they are 1-2-5 numbers clear of their neighbour.
                if let first = ticks.first, first / lo >= 1.5 { ticks.insert(lo, at: 0) }
                if let last = ticks.last, hi / last >= 1.5 { ticks.append(hi) }
                low = lo
                high = hi
                values = ticks.isEmpty ? [lo, hi] : ticks
                return
            }
            var lo = finite.min() ?? 0
            var hi = finite.max() ?? 1
            if let range = axis.range {
                lo = range.lowerBound
                hi = range.upperBound
            } else if axis.includesZero {
                lo = min(lo, 0)
                hi = max(hi, 0)
            }
            if hi <= lo {
                if lo == 0 {
                    hi = 1
                } else if lo > 0 {
                    (lo, hi) = (axis.includesZero ? 0 : lo * 0.5, lo * 1.5)
                } else {
                    (lo, hi) = (lo * 1.5, axis.includesZero ? 0 : lo * 0.5)
                }
            }
            let step = Self.nice((hi - lo) / Double(max(target - 1, 1)))
            guard step.isFinite, step > 0 else {
                (low, high, values, logarithmic) = (0, 1, [0, 0.5, 1], false)
                return
            }
            if axis.range == nil {
                lo = floor(lo / step + 1e-9) * step
                hi = ceil(hi / step - 1e-9) * step
            }
            let first = ceil(lo / step - 1e-9)
            let count = min(Int(((hi - lo) / step + 1e-9).rounded(.down)) + 1, 30)
            low = lo
            high = hi
            values = (0..<max(count, 0)).map { (first + Double($0)) * step }.filter { $0 <= hi + step * 1e-9 }
        }

        /// 0 at `low`, 1 at `high`, clamped.
        func fraction(_ value: Double) -> Double {
            let f: Double
            if logarithmic {
                guard value > 0 else { return 0 }
                f = log10(value / low) / log10(high / low)
            } else {
                f = (value - low) / (high - low)
            }
            return f.isFinite ? min(max(f, 0), 1) : 0
        }

        func label(_ value: Double) -> String {
            if logarithmic { return SVGChart.number(value, step: value, magnitude: abs(value)) }
            let spacing = values.count > 1 ? values[1] - values[0] : max(abs(value), 1)
            return SVGChart.number(value, step: spacing, magnitude: max(abs(low), abs(high)))
        }

        var widestLabel: Double {
            values.map { textWidth(label($0), size: 11) }.max() ?? 10
        }

        static func nice(_ x: Double) -> Double {
            guard x.isFinite, x > 0 else { return 1 }
            let exponent = floor(log10(x))
            let f = x / pow(10, exponent)
            let n: Double = f < 1.5 ? 1 : (f < 3 ? 2 : (f < 7 ? 5 : 10))
            return n * pow(10, exponent)
        }

        /// The largest 1, 2 or 5 × 10ⁿ at or below `x`.
        static func step(below x: Double) -> Double {
            let e = floor(log10(x))
            let base = pow(10, e)
            return [5, 2, 1].map { $0 * base }.first { $0 <= x * 1.0000001 } ?? base
        }

        /// The smallest 1, 2 or 5 × 10ⁿ at or above `x`.
        static func step(above x: Double) -> Double {
            let e = floor(log10(x))
            let base = pow(10, e)
            return [1, 2, 5, 10].map { $0 * base }.first { $0 >= x * 0.9999999 } ?? base * 10
        }
    }

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

        /// Horizontal bars in `frame`: category labels on the left, the value axis (ticks and title) at the bottom.
        mutating func barPanel(_ panel: BarPanel, frame: Box, band: Double) {
            let stacked = panel.layout == .stacked
            let count = panel.categories.count
            func value(_ s: Int, _ c: Int) -> Double? {
                guard c < panel.series[s].values.count else { return nil }
                let v = panel.series[s].values[c]
                guard usable(v, on: panel.axis) else { return nil }
                return stacked ? max(v, 0) : v
            }
            var data: [Double] = panel.references.map(\.value) + panel.limits
            for c in 0..<count {
                let values = panel.series.indices.compactMap { value($0, c) }
                data += stacked ? [values.reduce(0, +)] : values
            }
            let ticks = Ticks(data, axis: panel.axis)
            let labels = panel.categories.map { truncated($0, to: 30) }
            let labelWidth = min(labels.map { textWidth($0, size: 12) }.max() ?? 0, 230)
            let plot = Box(
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
                let w = textWidth(label, size: 11)
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
                    let tooltip = "\(panel.categories[c]) · \(panel.series[s].name): \(axisValue(v))"
                    if stacked {
                        sum += v
                        let next = plot.x(ticks.fraction(sum))
                        rect(
                            Box(x: cursor, y: top + 5, width: next - cursor, height: thickness), fill: colour,
                            tooltip: tooltip)
                        cursor = next
                        end = max(end, next)
                    } else {
                        let px = plot.x(ticks.fraction(v))
                        let y = top + 5 + Double(s) * thickness
                        rect(
                            Box(x: min(px, zero), y: y + 1, width: abs(px - zero), height: max(thickness - 2, 1)),
                            fill: colour, tooltip: tooltip)
                        if thickness >= 11 {
                            text(
                                axisValue(v), max(px, zero) + 4, y + thickness / 2 + 4, size: 10.5, fill: SVGChart.muted
                            )
                        }
                    }
                }
                if c < panel.limits.count, usable(panel.limits[c], on: panel.axis) {
                    let px = plot.x(ticks.fraction(panel.limits[c]))
                    rect(
                        Box(x: px - 1.5, y: top + 2, width: 3, height: band - 4), fill: SVGChart.ink,
                        tooltip: "\(panel.categories[c]) · limit \(axisValue(panel.limits[c]))")
                    end = max(end, px + 2)
                }
                if stacked {
                    let total = panel.series.indices.compactMap { value($0, c) }.reduce(0, +)
                    var label = axisValue(total)
                    if c < panel.limits.count, usable(panel.limits[c], on: panel.axis) {
                        label += " / " + axisValue(panel.limits[c])
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
                let w = textWidth(r.label, size: 10.5)
                let fits = px + 4 + w <= frame.x + frame.width - 4
                text(
                    r.label, fits ? px + 4 : px - 4, plot.y - 5, anchor: fits ? .start : .end, size: 10.5,
                    fill: SVGChart.palette[1])
            }
            if count == 0 { empty(plot) }
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
