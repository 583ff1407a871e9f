/// A numeric format for weights, activations or the KV cache.
public enum Precision: String, Sendable, Hashable, Codable, CodingKeyRepresentable, CaseIterable,
    CustomStringConvertible
{
    case fp32
    case fp16
    case bf16
    case fp8
    case int8
    /// 6-bit floating point with block scales (MXFP6 on Blackwell and MI355X).
    case fp6
    /// 4-bit floating point with block scales (NVFP4 on Blackwell).
    case fp4
    /// OCP microscaling 4-bit floating point (gpt-oss experts ship in it).
    case mxfp4
    /// Weight-only 4-bit integer (AWQ), 16-bit activations.
    case int4AWQ = "int4-awq"
    /// Weight-only 4-bit integer (GPTQ), 16-bit activations.
    case int4GPTQ = "int4-gptq"

    public var description: String { rawValue }

    /// Bytes per stored weight element, including the per-block scale overhead of block-scaled formats.
    ///
    /// Scale overheads: NVFP4 stores one FP8 scale per 16 elements (0.5 + 1/16 B); MXFP4 one E8M0 scale per 32
    /// (0.5 + 1/32 B); AWQ/GPTQ one FP16 scale (and zero) per group of 128 (0.5 + 4/128 B).
    public var bytesPerWeight: Double {
        switch self {
        case .fp32: 4
        case .fp16, .bf16: 2
        case .fp8, .int8: 1
        case .fp6: 0.75 + 1.0 / 32.0
        case .fp4: 0.5 + 1.0 / 16.0
        case .mxfp4: 0.5 + 1.0 / 32.0
        case .int4AWQ, .int4GPTQ: 0.5 + 4.0 / 128.0
        }
    }

    /// The format the matrix units compute in when weights are stored in this precision.
    ///
    /// Weight-only formats dequantise to 16-bit; FP8/INT8/FP4 compute natively where the part supports it.
    public var computePrecision: Precision {
        switch self {
        case .int4AWQ, .int4GPTQ: .fp16
        case .mxfp4: .fp4
        default: self
        }
    }

    /// The default KV-cache format a stack uses with these weights: FP8 checkpoints pair with an FP8 cache in the
    /// calibration rows ("FP8 (weights+KV)"); everything else keeps a 16-bit cache.
    public var defaultKVCachePrecision: Precision {
        switch self {
        case .fp8, .fp4: .fp8
        default: .bf16
        }
    }

    /// Bytes per element when used as a KV-cache or activation format.
    public var bytesPerElement: Double {
        switch self {
        case .fp32: 4
        case .fp16, .bf16: 2
        case .fp8, .int8: 1
        case .fp6: 0.75
        case .fp4, .mxfp4, .int4AWQ, .int4GPTQ: 0.5
        }
    }

    /// Parses the spellings users type (`FP8`, `bf16`, `int4_awq`, `nvfp4`).
    public init?(userInput: String) {
        let key = String(userInput.lowercased().map { $0 == "_" ? "-" : $0 })
        switch key {
        case "nvfp4": self = .fp4
        case "awq", "int4": self = .int4AWQ
        case "gptq": self = .int4GPTQ
        case "float16", "half": self = .fp16
        case "bfloat16": self = .bf16
        case "float32": self = .fp32
        default:
            guard let value = Precision(rawValue: key) else { return nil }
            self = value
        }
    }
}
