import HeadroomCore
import Testing

/// Data-parallel attention, the mixture-of-experts constants and the token budget of whole-prompt stacks.
@Suite struct MoEFidelityTests {
    static let dpTrtllm = ServingStack(
        id: "trtllm", name: "TensorRT-LLM", memorySemantics: .freeAfterWeights, defaultMemoryFraction: 0.9,
        defaultMaxNumSeqs: 2048, defaultMaxBatchedTokens: 8192, chunkedPrefill: false, kvReservation: .fullSequence,
        runtimeOverheadGiB: 1, support: [.init(accelerators: ["h200"], precisions: [.bf16, .fp8])],
        provenance: Fixtures.provenance
    )

    /// H200 figures from shared/calibration/hardware.csv.
    static let h200 = Accelerator(
        id: "h200", name: "NVIDIA H200", vendor: "nvidia", memoryGiB: 141, memoryBandwidthGBps: 4800,
        tflops: [.bf16: 989, .fp16: 989, .fp8: 1979], precisions: [.bf16, .fp16, .fp8],
        scaleUp: .init(name: "NVLink 4", bandwidthGBps: 450, domainSize: 8), tdpWatts: 700,
        provenance: Fixtures.provenance
    )

    func deepseek(attentionDP: Bool, stack: ServingStack = dpTrtllm) throws -> Deployment {
        try Deployment(
            model: Fixtures.deepseekV3, accelerator: Self.h200, stack: stack, count: 8, tensorParallel: 8,
            expertParallel: 8, attentionDataParallel: attentionDP, precision: .fp8)
    }

    @Test func dataParallelAttentionKeepsOneCopyOfEachSequencesLatent() throws {
        let tp = try deepseek(attentionDP: false)
        let dp = try deepseek(attentionDP: true)
        // MLA's latent is replicated on every tensor-parallel rank; under DP attention each rank keeps its own.
        #expect(tp.kvReplication == 8)
        #expect(dp.kvReplication == 1)
        let attention = Double(Fixtures.deepseekV3.layers) * Fixtures.deepseekV3.attentionParamsPerLayer * 1
        #expect(abs(dp.memoryPlan.weightsPerAccelerator - tp.memoryPlan.weightsPerAccelerator - attention * 7 / 8) < 1)
        // Capacity per replica grows by nearly the replication factor (less the replicated attention weights).
        let ratio = dp.memoryPlan.kvCapacityTokens / tp.memoryPlan.kvCapacityTokens
        #expect(ratio > 6 && ratio < 8)
    }

    @Test func dataParallelAttentionTradesWeightReadsForKVReads() throws {
        let tp = PerformanceModel(deployment: try deepseek(attentionDP: false), efficiency: Fixtures.efficiency)
        let dp = PerformanceModel(deployment: try deepseek(attentionDP: true), efficiency: Fixtures.efficiency)
        // One sequence: DP reads every attention weight on its rank, so it is slower.
        let single = StepShape.decode(sequences: 1, context: 2048)
        #expect(dp.stepTime(single).linear.bytes > tp.stepTime(single).linear.bytes)
        // A large batch of long contexts: DP reads an eighth of the latent per rank, so attention is cheaper.
        let large = StepShape.decode(sequences: 512, context: 8192)
        #expect(dp.stepTime(large).attention.bytes * 7 < tp.stepTime(large).attention.bytes)
        #expect(dp.seconds(large) < tp.seconds(large))
    }

