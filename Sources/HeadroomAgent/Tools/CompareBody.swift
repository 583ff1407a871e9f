import HeadroomCore
import HeadroomOperations

/// The `compare` tool's arguments: one model and request shape, several deployments.
struct CompareBody: StrictBody {
    var model: String
    var inputTokens: Int
    var outputTokens: Int
    var rate: Double?
    var concurrency: Int?
    var sloTtftMs: Double?
    var sloTpotMs: Double?
    var deployments: [JSONValue]
    var priceBook: String?
    var dataResidency: [String]?
    var requests: Int?
    var seed: UInt64?

    enum CodingKeys: String, CodingKey {
        case model, rate, concurrency, deployments, requests, seed
        case inputTokens = "input_tokens", outputTokens = "output_tokens", sloTtftMs = "slo_ttft_ms"
        case sloTpotMs = "slo_tpot_ms", priceBook = "price_book", dataResidency = "data_residency"
    }

    static let properties: KeyValuePairs<String, String> = [
        "model": "string", "input_tokens": "integer", "output_tokens": "integer", "rate": "number",
        "concurrency": "integer", "slo_ttft_ms": "number", "slo_tpot_ms": "number", "deployments": "array",
        "price_book": "string", "data_residency": "array", "requests": "integer", "seed": "integer",
    ]
    static let required = ["model", "input_tokens", "output_tokens", "deployments"]
    static let bounds: [String: ClosedRange<Double>] = [
        "input_tokens": 1...100_000_000, "output_tokens": 1...100_000_000, "rate": 0...1e9,
        "concurrency": 1...10_000_000, "slo_ttft_ms": 0...1e9, "slo_tpot_ms": 0...1e9, "requests": 1000...20_000,
        "seed": 0...9_007_199_254_740_991,
    ]
}

/// One deployment of a `compare` call.
struct CompareDeployment: StrictBody {
    var accelerator: String
    var count: Int?
    var tp: Int?
    var pp: Int?
    var ep: Int?
    var precision: String?
    var stack: String?

    static let properties: KeyValuePairs<String, String> = [
        "accelerator": "string", "count": "integer", "tp": "integer", "pp": "integer", "ep": "integer",
        "precision": "string", "stack": "string",
    ]
    static let required = ["accelerator"]
    static let bounds: [String: ClosedRange<Double>] = [
        "count": 1...1_000_000, "tp": 1...65_536, "pp": 1...65_536, "ep": 1...65_536,
    ]
}

/// The `catalog_search` tool's arguments.
struct CatalogSearchBody: StrictBody {
    enum Kind: String, Decodable, CaseIterable {
        case accelerators, models, stacks, prices
    }

    var kind: Kind
    var query: String?
    var limit: Int?

    static let properties: KeyValuePairs<String, String> = ["kind": "string", "query": "string", "limit": "integer"]
    static let required = ["kind"]
    static let bounds: [String: ClosedRange<Double>] = ["limit": 1...200]
    static let constraints: [String: [String: JSONValue]] = [
        "kind": ["enum": .array(Kind.allCases.map { .string($0.rawValue) })]
    ]
}
