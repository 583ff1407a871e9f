public import HeadroomCore

/// What one request sends: a completion prompt or chat messages.
public enum BenchPrompt: Sendable, Hashable {
    case text(String)
    /// (role, content) pairs.
    case messages([ChatMessage])

    public struct ChatMessage: Sendable, Hashable, Codable {
        public var role: String
        public var content: String

        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    /// All the text the prompt carries, for length estimates.
    public var text: String {
        switch self {
        case .text(let text): text
        case .messages(let messages): messages.map(\.content).joined(separator: "\n")
        }
    }
}

/// One request of a run, decided before the run starts so that nothing is computed on the send path.
public struct PlannedRequest: Sendable, Hashable {
    public var index: Int
    /// Seconds after the run's start at which to send it (open loop); nil in a closed loop.
    public var intendedSeconds: Double?
    public var prompt: BenchPrompt
    /// Prompt tokens as sized (by the server's `/tokenize`, or estimated: see ``BenchDataset``).
    public var inputTokens: Int
    /// `max_tokens` to ask for.
    public var outputTokens: Int
    public var warmup: Bool

    public init(
        index: Int, intendedSeconds: Double?, prompt: BenchPrompt, inputTokens: Int, outputTokens: Int,
        warmup: Bool = false
    ) {
        self.index = index
        self.intendedSeconds = intendedSeconds
        self.prompt = prompt
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.warmup = warmup
    }
}

/// How requests are offered.
public enum BenchLoadPattern: Sendable, Hashable {
    /// `clients` closed-loop clients, each sending its next request when the previous one ends.
    case concurrency(Int)
    /// Open loop at the arrival process's rate (constant, Poisson or gamma).
    case arrivals(ArrivalProcess)
    /// Open loop whose rate rises linearly from `from` to `to` requests/s over the run; gaps Poisson (cv 1) or
    /// gamma-shaped (`cv`), or paced (cv 0).
    case ramp(from: Double, to: Double, cv: Double)
    /// Arrival times from a trace, replayed as recorded (scaled by `speed`).
    case trace(times: [Double], speed: Double)

    /// The `mode` string written into results.
    public var mode: String {
        switch self {
        case .concurrency: "concurrency"
        case .arrivals(.constant): "constant"
        case .arrivals(.poisson): "poisson"
        case .arrivals(.gamma): "gamma"
        case .ramp: "ramp"
        case .trace: "trace"
        }
    }

    /// Send times (seconds after the start) for `count` requests, or nil for a closed loop.
    ///
    /// A ramp is an arrival process whose rate follows a ``RateProfile`` of 32 equal steps from `from` to `to`
    /// (the generator's time rescaling keeps the gaps' shape while the rate climbs).
    /// - Throws: ``HeadroomError`` naming the invalid field.
    public func sendTimes(count: Int, seed: UInt64) throws(HeadroomError) -> [Double]? {
        switch self {
        case .concurrency(let clients):
            guard clients >= 1 else {
                throw HeadroomError(
                    .invalidInput, "concurrency must be at least 1, got \(clients)", field: "concurrency")
            }
            return nil
        case .arrivals(let process):
            return try Self.times(process: process, profile: RateProfile(), count: count, seed: seed)
        case .ramp(let from, let to, let cv):
            guard from.isFinite, to.isFinite, from > 0, to > 0 else {
                throw HeadroomError(
                    .invalidInput, "ramp rates must be positive, got \(from) → \(to)", field: "ramp-from")
            }
            let duration = 2 * Double(count) / (from + to)
            let pieces = 32
            let steps = (0..<pieces).map { k in
                let rate = from + (to - from) * (Double(k) + 0.5) / Double(pieces)
                return RateStep(at: duration * Double(k) / Double(pieces), multiplier: rate / to)
            }
            let process: ArrivalProcess =
                cv == 0 ? .constant(rate: to) : cv == 1 ? .poisson(rate: to) : .gamma(rate: to, cv: cv)
            return try Self.times(process: process, profile: RateProfile(steps: steps), count: count, seed: seed)
        case .trace(let times, let speed):
            guard speed.isFinite, speed > 0 else {
                throw HeadroomError(.invalidInput, "trace speed must be positive, got \(speed)", field: "trace-speed")
            }
            let first = times.first ?? 0
            return times.prefix(count).map { ($0 - first) / speed }
        }
    }

    private static func times(
        process: ArrivalProcess, profile: RateProfile, count: Int, seed: UInt64
    ) throws(HeadroomError) -> [Double] {
        var generator = try WorkloadGenerator(
            arrival: process, profile: profile, input: .fixed(1), output: .fixed(1), count: max(count, 1), seed: seed)
        var times: [Double] = []
        times.reserveCapacity(count)
        while times.count < count, let request = generator.next() { times.append(request.arrival) }
        // The generator's first arrival comes one gap in; a benchmark starts sending at once.
        let first = times.first ?? 0
        return times.map { $0 - first }
    }
}
