import HTTPTypes
import HeadroomCore

/// Response schemas of the compute routes: their top-level properties and types (the contracts of DESIGN.md §4).
enum OpenAPISchemas {
    static func object(_ properties: KeyValuePairs<String, String>) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for (name, type) in properties {
            let types = type.split(separator: "|").map { JSONValue.string(String($0)) }
            object[name] = .object(["type": types.count == 1 ? types[0] : .array(types)])
        }
        return .object(["type": .string("object"), "properties": .object(object)])
    }

    static let estimate = object([
        "output_tokens_per_second": "number", "output_tokens_per_second_per_accelerator": "number",
        "requests_per_second": "number", "max_rate_requests_per_second": "number|null", "ttft_ms": "object",
        "tpot_ms": "object", "e2e_ms": "object", "memory": "object", "deployment": "object", "assumptions": "array",
    ])

    static let simulate = object([
        "output_tokens_per_second": "number", "requests_per_second": "number", "ttft_ms": "object",
        "tpot_ms": "object", "e2e_ms": "object", "memory": "object", "deployment": "object",
        "assumptions": "array", "simulated_requests": "integer", "simulated_seconds": "number",
        "goodput_requests_per_second": "number", "preemptions": "integer",
    ])

    static let plan = object([
        "workload": "object", "candidates": "array", "advisories": "array", "search": "object",
        "assumptions": "array",
    ])

    static let cost = object(["deployment": "string"])

    static let train = object([
        "total_flops": "number", "gpu_hours": "number", "wall_days": "number", "mfu": "number",
        "memory_per_accelerator_gib": "number", "expected_interruptions": "number",
        "checkpoint_interval_minutes": "number", "goodput_fraction": "number",
    ])
}
