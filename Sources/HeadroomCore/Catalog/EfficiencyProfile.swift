/// Fitted constants that turn roofline bounds into predicted times for one stack on a set of accelerators.
///
/// Each profile names the calibration rows it was fitted on; an estimate reports which profile it used and whether
/// that profile was fitted on the same accelerator or borrowed.
public struct EfficiencyProfile: Sendable, Hashable, Codable {
    /// Stack id, or `*` for any.
    public var stack: String
    /// Accelerator ids this profile was fitted for (`*` for any).
    public var accelerators: [String]
    /// Fraction of dense peak FLOP/s that GEMMs reach.
    public var compute: Double
    /// Fraction of dense peak FLOP/s that attention kernels reach.
    public var attentionCompute: Double
    /// Fraction of peak memory bandwidth reached streaming weights and KV cache.
    public var memory: Double
    /// How much of the smaller of compute and memory time hides under the larger: 1 = perfect overlap (pure
    /// roofline max), 0 = none (sum).
    public var overlap: Double
    /// Fraction of link bandwidth collectives reach.
    public var network: Double
    /// Fixed latency of one collective (all-reduce or all-to-all), microseconds.
    public var collectiveLatencyMicroseconds: Double
    /// Fixed time per engine step: scheduling, sampling, launch (ms).
    public var stepOverheadMilliseconds: Double
    /// Time per sequence in the batch per step: sampling, detokenisation, bookkeeping (µs).
    public var perSequenceOverheadMicroseconds: Double
    /// Time added once to each request's first token: HTTP, tokenisation, queue hand-off (ms).
    public var requestOverheadMilliseconds: Double
    /// Fraction of peak memory bandwidth the routed experts' grouped GEMMs reach streaming expert weights (nil: the
    /// same as ``memory``). Grouped GEMMs over many small per-expert matrices, a few tokens each, stream below a
    /// dense GEMM's rate; fitted on mixture-of-experts rows only.
    public var expertMemory: Double?
    /// Fixed time per mixture-of-experts layer per step, microseconds: routing (gate GEMM, top-k), token
    /// permutation and un-permutation, and the expert kernels' launch and tail that no batch amortises. Fitted on
    /// mixture-of-experts rows only; 0 where none were fitted.
    public var moeLayerOverheadMicroseconds: Double = 0
    /// Fixed time per layer of a step that carries prompt tokens, microseconds: servers replay CUDA graphs for
    /// decode-only batches but run prefill (extend) batches eagerly, launching every kernel of every layer from the
    /// host. 0 where none was fitted.
    public var prefillLayerOverheadMicroseconds: Double = 0
    /// Median absolute percentage errors `headroom validate` measured for this profile on the rows it was fitted
    /// on, per metric group (nil where the profile was not fitted, or a group had no rows).
    public var validatedError: ValidatedError?
    /// Where the two mixture-of-experts constants above come from when they were not fitted with the rest (borrowed
    /// from another profile), for the estimate's notes.
    public var moeProvenance: String?
    /// The accelerator the constants were fitted on, for transfer to parts without their own profile.
    public var referenceAccelerator: String?
    /// The model class the profile applies to (nil: any). A profile fitted on mixture-of-experts rows only, transferred
    /// to other parts, should not set dense models' figures.
    public var modelClass: ModelClass?

    /// Dense or mixture-of-experts.
    public enum ModelClass: String, Sendable, Hashable, Codable {
        case dense
        case moe
    }
    /// Calibration rows the constants were fitted on, and how well they fit.
    public var provenance: Provenance

    public init(
        stack: String, accelerators: [String], compute: Double, attentionCompute: Double, memory: Double,
        overlap: Double, network: Double, collectiveLatencyMicroseconds: Double, stepOverheadMilliseconds: Double,
        perSequenceOverheadMicroseconds: Double, requestOverheadMilliseconds: Double, provenance: Provenance
    ) {
        self.stack = stack
        self.accelerators = accelerators
        self.compute = compute
        self.attentionCompute = attentionCompute
        self.memory = memory
        self.overlap = overlap
        self.network = network
        self.collectiveLatencyMicroseconds = collectiveLatencyMicroseconds
        self.stepOverheadMilliseconds = stepOverheadMilliseconds
        self.perSequenceOverheadMicroseconds = perSequenceOverheadMicroseconds
        self.requestOverheadMilliseconds = requestOverheadMilliseconds
        self.provenance = provenance
    }

    /// Whether the mixture-of-experts constants were set (fitted or given) in this profile.
    public var hasMoEConstants: Bool { expertMemory != nil || moeLayerOverheadMicroseconds > 0 }

    /// How specifically this profile matches a stack and accelerator: 3 exact, 2 stack only, 1 accelerator only,
    /// 0 wildcard, nil no match.
    public func specificity(stack: String, accelerator: String, modelClass: ModelClass? = nil) -> Int? {
        if let mine = self.modelClass, mine != modelClass { return nil }
        let stackExact = self.stack == stack
        let stackMatch = stackExact || self.stack == "*"
        let accExact = accelerators.contains(accelerator)
        let accMatch = accExact || accelerators.contains("*")
        guard stackMatch, accMatch else { return nil }
        switch (stackExact, accExact) {
        case (true, true): return 3
        case (true, false): return 2
        case (false, true): return 1
        case (false, false): return 0
        }
    }
}

/// The validation error of a fitted profile: what a prediction from it may be off by, as measured.
public struct ValidatedError: Sendable, Hashable, Codable {
    /// Median absolute error, as a fraction (0.12 = 12 %), of throughput, TTFT and TPOT predictions.
    public var throughput: Double?
    public var ttft: Double?
    public var tpot: Double?
    /// Rows the medians were taken over.
    public var rows: Int

    public init(throughput: Double?, ttft: Double?, tpot: Double?, rows: Int) {
        self.throughput = throughput
        self.ttft = ttft
        self.tpot = tpot
        self.rows = rows
    }

    /// "throughput 12 %, TTFT 25 %, TPOT 9.1 % (median over 60 rows)".
    public var summary: String {
        let parts = [("throughput", throughput), ("TTFT", ttft), ("TPOT", tpot)].compactMap { name, value in
            value.map { "\(name) \(humanNumber($0 * 100)) %" }
        }
        return parts.joined(separator: ", ") + " (median |error| over \(rows) rows)"
    }
}

/// How an estimate's efficiency constants relate to measurements: fitted for this stack and accelerator, or
/// borrowed from another pair, with the validation error of the profile used.
public struct CalibrationStatus: Sendable, Hashable {
    /// Whether the profile was fitted on this stack and accelerator.
    public var calibrated: Bool
    /// `stack on acc1/acc2` of the profile used.
    public var profile: String
    /// That profile's measured error, where it was fitted.
    public var error: ValidatedError?

    public init(calibrated: Bool, profile: String, error: ValidatedError?) {
        self.calibrated = calibrated
        self.profile = profile
        self.error = error
    }

    /// One line for reports.
    public var summary: String {
        let measured = error.map { "validated median error \($0.summary)" } ?? "no validation error recorded"
        return calibrated
            ? "calibrated: \(profile), \(measured)"
            : "uncalibrated: borrowed from \(profile), whose \(measured)"
    }
}
