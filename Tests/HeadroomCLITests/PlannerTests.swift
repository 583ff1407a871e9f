import Foundation
import HeadroomCatalog
import HeadroomCore
import Testing

@Suite struct PlannerTests {
    static let catalog = try! CatalogLoader.bundled()
    static let book = try! PriceBookLoader.bundled()[0]

    static var prices: [AcceleratorPrice] {
        book.instances.compactMap { i in
            guard let rate = i.onDemand, !i.excludesHost else { return nil }
            return AcceleratorPrice(
                accelerator: i.accelerator, provider: i.provider, region: i.region, jurisdiction: i.jurisdiction,
                perHour: rate, currency: book.currency, source: i.provenance.source, asOf: i.provenance.asOf
            )
        }
    }

    func request(
        peak: Double, ttft: Double = 1.0, tpot: Double = 0.06, model: String = "llama-3.1-8b",
        constraints: PlanRequest.Constraints = .init(), availability: Double? = nil
    ) throws -> PlanRequest {
        let preset = try WorkloadPreset.named("chat")
        return PlanRequest(
            model: try Self.catalog.model(model),
            traffic: .init(peakRate: peak, averageRate: peak * 0.6, input: preset.input, output: preset.output),
            objectives: .init(ttftSeconds: ttft, tpotSeconds: tpot, percentile: 99, availability: availability),
            constraints: constraints, prices: Self.prices, simulatedRequests: 1500, seed: 1
        )
    }

    func plan(_ request: PlanRequest) async throws -> Plan {
        try await Planner(catalog: Self.catalog, finalists: 2, maxSimulations: 6).plan(request)
    }

    @Test func recommendsAVerifiedPlanThatMeetsTheSLO() async throws {
        let plan = try await plan(request(peak: 20))
        let chosen = try #require(plan.chosen)
        #expect(chosen.verified)
        let sim = try #require(chosen.simulation)
        #expect(sim.ttft.p99 <= 1.0 && sim.tpot.p99 <= 0.06)
        #expect(chosen.costPerHour > 0 && chosen.costPerMillionTokens > 0)
        #expect(plan.pareto.contains { $0.costPerHour == plan.candidates.map(\.costPerHour).min() })
    }

    @Test func costNeverFallsWhenTrafficRises() async throws {
        var previous = 0.0
        for peak in [2.0, 8, 20, 45] {
            let cost = try #require(try await plan(request(peak: peak)).chosen).costPerHour
            #expect(cost >= previous - 1e-9, "peak \(peak): \(cost) < \(previous)")
            previous = cost
        }
    }

    @Test func aTighterSLONeverYieldsACheaperPlan() async throws {
        var previous = 0.0
        for ttft in [3.0, 1.0, 0.4, 0.25] {
            guard let chosen = try await plan(request(peak: 15, ttft: ttft, tpot: 0.05)).chosen else { break }
            #expect(chosen.costPerHour >= previous - 1e-9, "TTFT ≤ \(ttft) s: \(chosen.costPerHour) < \(previous)")
            previous = chosen.costPerHour
        }
    }

    @Test func anImpossibleSLOGivesTheAdvisoryNotACrash() async throws {
        let plan = try await plan(request(peak: 5, ttft: 0.001, tpot: 0.0005))
        #expect(plan.candidates.isEmpty)
        let advisory = try #require(plan.advisories.first { $0.code == "slo-impossible" })
        #expect(advisory.severity == .critical)
        #expect(advisory.detail.contains("dominated by"))
    }

