import HeadroomCatalog
import HeadroomCore
import Testing

/// The catalog entries `headroom bench` needs for a local llama.cpp server: SmolLM2-135M in a GGUF format on one CPU
/// core under the llama.cpp stack.
@Suite struct LlamaCppCatalogTests {
    static let catalog = try! CatalogLoader.bundled()

    @Test func theEntriesLoadWithSourcesAndDates() throws {
        let part = try Self.catalog.accelerator("cpu-x86-core")
        let stack = try Self.catalog.stack("llamacpp")
        let model = try Self.catalog.model("smollm2-135m")
        for provenance in [part.provenance, stack.provenance, model.provenance] {
            #expect(!provenance.source.isEmpty && !provenance.asOf.isEmpty)
        }
        #expect(part.provenance.notes?.contains("a single CPU core for local llama.cpp benchmarks") == true)
        #expect(!part.provenance.assumptions.isEmpty, "the per-core figures that are not published say so")
        #expect(!part.hasInterconnect)
        #expect(stack.name == "llama.cpp server")
        #expect(stack.batchDefaults(on: part.id).maxNumSeqs == 4)
        #expect(stack.kvReservation == .fullSequence)
        for precision in [Precision.q4_0, .q4_1, .q8_0, .fp16, .fp32] {
            #expect(stack.supports(precision, on: part.id), "\(precision)")
            #expect(part.supports(precision), "\(precision)")
        }
        let efficiency = try #require(Self.catalog.efficiency(stack: "llamacpp", accelerator: "cpu-x86-core"))
        #expect(efficiency.specificity == 3)
        #expect(efficiency.profile.provenance.source.hasPrefix("assumption"), "the starting profile is not a fit")
    }

    @Test func smolLM2MatchesItsConfig() throws {
        let model = try Self.catalog.model("HuggingFaceTB/SmolLM2-135M-Instruct")
        #expect(model.layers == 30 && model.hiddenSize == 576 && model.intermediateSize == 1536)
        #expect(model.attentionHeads == 9 && model.kvHeads == 3 && model.headDim == 64)
        #expect(model.vocabSize == 49152 && model.maxContext == 8192 && model.tieWordEmbeddings)
        // 2 (K and V) × 30 layers × 3 KV heads × 64 × 2 B (f16): the per-token cache llama.cpp allocates.
        #expect(model.kvBytesPerToken(kvPrecision: .fp16) == 23_040)
    }

    /// ggml-common.h: block_q4_0 is 2 + 16 bytes, block_q4_1 2 + 2 + 16 and block_q8_0 2 + 32, each per 32 weights;
    /// block_q4_K is 2 + 2 + 12 + 128 bytes per 256.
    @Test func ggufBlockSizes() {
        #expect(Precision.q4_0.bytesPerWeight * 8 == 4.5)
        #expect(Precision.q4_1.bytesPerWeight * 8 == 5.0)
        #expect(Precision.q8_0.bytesPerWeight * 8 == 8.5)
        #expect(Precision.q4_K.bytesPerWeight * 8 == 4.5)
        #expect(Precision.q4_1.bytesPerElement == Precision.q4_1.bytesPerWeight)
        for precision in [Precision.q4_0, .q4_1, .q8_0, .q4_K] {
            #expect(precision.isGGUF)
            #expect(precision.computePrecision == .int8)
            #expect(precision.defaultKVCachePrecision == .fp16, "llama.cpp's cache defaults to f16")
        }
        #expect(!Precision.int8.isGGUF)
        #expect(Precision.q4_1.bits == 4 && Precision.q8_0.bits == 8)
    }

    @Test(arguments: ["q4_1", "Q4_1", "q4-1"])
    func ggufSpellingsParse(text: String) {
        #expect(Precision(userInput: text) == .q4_1)
    }

    @Test func rawValuesAreLlamaCppSpellings() {
        #expect(Precision(rawValue: "q4_0") == .q4_0)
        #expect(Precision(rawValue: "q8_0") == .q8_0)
        #expect(Precision(userInput: "Q4_K") == .q4_K)
        #expect(Precision.q4_K.rawValue == "q4_k")
    }

    /// The weights of a Q4_1 deployment: linear layers at 5 bits, the tied embedding at 16.
    @Test func weightBytesUseTheBlockFormat() throws {
        let model = try Self.catalog.model("smollm2-135m")
        let deployment = try Deployment(
            model: model, accelerator: try Self.catalog.accelerator("cpu-x86-core"),
            stack: try Self.catalog.stack("llamacpp"), count: 1, precision: .q4_1
        )
        let linear = model.totalParams - model.embeddingParams - model.normParams
        let expected = linear * 0.625 + (model.embeddingParams + model.normParams) * 2
        #expect(abs(deployment.weightBytes / expected - 1) < 1e-12)
        #expect(deployment.kvPrecision == .fp16)
        #expect(deployment.memoryPlan.weightsFit)
    }

    @Test(arguments: [1, 4])
    func estimateIsFiniteAndPositive(concurrency: Int) throws {
        let deployment = try Deployment(
            model: try Self.catalog.model("smollm2-135m"), accelerator: try Self.catalog.accelerator("cpu-x86-core"),
            stack: try Self.catalog.stack("llamacpp"), count: 1, precision: .q4_1
        )
        let efficiency = try #require(Self.catalog.efficiency(stack: "llamacpp", accelerator: "cpu-x86-core"))
        let estimator = Estimator(
            deployment: deployment, shape: try RequestShape(inputTokens: 64, outputTokens: 32), efficiency: efficiency)
        let e = try estimator.estimate(.concurrency(concurrency))
        let figures = [e.outputTokensPerSecond, e.ttft.p50, e.tpot.p50, e.e2e.p99, e.memory.kvCachePerAccelerator]
        #expect(figures.allSatisfy { $0.isFinite && $0 > 0 })
        // One core: tens to a few hundred output tokens per second (llama-server measured ~110 tokens/s for one
        // stream and ~45 in total for four on the development machine), not thousands.
        #expect(e.outputTokensPerSecond > 10 && e.outputTokensPerSecond < 1000)
        #expect(e.batchSize <= 4.0001, "no more sequences than llama-server slots")
    }
}
