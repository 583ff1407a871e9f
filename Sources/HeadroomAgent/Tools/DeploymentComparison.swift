import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomOperations
import HeadroomReport

/// The `compare` tool: several deployments of one model on one request shape, estimated side by side and priced
/// from the price book.
enum DeploymentComparison {
    /// One deployment's row.
    struct Row: Encodable {
        var deployment: EstimateDocument.DeploymentSummary?
        var requested: String
        var fits: Bool
        var error: String?
        var outputTokensPerSecond: Double?
        var requestsPerSecond: Double?
        var maxRateRequestsPerSecond: Double?
        var ttftP99Ms: Double?
        var tpotP99Ms: Double?
        var pricePerHour: Double?
        var priceSource: String?
        var costPerMillionOutputTokens: Double?
        var costBasis: String?

        enum CodingKeys: String, CodingKey {
            case deployment, requested, fits, error
            case outputTokensPerSecond = "output_tokens_per_second", requestsPerSecond = "requests_per_second"
            case maxRateRequestsPerSecond = "max_rate_requests_per_second", ttftP99Ms = "ttft_p99_ms"
            case tpotP99Ms = "tpot_p99_ms", pricePerHour = "price_per_hour", priceSource = "price_source"
            case costPerMillionOutputTokens = "cost_per_million_output_tokens", costBasis = "cost_basis"
        }
    }

    struct Document: Encodable {
        var model: String
        var inputTokens: Int
        var outputTokens: Int
        var load: String
        var currency: String
        var priceBook: String
        var rows: [Row]

        enum CodingKeys: String, CodingKey {
            case model, load, currency, rows
            case inputTokens = "input_tokens", outputTokens = "output_tokens", priceBook = "price_book"
        }
    }

    static func run(_ body: CompareBody, env: any OperationEnvironment, caller: Caller) async throws -> ToolOutcome {
        guard (2...8).contains(body.deployments.count) else {
            throw OperationError(.invalid, "give 2 to 8 deployments", field: "deployments")
        }
        let deployments = try body.deployments.enumerated().map { index, value in
            do {
                return try BodyDecoder.decode(CompareDeployment.self, from: Data(value.jsonText().utf8))
            } catch let error as OperationError {
                var located = error
                located.field = "deployments[\(index)]" + (error.field.map { ".\($0)" } ?? "")
                throw located
            }
        }
        let sloGiven = body.sloTtftMs != nil || body.sloTpotMs != nil
        if body.rate == nil, body.concurrency == nil, !sloGiven {
            throw OperationError(
                .invalid, "give rate, concurrency, or an SLO (slo_ttft_ms/slo_tpot_ms) to find max rates",
                field: "rate")
        }
        if body.rate != nil, body.concurrency != nil {
            throw OperationError(.invalid, "give rate or concurrency, not both", field: "concurrency")
        }
        guard let book = try await env.priceBooks(named: body.priceBook, caller: caller).first else {
            throw OperationError(.invalid, "no price book", field: "price_book")
        }
        let jurisdictions = body.dataResidency.map(Set.init)
        let inputs = EstimateInputs(
            inputTokens: body.inputTokens, outputTokens: body.outputTokens, concurrency: body.concurrency,
            rate: body.rate, requests: body.requests ?? 2000, seed: body.seed ?? 1,
            sloTTFTMilliseconds: body.sloTtftMs, sloTPOTMilliseconds: body.sloTpotMs, maxRate: sloGiven)
        let rows = try await env.compute("compare") {
            try inputs.validate()
            return deployments.map { row(for: $0, body: body, inputs: inputs, catalog: env.catalog, book: book) }
                .map { priced($0, book: book, jurisdictions: jurisdictions) }
        }
        let load =
            body.rate.map { "\(humanNumber($0)) req/s" } ?? body.concurrency.map { "\($0) concurrent" }
            ?? "the highest rate meeting the SLO"
        let document = Document(
            model: body.model, inputTokens: body.inputTokens, outputTokens: body.outputTokens, load: load,
            currency: book.currency, priceBook: book.name, rows: rows)
        return ToolOutcome(
            tool: "compare", isError: false, text: try JSONRendering.render(document), report: markdown(document))
    }

