import RealModule

/// The rate sweep's search for the highest request rate that meets an SLO, as a bisection state machine.
///
/// Ask ``nextRate()`` for a rate, run a step at it, and ``record(rate:attained:of:)`` how many of its requests met the
/// SLO; repeat until ``nextRate()`` returns nil, then read ``best``. A step passes when the Wilson score lower bound
/// on its attainment, at the search's confidence, reaches the attainment target, so a handful of lucky requests
/// cannot pass a step.
///
/// Order: `high` first (if it passes the search ends: the highest rate allowed meets the SLO), then `low` (if it
/// fails the search ends with ``best`` nil: no rate in range meets it), then the midpoint of the highest passing and
/// lowest failing rate above it, until they are within `tolerance` of the passing rate or `maxSteps` steps ran.
/// The search assumes attainment falls as the rate rises; a pass above a failure (noise) moves the passing bound up
/// and the failing bound becomes the lowest failure above it.
public struct SweepSearch: Sendable, Hashable {
    /// One step recorded.
    public struct Step: Sendable, Hashable {
        public var rate: Double
        public var attained: Int
        public var trials: Int
        public var lowerBound: Double
        public var passed: Bool
    }

    public let low: Double
    public let high: Double
    /// Relative width at which bisection stops: (failing − passing) ≤ tolerance · passing.
    public let tolerance: Double
    public let maxSteps: Int
    /// Two-sided confidence of the Wilson interval, e.g. 0.95.
    public let confidence: Double
    /// The fraction of requests that must meet the SLO (``BenchSLO/attainment``).
    public let attainmentTarget: Double
    /// Steps in the order recorded.
    public private(set) var steps: [Step] = []

    /// - Parameters:
    ///   - low: The lowest rate to consider, requests per second (> 0).
    ///   - high: The highest rate to consider (≥ `low`).
    ///   - tolerance: Relative precision to stop at, e.g. 0.05.
    ///   - maxSteps: The most steps to run.
    ///   - confidence: Confidence of the attainment lower bound, 0.8…0.999.
    ///   - attainmentTarget: The SLO's attainment, e.g. 0.99.
    public init(
        low: Double, high: Double, tolerance: Double = 0.05, maxSteps: Int = 8, confidence: Double = 0.95,
        attainmentTarget: Double
    ) {
        let low = low.isFinite && low > 0 ? low : 0.01
        self.low = low
        self.high = high.isFinite ? Swift.max(high, low) : low
        self.tolerance = tolerance.isFinite && tolerance > 0 ? tolerance : 0.05
        self.maxSteps = Swift.max(1, maxSteps)
        self.confidence = confidence
        self.attainmentTarget = attainmentTarget
    }

    /// The highest passing rate so far.
    public var best: Double? {
        steps.filter(\.passed).map(\.rate).max()
    }

    /// The lowest failing rate above ``best`` (above nothing when none passed).
    public var ceiling: Double? {
        let floor = best ?? -Double.infinity
        return steps.filter { !$0.passed && $0.rate > floor }.map(\.rate).min()
    }

    /// Whether the search has ended.
    public var isFinished: Bool { nextRate() == nil }

    /// The rate to try next, or nil when the search has ended.
    public func nextRate() -> Double? {
        guard steps.count < maxSteps else { return nil }
        guard !steps.isEmpty else { return high }
        guard let ceiling else { return nil }  // Every failure lies below a pass: `best` is the answer.
        guard let best else {
            // Nothing passed yet: try the bottom of the range once; if it fails, no rate meets the SLO.
            return steps.contains(where: { $0.rate <= low }) ? nil : low
        }
        if ceiling - best <= tolerance * best { return nil }
        return (best + ceiling) / 2
    }

    /// Records a step's result.
    /// - Parameters:
    ///   - rate: The rate the step ran at.
    ///   - attained: Requests that met the SLO.
    ///   - trials: Requests measured.
    /// - Returns: The recorded step (with its lower bound and verdict).
    @discardableResult
    public mutating func record(rate: Double, attained: Int, of trials: Int) -> Step {
        let bound = Self.wilsonLowerBound(successes: attained, trials: trials, confidence: confidence)
        let step = Step(
            rate: rate, attained: attained, trials: trials, lowerBound: bound,
            passed: trials > 0 && bound >= attainmentTarget
        )
        steps.append(step)
        return step
    }

    /// The lower end of the Wilson score interval for a binomial proportion.
    ///
    /// `(p̂ + z²/2n − z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)` with `z` the two-sided normal quantile
    /// `Φ⁻¹(1 − (1 − confidence)/2)` (1.959964 at 0.95). E.g. 9 of 10 at 0.95 gives 0.5958.
    /// - Returns: The bound in 0…1; 0 when there are no trials or no successes.
    public static func wilsonLowerBound(successes: Int, trials: Int, confidence: Double) -> Double {
        guard trials > 0, successes > 0 else { return 0 }
        let n = Double(trials)
        let p = Double(Swift.min(successes, trials)) / n
        let z = normalQuantile(1 - (1 - Swift.min(Swift.max(confidence, 0.5), 0.999_999)) / 2)
        let z2 = z * z
        let centre = p + z2 / (2 * n)
        let spread = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        let bound = (centre - spread) / (1 + z2 / n)
        return Swift.min(Swift.max(bound, 0), 1)
    }

    /// The standard normal quantile Φ⁻¹(p) for 0 < p < 1.
    ///
    /// Peter J. Acklam's rational approximation ("An algorithm for computing the inverse normal cumulative
    /// distribution function", 2003; relative error below 1.15 × 10⁻⁹ over the whole range), which is ample for
    /// confidence levels 0.8…0.999.
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1")
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00,
        ]
        let b = [
            -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01,
        ]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00,
        ]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let lowTail = 0.02425
        if p < lowTail {
            let q = (-2 * Double.log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - lowTail {
            let q = (-2 * Double.log(onePlus: -p)).squareRoot()
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let q = p - 0.5
        let r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
