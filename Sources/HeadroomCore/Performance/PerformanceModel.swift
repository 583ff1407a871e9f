import RealModule

/// Predicts the time of one engine step of one replica from first principles: per operator class, the larger of
/// compute time (FLOPs over peak × efficiency) and memory time (bytes over bandwidth × efficiency), the smaller one
/// partly hidden, plus communication and fixed overheads.
///
/// Constants derived from the deployment are computed once, so ``stepTime(_:)`` is plain arithmetic: the simulator
/// calls it every step.
public struct PerformanceModel: Sendable {
    public let deployment: Deployment
    public let efficiency: EfficiencyProfile

    // Derived constants (per accelerator of one pipeline stage).
    let shards: Double
    let stages: Double
    let layersPerStage: Double
    let denseFraction: Double
    let slidingFraction: Double
    let window: Double
    let linearFLOPS: Double
    let attentionFLOPS: Double
    let bandwidth: Double
    let overlap: Double
    let hidden: Double
    let vocab: Double
    let projectionParams: Double
    let denseMLPParams: Double
    let sharedExpertParams: Double
    let routerParams: Double
    let expertParams: Double
    let experts: Double
    let activeExperts: Double
    let linearBytesPerWeight: Double
    let expertBytesPerWeight: Double
    let headsPerShard: Double
    let decodeFLOPsPerContextToken: Double
    let prefillFLOPsPerPair: Double
    let kvBytesPerContextTokenPerLayer: Double
    let tensorLinkBandwidth: Double
    let pipelineLinkBandwidth: Double
    let collectiveLatency: Double
    let expertParallel: Double
    /// Ranks sharing one step's sequences for attention (data-parallel attention), else 1.
    let attentionRanks: Double
    let expertBandwidth: Double
    let moeLayerOverhead: Double
    let prefillOverhead: Double

    /// - Parameters:
    ///   - deployment: what runs.
    ///   - efficiency: the fitted constants to apply.
    public init(deployment: Deployment, efficiency: EfficiencyProfile) {
        self.deployment = deployment
        self.efficiency = efficiency
        let model = deployment.model
        let accelerator = deployment.accelerator
        shards = Double(deployment.tensorParallel)
        stages = Double(deployment.pipelineParallel)
        layersPerStage = Double(model.layers) / stages
        denseFraction = Double(model.denseLayers) / Double(model.layers)
        slidingFraction = Double(model.slidingLayers) / Double(model.layers)
        window = Double(model.slidingWindow ?? Int.max)
        let peak = accelerator.peakFLOPS(for: deployment.precision) ?? accelerator.peakFLOPS(for: .bf16) ?? 1e12
        linearFLOPS = peak * efficiency.compute
        let attentionPeak = accelerator.peakFLOPS(for: .bf16) ?? peak
        attentionFLOPS = attentionPeak * efficiency.attentionCompute
        bandwidth = accelerator.memoryBandwidth * efficiency.memory
        overlap = min(max(efficiency.overlap, 0), 1)
        hidden = Double(model.hiddenSize)
        vocab = Double(model.vocabSize)
        projectionParams = model.attentionParamsPerLayer
        denseMLPParams = model.denseMLPParams
        expertParams = model.expertParams
        experts = Double(model.moe?.experts ?? 0)
        activeExperts = Double(model.moe?.active ?? 0)
        sharedExpertParams = Double(model.moe?.shared ?? 0) * model.expertParams
        routerParams = Double(model.hiddenSize * (model.moe?.experts ?? 0))
        let expertOnlyQuantized = model.weightsQuantization == .mxfp4 && deployment.precision == .mxfp4 && model.isMoE
        linearBytesPerWeight = expertOnlyQuantized ? 2 : deployment.precision.bytesPerWeight
        expertBytesPerWeight = deployment.precision.bytesPerWeight
        headsPerShard = Double(model.attentionHeads) / shards
        if let mla = model.mla {
            decodeFLOPsPerContextToken = 2 * headsPerShard * Double(2 * mla.kvLoraRank + mla.qkRopeHeadDim)
            prefillFLOPsPerPair = 2 * headsPerShard * Double(mla.qkNopeHeadDim + mla.qkRopeHeadDim + mla.vHeadDim)
        } else {
            decodeFLOPsPerContextToken = 4 * headsPerShard * Double(model.headDim)
            prefillFLOPsPerPair = 4 * headsPerShard * Double(model.headDim)
        }
        kvBytesPerContextTokenPerLayer =
            model.kvBytesPerTokenPerLayer(kvPrecision: deployment.kvPrecision)
            * deployment.kvReplication / shards
        tensorLinkBandwidth =
            accelerator.linkBandwidth(span: deployment.tensorParallel) * efficiency.network
        pipelineLinkBandwidth =
            accelerator.linkBandwidth(span: deployment.tensorParallel * deployment.pipelineParallel)
            * efficiency.network
        collectiveLatency = efficiency.collectiveLatencyMicroseconds * 1e-6
        expertParallel = Double(deployment.expertParallel)
        attentionRanks = Double(deployment.attentionRanks)
        expertBandwidth = accelerator.memoryBandwidth * (efficiency.expertMemory ?? efficiency.memory)
        moeLayerOverhead = efficiency.moeLayerOverheadMicroseconds * 1e-6
        prefillOverhead = efficiency.prefillLayerOverheadMicroseconds * 1e-6 * Double(model.layers)
    }

