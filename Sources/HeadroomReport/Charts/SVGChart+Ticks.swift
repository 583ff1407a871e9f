import Foundation

extension SVGChart {
    /// Tick values fitted to data: 1-2-5 steps on linear axes, decades (with 2 and 5 when few) on logarithmic ones.
    package struct Ticks {
        var low: Double
        var high: Double
        package var values: [Double]
        var logarithmic: Bool

        package init(_ data: [Double], axis: Axis, target: Int = 5) {
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

        package func label(_ value: Double) -> String {
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
}
