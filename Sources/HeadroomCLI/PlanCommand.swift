import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomOperations
import HeadroomReport

/// `headroom plan`: the cheapest deployments that meet a workload's SLO, explained, ready to deploy.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Find the cheapest deployments that meet a workload's SLO; explain them; emit launch commands."
    )

    @Argument(help: "A workload file (YAML; see docs/workload.md).") var workload: String
    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "table, json, markdown or html.") var format: PlanFormat = .table
    @Option(help: "Write the report here instead of standard output.") var output: String?
    @Flag(help: "Trace the recommendation's figures to their formula inputs.") var explain = false
    @Option(help: "Write launch files for the recommendation: vllm, sglang, trtllm or kubernetes (repeatable).")
    var emit: [String] = []
    @Option(help: "Folder for --emit files (default: print them).") var emitDir: String?
    @Option(
        help: "Container image for --emit kubernetes (required where Headroom pins none: TPU, Trainium, Gaudi).")
    var image: String?
    @Option(help: "Candidates listed in reports.") var top: Int = 10
    @Option(help: "A price book file (YAML or CSV) replacing the bundled one.") var priceBook: String?
    @Option(help: "Requests per confirming simulation (default: the file's traffic.requests or 3000).") var requests:
        Int?
    @Option(help: "Seed of the confirming simulations.") var seed: UInt64 = 1
    @Flag(help: "Add the cost section: how to buy the recommendation over a year (see `headroom cost`).")
    var withCost = false
    @Option(help: "Save the plan (its JSON) in the database as the next version of this name (see `headroom plans`).")
    var save: String?
    @Flag(help: "With --save: mark the saved plan confidential (viewers get it without costs).")
    var confidential = false
    @OptionGroup var store: ServeCommand.StoreOptions

    func validate() throws {
        if let save, !PlansCommand.isValidName(save) {
            throw ValidationError("--save takes letters, digits, '-', '_' and '.' (at most 128), not '\(save)'")
        }
        if confidential, save == nil { throw ValidationError("--confidential goes with --save") }
    }

    enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json, markdown, html
    }

    func run() async throws {
        if Self.isPlatformFile(workload) { return try await runPlatform() }
        let planned = try await PlannedWorkload.make(
            workload: workload, catalogOptions: catalogOptions, priceBook: priceBook, requests: requests, seed: seed,
            top: top, explain: explain
        )
        let (plan, document, catalog) = (planned.plan, planned.document, planned.catalog)
        let defaults = CostDefaults()
        let cost =
            withCost && plan.chosen != nil
            ? try CostCommand.document(
                for: planned, hours: defaults.hours, economics: nil, tcoYears: defaults.tcoYears,
                spotMaxShare: defaults.spotMaxShare, penalty: defaults.violationPenalty)
            : nil
        if let save {
            let json = try reportingErrors {
                if let cost { return try JSONRendering.render(PlanWithCost(plan: document, cost: cost)) }
                return try JSONRendering.render(document)
            }
            let version = try await PlansCommand.save(
                name: save, document: json, confidential: confidential, url: store.resolved)
            FileHandle.standardError.write(Data("saved plan '\(save)' version \(version)\n".utf8))
        }
        var text: String
        switch format {
        case .table:
            var rendered = PlanTable.render(document, top: top)
            if explain { rendered += "\n\n" + Self.explanationTable(plan.explanation(catalog: catalog)) }
            if let cost { rendered += "\n\n" + CostReport.table(cost) }
            text = rendered
        case .json:
            text = try reportingErrors {
                if let cost { return try JSONRendering.render(PlanWithCost(plan: document, cost: cost)) }
                return try JSONRendering.render(document)
            }
        case .markdown: text = PlanMarkdown.render(document) + (cost.map { "\n" + CostReport.markdown($0) } ?? "")
        case .html:
            text = PlanHTML.render(document)
            if let cost, let start = CostReport.html(cost).range(of: "<body>"),
                let end = CostReport.html(cost).range(of: "</body>"),
                let insert = text.range(of: "</body>", options: .backwards)
            {
                let html = CostReport.html(cost)
                text.replaceSubrange(
                    insert,
                    with: "<section class=\"cost\">" + html[start.upperBound..<end.lowerBound] + "</section></body>")
            }
        }
        if let output {
            try reportingErrors { try Self.write(text, to: output) }
            HeadroomCLI.emit("wrote \(output)")
        } else {
            HeadroomCLI.emit(text)
        }
        try emitLaunchFiles(plan)
    }

    func emitLaunchFiles(_ plan: Plan) throws {
        guard !emit.isEmpty else { return }
        guard let chosen = plan.chosen else {
            throw failure("no plan to emit launch files for")
        }
        var spec = EmitSpec(plan: chosen)
        if let image { spec.image = image }
        let targets = try emit.map { name -> EmitTarget in
            guard let target = EmitTarget(rawValue: name.lowercased()) else {
                throw failure("--emit takes vllm, sglang, trtllm or kubernetes, not '\(name)'")
            }
            return target
        }
        for target in targets {
            let text = try reportingErrors { try DeploymentEmitter.emit(spec, target: target) }
            if let folder = emitDir {
                let name = target == .kubernetes ? "kubernetes.yaml" : "\(target.rawValue)-launch.sh"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try reportingErrors { try Self.write(text, to: (folder as NSString).appendingPathComponent(name)) }
                HeadroomCLI.emit("wrote \((folder as NSString).appendingPathComponent(name))")
            } else {
                HeadroomCLI.emit("\n# --- \(target.rawValue) ---\n" + text)
            }
        }
    }

    static func explanationTable(_ lines: [Explanation]) -> String {
        var table = TextTable(header: ["quantity", "value", "from"])
        table.rows = lines.map { [$0.quantity, $0.value, $0.formula] }
        return "how the recommendation's figures were reached:\n" + table.render()
    }

    static func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw HeadroomError(.invalidFile, "cannot write: \(error.localizedDescription)", file: path)
        }
    }
}

