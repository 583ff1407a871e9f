public import Foundation
public import HeadroomCore

/// A Hugging Face `config.json` for a decoder-only model, dense or MoE, with the field spellings of the common
/// architectures (Llama, Mistral, Mixtral, Qwen2/2.5/3 and their MoE, DeepSeek-V2/V3, gpt-oss). Multimodal configs
/// that nest the language model under `text_config` are read from there.
struct HuggingFaceConfig: Decodable {
    struct Quantization: Decodable {
        var quantMethod: String?
        enum CodingKeys: String, CodingKey { case quantMethod = "quant_method" }
    }

    var architectures: [String]?
    var modelType: String?
    var numHiddenLayers: Int?
    var hiddenSize: Int?
    var numAttentionHeads: Int?
    var numKeyValueHeads: Int?
    var headDim: Int?
    var intermediateSize: Int?
    var vocabSize: Int?
    var tieWordEmbeddings: Bool?
    var maxPositionEmbeddings: Int?
    var attentionBias: Bool?
    var slidingWindow: Int?
    var useSlidingWindow: Bool?
    var layerTypes: [String]?
    var numLocalExperts: Int?
    var nRoutedExperts: Int?
    var numExperts: Int?
    var numExpertsPerTok: Int?
    var expertsPerToken: Int?
    var nSharedExperts: Int?
    var moeIntermediateSize: Int?
    var firstKDenseReplace: Int?
    var qLoraRank: Int?
    var kvLoraRank: Int?
    var qkNopeHeadDim: Int?
    var qkRopeHeadDim: Int?
    var vHeadDim: Int?
    var numNextnPredictLayers: Int?
    var torchDtype: String?
    var quantizationConfig: Quantization?
    var textConfig: TextConfig?

    /// The nested language-model config of multimodal checkpoints.
    final class TextConfig: Decodable, Sendable {
        let config: HuggingFaceConfig
        init(from decoder: any Decoder) throws { config = try HuggingFaceConfig(from: decoder) }
    }

    enum CodingKeys: String, CodingKey {
        case architectures
        case modelType = "model_type"
        case numHiddenLayers = "num_hidden_layers"
        case hiddenSize = "hidden_size"
        case numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads"
        case headDim = "head_dim"
        case intermediateSize = "intermediate_size"
        case vocabSize = "vocab_size"
        case tieWordEmbeddings = "tie_word_embeddings"
        case maxPositionEmbeddings = "max_position_embeddings"
        case attentionBias = "attention_bias"
        case slidingWindow = "sliding_window"
        case useSlidingWindow = "use_sliding_window"
        case layerTypes = "layer_types"
        case numLocalExperts = "num_local_experts"
        case nRoutedExperts = "n_routed_experts"
        case numExperts = "num_experts"
        case numExpertsPerTok = "num_experts_per_tok"
        case expertsPerToken = "experts_per_token"
        case nSharedExperts = "n_shared_experts"
        case moeIntermediateSize = "moe_intermediate_size"
        case firstKDenseReplace = "first_k_dense_replace"
        case qLoraRank = "q_lora_rank"
        case kvLoraRank = "kv_lora_rank"
        case qkNopeHeadDim = "qk_nope_head_dim"
        case qkRopeHeadDim = "qk_rope_head_dim"
        case vHeadDim = "v_head_dim"
        case numNextnPredictLayers = "num_nextn_predict_layers"
        case torchDtype = "torch_dtype"
        case quantizationConfig = "quantization_config"
        case textConfig = "text_config"
    }
}

