import RealModule

/// When requests arrive: a renewal process whose gaps between arrivals are independent draws.
///
/// `rate` is the mean arrival rate in requests per second before any ``RateProfile`` multiplier.
public enum ArrivalProcess: Sendable, Hashable {
    /// Exponential gaps: the memoryless open-loop traffic of many independent users.
    case poisson(rate: Double)
    /// Equal gaps of `1 / rate`: a paced load generator.
    case constant(rate: Double)
    /// Gamma-distributed gaps with coefficient of variation `cv` (standard deviation over mean of the gaps):
    /// `cv = 1` is Poisson, `cv < 1` smoother, `cv > 1` burstier. Shape `k = 1/cv²`, scale `1/(rate·k)`.
    case gamma(rate: Double, cv: Double)

    /// The mean arrival rate in requests per second.
    public var rate: Double {
        switch self {
        case .poisson(let rate), .constant(let rate), .gamma(let rate, _): rate
        }
    }

    /// The coefficient of variation of the gaps: 1 for Poisson, 0 for constant.
    public var cv: Double {
        switch self {
        case .poisson: 1
        case .constant: 0
        case .gamma(_, let cv): cv
        }
    }

    /// Draws the gap before the next arrival, in seconds.
    /// - Complexity: O(1) expected (the gamma sampler rejects a small fraction of its draws).
    public func interarrival(using rng: inout some RandomNumberGenerator) -> Double {
        switch self {
        case .poisson(let rate):
            return -Double.log(rng.openUnitInterval()) / rate
        case .constant(let rate):
            return 1 / rate
        case .gamma(let rate, let cv):
            let shape = 1 / (cv * cv)
            return rng.gamma(shape: shape) / (rate * shape)
        }
    }

    /// Checks the parameters.
    /// - Parameter field: the name the error reports for the rate; the burstiness is reported as `burstiness`.
    /// - Returns: the process unchanged.
    /// - Throws: ``HeadroomError`` `.invalidInput` when the rate is not a finite number of at least
    ///   ``InputLimits/requestRate``'s lower bound, or `cv` is not in ``InputLimits/burstiness``.
    public func validated(field: String = "rate") throws(HeadroomError) -> ArrivalProcess {
        let rate = self.rate
        guard rate.isFinite, rate > 0 else {
            throw HeadroomError(.invalidInput, "\(field): the arrival rate must be positive, got \(rate)", field: field)
        }
        // Slower than this, a simulation would span ages of simulated time (and a gap can overflow to infinity).
        // The upper bound is the surfaces' to check: an offline batch arrives at 10^12 req/s by construction.
        let slowest = InputLimits.requestRate.lowerBound
        guard rate >= slowest else {
            throw HeadroomError(
                .invalidInput,
                "\(field): the arrival rate must be at least \(InputLimits.describe(slowest)) req/s, got \(rate)",
                field: field)
        }
        if case .gamma(_, let cv) = self {
            // Beyond cv = 100 the gamma shape (1e-4) underflows most gaps to zero; below 0.001 the shape (10^6)
            // overflows the sampler.
            guard cv.isFinite, cv >= InputLimits.burstiness.lowerBound, cv <= InputLimits.burstiness.upperBound else {
                throw HeadroomError(
                    .invalidInput, "burstiness: the gap coefficient of variation must be in [0.001, 100], got \(cv)",
                    field: "burstiness"
                )
            }
        }
        return self
    }
}