    @Test func dataParallelAttentionNeedsAnMoEModelOverSeveralRanks() throws {
        #expect(throws: HeadroomError.self) {
            try Deployment(
                model: Fixtures.llama70B, accelerator: Self.h200, stack: Self.dpTrtllm, count: 8, tensorParallel: 8,
                attentionDataParallel: true, precision: .fp8)
        }
        #expect(throws: HeadroomError.self) {
            try Deployment(
                model: Fixtures.deepseekV3, accelerator: Self.h200, stack: Self.dpTrtllm, count: 8,
                tensorParallel: 1, attentionDataParallel: true, precision: .fp8)
        }
    }

    @Test(arguments: [0.3, 0.6, 0.92])
    func expertStreamingEfficiencyScalesOnlyTheExpertTerm(expertMemory: Double) throws {
        var profile = Fixtures.efficiency
        let base = PerformanceModel(deployment: try deepseek(attentionDP: false), efficiency: profile)
        profile.expertMemory = expertMemory
        let tuned = PerformanceModel(deployment: try deepseek(attentionDP: false), efficiency: profile)
        let shape = StepShape.decode(sequences: 4, context: 1024)
        #expect(tuned.stepTime(shape).linear.seconds == base.stepTime(shape).linear.seconds)
        // Decode at batch 4 is memory-bound on the experts: their time scales with the bandwidth fraction.
        let ratio = tuned.stepTime(shape).experts.seconds / base.stepTime(shape).experts.seconds
        #expect(abs(ratio - Fixtures.efficiency.memory / expertMemory) < 0.05 * ratio)
    }

    @Test func moeLayerAndPrefillOverheadsAddFixedTime() throws {
        var profile = Fixtures.efficiency
        profile.moeLayerOverheadMicroseconds = 50
        profile.prefillLayerOverheadMicroseconds = 400
        let model = PerformanceModel(deployment: try deepseek(attentionDP: false), efficiency: profile)
        let plain = PerformanceModel(deployment: try deepseek(attentionDP: false), efficiency: Fixtures.efficiency)
        let decode = StepShape.decode(sequences: 8, context: 1024)
        let moeLayers = Double(Fixtures.deepseekV3.moeLayers)
        #expect(abs(model.seconds(decode) - plain.seconds(decode) - moeLayers * 50e-6) < 1e-9)
        let prefill = StepShape.prefill(promptTokens: 1000)
        let extra = model.seconds(prefill) - plain.seconds(prefill)
        #expect(abs(extra - moeLayers * 50e-6 - 61 * 400e-6) < 1e-9)
        // An analytic average step carrying a tenth of a prompt pays a tenth of the eager prefill.
        var tenth = StepShape.decode(sequences: 8, context: 1024)
        tenth.prefillTokens = 100
        tenth.prefillSequences = 0.1
        let partial = model.stepTime(tenth).overheadSeconds - plain.stepTime(tenth).overheadSeconds
        #expect(abs(partial - 0.1 * 61 * 400e-6) < 1e-9)
    }

    /// Issue 16: TensorRT-LLM, 8 × B200-class, 8k in / 1k out, 64 clients predicted a 214 s TTFT because an 8,192-token
    /// prompt never fits beside running decodes in the default 8,192-token budget of a stack without chunked prefill.
    @Test func wholePromptStacksGetABudgetThatAdmitsThePrompt() throws {
        let deployment = try deepseek(attentionDP: false)
        let estimator = Estimator(
            deployment: deployment, shape: try RequestShape(inputTokens: 8192, outputTokens: 1024),
            efficiency: (Fixtures.efficiency, 3))
        let run = try estimator.simulatedEstimate(.concurrency(64), requests: 400, seed: 1)
        #expect(run.estimate.ttft.p50 < 2)
        #expect(run.estimate.batchSize > 32)
        #expect(run.estimate.assumptions.contains { $0.contains("max_num_tokens") && $0.contains("8192") })
        // A budget the user set is kept as given.
        let given = Estimator(
            deployment: deployment, shape: try RequestShape(inputTokens: 8192, outputTokens: 1024),
            efficiency: (Fixtures.efficiency, 3), batchLimitsGiven: true)
        #expect(given.model.deployment.maxBatchedTokens == 8192)
    }

    /// Closed-loop clients of fixed-length requests that all start at t = 0 stay in lockstep: each prompt then waits
    /// for the whole wave's prefill (DeepSeek-R1, 8 × H200, 1k/1k, 16 clients: p50 TTFT 1,047 ms simulated against
    /// 151 ms analytic). Spread over one request's lifetime, the simulated median TTFT stays near the analytic one.
    @Test func closedLoopClientsStartSpreadSoTheirPromptsDoNotArriveAsOneWave() throws {
        let deployment = try Deployment(
            model: Fixtures.deepseekV3, accelerator: Self.h200, stack: Self.dpTrtllm, count: 8, tensorParallel: 8,
            expertParallel: 8, precision: .fp8)
        let estimator = Estimator(
            deployment: deployment, shape: try RequestShape(inputTokens: 1024, outputTokens: 256),
            efficiency: (Fixtures.efficiency, 3))
        let analytic = try estimator.estimate(.concurrency(16))
        let run = try estimator.simulatedEstimate(.concurrency(16), requests: 480, seed: 1)
        #expect(run.estimate.ttft.p50 < 1.5 * analytic.ttft.p50, "\(run.estimate.ttft.p50) vs \(analytic.ttft.p50)")
        #expect(run.estimate.batchSize > 12)
    }

    @Test func estimatesCarryTheirCalibrationStatus() throws {
        var profile = Fixtures.efficiency
        profile.validatedError = ValidatedError(throughput: 0.12, ttft: 0.2, tpot: 0.08, rows: 40)
        let deployment = try Fixtures.deployment()
        let shape = try RequestShape(inputTokens: 1024, outputTokens: 256)
        let fitted = try Estimator(deployment: deployment, shape: shape, efficiency: (profile, 3)).estimate(
            .concurrency(8))
        #expect(fitted.calibration?.calibrated == true)
        #expect(fitted.calibration?.summary.contains("throughput 12") == true)
        let borrowed = try Estimator(deployment: deployment, shape: shape, efficiency: (profile, 0)).estimate(
            .concurrency(8))
        #expect(borrowed.calibration?.calibrated == false)
        #expect(borrowed.calibration?.summary.hasPrefix("uncalibrated: borrowed from") == true)
    }

    @Test(arguments: [
        ("deepseek-r1", "deepseek (MoE)"), ("qwen3-235b-a22b", "qwen3 (MoE)"), ("gpt-oss-120b", "gpt-oss (MoE)"),
        ("mixtral-8x7b", "mixtral (MoE)"), ("llama-3.1-70b", "llama (dense)"), ("qwen2.5-72b", "qwen2.5 (dense)"),
    ])
    func calibrationGroupsNameTheFamily(model: String, family: String) {
        #expect(CalibrationGroup.family(of: model) == family)
    }
}

