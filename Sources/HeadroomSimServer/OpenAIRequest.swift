/// The fields of an OpenAI completions or chat-completions request the twin reads; others are ignored.
struct OpenAIRequest: Decodable, Sendable {
    /// A completions prompt: text, a batch of one text, or token ids.
    enum Prompt: Decodable, Sendable {
        case text(String)
        case texts([String])
        case tokenIDs([Int])
        case batchOfTokenIDs([[Int]])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else if let texts = try? container.decode([String].self) {
                self = .texts(texts)
            } else if let ids = try? container.decode([Int].self) {
                self = .tokenIDs(ids)
            } else if let batch = try? container.decode([[Int]].self) {
                self = .batchOfTokenIDs(batch)
            } else {
                throw DecodingError.typeMismatch(
                    String.self,
                    .init(
                        codingPath: decoder.codingPath,
                        debugDescription: "a string, an array of strings or an array of token ids"))
            }
        }
    }

    /// A chat message; only its text counts.
    struct Message: Decodable, Sendable {
        var role: String
        var content: Content?
    }

    /// A message's content: text, or parts of which the text parts count.
    enum Content: Decodable, Sendable {
        case text(String)
        case parts([Part])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .parts(try container.decode([Part].self))
            }
        }

        var text: String {
            switch self {
            case .text(let text): text
            case .parts(let parts): parts.compactMap(\.text).joined(separator: " ")
            }
        }
    }

    struct Part: Decodable, Sendable {
        var type: String
        var text: String?
    }

    struct StreamOptions: Decodable, Sendable {
        var includeUsage: Bool?

        enum CodingKeys: String, CodingKey {
            case includeUsage = "include_usage"
        }
    }

    var model: String?
    var prompt: Prompt?
    var messages: [Message]?
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    var stream: Bool?
    var streamOptions: StreamOptions?
    var ignoreEOS: Bool?
    var n: Int?

    enum CodingKeys: String, CodingKey {
        case model, prompt, messages, stream, n
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case streamOptions = "stream_options"
        case ignoreEOS = "ignore_eos"
    }
}

/// `POST /tokenize`: vLLM's `{"model", "prompt"}` (or `"messages"`) and llama.cpp's `{"content"}`.
struct TokenizeRequest: Decodable, Sendable {
    var model: String?
    var prompt: String?
    var messages: [OpenAIRequest.Message]?
    var content: String?
}

/// `POST /detokenize`: `{"tokens": [...]}` in both vLLM's and llama.cpp's form.
struct DetokenizeRequest: Decodable, Sendable {
    var model: String?
    var tokens: [Int]
}
