import RealModule

/// Draws used by the workload distributions, written out here so that a seed gives the same numbers whatever the
/// standard library's own `random(in:)` algorithms do in a later release.
extension RandomNumberGenerator {
    /// A uniform double in [0, 1) with 53 random bits.
    mutating func unitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform double in (0, 1), never exactly 0 or 1, for logarithms.
    mutating func openUnitInterval() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// A uniform integer in `range` (Lemire's multiply-and-reject method, unbiased).
    mutating func uniformInteger(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound) &- Int64(range.lowerBound)) &+ 1
        if span == 0 { return Int(truncatingIfNeeded: next()) }  // the full 64-bit range
        var product = span.multipliedFullWidth(by: next())
        if product.low < span {
            let threshold = (0 &- span) % span
            while product.low < threshold { product = span.multipliedFullWidth(by: next()) }
        }
        return range.lowerBound &+ Int(truncatingIfNeeded: product.high)
    }

    /// A standard normal draw (Box–Muller; the second variate of the pair is discarded to keep draws stateless).
    mutating func standardNormal() -> Double {
        let radius = Double.sqrt(-2 * Double.log(openUnitInterval()))
        return radius * Double.cos(2 * Double.pi * unitInterval())
    }

    /// A Gamma(shape, 1) draw by Marsaglia and Tsang's method ("A simple method for generating gamma variables",
    /// ACM TOMS 26(3), 2000); shapes below 1 use their boost `Gamma(shape + 1) · U^(1/shape)`.
    mutating func gamma(shape: Double) -> Double {
        if shape < 1 {
            let boosted = gamma(shape: shape + 1)
            return boosted * Double.pow(openUnitInterval(), 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / Double.sqrt(9 * d)
        while true {
            var x: Double
            var v: Double
            repeat {
                x = standardNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = openUnitInterval()
            let xSquared = x * x
            if u < 1 - 0.0331 * xSquared * xSquared { return d * v }
            if Double.log(u) < 0.5 * xSquared + d * (1 - v + Double.log(v)) { return d * v }
        }
    }
}
