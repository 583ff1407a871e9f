import Foundation
import HeadroomCatalog
import HeadroomCore
import Testing

@Suite struct HuggingFaceImportTests {
    static let fixtures: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("hf-configs")

    static let aliases: [String] = try! FileManager.default.contentsOfDirectory(atPath: fixtures.path)
        .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()

    /// Every bundled model's published config.json imports to the same architecture as its catalog entry.
    @Test(arguments: aliases)
    func configRoundTripsToTheCatalogEntry(alias: String) throws {
        let entry = try BundledCatalogTests.catalog.model(alias)
        let imported = try HuggingFaceImporter.importConfig(
            at: Self.fixtures.appendingPathComponent("\(alias).json"), id: entry.id
        )
        #expect(imported.layers == entry.layers)
        #expect(imported.hiddenSize == entry.hiddenSize)
        #expect(imported.attentionHeads == entry.attentionHeads)
        #expect(imported.kvHeads == entry.kvHeads)
        #expect(imported.headDim == entry.headDim)
        #expect(imported.vocabSize == entry.vocabSize)
        #expect(imported.tieWordEmbeddings == entry.tieWordEmbeddings)
        #expect(imported.maxContext == entry.maxContext)
        #expect(imported.attention == entry.attention)
        #expect(imported.slidingWindow == entry.slidingWindow)
        #expect(imported.mla == entry.mla)
        #expect(imported.moe == entry.moe)
        #expect(imported.mtpLayers == entry.mtpLayers)
        if !entry.isMoE || entry.moe?.denseLayers ?? 0 > 0 {
            #expect(imported.intermediateSize == entry.intermediateSize)
        }
        #expect(abs(imported.totalParams - entry.totalParams) < 1)
        #expect(abs(imported.kvBytesPerToken(kvPrecision: .bf16) - entry.kvBytesPerToken(kvPrecision: .bf16)) < 1)
    }

    @Test func notAnLLMConfigNamesTheMissingField() {
        let data = Data(#"{"model_type": "bert", "hidden_size": 768}"#.utf8)
        #expect {
            try HuggingFaceImporter.importConfig(data: data, id: "x", file: "bert/config.json")
        } throws: { error in
            let text = "\(error)"
            return text.contains("bert/config.json") && text.contains("num_hidden_layers")
        }
    }

    @Test func wrongTypeIsAnErrorNotACrash() {
        let data = Data(#"{"num_hidden_layers": "many"}"#.utf8)
        #expect(throws: HeadroomError.self) {
            try HuggingFaceImporter.importConfig(data: data, id: "x", file: "c.json")
        }
    }

    @Test func qwenWindowIsIgnoredWhenDisabled() throws {
        let data = Data(
            #"{"num_hidden_layers": 28, "hidden_size": 3584, "num_attention_heads": 28, "num_key_value_heads": 4, "intermediate_size": 18944, "vocab_size": 152064, "max_position_embeddings": 32768, "sliding_window": 131072, "use_sliding_window": false}"#
                .utf8
        )
        let model = try HuggingFaceImporter.importConfig(data: data, id: "qwen", file: "c.json")
        #expect(model.slidingWindow == nil)
        #expect(model.attention == .gqa)
    }
}
