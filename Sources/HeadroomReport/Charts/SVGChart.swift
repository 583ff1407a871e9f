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
}
