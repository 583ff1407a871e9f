/// A step change of a ``RateProfile``: from `at` seconds on, the rate is multiplied by `multiplier`.
public struct RateStep: Sendable, Hashable {
    /// Seconds from the start of the workload.
    public var at: Double
    /// The factor from then on (0 pauses arrivals).
    public var multiplier: Double

    public init(at: Double, multiplier: Double) {
        self.at = at
        self.multiplier = multiplier
    }
}

/// A time-varying multiplier of an ``ArrivalProcess``'s rate: a repeating daily or weekly shape times step changes.
///
/// The multiplier at time `t` is `hourly[hour(t) mod hourly.count] × step(t)`, where `step(t)` is the multiplier of
/// the latest step with `at ≤ t` (1 before the first step; among steps at the same time the last listed wins).
///
/// ``WorkloadGenerator`` applies it by **time rescaling**, not thinning: it draws the base process in operational
/// time τ and maps each arrival to the wall time t with `Λ(t) = ∫₀ᵗ m(s) ds = τ`. For Poisson arrivals this is
/// exactly the non-homogeneous Poisson process of rate `rate · m(t)`; for constant and gamma arrivals it keeps the
/// gaps' shape (pacing, burstiness) while the rate follows the profile, which thinning would not (thinning a paced
/// or bursty process drifts it toward Poisson).
public struct RateProfile: Sendable, Hashable {
    /// 24 multipliers (one day) or 168 (a week, Monday 00:00 first), repeating; empty means a flat 1.
    public var hourly: [Double]
    /// The length of one profile hour in simulated seconds: 3600, or less to compress a day into a short run.
    public var hourSeconds: Double
    /// Step changes, in any order.
    public var steps: [RateStep]

    public init(hourly: [Double] = [], hourSeconds: Double = 3600, steps: [RateStep] = []) {
        self.hourly = hourly
        self.hourSeconds = hourSeconds
        self.steps = steps
    }

    /// The most profile hours a step may lie after the start (a bound on the generator's walk to it).
    public static let maxHoursBeforeLastStep = 1_000_000.0

    /// A profile that leaves the rate unchanged.
    public static let flat = RateProfile()

    /// The rate multiplier in force at `time` seconds.
    public func multiplier(at time: Double) -> Double {
        hourlyMultiplier(at: time) * stepMultiplier(at: time)
    }

    /// The largest multiplier the profile reaches at or after time 0.
    public var peak: Double {
        let hourlyPeak = hourly.max() ?? 1
        let order = sortedSteps
        var stepPeak = (order.first.map { $0.at > 0 } ?? true) ? 1.0 : 0.0
        for (index, step) in order.enumerated() {
            let end = index + 1 < order.count ? order[index + 1].at : .infinity
            if end > step.at, end > 0 { stepPeak = max(stepPeak, step.multiplier) }
        }
        return hourlyPeak * stepPeak
    }

    /// Checks the profile.
    /// - Parameter field: the name the error reports.
    /// - Returns: the profile unchanged.
    /// - Throws: ``HeadroomError`` `.invalidInput` when `hourly` has neither 0, 24 nor 168 entries, a multiplier is
    ///   negative or not finite, `hourSeconds` is not positive, or the rate stays zero forever (no request could
    ///   ever arrive).
    public func validated(field: String = "profile") throws(HeadroomError) -> RateProfile {
        func fail(_ message: String) -> HeadroomError {
            HeadroomError(.invalidInput, "\(field): \(message)", field: field)
        }
        guard [0, 24, 168].contains(hourly.count) else {
            throw fail("an hourly profile needs 24 (a day) or 168 (a week) multipliers, got \(hourly.count)")
        }
        for (hour, value) in hourly.enumerated() where !(value.isFinite && value >= 0) {
            throw fail("hourly multiplier \(hour) must be zero or positive, got \(value)")
        }
        if !hourly.isEmpty, hourly.allSatisfy({ $0 == 0 }) {
            throw fail("every hourly multiplier is zero, so no request would ever arrive")
        }
        guard hourSeconds.isFinite, hourSeconds > 0 else {
            throw fail("the profile hour must last a positive number of seconds, got \(hourSeconds)")
        }
        // The generator walks the profile hour by hour up to the last step: keep that walk bounded.
        let hoursBeforeLastStep = (steps.map(\.at).max() ?? 0) / hourSeconds
        if !hourly.isEmpty, hoursBeforeLastStep > Self.maxHoursBeforeLastStep {
            throw fail(
                "the last step lies \(InputLimits.describe(hoursBeforeLastStep.rounded(.up))) profile hours in; "
                    + "at most \(InputLimits.describe(Self.maxHoursBeforeLastStep)) hours")
        }
        for step in steps {
            guard step.at.isFinite else { throw fail("a step time must be finite, got \(step.at)") }
            guard step.multiplier.isFinite, step.multiplier >= 0 else {
                throw fail("the step at \(step.at) s must have a multiplier of zero or more, got \(step.multiplier)")
            }
        }
        if let last = sortedSteps.last, last.multiplier == 0 {
            throw fail("the rate is zero from \(last.at) s on, so the workload would never finish arriving")
        }
        return self
    }

    /// How the profile repeats once its steps are over: from `start` on, every `period` seconds carry `operational`
    /// seconds of operational time (the multipliers' integral over one period). Nil when the profile has no hourly
    /// shape (then its last piece never ends) or the integral is not a positive finite number.
    var repetition: (start: Double, period: Double, operational: Double)? {
        guard !hourly.isEmpty else { return nil }
        let start = Swift.max(steps.map(\.at).max() ?? 0, 0)
        let period = Double(hourly.count) * hourSeconds
        let operational = hourly.reduce(0, +) * hourSeconds * stepMultiplier(at: start)
        guard period.isFinite, period > 0, operational.isFinite, operational > 0 else { return nil }
        return (start, period, operational)
    }

    /// The piece of constant multiplier that starts at `time`: where it ends (`.infinity` when it never does) and
    /// its multiplier.
    func segment(from time: Double) -> (end: Double, multiplier: Double) {
        var end = Double.infinity
        if !hourly.isEmpty {
            let hour = (time / hourSeconds).rounded(.down)
            end = (hour + 1) * hourSeconds
            if end <= time { end = (hour + 2) * hourSeconds }
        }
        for step in steps where step.at > time { end = min(end, step.at) }
        // Evaluate inside the piece, away from its edges, so rounding at a boundary cannot pick the neighbour.
        let probe = end.isFinite ? time + (end - time) / 2 : time
        return (end, multiplier(at: probe))
    }

    private func hourlyMultiplier(at time: Double) -> Double {
        guard !hourly.isEmpty, time.isFinite else { return hourly.isEmpty ? 1 : 0 }
        let hour = (time / hourSeconds).rounded(.down)
        let count = Double(hourly.count)
        var index = hour - (hour / count).rounded(.down) * count
        if index < 0 || index >= count { index = 0 }
        return hourly[Int(saturating: index)]
    }

    private func stepMultiplier(at time: Double) -> Double {
        var chosen: RateStep?
        for step in steps where step.at <= time {
            if let current = chosen, current.at > step.at { continue }
            chosen = step
        }
        return chosen?.multiplier ?? 1
    }

    /// Steps by time; among equal times the last listed comes last, matching ``multiplier(at:)``.
    private var sortedSteps: [RateStep] {
        steps.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }
}
