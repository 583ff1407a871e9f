import Foundation
import HeadroomCatalog
import Testing

@testable import HeadroomCore

/// Issue 15: anchors, quality floor, launchable plans and the smaller items, each case rebuilt.
@Suite struct Issue15AnchorTests {
    static let catalog = try! CatalogLoader.bundled()
    static let book = try! PriceBookLoader.bundled()[0]

    static var prices: [AcceleratorPrice] { PlannerTests.prices }

    func request(
        model: String = "llama-3.1-70b", accelerators: Set<String>, jurisdictions: Set<String>? = nil
    ) throws -> PlanRequest {
        let preset = try WorkloadPreset.named("chat")
        return PlanRequest(
            model: try Self.catalog.model(model),
            traffic: .init(peakRate: 5, averageRate: 3, input: preset.input, output: preset.output),
            objectives: .init(ttftSeconds: 1, tpotSeconds: 0.06, percentile: 99, availability: nil),
            constraints: .init(accelerators: accelerators, jurisdictions: jurisdictions), prices: Self.prices,
            simulatedRequests: 500, seed: 1
        )
    }

    @Test(arguments: ["gb200", "trn2"])
    func gb200AndTrainium2HaveSourcedDatedPrices(accelerator: String) throws {
        let entries = Self.book.instances(for: accelerator).filter { $0.onDemand != nil && !$0.excludesHost }
        let entry = try #require(entries.first)
        #expect(entry.provenance.source.contains("https://"))
        #expect(entry.provenance.asOf.count == 10)
        #expect(entry.jurisdiction == "US")
    }

    @Test func trainium2HasASourcedPowerFigure() throws {
        let part = try Self.catalog.accelerator("trn2")
        #expect(part.tdpWatts == 500)
        #expect(part.provenance.source.contains("nand-research.com"))
    }

    @Test func anUnknownAcceleratorIsRefusedWithTheNearestIds() async throws {
        let error = await #expect(throws: HeadroomError.self) {
            try await Planner(catalog: Self.catalog).plan(try request(accelerators: ["h900"]))
        }
        #expect(error?.code == .unknownEntry)
        #expect(error?.message.contains("did you mean h100-sxm, h200") == true, "\(error?.message ?? "")")
        #expect(error?.field == "constraints.accelerators")
    }

    @Test func anUnpricedAcceleratorAsksForPricingOverrides() async throws {
        // GB200 is priced in the US only: under EU residency it has no price.
        let error = await #expect(throws: HeadroomError.self) {
            try await Planner(catalog: Self.catalog).plan(try request(accelerators: ["gb200"], jurisdictions: ["EU"]))
        }
        #expect(error?.code == .infeasible)
        #expect(error?.message.hasPrefix("no price: gb200") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("pricing.overrides") == true)
    }

    @Test func aliasesInTheConstraintResolveToCatalogIds() throws {
        let resolved = try WorkloadPlanning.resolvedConstraints(
            .init(accelerators: ["trainium2", "H100"]), catalog: Self.catalog)
        #expect(resolved.accelerators == ["trn2", "h100-sxm"])
    }
}

@Suite struct Issue15QualityFloorTests {
    static let catalog = Issue15AnchorTests.catalog

    func precisions(
        model: String, accelerator: String, stack: String, floor: Precision? = nil
    ) throws -> [Precision] {
        let preset = try WorkloadPreset.named("chat")
        let request = PlanRequest(
            model: try Self.catalog.model(model),
            traffic: .init(peakRate: 5, averageRate: 3, input: preset.input, output: preset.output),
            objectives: .init(ttftSeconds: 1, tpotSeconds: 0.06, percentile: 99, availability: nil),
            constraints: .init(lowestPrecision: floor), prices: [], simulatedRequests: 500, seed: 1)
        return Planner(catalog: Self.catalog).candidatePrecisions(
            accelerator: try Self.catalog.accelerator(accelerator), stack: try Self.catalog.stack(stack),
            request: request)
    }

    @Test func theDefaultFloorIsFP8() throws {
        #expect(PlanRequest.Constraints().precisionFloorBits == 8)
        let options = try precisions(model: "deepseek-v3", accelerator: "h100-sxm", stack: "vllm")
        #expect(!options.isEmpty)
        #expect(options.allSatisfy { $0.bits >= 8 }, "\(options)")
    }

