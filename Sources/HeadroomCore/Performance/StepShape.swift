/// The work in one engine step of one replica: decode tokens, prefill tokens and the attention they do.
///
/// Fields are `Double` so analytic models can use averages over steps.
public struct StepShape: Sendable, Hashable {
    /// Sequences decoding one token this step.
    public var decodeSequences: Double
    /// Sum over decoding sequences of their context length (tokens of KV each reads).
    public var decodeContext: Double
    /// Prompt tokens prefilled this step.
    public var prefillTokens: Double
    /// Query-key pairs of causal prefill attention: Σ chunk × (past + (chunk + 1) / 2).
    public var prefillAttentionPairs: Double
    /// Sequences whose prefill completes this step (they produce logits too).
    public var prefillSequences: Double

    public init(
        decodeSequences: Double = 0, decodeContext: Double = 0, prefillTokens: Double = 0,
        prefillAttentionPairs: Double = 0, prefillSequences: Double = 0
    ) {
        self.decodeSequences = decodeSequences
        self.decodeContext = decodeContext
        self.prefillTokens = prefillTokens
        self.prefillAttentionPairs = prefillAttentionPairs
        self.prefillSequences = prefillSequences
    }

    /// A step that prefills `sequences` whole prompts of `promptTokens` each.
    public static func prefill(promptTokens: Double, sequences: Double = 1) -> StepShape {
        StepShape(
            prefillTokens: promptTokens * sequences,
            prefillAttentionPairs: sequences * promptTokens * (promptTokens + 1) / 2,
            prefillSequences: sequences
        )
    }

    /// A step that decodes `sequences` sequences of mean context `context`.
    public static func decode(sequences: Double, context: Double) -> StepShape {
        StepShape(decodeSequences: sequences, decodeContext: sequences * context)
    }

    /// Tokens processed this step.
    public var tokens: Double { decodeSequences + prefillTokens }

    /// Sequences that produce logits this step.
    public var sampledSequences: Double { decodeSequences + prefillSequences }

    /// Both steps' work in one.
    public static func + (lhs: StepShape, rhs: StepShape) -> StepShape {
        StepShape(
            decodeSequences: lhs.decodeSequences + rhs.decodeSequences,
            decodeContext: lhs.decodeContext + rhs.decodeContext,
            prefillTokens: lhs.prefillTokens + rhs.prefillTokens,
            prefillAttentionPairs: lhs.prefillAttentionPairs + rhs.prefillAttentionPairs,
            prefillSequences: lhs.prefillSequences + rhs.prefillSequences
        )
    }
}
