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
    /// GGUF/ggml `Q4_0`: blocks of 32 weights, an FP16 scale and 32 4-bit quants (18 bytes, 4.5 bits per weight).
    case q4_0
    /// GGUF/ggml `Q4_1`: blocks of 32 weights, FP16 scale and minimum and 32 4-bit quants (20 bytes, 5 bits per weight).
    case q4_1
    /// GGUF/ggml `Q8_0`: blocks of 32 weights, an FP16 scale and 32 8-bit quants (34 bytes, 8.5 bits per weight).
    case q8_0
    /// GGUF/ggml `Q4_K`: super-blocks of 256 weights with 6-bit sub-block scales and mins (144 bytes, 4.5 bits per
    /// weight). `Q4_K_M`/`Q4_K_S` files mix it with `Q5_K`/`Q6_K` tensors, so they average a little more.
    case q4_K = "q4_k"

    public var description: String { rawValue }

    /// Bytes per stored weight element, including the per-block scale overhead of block-scaled formats.
    ///
    /// Scale overheads: NVFP4 stores one FP8 scale per 16 elements (0.5 + 1/16 B); MXFP4 one E8M0 scale per 32
    /// (0.5 + 1/32 B); AWQ/GPTQ one FP16 scale (and zero) per group of 128 (0.5 + 4/128 B). The GGUF formats are ggml's
    /// block sizes over their weights (ggml/src/ggml-common.h `block_q4_0` 18 B, `block_q4_1` 20 B and `block_q8_0`
    /// 34 B per 32 weights; `block_q4_K` 144 B per 256).
    public var bytesPerWeight: Double {
        switch self {
        case .fp32: 4
        case .fp16, .bf16: 2
        case .fp8, .int8: 1
        case .fp6: 0.75 + 1.0 / 32.0
        case .fp4: 0.5 + 1.0 / 16.0
        case .mxfp4: 0.5 + 1.0 / 32.0
        case .int4AWQ, .int4GPTQ: 0.5 + 4.0 / 128.0
        case .q4_0: 18.0 / 32.0
        case .q4_1: 20.0 / 32.0
        case .q8_0: 34.0 / 32.0
        case .q4_K: 144.0 / 256.0
        }
    }

    /// Whether this is one of llama.cpp's GGUF block formats.
    public var isGGUF: Bool {
        switch self {
        case .q4_0, .q4_1, .q8_0, .q4_K: true
        default: false
        }
    }

    /// The format the matrix units compute in when weights are stored in this precision.
    ///
    /// Weight-only formats dequantise to 16-bit; FP8/INT8/FP4 compute natively where the part supports it. ggml's CPU
    /// kernels multiply the GGUF block formats against activations quantised to 8-bit blocks (`Q8_0`/`Q8_1`/`Q8_K`)
    /// with integer dot products, so they compute as INT8 (a part without an INT8 figure falls back to its 16-bit one).
    public var computePrecision: Precision {
        switch self {
        case .int4AWQ, .int4GPTQ: .fp16
        case .mxfp4: .fp4
        case .q4_0, .q4_1, .q8_0, .q4_K: .int8
        default: self
        }
    }

    /// The default KV-cache format a stack uses with these weights: FP8 checkpoints pair with an FP8 cache in the
    /// calibration rows ("FP8 (weights+KV)"); GGUF weights keep llama.cpp's default F16 cache (`--cache-type-k/-v`
    /// default f16); everything else keeps a 16-bit cache.
    public var defaultKVCachePrecision: Precision {
        switch self {
        case .fp8, .fp4: .fp8
        case .q4_0, .q4_1, .q8_0, .q4_K: .fp16
        default: .bf16
        }
    }

    /// Bytes per element when used as a KV-cache or activation format (llama.cpp's `--cache-type-k/-v q4_0|q4_1|q8_0`
    /// store the cache in the same ggml blocks as weights).
    public var bytesPerElement: Double {
        switch self {
        case .fp32: 4
        case .fp16, .bf16: 2
        case .fp8, .int8: 1
        case .fp6: 0.75
        case .fp4, .mxfp4, .int4AWQ, .int4GPTQ: 0.5
        case .q4_0, .q4_1, .q8_0, .q4_K: bytesPerWeight
        }
    }

    /// Parses the spellings users type (`FP8`, `bf16`, `int4_awq`, `nvfp4`, `Q4_1`, `q8-0`).
    public init?(userInput: String) {
        let key = String(userInput.lowercased().map { $0 == "_" ? "-" : $0 })
        switch key {
        case "q4-0": self = .q4_0
        case "q4-1": self = .q4_1
        case "q8-0": self = .q8_0
        case "q4-k": self = .q4_K
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
