/// Smaller models trained longer to the same predicted loss: what they cost to train and what they save in serving.
///
/// For each smaller size N' the tokens D' that reach the reference run's predicted loss come from the scaling law.
/// Serving cost per token is taken as proportional to the active parameters (an assumption: decode cost per token
/// scales with the weights each token reads and multiplies), so a model of N'/N the size serves at N'/N of the
/// reference cost per 1M tokens.
public struct OverTrainingOption: Sendable, Hashable, Codable {
    public var sizeFraction: Double
    public var params: Double
    public var tokens: Double
    public var tokensPerParameter: Double
    /// 6·N'·D'.
    public var trainingFLOPs: Double
    /// Training FLOPs over the reference run's.
    public var trainingFLOPsRatio: Double
    public var trainingCost: Double?
    /// Serving cost per 1M tokens, scaled from the reference.
    public var costPerMillionTokens: Double?
    /// Serving cost of the given volume.
    public var servingCost: Double?
    /// Training plus serving.
    public var totalCost: Double?
    /// Serving cost saved against the reference model, less the extra training cost.
    public var netSaving: Double?
}

/// The over-training trade-off around one run.
public struct OverTrainingAnalysis: Sendable, Hashable, Codable {
    public var law: String
    public var referenceParams: Double
    public var referenceTokens: Double
    public var targetLoss: Double
    public var servingTokens: Double?
    public var referenceCostPerMillionTokens: Double?
    public var options: [OverTrainingOption]

    /// Evaluates `fractions` of the reference size (1 is the reference itself).
    /// - Parameters:
    ///   - costPerFLOP: training cost of one model FLOP (price per accelerator-hour over MFU × peak × 3600), when known.
    ///   - servingTokens: tokens the model will serve over its life, when given.
    ///   - costPerMillionTokens: the reference model's serving cost per 1M tokens (e.g. `headroom plan`'s
    ///     `cost_per_million_output_tokens`).
    public init(
        law: ScalingLaw, params: Double, tokens: Double, fractions: [Double] = [0.25, 0.5, 0.75, 1],
        costPerFLOP: Double?, servingTokens: Double?, costPerMillionTokens: Double?
    ) {
        self.law = law.name
        referenceParams = params
        referenceTokens = tokens
        targetLoss = law.loss(params: params, tokens: tokens)
        self.servingTokens = servingTokens
        referenceCostPerMillionTokens = costPerMillionTokens
        let referenceFLOPs = 6 * params * tokens
        let referenceTraining = costPerFLOP.map { $0 * referenceFLOPs }
        let referenceServing = servingTokens.flatMap { volume in costPerMillionTokens.map { volume / 1e6 * $0 } }
        options = fractions.sorted().compactMap { fraction in
            let n = params * fraction
            let d: Double
            if fraction == 1 {
                d = tokens
            } else {
                guard let needed = law.tokens(toReach: law.loss(params: params, tokens: tokens), params: n) else {
                    return nil
                }
                d = needed
            }
            let flops = 6 * n * d
            let training = costPerFLOP.map { $0 * flops }
            let perMillion = costPerMillionTokens.map { $0 * fraction }
            let serving = servingTokens.flatMap { volume in perMillion.map { volume / 1e6 * $0 } }
            var total: Double?
            var saving: Double?
            if let training, let serving {
                total = training + serving
                if let referenceTraining, let referenceServing {
                    saving = (referenceTraining + referenceServing) - (training + serving)
                }
            }
            return OverTrainingOption(
                sizeFraction: fraction, params: n, tokens: d, tokensPerParameter: d / n, trainingFLOPs: flops,
                trainingFLOPsRatio: flops / referenceFLOPs, trainingCost: training, costPerMillionTokens: perMillion,
                servingCost: serving, totalCost: total, netSaving: saving)
        }
    }
}
