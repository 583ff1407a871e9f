import HTTPTypes
package import HeadroomCore
import HeadroomOperations

/// `POST /v1/workloads`. `confidential` defaults to whether the workload has `pricing.overrides`.
package struct WorkloadBody: StrictBody {
    var name: String
    var confidential: Bool?
    var workload: JSONValue

    package static let properties: KeyValuePairs<String, String> = [
        "name": "string", "confidential": "boolean", "workload": "object",
    ]
    package static let required = ["name", "workload"]
    package static let constraints = ["name": namePattern]
}

/// `POST /v1/bench-runs`: a `headroom bench` result, as it wrote it.
package struct BenchRunBody: StrictBody {
    var name: String
    var run: JSONValue

    package static let properties: KeyValuePairs<String, String> = ["name": "string", "run": "object"]
    package static let required = ["name", "run"]
    package static let constraints = ["name": namePattern]
}

/// `POST /v1/price-books`: a price-book file's contents (a `price_books` list) as JSON.
package struct PriceBookBody: StrictBody {
    var name: String
    var confidential: Bool?
    var priceBook: JSONValue

    enum CodingKeys: String, CodingKey {
        case name, confidential
        case priceBook = "price_book"
    }

    package static let properties: KeyValuePairs<String, String> = [
        "name": "string", "confidential": "boolean", "price_book": "object",
    ]
    package static let required = ["name", "price_book"]
    package static let constraints = ["name": namePattern]
}

/// `POST /v1/keys`.
package struct KeyBody: StrictBody {
    var name: String
    var role: Role

    package static let properties: KeyValuePairs<String, String> = ["name": "string", "role": "string"]
    package static let required = ["name", "role"]
    package static let constraints: [String: [String: JSONValue]] = [
        "name": namePattern, "role": ["enum": .array(Role.allCases.map { .string($0.rawValue) })],
    ]
}
