/// A deterministic stream of requests in arrival order, drawn lazily one at a time.
///
/// Nothing is materialised: the state is a few numbers and four random streams, so a million-request workload
/// streams in constant memory. Arrivals, input lengths, output lengths and prefixes each draw from their own stream
/// of the seed, so changing (say) the arrival rate replays the same lengths — common random numbers for comparing
/// two scenarios.
///
/// ```swift
/// var workload = try WorkloadGenerator(
///     arrival: .poisson(rate: 5), input: .lognormal(mean: 1000, sigma: 1), output: .fixed(200),
///     count: 10_000, seed: 42)
/// while let request = workload.next() { … }
/// ```
public struct WorkloadGenerator: Sendable {
    public let arrival: ArrivalProcess
    public let profile: RateProfile
    public let input: LengthDistribution
    public let output: LengthDistribution
    public let prefix: PrefixSharing
    /// How many requests the stream yields.
    public let count: Int
    public let seed: UInt64
    /// How many requests have been yielded so far.
    public private(set) var generated = 0

    private var arrivalRNG: SeededGenerator
    private var inputRNG: SeededGenerator
    private var outputRNG: SeededGenerator
    private var prefixRNG: SeededGenerator
    /// Operational time: the base process's clock, before the profile stretches it.
    private var operationalTime = 0.0
    /// The start of the profile piece that holds the last arrival, and the operational time reached there.
    private var pieceStart = 0.0
    private var pieceOperationalStart = 0.0
    /// How the profile repeats after its last step (nil for a flat one).
    private var repetition: (start: Double, period: Double, operational: Double)?

    /// Creates the stream.
    /// - Parameters:
    ///   - arrival: the base arrival process.
    ///   - profile: the time-varying multiplier of its rate (applied by time rescaling; see ``RateProfile``).
    ///   - input: prompt lengths.
    ///   - output: generated lengths.
    ///   - prefix: how prompts share cached prefixes.
    ///   - count: how many requests to yield, at least 1.
    ///   - seed: the seed every draw derives from.
    /// - Throws: ``HeadroomError`` `.invalidInput` naming the field of the first invalid parameter.
    public init(
        arrival: ArrivalProcess, profile: RateProfile = RateProfile(), input: LengthDistribution,
        output: LengthDistribution, prefix: PrefixSharing = .none, count: Int, seed: UInt64
    ) throws(HeadroomError) {
        guard count >= 1 else {
            throw HeadroomError(
                .invalidInput, "requests: the workload needs at least 1 request, got \(count)", field: "requests")
        }
        self.arrival = try arrival.validated()
        self.profile = try profile.validated()
        repetition = self.profile.repetition
        self.input = try input.validated(field: "input")
        self.output = try output.validated(field: "output")
        self.prefix = try prefix.validated()
        self.count = count
        self.seed = seed
        arrivalRNG = SeededGenerator(seed: seed, stream: 0)
        inputRNG = SeededGenerator(seed: seed, stream: 1)
        outputRNG = SeededGenerator(seed: seed, stream: 2)
        prefixRNG = SeededGenerator(seed: seed, stream: 3)
    }

    /// The next request, or nil once `count` requests have been yielded.
    /// - Complexity: O(1) amortised; crossing profile hours or steps costs O(steps) each.
    public mutating func next() -> SimRequest? {
        guard generated < count else { return nil }
        generated += 1
        operationalTime += arrival.interarrival(using: &arrivalRNG)
        let time = wallTime(forOperational: operationalTime)
        let inputTokens = input.sample(using: &inputRNG)
        let outputTokens = output.sample(using: &outputRNG)
        let shared = prefix.sample(inputTokens: inputTokens, using: &prefixRNG)
        return SimRequest(
            arrival: time, inputTokens: inputTokens, outputTokens: outputTokens, prefixID: shared.id,
            prefixTokens: shared.tokens
        )
    }

    /// Inverts `Λ(t) = ∫₀ᵗ m(s) ds` by walking forward over the profile's constant pieces from the last arrival.
    ///
    /// Far ahead of the last arrival (over 64 repetitions of a daily or weekly profile past its last step), whole
    /// repetitions are skipped at once, so the walk costs O(profile) however long the gap.
    private mutating func wallTime(forOperational target: Double) -> Double {
        guard target.isFinite else { return .infinity }
        while true {
            if let cycle = repetition, pieceStart >= cycle.start {
                let periods = ((target - pieceOperationalStart) / cycle.operational).rounded(.down) - 1
                if periods >= 64 {
                    pieceStart += periods * cycle.period
                    pieceOperationalStart += periods * cycle.operational
                }
            }
            let piece = profile.segment(from: pieceStart)
            if piece.multiplier > 0 {
                let reach = pieceOperationalStart + piece.multiplier * (piece.end - pieceStart)
                if target <= reach || !piece.end.isFinite {
                    return pieceStart + (target - pieceOperationalStart) / piece.multiplier
                }
                pieceOperationalStart = reach
            }
            pieceStart = piece.end
        }
    }
}

extension WorkloadGenerator: Sequence, IteratorProtocol {}
