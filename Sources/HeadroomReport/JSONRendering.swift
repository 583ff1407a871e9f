import Foundation
import HeadroomCore

/// Deterministic JSON: sorted keys, pretty-printed, never NaN or infinity.
public enum JSONRendering {
    public static func render(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .throw
        do {
            let data = try encoder.encode(value)
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw HeadroomError(.invalidInput, "a figure came out not finite and was not printed: \(error)")
        }
    }
}