extension EmitSpec {
    /// The launch parameters of a planned candidate.
    init(plan c: PlanCandidate) {
        let d = c.deployment
        self.init(
            modelRepo: d.model.id, stack: d.stack.id, accelerator: d.accelerator.id,
            acceleratorVendor: d.accelerator.vendor,
            acceleratorsPerNode: d.accelerator.nodeSize ?? d.accelerator.scaleUp?.domainSize ?? 8,
            tensorParallel: d.tensorParallel, pipelineParallel: d.pipelineParallel, expertParallel: d.expertParallel,
            replicas: d.replicas, precision: d.precision.rawValue, kvCachePrecision: d.kvPrecision.rawValue,
            maxNumSeqs: d.maxNumSeqs, maxBatchedTokens: d.maxBatchedTokens, memoryFraction: d.memoryFraction,
            chunkedPrefill: d.stack.chunkedPrefill, prefixCaching: true, maxModelLen: nil,
            prefillReplicas: c.disaggregation?.prefillReplicas, decodeReplicas: c.disaggregation?.decodeReplicas,
            port: 8000, memoryGiBPerAccelerator: d.accelerator.memoryGiB
        )
        attentionDataParallel = d.attentionDataParallel
        // A checkpoint published in the plan's weight format (DeepSeek-R1's FP8, gpt-oss's MXFP4) is pre-quantized.
        if d.model.weightsQuantization == d.precision { preQuantizedCheckpoint = true }
        // A stack that reads quantization only from the checkpoint (TensorRT-LLM) loads a published export
        // (nvidia/Llama-3.1-70B-Instruct-FP8) instead of the 16-bit repository.
        if !d.stack.quantizesOnline(d.precision), let export = d.model.checkpoint(in: d.precision),
            export != d.model.id
        {
            modelRepo = export
            preQuantizedCheckpoint = true
        }
    }
}

/// A workload file planned: what `plan` prints and what `cost` builds on.
struct PlannedWorkload {
    var plan: Plan
    var document: PlanDocument
    var catalog: Catalog
    var planning: WorkloadPlanning

    static func make(
        workload: String, catalogOptions: CatalogOptions, priceBook: String?, requests: Int?, seed: UInt64, top: Int,
        explain: Bool
    ) async throws -> PlannedWorkload {
        do {
            let catalog = try catalogOptions.load()
            let spec = try WorkloadLoader.load(url: URL(fileURLWithPath: workload))
            let books =
                try priceBook.map { try PriceBookLoader.load(url: URL(fileURLWithPath: $0)) }
                ?? PriceBookLoader.bundled()
            let planning = try await WorkloadPlanning.plan(
                spec, modelBase: URL(fileURLWithPath: workload).deletingLastPathComponent(), catalog: catalog,
                books: books, requests: requests, seed: seed, today: today())
            var document = PlanDocument(planning.plan, limit: max(top, 1), assumptions: planning.notes)
            if explain { document.explain = planning.plan.explanation(catalog: catalog) }
            return PlannedWorkload(plan: planning.plan, document: document, catalog: catalog, planning: planning)
        } catch let error as HeadroomError {
            throw failure(error)
        }
    }
}
