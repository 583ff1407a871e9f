extension Int {
    /// `value` rounded toward zero and clamped to `Int`'s range: NaN is 0, +∞ is `Int.max`, −∞ is `Int.min`.
    ///
    /// Use it wherever a figure computed in `Double` becomes a count: unlike `Int(_:)` it never traps.
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9_223_372_036_854_775_808.0 {  // 2^63, the first Double above Int.max
            self = .max
        } else if value <= -9_223_372_036_854_775_808.0 {
            self = .min
        } else {
            self = Int(value)
        }
    }

    /// `self + other`, or the nearest bound when the sum overflows.
    public func saturatingAdding(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self × other`, or the nearest bound when the product overflows.
    public func saturatingMultiplying(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }
}

extension UInt64 {
    /// `value` rounded toward zero and clamped to `UInt64`'s range: NaN and negatives are 0.
    public init(saturating value: Double) {
        if value.isNaN || value <= 0 {
            self = 0
        } else if value >= 18_446_744_073_709_551_616.0 {  // 2^64
            self = .max
        } else {
            self = UInt64(value)
        }
    }
}
