/// How requests share cached prompt prefixes (a system prompt, a document, earlier turns).
public enum PrefixSharing: Sendable, Hashable {
    /// No request shares a prefix.
    case none
    /// With probability `hitRate` a request starts with the one shared prefix (`prefixID` 0) of `prefixTokens`
    /// tokens; otherwise it shares nothing (`prefixID` nil). The prefix is part of the prompt: a request shorter
    /// than the prefix shares all of its prompt.
    case hitRate(Double, prefixTokens: Int)
    /// Each request starts with one of `count` prefixes, chosen uniformly (`prefixID` in `0..<count`), of
    /// `prefixTokens` tokens each, capped at the prompt length.
    case groups(count: Int, prefixTokens: Int)

    /// Draws the prefix of a request whose prompt is `inputTokens` long.
    /// - Returns: the prefix id (nil for none) and how many prompt tokens it covers.
    public func sample(inputTokens: Int, using rng: inout some RandomNumberGenerator) -> (id: Int?, tokens: Int) {
        switch self {
        case .none:
            return (nil, 0)
        case .hitRate(let probability, let prefixTokens):
            guard rng.unitInterval() < probability else { return (nil, 0) }
            return (0, min(prefixTokens, inputTokens))
        case .groups(let count, let prefixTokens):
            return (rng.uniformInteger(in: 0...(count - 1)), min(prefixTokens, inputTokens))
        }
    }

    /// Checks the parameters.
    /// - Throws: ``HeadroomError`` `.invalidInput` naming `field` when the hit rate is outside 0...1 or a count or
    ///   length is below 1.
    public func validated(field: String = "prefix") throws(HeadroomError) -> PrefixSharing {
        func fail(_ message: String) -> HeadroomError {
            HeadroomError(.invalidInput, "\(field): \(message)", field: field)
        }
        switch self {
        case .none:
            break
        case .hitRate(let probability, let prefixTokens):
            guard probability.isFinite, probability >= 0, probability <= 1 else {
                throw fail("the prefix hit rate must be in 0...1, got \(probability)")
            }
            guard prefixTokens >= 1 else {
                throw fail("the shared prefix must be at least 1 token, got \(prefixTokens)")
            }
        case .groups(let count, let prefixTokens):
            guard count >= 1 else { throw fail("there must be at least 1 prefix group, got \(count)") }
            guard prefixTokens >= 1 else {
                throw fail("the shared prefix must be at least 1 token, got \(prefixTokens)")
            }
        }
        return self
    }
}
