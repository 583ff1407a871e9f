import HeadroomCore
import Testing

@Suite struct MemoryModelTests {
    @Test func llama70BWeightsInBF16() throws {
        let deployment = try Fixtures.deployment(model: Fixtures.llama70B, count: 8, tp: 8)
        let gib = deployment.weightBytes / 1_073_741_824
        // 70.55 B parameters × 2 B ≈ 131.4 GiB (the issue's ≈ 131.5 GiB).
        #expect(abs(gib - 131.5) < 0.5, "weights \(gib) GiB")
        #expect(abs(deployment.memoryPlan.weightsPerAccelerator * 8 - deployment.weightBytes) < 1)
    }

    @Test func llama70BKVCachePerToken() {
        // 2 (K and V) · 80 layers · 8 KV heads · 128 head dim · 2 B = 320 KiB.
        #expect(Fixtures.llama70B.kvBytesPerToken(kvPrecision: .bf16) == 2 * 80 * 8 * 128 * 2)
        #expect(Fixtures.llama70B.kvBytesPerToken(kvPrecision: .bf16) / 1024 == 320)
        #expect(Fixtures.llama70B.kvBytesPerToken(kvPrecision: .fp8) / 1024 == 160)
    }

    @Test func mlaCachesTheLatentOnly() {
        // DeepSeek-V3: 61 layers · (kv_lora_rank 512 + rope 64) · 2 B.
        #expect(Fixtures.deepseekV3.kvBytesPerToken(kvPrecision: .bf16) == 61 * 576 * 2)
    }

    @Test func slidingWindowCapsTheCache() {
        let model = Fixtures.mistral7B
        let short = model.kvCacheBytes(forContext: 1000, kvPrecision: .bf16)
        let atWindow = model.kvCacheBytes(forContext: 4096, kvPrecision: .bf16)
        let long = model.kvCacheBytes(forContext: 20000, kvPrecision: .bf16)
        #expect(short == 1000 * model.kvBytesPerToken(kvPrecision: .bf16))
        #expect(long == atWindow)
    }

    @Test func moeWeightsCountEveryExpert() {
        let model = Fixtures.deepseekV3
        // Published: 671 B total, 37 B active (model card); MTP layer excluded from the served total.
        #expect(abs(model.totalParams / 671e9 - 1) < 0.01, "total \(model.totalParams / 1e9) B")
        #expect(abs(model.activeParams / 37e9 - 1) < 0.03, "active \(model.activeParams / 1e9) B")
    }

    @Test(arguments: [ServingStack.MemorySemantics.total, .freeAfterWeights])
    func kvCacheIsWhatIsLeft(semantics: ServingStack.MemorySemantics) throws {
        var stack = Fixtures.vllm
        stack.memorySemantics = semantics
        let plan = try Fixtures.deployment(stack: stack).memoryPlan
        let used = plan.weightsPerAccelerator + plan.activationsPerAccelerator + plan.runtimeOverheadPerAccelerator
        let total = Fixtures.h100.memoryBytes
        switch semantics {
        case .total: #expect(abs(plan.kvCachePerAccelerator - (total * 0.9 - used)) < 1)
        case .freeAfterWeights: #expect(abs(plan.kvCachePerAccelerator - (total - used) * 0.9) < 1)
        }
    }

    @Test func modelThatDoesNotFitSaysByHowMuch() throws {
        let estimator = try Fixtures.estimator(Fixtures.deployment(model: Fixtures.llama70B))
        #expect {
            try estimator.estimate(.rate(1))
        } throws: { error in
            guard let error = error as? HeadroomError else { return false }
            return error.code == .doesNotFit && error.message.contains("GiB budget by")
        }
    }

    @Test func badDeploymentFlagsAreRejected() {
        #expect(throws: HeadroomError.self) { try Fixtures.deployment(count: 3, tp: 2) }
        #expect(throws: HeadroomError.self) { try Fixtures.deployment(count: 0) }
        #expect(throws: HeadroomError.self) { try Fixtures.deployment(precision: .fp4) }
        #expect(throws: HeadroomError.self) { try RequestShape(inputTokens: -5, outputTokens: 10) }
        #expect(throws: HeadroomError.self) { try RequestShape(inputTokens: 5, outputTokens: 0) }
    }
}