/// Issue 15: `estimate --max-rate` with a loose objective handed the search's upper bracket (120 % of capacity) to a
/// simulation the analytic pass refuses.
@Suite struct LooseObjectiveMaxRateTests {
    @Test func aLooseObjectiveIsMetUpToCapacityAndThatRateCanBeEstimated() throws {
        let estimator = try Fixtures.estimator(try Fixtures.deployment(precision: .fp8), input: 1024, output: 256)
        let slo = LatencySLO(ttftSeconds: 5, tpotSeconds: 0.2)
        let rate = try estimator.simulatedMaxRate(meeting: slo, requests: 400, seed: 1)
        let capacity = try estimator.estimate(.offline(requests: nil)).requestsPerSecond
        #expect(rate <= capacity)
        #expect(rate > 0.5 * capacity)
        let run = try estimator.simulatedEstimate(.rate(rate), requests: 400, seed: 1)
        #expect(run.estimate.requestsPerSecond > 0)
    }
}

/// A profile restricted to a model class applies only to that class.
@Suite struct ModelClassProfileTests {
    @Test func aMoEOnlyProfileSetsMoEFiguresAndLeavesDenseOnes() {
        var catalog = Catalog()
        var general = Fixtures.efficiency
        general.stack = "*"
        var moe = Fixtures.efficiency
        moe.stack = "sglang"
        moe.compute = 0.2
        moe.modelClass = .moe
        catalog.efficiencies = [general, moe]
        #expect(catalog.efficiency(stack: "sglang", accelerator: "h200", isMoE: true)?.profile.compute == 0.2)
        #expect(catalog.efficiency(stack: "sglang", accelerator: "h200", isMoE: false)?.profile.compute == 0.6)
        #expect(catalog.efficiency(stack: "sglang", accelerator: "h200")?.profile.compute == 0.6)
    }
}