    @Test func aModelReleasedIn4BitKeepsItsOwnFormat() throws {
        let options = try precisions(model: "gpt-oss-120b", accelerator: "h100-sxm", stack: "vllm")
        #expect(options.contains(.mxfp4), "\(options)")
    }

    @Test func fp4OnHopperIsLabelledWeightOnly() throws {
        let h100 = try Self.catalog.accelerator("h100-sxm")
        #expect(h100.runsWeightOnly(.fp4))
        #expect(h100.runsWeightOnly(.int4AWQ))
        #expect(!h100.runsWeightOnly(.fp8))
        #expect(!(try Self.catalog.accelerator("b200")).runsWeightOnly(.fp4))
        #expect((try Self.catalog.accelerator("a100")).runsWeightOnly(.fp8))
    }

    @Test func trtllmIsOfferedOnlyFormatsItCanLoad() throws {
        let llama = try precisions(model: "llama-3.1-8b", accelerator: "h100-sxm", stack: "trtllm")
        #expect(llama.contains(.fp8), "the ModelOpt FP8 export is catalogued: \(llama)")
        let mistral = try precisions(model: "mistral-7b", accelerator: "h100-sxm", stack: "trtllm")
        #expect(!mistral.contains(.fp8), "no FP8 export and no online quantization: \(mistral)")
        #expect(try Self.catalog.model("llama-3.1-70b").checkpoint(in: .fp8) == "nvidia/Llama-3.1-70B-Instruct-FP8")
    }
}

@Suite(.serialized) struct Issue15CommandTests {
    let cli = CommandLineTests()