/// Imports any Hugging Face decoder-only `config.json` as a ``ModelArchitecture``.
public enum HuggingFaceImporter {
    /// Reads and imports the config at `url`; the model's id is the folder name (`org--name` style folders and plain
    /// names both work) unless `id` is given.
    /// - Throws: ``HeadroomError`` naming the file and the missing or bad field.
    public static func importConfig(at url: URL, id: String? = nil) throws -> ModelArchitecture {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw HeadroomError(.invalidFile, "cannot read: \(error.localizedDescription)", file: url.path)
        }
        let name = id ?? url.deletingLastPathComponent().lastPathComponent
        return try importConfig(data: data, id: name.isEmpty ? url.lastPathComponent : name, file: url.path)
    }

    /// Imports config JSON bytes.
    public static func importConfig(data: Data, id: String, file: String) throws(HeadroomError) -> ModelArchitecture {
        let decoded: HuggingFaceConfig
        do {
            decoded = try JSONDecoder().decode(HuggingFaceConfig.self, from: data)
        } catch let error as DecodingError {
            throw HeadroomError(.invalidFile, "not a valid config.json: \(describe(error))", file: file)
        } catch {
            throw HeadroomError(.invalidFile, "not a valid config.json: \(error)", file: file)
        }
        let config = decoded.textConfig?.config ?? decoded
        func required(_ value: Int?, _ field: String) throws(HeadroomError) -> Int {
            guard let value else {
                throw HeadroomError(
                    .invalidFile, "missing '\(field)' (is this a decoder-only LLM config?)", file: file, field: field)
            }
            guard value > 0 else {
                throw HeadroomError(.invalidFile, "'\(field)' must be positive, got \(value)", file: file, field: field)
            }
            return value
        }
        let layers = try required(config.numHiddenLayers, "num_hidden_layers")
        let hidden = try required(config.hiddenSize, "hidden_size")
        let heads = try required(config.numAttentionHeads, "num_attention_heads")
        let vocab = try required(config.vocabSize, "vocab_size")
        let kvHeads = config.numKeyValueHeads ?? heads
        guard kvHeads > 0, heads % kvHeads == 0 else {
            throw HeadroomError(
                .invalidFile, "num_key_value_heads \(kvHeads) must divide num_attention_heads \(heads)", file: file,
                field: "num_key_value_heads"
            )
        }

        var mla: ModelArchitecture.MLA?
        if let rank = config.kvLoraRank {
            mla = .init(
                qLoraRank: config.qLoraRank, kvLoraRank: rank,
                qkNopeHeadDim: try required(config.qkNopeHeadDim, "qk_nope_head_dim"),
                qkRopeHeadDim: try required(config.qkRopeHeadDim, "qk_rope_head_dim"),
                vHeadDim: try required(config.vHeadDim, "v_head_dim")
            )
        }
        let headDim = config.headDim ?? mla.map { $0.qkNopeHeadDim + $0.qkRopeHeadDim } ?? hidden / heads

        var moe: ModelArchitecture.MoE?
        if let experts = config.numLocalExperts ?? config.nRoutedExperts ?? config.numExperts, experts > 1 {
            let active = try required(config.numExpertsPerTok ?? config.expertsPerToken, "num_experts_per_tok")
            let width = try required(config.moeIntermediateSize ?? config.intermediateSize, "moe_intermediate_size")
            moe = .init(
                experts: experts, active: active, shared: config.nSharedExperts ?? 0, expertIntermediateSize: width,
                denseLayers: config.firstKDenseReplace ?? 0
            )
        }
        let intermediate = try required(config.intermediateSize ?? config.moeIntermediateSize, "intermediate_size")

        // Sliding window: Qwen2 configs carry a window with use_sliding_window false; gpt-oss lists layer types.
        var window: Int?
        var windowLayers = ModelArchitecture.SlidingWindowLayers.all
        if let size = config.slidingWindow, config.useSlidingWindow != false {
            if let types = config.layerTypes {
                let sliding = types.filter { $0 == "sliding_attention" }.count
                if sliding > 0 {
                    window = size
                    windowLayers = sliding == types.count ? .all : .alternate
                }
            } else {
                window = size
            }
        }
        let quantized = config.quantizationConfig?.quantMethod.flatMap { Precision(userInput: $0) }
        let native = config.torchDtype.flatMap { Precision(userInput: $0) } ?? .bf16
        return ModelArchitecture(
            id: id, name: id, aliases: [], layers: layers, hiddenSize: hidden, attentionHeads: heads, kvHeads: kvHeads,
            headDim: headDim, intermediateSize: intermediate, vocabSize: vocab,
            tieWordEmbeddings: config.tieWordEmbeddings ?? false,
            maxContext: try required(config.maxPositionEmbeddings, "max_position_embeddings"),
            // Qwen2/2.5 always carry q/k/v biases; their configs have no attention_bias key.
            attentionBias: config.attentionBias ?? ["qwen2", "qwen2_moe"].contains(config.modelType ?? ""),
            attention: mla != nil ? .mla : (kvHeads == heads ? .mha : .gqa),
            slidingWindow: window, slidingWindowLayers: windowLayers, mla: mla, moe: moe,
            mtpLayers: config.numNextnPredictLayers ?? 0, nativePrecision: native, weightsQuantization: quantized,
            provenance: Provenance(source: "imported from \(file)", asOf: "unknown")
        )
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "field '\(path)': \(context.debugDescription)"
        case .keyNotFound(let key, _):
            return "missing '\(key.stringValue)'"
        @unknown default:
            return "\(error)"
        }
    }
}
