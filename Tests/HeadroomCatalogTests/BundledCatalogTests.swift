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

/// The gathered MoE, vLLM and SGLang rows, as `scripts/calibration/normalize_moe.py` writes them.
@Suite struct MoECalibrationRowsTests {
    static let header =
        "source,date,system,accelerator,n_accelerators,model,precision,framework,scenario,input_len,output_len,"
        + "concurrency_or_qps,metric,value,unit,notes,confidence\n"

    @Test func layoutLoadAndMetricWordsAreRead() throws {
        let csv =
            Self.header
            + "s,d,x,NVIDIA B200,8,DeepSeek-R1,\"FP8 weights, BF16 KV (FP8 block)\",SGLang v0.5.6,online serving,"
            + "1000,1000,concurrency=64,TTFT p50,150,ms,\"TP=8; EP=8; dp-attention; max_num_seqs=256; "
            + "memory_fraction=0.85 | server flags\",high\n"
            + "s,d,x,NVIDIA H200,8,DeepSeek-R1,\"NVFP4 weights, FP8 KV\",TensorRT-LLM,offline max throughput,1024,1024,"
            + "all requests queued at once (offline),output throughput per GPU,2000,output tokens/s,TP=8,high\n"
            + "s,d,x,NVIDIA H200,8,DeepSeek-R1,FP8 weights,SGLang,burst,219,201,QPS=inf,TPOT median,190,ms,"
            + "TP=8; 1000 requests,high\n"
        let loaded = try CalibrationLoader.parse(csv: csv, file: "t.csv")
        #expect(loaded.skipped.isEmpty)
        let first = try #require(loaded.measurements.first)
        #expect(first.scenario == .concurrency(64))
        #expect(first.metric == .medianTTFT)
        #expect(first.kvPrecision == .bf16)
        #expect(first.expertParallel == 8 && first.attentionDataParallel)
        #expect(first.maxNumSeqs == 256 && first.memoryFraction == 0.85)
        // Per-GPU throughput is the whole deployment's divided by its accelerators.
        #expect(loaded.measurements[1].value == 16000)
        #expect(loaded.measurements[1].kvPrecision == .fp8)
        #expect(loaded.measurements[2].scenario == .online(rate: nil, requests: 1000))
        #expect(loaded.measurements[2].metric == .medianTPOT)
    }

    /// The layout comes from the normaliser's tokens before " | ": the quoted source text after it may name
    /// data-parallel attention only to say it was off (the SGLang cookbook's B200 DeepSeek-R1 runs: "TP8 no
    /// DP-attention/EP").
    @Test func aNegatedMentionAfterTheLayoutDoesNotTurnOnAttentionDP() throws {
        let csv =
            Self.header
            + "s,d,x,NVIDIA B200,8,DeepSeek-R1,\"FP8 weights, BF16 KV\",SGLang v0.5.6,online serving,"
            + "610,421,concurrency=1,TPOT p50,9.15,ms,\"TP=8 | server: --tp 8; TP8 no DP-attention/EP\",high\n"
        let loaded = try CalibrationLoader.parse(csv: csv, file: "t.csv")
        let row = try #require(loaded.measurements.first)
        #expect(!row.attentionDataParallel)
        #expect(row.tensorParallel == 8 && row.inputTokens == 610)
    }

    @Test func bundledSGLangB200DeepSeekRowsRunPlainTensorParallel() throws {
        let rows = try CalibrationLoader.bundled().measurements.filter {
            $0.stackID == "sglang" && $0.acceleratorID == "b200" && $0.modelID.lowercased().contains("deepseek")
        }
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { !$0.attentionDataParallel })
        // Lengths are the client's averages, not the --random-*-len flags (uniform draws average half of them).
        #expect(rows.allSatisfy { $0.inputTokens < 4500 && $0.outputTokens < 4500 })
    }

    @Test func heldOutRowsAreNeverOfferedToAFit() throws {
        let fit = try CalibrationLoader.bundled(holdout: .exclude)
        let heldOut = try CalibrationLoader.bundled(holdout: .only)
        #expect(!heldOut.measurements.isEmpty)
        #expect(heldOut.measurements.allSatisfy { $0.origin.hasPrefix("moe_serving_holdout.csv") })
        #expect(fit.measurements.allSatisfy { !$0.origin.contains("holdout") })
        let all = try CalibrationLoader.bundled()
        #expect(all.measurements.count == fit.measurements.count + heldOut.measurements.count)
    }
}

/// `quality.calibration`: how the planner treats pairs whose constants are borrowed.
@Suite struct CalibrationPolicyWorkloadTests {
    static let base = """
        model: deepseek-r1
        traffic:
          peak_rps: 4
        lengths:
          input: {dist: fixed, mean: 1024}
          output: {dist: fixed, mean: 256}
        slo:
          ttft_ms: 2000
          tpot_ms: 80
        """

    @Test(arguments: [
        ("", PlanRequest.Constraints.CalibrationPolicy.any),
        ("quality:\n  calibration: require\n", .require),
        ("quality:\n  calibration: widen\n", .widen(margin: nil)),
        ("quality:\n  calibration: widen\n  uncalibrated_margin: 0.25\n", .widen(margin: 0.25)),
    ])
    func policiesParse(extra: String, expected: PlanRequest.Constraints.CalibrationPolicy) throws {
        let spec = try WorkloadLoader.decode(yaml: Self.base + "\n" + extra, file: "w.yaml")
        #expect(spec.constraints.calibration == expected)
    }

    @Test(arguments: [
        "quality:\n  calibration: sometimes\n", "quality:\n  uncalibrated_margin: 0.2\n",
        "quality:\n  calibration: widen\n  uncalibrated_margin: 1.5\n",
    ])
    func badPoliciesNameTheField(extra: String) {
        #expect {
            try WorkloadLoader.decode(yaml: Self.base + "\n" + extra, file: "w.yaml")
        } throws: { error in
            "\(error)".contains("quality.") && "\(error)".contains("w.yaml")
        }
    }
}

/// KV capacity against what a server printed at start-up (docs/calibration-moe-facts.md §1a: SGLang on 8 × B200,
/// DeepSeek-R1-0528 FP8, TP 8, EP 8, BF16 KV, default memory fraction: `max_total_num_tokens=980344`).
@Suite struct PrintedKVCapacityTests {
    @Test func sglangDeepSeekOnEightB200() throws {
        let catalog = try CatalogLoader.bundled()
        let deployment = try Deployment(
            model: catalog.model("deepseek-r1"), accelerator: catalog.accelerator("b200"),
            stack: catalog.stack("sglang"), count: 8, tensorParallel: 8, expertParallel: 8, precision: .fp8,
            kvPrecision: .bf16)
        // SGLang's reserve rule for a ≥ 160 GiB part at tp 8: 512 + 1.5 × 16384 + 2 × 512 + 8 × 128 MiB.
        #expect(abs(deployment.memoryFraction - 0.853) < 0.001)
        let tokens = deployment.memoryPlan.kvCapacityTokens
        let printed = 980_344.0
        // Within 20 %: the model is 16 % above (the runtime's own buffers are an assumption of 1 GiB).
        #expect(abs(tokens / printed - 1) < 0.2, "predicted \(tokens) tokens against \(printed) printed")
    }
}
