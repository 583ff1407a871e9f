import RealModule

/// How request lengths (prompt or output tokens) are distributed.
///
/// Every sample is rounded to the nearest integer and clamped to ``minimum``...``maximum``, so a normal
/// distribution's negative tail or a lognormal's far tail can never yield an impossible length. ``mean`` is the
/// analytic mean before that clamping.
public enum LengthDistribution: Sendable, Hashable {
    /// Always this many tokens.
    case fixed(Int)
    /// Uniform over the integers `min...max`, both included.
    case uniform(min: Int, max: Int)
    /// Normal with this mean and standard deviation.
    case normal(mean: Double, stddev: Double)
    /// Lognormal with this **mean** (not median) and log-space standard deviation `sigma`:
    /// `mu = ln(mean) − sigma²/2`, so the median is `mean · e^(−sigma²/2)`.
    case lognormal(mean: Double, sigma: Double)
    /// A piecewise-linear inverse CDF: `values[i]` is the quantile at cumulative probability `cumulative[i]`.
    /// `cumulative` increases strictly and ends at 1; probability below `cumulative[0]` is a point mass at
    /// `values[0]`. Published quantile tables (p5, p50, p99, …) plug in directly.
    case empirical(values: [Double], cumulative: [Double])

    /// The smallest length a sample takes: one token.
    public static let minimum = 1
    /// The largest length a sample takes: ten million tokens, beyond any context window, so that a heavy tail never
    /// overflows an `Int`.
    public static let maximum = 10_000_000

    /// Draws one length.
    /// - Parameter rng: the random source; a ``SeededGenerator`` makes draws replayable.
    /// - Returns: a length in ``minimum``...``maximum``.
    /// - Complexity: O(1), except `.empirical`, O(log n) in its number of points.
    public func sample(using rng: inout some RandomNumberGenerator) -> Int {
        switch self {
        case .fixed(let tokens):
            return Self.clamp(tokens)
        case .uniform(let low, let high):
            return Self.clamp(rng.uniformInteger(in: Swift.min(low, high)...Swift.max(low, high)))
        case .normal(let mean, let stddev):
            return Self.clamp(mean + stddev * rng.standardNormal())
        case .lognormal(let mean, let sigma):
            let mu = Double.log(mean) - sigma * sigma / 2
            return Self.clamp(Double.exp(mu + sigma * rng.standardNormal()))
        case .empirical(let values, let cumulative):
            return Self.clamp(Self.inverseCDF(values: values, cumulative: cumulative, at: rng.unitInterval()))
        }
    }

    /// The analytic mean in tokens, before rounding and clamping.
    public var mean: Double {
        switch self {
        case .fixed(let tokens):
            return Double(tokens)
        case .uniform(let low, let high):
            return (Double(low) + Double(high)) / 2
        case .normal(let mean, _), .lognormal(let mean, _):
            return mean
        case .empirical(let values, let cumulative):
            guard let first = values.first, let firstCumulative = cumulative.first else { return .nan }
            var total = first * firstCumulative
            for index in 1..<Swift.min(values.count, cumulative.count) {
                total += (cumulative[index] - cumulative[index - 1]) * (values[index - 1] + values[index]) / 2
            }
            return total
        }
    }

    /// Checks the parameters.
    /// - Parameter field: the name the error reports, such as `input` or `output`.
    /// - Returns: the distribution unchanged.
    /// - Throws: ``HeadroomError`` `.invalidInput` naming `field` when a parameter is non-positive, not finite, an
    ///   empirical table is not a valid CDF, or the mean is over ``InputLimits/tokensPerRequest``.
    public func validated(field: String) throws(HeadroomError) -> LengthDistribution {
        func fail(_ message: String) -> HeadroomError {
            HeadroomError(.invalidInput, "\(field): \(message)", field: field)
        }
        switch self {
        case .fixed(let tokens):
            guard tokens >= 1 else { throw fail("a fixed length must be at least 1 token, got \(tokens)") }
        case .uniform(let low, let high):
            guard low >= 1 else { throw fail("a uniform minimum must be at least 1 token, got \(low)") }
            guard high >= low else { throw fail("a uniform maximum (\(high)) must not be below its minimum (\(low))") }
        case .normal(let mean, let stddev):
            guard mean.isFinite, mean > 0 else { throw fail("a normal mean must be positive, got \(mean)") }
            guard stddev.isFinite, stddev >= 0 else {
                throw fail("a normal standard deviation must be zero or positive, got \(stddev)")
            }
        case .lognormal(let mean, let sigma):
            guard mean.isFinite, mean > 0 else { throw fail("a lognormal mean must be positive, got \(mean)") }
            guard sigma.isFinite, sigma >= 0, sigma <= 10 else {
                throw fail("a lognormal sigma must be between 0 and 10, got \(sigma)")
            }
        case .empirical(let values, let cumulative):
            guard !values.isEmpty else { throw fail("an empirical distribution needs at least one point") }
            guard values.count == cumulative.count else {
                throw fail(
                    "empirical: \(values.count) values need \(values.count) cumulative probabilities, got \(cumulative.count)"
                )
            }
            for (index, value) in values.enumerated() {
                guard value.isFinite, value >= 0 else {
                    throw fail("empirical value \(index + 1) must be a finite length of zero or more, got \(value)")
                }
                if index > 0, value < values[index - 1] {
                    throw fail(
                        "empirical values must not decrease: value \(index + 1) (\(value)) < \(values[index - 1])"
                    )
                }
            }
            for (index, probability) in cumulative.enumerated() {
                guard probability.isFinite, probability >= 0, probability <= 1 else {
                    throw fail("empirical cumulative probability \(index + 1) must lie in 0...1, got \(probability)")
                }
                if index > 0, probability <= cumulative[index - 1] {
                    throw fail(
                        "empirical probabilities must increase: \(probability) after \(cumulative[index - 1])"
                    )
                }
            }
            guard let last = cumulative.last, abs(last - 1) <= 1e-9 else {
                throw fail("empirical cumulative probabilities must end at 1, got \(cumulative.last ?? .nan)")
            }
        }
        let upper = InputLimits.tokensPerRequest.upperBound
        guard mean.isFinite, mean <= upper else {
            throw fail("the mean length must be at most \(InputLimits.describe(upper)) tokens, got \(mean)")
        }
        return self
    }

    /// The quantile at probability `u` of the piecewise-linear CDF through (`values[i]`, `cumulative[i]`).
    static func inverseCDF(values: [Double], cumulative: [Double], at u: Double) -> Double {
        let count = Swift.min(values.count, cumulative.count)
        guard count > 0 else { return Double(minimum) }
        if u <= cumulative[0] { return values[0] }
        // The first index whose cumulative probability reaches u.
        var low = 1
        var high = count - 1
        guard u < cumulative[high] else { return values[high] }
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < u { low = middle + 1 } else { high = middle }
        }
        let width = cumulative[low] - cumulative[low - 1]
        let fraction = width > 0 ? (u - cumulative[low - 1]) / width : 1
        return values[low - 1] + fraction * (values[low] - values[low - 1])
    }

    private static func clamp(_ tokens: Int) -> Int {
        Swift.min(Swift.max(tokens, minimum), maximum)
    }

    private static func clamp(_ tokens: Double) -> Int {
        guard !tokens.isNaN else { return minimum }
        return Int(saturating: Swift.min(Swift.max(tokens.rounded(), Double(minimum)), Double(maximum)))
    }
}
