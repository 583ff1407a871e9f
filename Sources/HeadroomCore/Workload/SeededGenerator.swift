/// A seedable pseudo-random generator: xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64.
///
/// The same seed gives the same sequence on every platform and every run, so a simulation replays exactly from its
/// seed. It is fast and statistically strong, but not cryptographically secure.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose state is four consecutive SplitMix64 outputs from `seed`, as the xoshiro authors
    /// recommend; every seed, zero included, gives a valid non-zero state.
    public init(seed: UInt64) {
        var splitMix = seed
        s0 = Self.splitMix64(&splitMix)
        s1 = Self.splitMix64(&splitMix)
        s2 = Self.splitMix64(&splitMix)
        s3 = Self.splitMix64(&splitMix)
    }

    /// A generator for one independent stream of a seed: the workload generator gives arrivals, input lengths,
    /// output lengths and prefixes a stream each, so changing one distribution leaves the others' draws unchanged.
    init(seed: UInt64, stream: UInt64) {
        var mixer = stream &+ 1
        self.init(seed: seed ^ Self.splitMix64(&mixer))
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let shifted = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= shifted
        s3 = s3.rotatedLeft(by: 45)
        return result
    }

    /// One SplitMix64 step (Steele, Lea and Flood, 2014): advances `state` and returns its mixed output.
    static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}
