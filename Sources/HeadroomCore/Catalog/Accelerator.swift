/// One accelerator part with its sourced specifications.
public struct Accelerator: Sendable, Hashable, Codable, Identifiable {
    /// A link between accelerators: a scale-up fabric (NVLink, XGMI, ICI) or scale-out NICs.
    public struct Link: Sendable, Hashable, Codable {
        public var name: String
        /// Bandwidth per accelerator per direction, GB/s (1e9 B/s).
        public var bandwidthGBps: Double
        /// Accelerators that share this fabric (scale-up only).
        public var domainSize: Int?

        public init(name: String, bandwidthGBps: Double, domainSize: Int? = nil) {
            self.name = name
            self.bandwidthGBps = bandwidthGBps
            self.domainSize = domainSize
        }
    }

    public var id: String
    public var name: String
    public var vendor: String
    public var aliases: [String]
    /// Memory capacity in GiB as the vendor states it (HBM capacities are binary).
    public var memoryGiB: Double
    public var memoryType: String?
    /// Peak memory bandwidth, GB/s.
    public var memoryBandwidthGBps: Double
    /// Dense peak throughput by compute format, TFLOP/s (TOP/s for int8).
    public var tflops: [Precision: Double]
    /// Formats the part serves.
    public var precisions: [Precision]
    public var scaleUp: Link?
    public var scaleOut: Link?
    public var tdpWatts: Double?
    public var formFactor: String?
    public var cooling: String?
    /// Accelerators per server or host.
    public var nodeSize: Int?
    /// Measured maximum achievable matmul throughput by format, TFLOP/s (stas00's MAMF table), where published.
    public var measuredMatmulTFLOPS: [Precision: Double] = [:]
    public var provenance: Provenance

    public init(
        id: String, name: String, vendor: String, aliases: [String] = [], memoryGiB: Double,
        memoryType: String? = nil, memoryBandwidthGBps: Double, tflops: [Precision: Double],
        precisions: [Precision], scaleUp: Link? = nil, scaleOut: Link? = nil, tdpWatts: Double? = nil,
        formFactor: String? = nil, cooling: String? = nil, nodeSize: Int? = nil, provenance: Provenance
    ) {
        self.id = id
        self.name = name
        self.vendor = vendor
        self.aliases = aliases
        self.memoryGiB = memoryGiB
        self.memoryType = memoryType
        self.memoryBandwidthGBps = memoryBandwidthGBps
        self.tflops = tflops
        self.precisions = precisions
        self.scaleUp = scaleUp
        self.scaleOut = scaleOut
        self.tdpWatts = tdpWatts
        self.formFactor = formFactor
        self.cooling = cooling
        self.nodeSize = nodeSize
        self.provenance = provenance
    }

    /// Memory capacity in bytes.
    public var memoryBytes: Double { memoryGiB * 1_073_741_824 }

    /// Whether the part can hold weights in `precision`.
    public func supports(_ precision: Precision) -> Bool {
        precisions.contains(precision)
    }

    /// Whether weights stored in `precision` run weight-only on this part: dequantised to a wider format for the
    /// matrix products because the part has no matrix units for the narrow one (FP4 on Hopper, FP8 on Ampere, INT4 AWQ
    /// anywhere). Such a deployment saves memory and bandwidth but no compute.
    public func runsWeightOnly(_ precision: Precision) -> Bool {
        guard precision.bits < 16, !precision.isGGUF else { return false }
        let compute = precision.computePrecision
        return compute.bits >= 16 || tflops[compute] == nil
    }

    /// Dense peak FLOP/s for matrix work in `precision`'s compute format.
    ///
    /// A format the matrix units lack runs at the next wider one the part has (FP8 on A100 runs at FP16), which is how
    /// weight-only kernels (Marlin) behave.
    public func peakFLOPS(for precision: Precision) -> Double? {
        let order: [Precision]
        switch precision.computePrecision {
        case .fp4, .mxfp4: order = [.fp4, .bf16, .fp16]  // without FP4 units, weight-only kernels compute in 16-bit
        case .fp6: order = [.fp6, .fp8, .bf16, .fp16]
        case .fp8: order = [.fp8, .bf16, .fp16]
        case .int8: order = [.int8, .fp8, .bf16, .fp16]
        case .fp32: order = [.fp32, .bf16, .fp16]
        default: order = [.bf16, .fp16]
        }
        for format in order {
            if let value = tflops[format] { return value * 1e12 }
        }
        return nil
    }

    /// Measured achievable matmul throughput as a fraction of the dense peak (bf16 where the format has no figure).
    public var matmulEfficiency: Double? {
        for format in [Precision.bf16, .fp8] {
            if let measured = measuredMatmulTFLOPS[format], let peak = tflops[format], peak > 0 {
                return measured / peak
            }
        }
        return nil
    }

    /// Whether the catalog lists any link between accelerators of this part.
    public var hasInterconnect: Bool { scaleUp != nil || scaleOut != nil }

    /// Bytes per second per direction between `span` accelerators: the scale-up fabric while they fit in its domain,
    /// the scale-out NICs beyond (or the only link listed). Zero for a part with no link in the catalog, which
    /// ``Deployment`` and the training planner refuse to spread over more than one accelerator.
    public func linkBandwidth(span: Int) -> Double {
        if let up = scaleUp, span <= (up.domainSize ?? 1) { return up.bandwidthGBps * 1e9 }
        return ((scaleOut ?? scaleUp)?.bandwidthGBps ?? 0) * 1e9
    }

    /// Bytes per second per direction off the node: the scale-out NICs, or the scale-up fabric when none is listed.
    public var scaleOutBandwidth: Double { ((scaleOut ?? scaleUp)?.bandwidthGBps ?? 0) * 1e9 }

    /// Peak memory bandwidth in bytes per second.
    public var memoryBandwidth: Double { memoryBandwidthGBps * 1e9 }
}