    func workload(_ constraints: String, model: String = "llama-3.1-70b", extra: String = "") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("i15-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("w.yaml")
        try """
        model: \(model)
        traffic:
          peak_rps: 5
          requests: 600
        lengths:
          preset: chat
        slo:
          ttft_ms: 1000
          tpot_ms: 60
        constraints:
        \(constraints)
        \(extra)
        """.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    @Test func anUnknownAcceleratorExitsNonZeroWithTheNearestIds() throws {
        let result = try cli.run(["plan", try workload("  accelerators: [h900]")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown accelerator 'h900'"), "\(result.stderr)")
        #expect(result.stderr.contains("did you mean h100-sxm, h200"), "\(result.stderr)")
    }

    @Test func anUnpricedAcceleratorExitsNonZeroAskingForOverrides() throws {
        let result = try cli.run(["plan", try workload("  accelerators: [gb200]\n  data_residency: [EU]")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no price: gb200"), "\(result.stderr)")
        #expect(result.stderr.contains("pricing.overrides"), "\(result.stderr)")
    }

    @Test(arguments: ["gb200", "trn2"])
    func gb200AndTrainium2ArePlanned(accelerator: String) throws {
        let result = try cli.run(["plan", try workload("  accelerators: [\(accelerator)]"), "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let candidates = try #require(json["candidates"] as? [[String: Any]])
        #expect(candidates.first?["accelerator"] as? String == accelerator)
    }

    @Test func trainingOnATPUPrintsNoZeroMegawatts() throws {
        let base = ["train", "--model", "llama-3.1-8b", "--tokens", "1T", "--accelerator", "tpu-v5p", "--count", "64"]
        let unknown = try cli.run(base)
        #expect(unknown.status == 0, "\(unknown.stderr)")
        #expect(!unknown.stdout.contains(" 0 MW"))
        #expect(unknown.stdout.contains("accelerator_power_w"))
        #expect(unknown.stdout.contains("Google publishes no TPU rack layout"), "the rack default is labelled")
        let given = try cli.run(base + ["--accelerator-power-w", "400"])
        #expect(given.stdout.contains("0.026 MW"), "\(given.stdout)")
    }

    @Test(arguments: ["trn2", "tpu-v5p"])
    func borrowedTrainingMFUIsLabelled(accelerator: String) throws {
        let result = try cli.run([
            "train", "--model", "llama-3.1-8b", "--tokens", "1T", "--accelerator", accelerator, "--count", "64",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("borrowed from the"), "\(result.stdout)")
        #expect(result.stdout.contains("not measured on \(accelerator)"))
    }

    @Test func aTRTLLMFP8PlanEmitsItsLaunchFiles() throws {
        let file = try workload(
            "  accelerators: [h100-sxm]\n  stacks: [trtllm]", model: "llama-3.1-8b",
            extra: "quality:\n  lowest_precision: fp8")
        let result = try cli.run(["plan", file, "--emit", "trtllm", "--emit", "kubernetes"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("trtllm-serve"))
        if result.stdout.contains("fp8 weights") {
            #expect(result.stdout.contains("nvidia/Llama-3.1-8B-Instruct-FP8"), "\(result.stdout)")
        }
    }

    @Test func aSingleReplicaFleetIsNotToldToAutoscaleBetween1And1() throws {
        let file = try workload(
            "  accelerators: [h100-sxm]\n  stacks: [sglang]", model: "llama-3.1-8b",
            extra: "quality:\n  lowest_precision: fp8")
        let result = try cli.run(["plan", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("between 1 and 1"))
        // SGLang on h100-sxm borrows the wildcard profile referenced to h100-sxm: not "from the h100-sxm fit".
        #expect(!result.stdout.contains("borrowed from the h100-sxm fit"), "\(result.stdout)")
    }

    @Test func theReplicaColumnCountsSparesLikeTheSummary() throws {
        let file = try workload(
            "  accelerators: [h100-sxm]\n  stacks: [vllm]", model: "llama-3.1-8b",
            extra: "quality:\n  lowest_precision: fp8")
        let text = try String(contentsOfFile: file, encoding: .utf8)
            .replacingOccurrences(of: "  tpot_ms: 60", with: "  tpot_ms: 60\n  availability: 0.999")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try cli.run(["plan", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("incl. 1 spare"))
        #expect(!result.stdout.contains("(+1)"))
    }

    @Test func trainiumIsBoughtInWholeInstances() throws {
        let result = try cli.run(["plan", try workload("  accelerators: [trn2]"), "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let top = try #require((json["candidates"] as? [[String: Any]])?.first)
        #expect(top["purchase_unit"] as? String == "trn2.48xlarge")
        let billed = try #require(top["billed_accelerators"] as? Int)
        #expect(billed % 16 == 0 && billed >= (top["accelerators"] as? Int ?? .max))
        let cost = try #require(top["cost_per_hour"] as? Double)
        #expect(abs(cost - Double(billed) * 2.235) < 1e-6)
    }

    @Test func aTrainingBatchIsSplitWholeOrSaysItIsRounded() throws {
        let base = ["train", "--model", "llama-3.1-70b", "--tokens", "15T", "--accelerator", "h100-sxm", "--count"]
        let even = try cli.run(base + ["2048"])
        #expect(even.status == 0, "\(even.stderr)")
        #expect(!even.stdout.contains("global batch rounded up"))
        let odd = try cli.run(base + ["2112"])
        #expect(odd.status == 0, "\(odd.stderr)")
        #expect(odd.stdout.contains("global batch rounded up from 16777216"), "\(odd.stdout)")
    }

    @Test func costBuysThePlannedFleetAndPrintsEachNoteOnce() throws {
        let file = try workload(
            "  accelerators: [h100-sxm]\n  stacks: [trtllm]", model: "llama-3.1-8b",
            extra: "quality:\n  lowest_precision: fp8")
        let plan = try cli.run(["plan", file, "--format", "json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let replicas = try #require((json["candidates"] as? [[String: Any]])?.first?["replicas"] as? Int)
        let cost = try cli.run(["cost", file])
        #expect(cost.status == 0, "\(cost.stderr)")
        #expect(cost.stdout.contains("demand: \(replicas) replicas at peak, \(replicas * 8760) replica-hours"))
        let lines = cost.stdout.split(separator: "\n").filter { $0.hasPrefix("  - ") }
        #expect(Set(lines).count == lines.count, "a note printed twice")
    }

    @Test func aTrainium2PlanEmitsKubernetesWithTheGivenImage() throws {
        let file = try workload("  accelerators: [trn2]")
        let missing = try cli.run(["plan", file, "--emit", "kubernetes"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("--image"), "\(missing.stderr)")
        let image =
            "public.ecr.aws/neuron/pytorch-inference-vllm-neuronx:0.24.0.1.1.0-neuronx-py313-sdk2.32.0-ubuntu24.04"
        let given = try cli.run(["plan", file, "--emit", "kubernetes", "--image", image])
        #expect(given.status == 0, "\(given.stderr)")
        #expect(given.stdout.contains("image: \"\(image)\""))
        #expect(given.stdout.contains("aws.amazon.com/neuron"))
    }
}
