import Foundation
import HeadroomCatalog
import HeadroomCore
import Testing

@Suite struct BundledCatalogTests {
    static let catalog = try! CatalogLoader.bundled()

    /// DESIGN.md §4 identifiers.
    static let designAccelerators = [
        "a100-80g", "h100-sxm", "h100-pcie", "h200", "b200", "gb200", "l40s", "mi300x", "mi325x", "trn2", "tpu-v5e",
        "tpu-v5p", "tpu-v6e", "gaudi3",
    ]

    @Test(arguments: designAccelerators)
    func everyDesignAcceleratorIsSourced(id: String) throws {
        let part = try Self.catalog.accelerator(id)
        #expect(part.memoryGiB > 0 && part.memoryBandwidthGBps > 0)
        #expect(part.tflops[.bf16] != nil, "dense BF16 peak")
        #expect(!part.provenance.source.isEmpty && !part.provenance.asOf.isEmpty)
        #expect(part.scaleUp != nil, "scale-up interconnect")
    }

    @Test func everyEntryCarriesSourceAndDate() {
        let c = Self.catalog
        let provenances =
            c.accelerators.map(\.provenance) + c.models.map(\.provenance) + c.stacks.map(\.provenance)
            + c.efficiencies.map(\.provenance)
        for p in provenances {
            #expect(!p.source.isEmpty)
            #expect(!p.asOf.isEmpty)
        }
    }

    @Test(arguments: ["vllm", "sglang", "trtllm"])
    func stacksHaveAPortabilityMatrix(id: String) throws {
        let stack = try Self.catalog.stack(id)
        #expect(!stack.support.isEmpty)
        for row in stack.support {
            for accelerator in row.accelerators {
                #expect(throws: Never.self) { try Self.catalog.accelerator(accelerator) }
            }
        }
    }

    @Test func tensorRTLLMRunsOnlyOnNVIDIA() throws {
        let stack = try Self.catalog.stack("trtllm")
        #expect(stack.precisions(on: "mi300x").isEmpty)
        #expect(stack.precisions(on: "h100-sxm").contains(.fp8))
        #expect(stack.memorySemantics == .freeAfterWeights)
        #expect(try Self.catalog.stack("vllm").memorySemantics == .total)
    }

    @Test(arguments: try! CatalogLoader.bundled().models.map(\.id))
    func parameterCountMatchesThePublishedOne(id: String) throws {
        let model = try Self.catalog.model(id)
        let published = try #require(model.publishedTotalParams)
        #expect(
            abs(model.totalParams / published - 1) < 0.03, "\(id): \(model.totalParams / 1e9) B vs \(published / 1e9) B"
        )
        if let active = model.publishedActiveParams {
            #expect(
                abs(model.activeParams / active - 1) < 0.1,
                "\(id) active: \(model.activeParams / 1e9) B vs \(active / 1e9) B")
        }
    }

    @Test func aliasesAreCaseInsensitive() throws {
        #expect(try Self.catalog.model("LLAMA-3.1-70B").id == "meta-llama/Llama-3.1-70B-Instruct")
        #expect(try Self.catalog.model("meta-llama/llama-3.1-70b-instruct").layers == 80)
        #expect(try Self.catalog.accelerator("H100-SXM").id == "h100-sxm")
    }

    @Test func unknownNamesSayWhatIsKnown() {
        #expect {
            try Self.catalog.model("llama-9")
        } throws: { error in
            (error as? HeadroomError)?.code == .unknownEntry
        }
        #expect {
            try Self.catalog.accelerator("h900")
        } throws: { error in
            "\(error)".contains("h100-sxm")
        }
    }

    @Test func calibrationRowsLoad() throws {
        let loaded = try CalibrationLoader.bundled()
        let shared = loaded.measurements.filter { $0.origin.hasPrefix("measured_inference.csv") }
        #expect(shared.count == 553)
        #expect(loaded.skipped.allSatisfy { !$0.origin.hasPrefix("measured_inference.csv") })
    }
}
