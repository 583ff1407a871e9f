import HeadroomCore
import PropertyBased
import Testing

/// Figures for the training tests, from the published config.json files.
enum TrainingFixtures {
    /// meta-llama/Llama-3.1-405B config.json.
    static let llama405B = ModelArchitecture(
        id: "meta-llama/Llama-3.1-405B-Instruct", name: "Llama 3.1 405B", layers: 126, hiddenSize: 16384,
        attentionHeads: 128, kvHeads: 8, headDim: 128, intermediateSize: 53248, vocabSize: 128256,
        maxContext: 131072, attention: .gqa, provenance: Fixtures.provenance
    )

    /// A GPT-style layer as Korthikanti et al. count it: MHA, 4h GeLU MLP.
    static func gpt(layers: Int = 2, hidden: Int = 1024, heads: Int = 16) -> TrainingModel {
        let shape = TrainingModel.Shape(
            layers: layers, hiddenSize: hidden, attentionHeads: heads, kvHeads: heads, qkHeadDim: hidden / heads,
            vHeadDim: hidden / heads, mlpWidth: 4 * hidden, gatedMLP: false, vocabSize: 50_000)
        let params = Double(12 * layers * hidden * hidden)
        return TrainingModel(name: "gpt", totalParams: params, computeParams: params, shape: shape)
    }

    static func request(
        _ model: TrainingModel = TrainingModel(architecture: llama405B), count: Int = 16_384, mfu: Double? = 0.4,
        tokens: Double = 15.6e12
    ) -> TrainingRequest {
        TrainingRequest(model: model, tokens: tokens, accelerator: Fixtures.h100, count: count, mfu: mfu)
    }
}

@Suite struct TrainingFLOPsTests {
    @Test func denseRunIsSixNDPlusCausalAttention() {
        let model = TrainingModel(architecture: TrainingFixtures.llama405B)
        let flops = TrainingFLOPs(model: model, tokens: 15.6e12, sequenceLength: 8192, checkpointing: .none)
        // N excludes the untied input embedding (128,256 × 16,384).
        #expect(abs(model.totalParams - model.computeParams - 128_256 * 16_384) < 1)
        #expect(abs(flops.sixND - 6 * model.computeParams * 15.6e12) < 1e12)
        // Causal attention: 3 · s · H · (d_qk + d_v) per layer per token.
        let attention = 3.0 * 8192 * 128 * 256 * 126
        #expect(abs(flops.attentionFLOPsPerToken - attention) < 1)
        // The Llama 3 paper's 3.8e25 FLOPs is within 5 % of the model FLOPs.
        #expect(abs(flops.modelFLOPs / 3.8e25 - 1) < 0.05, "\(flops.modelFLOPs)")
        #expect(flops.hardwareFLOPs == flops.modelFLOPs)
    }

    @Test(arguments: [ParallelismPlan.Checkpointing.none, .selective, .full])
    func recomputationAddsHardwareFLOPsOnly(mode: ParallelismPlan.Checkpointing) {
        let model = TrainingModel(architecture: Fixtures.llama70B)
        let flops = TrainingFLOPs(model: model, tokens: 1e12, sequenceLength: 4096, checkpointing: mode)
        let base = TrainingFLOPs(model: model, tokens: 1e12, sequenceLength: 4096, checkpointing: .none)
        #expect(flops.modelFLOPs == base.modelFLOPs)
        switch mode {
        case .none: #expect(flops.hardwareFLOPs == flops.modelFLOPs)
        case .selective:
            #expect(abs(flops.hardwareFLOPs - flops.modelFLOPs * 1 - flops.attentionFLOPsPerToken / 3 * 1e12) < 1e12)
        case .full: #expect(abs(flops.hardwareFLOPs / flops.modelFLOPs - 4.0 / 3.0) < 1e-9)
        }
    }

    @Test func moeCountsActiveParameters() {
        let model = TrainingModel(architecture: Fixtures.deepseekV3)
        #expect(model.isMoE)
        #expect(abs(model.computeParams / 37e9 - 1) < 0.03)
        let flops = TrainingFLOPs(model: model, tokens: 14.8e12, sequenceLength: 4096, checkpointing: .none)
        #expect(abs(flops.sixND - 6 * model.computeParams * 14.8e12) < 1e10)
        #expect(flops.sixND < 6 * model.totalParams * 14.8e12 / 10)
    }

    @Test func parameterCountsAloneLeaveAttentionOut() {
        let model = TrainingModel(params: 70e9)
        let flops = TrainingFLOPs(model: model, tokens: 1e12, sequenceLength: 8192, checkpointing: .full)
        #expect(flops.attentionFLOPsPerToken == 0)
        #expect(flops.modelFLOPs == 6 * 70e9 * 1e12)
        #expect(!model.notes.isEmpty)
    }

    @Test func slidingWindowCapsAttention() {
        let model = TrainingModel(architecture: Fixtures.mistral7B)
        let short = TrainingFLOPs(model: model, tokens: 1, sequenceLength: 4096, checkpointing: .none)
        let long = TrainingFLOPs(model: model, tokens: 1, sequenceLength: 32768, checkpointing: .none)
        // Past the 4,096 window the per-token attention approaches 2× the 4,096-token figure, never 8×.
        #expect(long.attentionFLOPsPerToken > short.attentionFLOPsPerToken)
        #expect(long.attentionFLOPsPerToken < 2 * short.attentionFLOPsPerToken)
    }

    @Test func flopsGrowWithTokensAndSequence() async {
        let model = TrainingModel(architecture: Fixtures.llama8B)
        await propertyCheck(count: 80, input: Gen.int(in: 1...1000), Gen.int(in: 1...8), Gen.int(in: 128...32768)) {
            billions, more, sequence in
            let a = TrainingFLOPs(
                model: model, tokens: Double(billions) * 1e9, sequenceLength: sequence, checkpointing: .selective)
            let b = TrainingFLOPs(
                model: model, tokens: Double(billions + more) * 1e9, sequenceLength: sequence * 2,
                checkpointing: .selective)
            #expect(b.modelFLOPs > a.modelFLOPs)
            #expect(b.modelFLOPsPerToken >= a.modelFLOPsPerToken)
            #expect(a.hardwareFLOPs >= a.modelFLOPs)
        }
    }
}