    @inline(__always)
    func combine(compute: Double, memory: Double) -> Double {
        max(compute, memory) + (1 - overlap) * min(compute, memory)
    }

    /// Predicted time of one replica step doing `shape`'s work.
    /// - Complexity: O(1).
    public func stepTime(_ shape: StepShape) -> StepTime {
        var result = StepTime()
        guard shape.tokens > 0 else { return result }
        // Pipeline parallelism: the batch splits into one micro-batch per stage; each passes through every stage.
        let micro = 1 / stages
        let n = shape.tokens * micro
        let layers = layersPerStage
        let moeLayers = layers * (1 - denseFraction)
        let denseLayers = layers * denseFraction

        // Dense GEMMs. Under data-parallel attention each rank projects its own sequences with the whole attention
        // weights: the same FLOPs per rank, `shards` times the weight bytes.
        let denseParams = projectionParams + denseMLPParams
        let moeLinearParams = projectionParams + routerParams + sharedExpertParams
        let projectionShare = attentionRanks > 1 ? projectionParams * (shards - 1) / shards : 0
        // Two layer kinds, written out: this runs every simulated step, so no array literal to iterate.
        @inline(__always) func gemms(layers count: Double, params: Double) -> OperatorCost {
            guard count > 0 else { return OperatorCost() }
            let flops = 2 * n * params / shards
            let bytes = (params / shards + projectionShare) * linearBytesPerWeight
            let t = combine(compute: flops / linearFLOPS, memory: bytes / bandwidth)
            return OperatorCost(flops: flops * count, bytes: bytes * count, seconds: t * count)
        }
        let linear = gemms(layers: denseLayers, params: denseParams) + gemms(layers: moeLayers, params: moeLinearParams)
        result.linear = linear * stages

        // Routed experts: weights of every expert the micro-batch touches are read once.
        if moeLayers > 0, experts > 0 {
            let touched = experts * (1 - Double.exp(n * Double.log(onePlus: -activeExperts / experts)))
            let flops = 2 * n * activeExperts * expertParams / shards
            let bytes = touched * expertParams * expertBytesPerWeight / shards
            let t = combine(compute: flops / linearFLOPS, memory: bytes / expertBandwidth) + moeLayerOverhead
            result.experts =
                OperatorCost(flops: flops * moeLayers, bytes: bytes * moeLayers, seconds: t * moeLayers)
                * stages
        }

        // Attention.
        let decodeSeqs = shape.decodeSequences * micro
        let meanContext = shape.decodeSequences > 0 ? shape.decodeContext / shape.decodeSequences : 0
        let slidingContext = min(meanContext, window)
        let effectiveContext = decodeSeqs * (meanContext * (1 - slidingFraction) + slidingContext * slidingFraction)
        let pairs = shape.prefillAttentionPairs * micro
        let slidingPairs = min(pairs, shape.prefillTokens * micro * window)
        let effectivePairs = pairs * (1 - slidingFraction) + slidingPairs * slidingFraction
        let decodeFlops = decodeFLOPsPerContextToken * effectiveContext
        let decodeBytes = kvBytesPerContextTokenPerLayer * effectiveContext
        let prefillFlops = prefillFLOPsPerPair * effectivePairs
        let prefillBytes = kvBytesPerContextTokenPerLayer * shape.prefillTokens * micro
        let attentionSeconds =
            combine(compute: decodeFlops / attentionFLOPS, memory: decodeBytes / bandwidth)
            + combine(compute: prefillFlops / attentionFLOPS, memory: prefillBytes / bandwidth)
        result.attention =
            OperatorCost(
                flops: (decodeFlops + prefillFlops) * layers, bytes: (decodeBytes + prefillBytes) * layers,
                seconds: attentionSeconds * layers
            ) * stages

        // Output head on the last stage, for sequences that sample a token.
        let sampled = shape.sampledSequences * micro
        if sampled > 0 {
            let flops = 2 * sampled * hidden * vocab / shards
            let bytes = hidden * vocab * 2 / shards
            let t = combine(compute: flops / linearFLOPS, memory: bytes / bandwidth)
            result.lmHead = OperatorCost(flops: flops, bytes: bytes, seconds: t * stages)
        }

        // Communication: two all-reduces per layer under tensor parallelism (one becomes an all-to-all pair on MoE
        // layers under expert parallelism), one hand-off per stage boundary.
        var comm = OperatorCost()
        if shards > 1, attentionRanks > 1 {
            // Data-parallel attention: the MLP side gathers every rank's tokens and scatters the results back (an
            // all-gather and a reduce-scatter, together one all-reduce's volume) in two collectives per layer.
            let message = n * hidden * 2
            let ring = 2 * (shards - 1) / shards * message
            comm = OperatorCost(
                bytes: ring * layers, seconds: (ring / tensorLinkBandwidth + 2 * collectiveLatency) * layers)
        } else if shards > 1 {
            let message = n * hidden * 2
            let ring = 2 * (shards - 1) / shards * message
            let allReduce = ring / tensorLinkBandwidth + collectiveLatency
            var perLayer = 2 * allReduce
            var bytes = 2 * ring
            if expertParallel > 1, moeLayers > 0 {
                let dispatched =
                    n * activeExperts * hidden * 2 / expertParallel * (expertParallel - 1)
                    / expertParallel
                let allToAll = 2 * (dispatched / tensorLinkBandwidth + collectiveLatency)
                perLayer = allReduce + allToAll * (moeLayers / layers) + allReduce * (denseLayers / layers)
                bytes = ring + 2 * dispatched
            }
            comm = OperatorCost(bytes: bytes * layers, seconds: perLayer * layers)
        }
        comm = comm * stages
        if stages > 1 {
            let handOff = n * hidden * 2 / pipelineLinkBandwidth + collectiveLatency
            comm = comm + OperatorCost(bytes: n * hidden * 2 * (stages - 1), seconds: handOff * (stages - 1))
        }
        result.communication = comm

        // Eager prefill: a step that carries prompt tokens pays it once; an analytic average step that carries a
        // fraction of a prompt (arrivals per step below one) pays that fraction.
        let eager =
            shape.prefillTokens > 0
            ? (shape.prefillSequences > 0 && shape.prefillSequences < 1 ? shape.prefillSequences : 1) : 0
        result.overheadSeconds =
            efficiency.stepOverheadMilliseconds * 1e-3
            + efficiency.perSequenceOverheadMicroseconds * 1e-6 * shape.sampledSequences
            + prefillOverhead * eager
        return result
    }

    /// Predicted seconds of one replica step.
    @inline(__always)
    public func seconds(_ shape: StepShape) -> Double {
        stepTime(shape).seconds
    }
}