    @Test func constraintsRestrictTheSearch() async throws {
        let eu = try await plan(
            request(peak: 10, constraints: .init(jurisdictions: ["EU"], lowestPrecision: .fp8))
        )
        #expect(!eu.candidates.isEmpty)
        for c in eu.candidates {
            #expect(c.price?.jurisdiction == "EU")
            #expect(c.deployment.precision.bits >= 8)
        }
        let onlyH100 = try await plan(
            request(peak: 10, constraints: .init(accelerators: ["h100-sxm"], stacks: ["vllm"])))
        #expect(
            onlyH100.candidates.allSatisfy {
                $0.deployment.accelerator.id == "h100-sxm" && $0.deployment.stack.id == "vllm"
            })
    }

    @Test func availabilityAddsASpareAndMinimumReplicasHold() async throws {
        let plain = try #require(try await plan(request(peak: 10)).chosen)
        let spared = try #require(
            try await plan(request(peak: 10, constraints: .init(minimumReplicas: 3), availability: 0.999)).chosen)
        #expect(spared.spareReplicas == 1)
        #expect(spared.replicas >= 4)
        #expect(plain.spareReplicas == 0)
    }

    @Test func budgetAndOverProvisioningArePushedBack() async throws {
        let plan = try await plan(request(peak: 4, constraints: .init(budgetPerHour: 0.01, minimumReplicas: 4)))
        let codes = Set(plan.advisories.map(\.code))
        #expect(codes.contains("over-budget"))
        #expect(codes.contains("over-provisioned"))
    }

    @Test func needsTensorParallelismToFit() async throws {
        let plan = try await plan(
            request(
                peak: 2, ttft: 3, tpot: 0.1, model: "llama-3.1-70b",
                constraints: .init(accelerators: ["h100-sxm"], stacks: ["vllm"], lowestPrecision: .bf16))
        )
        let chosen = try #require(plan.chosen)
        #expect(chosen.deployment.tensorParallel >= 2)
        #expect(plan.advisories.contains { $0.code == "needs-tp" })
    }

    @Test func integrationSizingFollowsTheTraffic() async throws {
        let plan = try await plan(request(peak: 20))
        var inputs = IntegrationInputs()
        inputs.tenants = [("a", 1e9)]
        let small = try #require(IntegrationSizing.size(plan, inputs: inputs))
        #expect(small.auditBytesPerDay > 0 && small.peakEgressGbps > 0 && small.gatewayReplicas >= 2)
        #expect(small.advisories.contains { $0.code == "quota-oversubscribed" })
        inputs.storedTextFraction = 0
        let metadataOnly = try #require(IntegrationSizing.size(plan, inputs: inputs))
        #expect(metadataOnly.auditBytesPerDay < small.auditBytesPerDay)
    }
}

@Suite(.serialized) struct PlanCommandTests {
    let cli = CommandLineTests()

    @Test(arguments: ["examples/chat-llama70b.yaml"])
    func examplePlansAreStable(path: String) throws {
        let file = CommandLineTests.repositoryRoot.appendingPathComponent(path).path
        let first = try cli.run(["plan", file, "--format", "json", "--requests", "1500"])
        let second = try cli.run(["plan", file, "--format", "json", "--requests", "1500"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let candidates = try #require(json["candidates"] as? [[String: Any]])
        #expect(candidates.first?["verified_by_simulation"] as? Bool == true)
    }

    @Test(arguments: ["table", "markdown", "html"])
    func everyFormatRenders(format: String) throws {
        let file = CommandLineTests.repositoryRoot.appendingPathComponent("examples/chat-llama70b.yaml").path
        let result = try cli.run(["plan", file, "--format", format, "--requests", "1000", "--explain"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("b200") || result.stdout.contains("h200") || result.stdout.contains("h100"))
        if format == "table" { #expect(result.stdout.contains("per-replica capacity")) }
        if format == "html" { #expect(result.stdout.contains("<svg")) }
    }

    @Test func badWorkloadNamesFileLineAndField() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("w.yaml")
        try
            "model: llama-3.1-8b\ntraffic:\n  peak_rps: 10\nlengths:\n  preset: chat\nslo:\n  ttft_ms: 500\n  percentile: 97\n"
            .write(to: path, atomically: true, encoding: .utf8)
        let result = try cli.run(["plan", path.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("w.yaml:8") && result.stderr.contains("slo.percentile"), "\(result.stderr)")
    }

    @Test func emitsLaunchFilesThatParse() throws {
        let file = CommandLineTests.repositoryRoot.appendingPathComponent("examples/chat-llama70b.yaml").path
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emit-\(UUID().uuidString)").path
        let result = try cli.run(["plan", file, "--requests", "1000", "--emit", "kubernetes", "--emit-dir", folder])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try String(contentsOfFile: folder + "/kubernetes.yaml", encoding: .utf8)
        #expect(manifest.contains("kind: Deployment") || manifest.contains("kind: LeaderWorkerSet"))
    }
}