    private static func row(
        for deployment: CompareDeployment, body: CompareBody, inputs: EstimateInputs, catalog: Catalog,
        book: PriceBook
    ) -> Row {
        let tp = deployment.tp ?? 1
        let pp = deployment.pp ?? 1
        let count = deployment.count ?? tp * pp
        let requested =
            "\(count)× \(deployment.accelerator) tp=\(tp) pp=\(pp)"
            + (deployment.precision.map { " \($0)" } ?? "") + (deployment.stack.map { " \($0)" } ?? "")
        let selection = DeploymentSelection(
            model: body.model, accelerator: deployment.accelerator, count: count, tp: deployment.tp, pp: deployment.pp,
            ep: deployment.ep, precision: deployment.precision, stack: deployment.stack, allowsFiles: false)
        do {
            let (estimate, resolved) = try inputs.estimate(selection, in: catalog)
            let document = EstimateDocument(estimate, deployment: resolved, includeExplanation: false)
            return Row(
                deployment: document.deployment, requested: requested, fits: document.memory.fits,
                outputTokensPerSecond: document.outputTokensPerSecond, requestsPerSecond: document.requestsPerSecond,
                maxRateRequestsPerSecond: document.maxRateRequestsPerSecond, ttftP99Ms: document.ttftMs.p99,
                tpotP99Ms: document.tpotMs.p99)
        } catch {
            let message = (error as? HeadroomError)?.message ?? "\(error)"
            return Row(requested: requested, fits: false, error: message)
        }
    }

    /// Adds the cheapest on-demand price and the cost per million output tokens at the rate the row sustains (its
    /// max rate under the SLO when one was searched, else the given load's throughput).
    private static func priced(_ row: Row, book: PriceBook, jurisdictions: Set<String>?) -> Row {
        guard let deployment = row.deployment, row.error == nil else { return row }
        var row = row
        guard
            let entry = book.cheapest(
                accelerator: deployment.accelerator, allowedProviders: nil, allowedJurisdictions: jurisdictions),
            let perAccelerator = entry.perAccelerator.onDemand
        else {
            row.priceSource = "no on-demand price for \(deployment.accelerator) in '\(book.name)'"
            return row
        }
        let perHour = perAccelerator * Double(deployment.count)
        row.pricePerHour = perHour
        row.priceSource = "\(entry.provider) \(entry.region), \(entry.provenance.source) (\(entry.provenance.asOf))"
        var tokensPerSecond = row.outputTokensPerSecond
        row.costBasis = "at the given load's throughput"
        if let maxRate = row.maxRateRequestsPerSecond, let requests = row.requestsPerSecond, requests > 0,
            let throughput = row.outputTokensPerSecond
        {
            tokensPerSecond = throughput * maxRate / requests
            row.costBasis = "at the max rate meeting the SLO"
        }
        if let tokensPerSecond, tokensPerSecond > 0 {
            row.costPerMillionOutputTokens = perHour / (tokensPerSecond * 3600) * 1_000_000
        }
        return row
    }

    static func markdown(_ document: Document) -> String {
        var lines = [
            "## \(document.model): \(document.inputTokens) tokens in, \(document.outputTokens) out, \(document.load)",
            "",
            "| deployment | fits | output tok/s | p99 TTFT ms | p99 TPOT ms | max req/s (SLO) | \(document.currency)/h | \(document.currency)/1M out |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        func cell(_ value: Double?) -> String { value.map(humanNumber) ?? "–" }
        for row in document.rows {
            let label =
                row.deployment.map {
                    "\($0.count)× \($0.accelerator) tp=\($0.tp) pp=\($0.pp) \($0.precision) \($0.stack)"
                } ?? row.requested
            lines.append(
                "| \(label) | \(row.fits ? "yes" : "no") | \(cell(row.outputTokensPerSecond)) | \(cell(row.ttftP99Ms)) "
                    + "| \(cell(row.tpotP99Ms)) | \(cell(row.maxRateRequestsPerSecond)) | \(cell(row.pricePerHour)) "
                    + "| \(cell(row.costPerMillionOutputTokens)) |")
        }
        let notes = document.rows.compactMap { row in row.error.map { "- \(row.requested): \($0)" } }
        if !notes.isEmpty { lines += ["", "Not estimated:"] + notes }
        lines += ["", "Prices: cheapest on-demand rate per accelerator-hour in price book '\(document.priceBook)'."]
        return lines.joined(separator: "\n") + "\n"
    }
}
