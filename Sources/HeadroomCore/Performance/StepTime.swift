/// One operator class's share of a step: the work it does and the time it takes.
public struct OperatorCost: Sendable, Hashable {
    /// Floating-point operations per accelerator.
    public var flops: Double
    /// Bytes moved per accelerator (from memory, or over links for communication).
    public var bytes: Double
    /// Predicted seconds.
    public var seconds: Double

    public init(flops: Double = 0, bytes: Double = 0, seconds: Double = 0) {
        self.flops = flops
        self.bytes = bytes
        self.seconds = seconds
    }

    public static func + (lhs: OperatorCost, rhs: OperatorCost) -> OperatorCost {
        OperatorCost(flops: lhs.flops + rhs.flops, bytes: lhs.bytes + rhs.bytes, seconds: lhs.seconds + rhs.seconds)
    }

    public static func * (lhs: OperatorCost, rhs: Double) -> OperatorCost {
        OperatorCost(flops: lhs.flops * rhs, bytes: lhs.bytes * rhs, seconds: lhs.seconds * rhs)
    }
}

/// A replica step's predicted time, broken down by operator class.
public struct StepTime: Sendable, Hashable {
    /// Dense GEMMs: attention projections, dense MLPs, shared experts, router.
    public var linear = OperatorCost()
    /// Routed-expert GEMMs over the experts the batch touches.
    public var experts = OperatorCost()
    /// Attention: KV reads for decode, causal score/value products for prefill.
    public var attention = OperatorCost()
    /// The output head for sampled sequences.
    public var lmHead = OperatorCost()
    /// Tensor-parallel all-reduce, expert-parallel all-to-all and pipeline hand-offs.
    public var communication = OperatorCost()
    /// Fixed per-step and per-sequence overheads.
    public var overheadSeconds: Double = 0

    public init() {}

    /// Total predicted seconds.
    public var seconds: Double {
        linear.seconds + experts.seconds + attention.seconds + lmHead.seconds + communication.seconds
            + overheadSeconds
    }
}
