public import HeadroomCore

/// `headroom compare`: benchmark results side by side — throughput, latency at equal load, the highest rate that met
/// the SLO, cost per million output tokens and tokens per second per watt. `--format json` encodes it (snake_case
/// keys, SI units or the unit in the name).
public struct ComparisonDocument: Encodable, Sendable {
    /// One result (one run, or one sweep) and its figures.
    public struct Row: Encodable, Sendable {
        public var label: String
        public var file: String
        public var tool: String
        public var load: String
        public var acceleratorID: String?
        public var acceleratorCount: Int?
        public var stackID: String?
        public var model: String
        public var outputTokensPerSecond: Double
        /// Output tokens per second divided by the accelerators, where their count is known.
        public var outputTokensPerSecondPerAccelerator: Double?
        public var requestsPerSecond: Double
        public var ttftP50Ms: Double?
        public var ttftP99Ms: Double?
        public var tpotP50Ms: Double?
        public var tpotP99Ms: Double?
        /// The highest rate (req/s) at which the run met the SLO, where one was judged.
        public var maxRateUnderSLO: Double?
        /// How ``maxRateUnderSLO`` was found, or why there is none.
        public var maxRateBasis: String?
        public var pricePerAcceleratorHour: Double?
        /// hourly price × accelerators / (output tok/s × 3600) × 1e6.
        public var costPerMillionOutputTokens: Double?
        /// The price-book row priced.
        public var priceRow: String?
        /// Catalog TDP × accelerators.
        public var tdpWatts: Double?
        public var outputTokensPerSecondPerWatt: Double?
        public var warnings: [String]

        enum CodingKeys: String, CodingKey {
            case label, file, tool, load, model, warnings
            case acceleratorID = "accelerator_id"
            case acceleratorCount = "accelerator_count"
            case stackID = "stack_id"
            case outputTokensPerSecond = "output_tokens_per_second"
            case outputTokensPerSecondPerAccelerator = "output_tokens_per_second_per_accelerator"
            case requestsPerSecond = "requests_per_second"
            case ttftP50Ms = "ttft_p50_ms"
            case ttftP99Ms = "ttft_p99_ms"
            case tpotP50Ms = "tpot_p50_ms"
            case tpotP99Ms = "tpot_p99_ms"
            case maxRateUnderSLO = "max_rate_under_slo_requests_per_second"
            case maxRateBasis = "max_rate_basis"
            case pricePerAcceleratorHour = "price_per_accelerator_hour"
            case costPerMillionOutputTokens = "cost_per_million_output_tokens"
            case priceRow = "price_row"
            case tdpWatts = "tdp_watts"
            case outputTokensPerSecondPerWatt = "output_tokens_per_second_per_watt"
        }
    }

    /// Latency of every result (or sweep step) measured at one offered load.
    public struct LoadGroup: Encodable, Sendable {
        /// "concurrency" or "rate".
        public var kind: String
        /// Clients or requests per second.
        public var value: Double
        public var entries: [Entry]

        public var title: String {
            kind == "concurrency" ? "concurrency \(Int(value))" : "\(humanNumber(value)) req/s"
        }

        public struct Entry: Encodable, Sendable {
            public var label: String
            /// What was measured, without the load: results of one system at several loads form one line.
            public var system: String
            public var outputTokensPerSecond: Double
            public var ttftP50Ms: Double?
            public var ttftP99Ms: Double?
            public var tpotP50Ms: Double?
            public var tpotP99Ms: Double?

            enum CodingKeys: String, CodingKey {
                case label, system
                case outputTokensPerSecond = "output_tokens_per_second"
                case ttftP50Ms = "ttft_p50_ms"
                case ttftP99Ms = "ttft_p99_ms"
                case tpotP50Ms = "tpot_p50_ms"
                case tpotP99Ms = "tpot_p99_ms"
            }
        }
    }

    /// The SLO the rates were judged against.
    public struct SLO: Encodable, Sendable {
        public var ttftMs: Double?
        public var tpotMs: Double?
        public var attainment: Double

        enum CodingKeys: String, CodingKey {
            case attainment
            case ttftMs = "ttft_ms"
            case tpotMs = "tpot_ms"
        }
    }

    public var rows: [Row]
    public var latencyByLoad: [LoadGroup]
    public var slo: SLO?
    public var currency: String?
    public var priceBook: String?
    /// How the figures were made.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case rows, slo, currency, notes
        case latencyByLoad = "latency_by_load"
        case priceBook = "price_book"
    }

    /// One result to compare and the file it came from.
    public struct Input: Sendable {
        public var file: String
        public var result: BenchResult

        public init(file: String, result: BenchResult) {
            self.file = file
            self.result = result
        }
    }

    /// Compares results.
    /// - Parameters:
    ///   - inputs: the results, in the order to show them.
    ///   - catalog: for accelerator TDPs.
    ///   - priceBook: for the price of an accelerator-hour (the cheapest on-demand whole-instance row); nil leaves
    ///     cost out.
    ///   - slo: the SLO to judge every run by; nil uses each result's own SLO and its sweep's verdicts.
    /// - Returns: the comparison.
    public static func make(
        _ inputs: [Input], catalog: Catalog, priceBook: PriceBook?, slo: BenchSLO? = nil
    ) -> ComparisonDocument {
        var rows = inputs.map { row(for: $0, catalog: catalog, priceBook: priceBook, slo: slo) }
        let systems = rows.map(\.label)
        // Labels must tell rows apart: add the load, then a number.
        for index in rows.indices where rows.filter({ $0.label == rows[index].label }).count > 1 {
            let label = rows[index].label
            for j in rows.indices where rows[j].label == label { rows[j].label += " · \(rows[j].load)" }
        }
        var seen: [String: Int] = [:]
        for index in rows.indices {
            seen[rows[index].label, default: 0] += 1
            if let n = seen[rows[index].label], n > 1 { rows[index].label += " #\(n)" }
        }
        var groups: [String: LoadGroup] = [:]
        for ((input, row), system) in zip(zip(inputs, rows), systems) {
            for (kind, value, aggregates) in loads(of: input.result) {
                let key = "\(kind):\(value)"
                var group = groups[key] ?? LoadGroup(kind: kind, value: value, entries: [])
                let ttft = aggregates.ttftSeconds
                let tpot = aggregates.tpotSeconds
                group.entries.append(
                    .init(
                        label: row.label, system: system, outputTokensPerSecond: aggregates.outputTokensPerSecond,
                        ttftP50Ms: ttft.map { $0.p50 * 1000 }, ttftP99Ms: ttft.map { $0.p99 * 1000 },
                        tpotP50Ms: tpot.map { $0.p50 * 1000 }, tpotP99Ms: tpot.map { $0.p99 * 1000 }))
                groups[key] = group
            }
        }
        let latencyByLoad = groups.values.sorted { ($0.kind, $0.value) < ($1.kind, $1.value) }
        var notes = [
            "throughput: output tokens per second as measured, over the accelerators named in each result",
            "tokens/s per watt: TDP-based — the catalog's TDP × the accelerator count, not measured power",
        ]
        if let book = priceBook {
            notes.append(
                "cost: the cheapest on-demand whole-instance price per accelerator-hour in price book '\(book.name)' "
                    + "(\(book.currency), as of \(book.asOf)) × accelerators / (output tok/s × 3600) × 1e6, at the "
                    + "run's throughput (as loaded as the run was)")
        }
        let judged = slo
        if let judged {
            notes.append(
                "max rate under SLO: the highest passing sweep step, or a run's offered rate when at least "
                    + "\(humanNumber(judged.attainment * 100))% of its requests met the SLO (a lower bound); from the "
                    + "reported percentiles where a file has no per-request records")
        } else {
            notes.append(
                "max rate under SLO: from sweeps' own verdicts (pass --slo-ttft-ms/--slo-tpot-ms to judge runs)")
        }
        return ComparisonDocument(
            rows: rows, latencyByLoad: latencyByLoad,
            slo: judged.map {
                SLO(
                    ttftMs: $0.ttftSeconds.map { $0 * 1000 }, tpotMs: $0.tpotSeconds.map { $0 * 1000 },
                    attainment: $0.attainment)
            },
            currency: priceBook?.currency, priceBook: priceBook?.name, notes: notes)
    }

    /// A result's loads: its own, or each sweep step's.
    static func loads(of result: BenchResult) -> [(String, Double, BenchAggregates)] {
        if let sweep = result.sweep, !sweep.isEmpty {
            return sweep.map { ("rate", $0.rateRequestsPerSecond, $0.aggregates) }
        }
        let load = result.load
        if load.mode == "concurrency", let n = load.concurrency {
            return [("concurrency", Double(n), result.aggregates)]
        }
        if ["constant", "poisson", "gamma"].contains(load.mode), let rate = load.rateRequestsPerSecond {
            return [("rate", rate, result.aggregates)]
        }
        return []
    }

    /// How a result's load reads.
    static func describe(_ load: BenchLoad, sweep: [BenchSweepStep]?) -> String {
        if let sweep, !sweep.isEmpty { return "sweep of \(sweep.count) rates" }
        switch load.mode {
        case "concurrency": return "concurrency \(load.concurrency.map(String.init) ?? "?")"
        case "ramp":
            return "ramp \(humanNumber(load.rampStartRequestsPerSecond ?? 0))→"
                + "\(humanNumber(load.rateRequestsPerSecond ?? 0)) req/s"
        case "constant", "poisson", "gamma":
            guard let rate = load.rateRequestsPerSecond else {
                return load.concurrency.map { "all at once (≤\($0) in flight)" } ?? "all at once"
            }
            return "\(humanNumber(rate)) req/s \(load.mode)"
        case BenchLoad.unknownMode: return "load unknown"
        default: return load.mode
        }
    }

    static func row(for input: Input, catalog: Catalog, priceBook: PriceBook?, slo: BenchSLO?) -> Row {
        let r = input.result
        let t = r.target
        let model = t.catalogModelID ?? t.model
        let label: String
        if let accelerator = t.acceleratorID {
            label = "\(t.acceleratorCount.map { "\($0)×" } ?? "")\(accelerator) / \(t.stackID ?? "?") / \(model)"
        } else {
            label = input.file
        }
        let a = r.aggregates
        var row = Row(
            label: label, file: input.file, tool: r.tool, load: describe(r.load, sweep: r.sweep),
            acceleratorID: t.acceleratorID, acceleratorCount: t.acceleratorCount, stackID: t.stackID, model: model,
            outputTokensPerSecond: a.outputTokensPerSecond,
            outputTokensPerSecondPerAccelerator: t.acceleratorCount.flatMap {
                $0 > 0 ? a.outputTokensPerSecond / Double($0) : nil
            },
            requestsPerSecond: a.requestsPerSecond, ttftP50Ms: a.ttftSeconds.map { $0.p50 * 1000 },
            ttftP99Ms: a.ttftSeconds.map { $0.p99 * 1000 }, tpotP50Ms: a.tpotSeconds.map { $0.p50 * 1000 },
            tpotP99Ms: a.tpotSeconds.map { $0.p99 * 1000 }, warnings: r.warnings)
        (row.maxRateUnderSLO, row.maxRateBasis) = maxRate(r, slo: slo)
        let count = Double(t.acceleratorCount ?? 1)
        if let id = t.acceleratorID, let book = priceBook {
            if let price = book.cheapest(accelerator: id, allowedProviders: nil, allowedJurisdictions: nil),
                let hourly = price.onDemand
            {
                row.pricePerAcceleratorHour = hourly
                if a.outputTokensPerSecond > 0 {
                    row.costPerMillionOutputTokens = costPerMillion(
                        hourlyPerAccelerator: hourly, accelerators: count,
                        outputTokensPerSecond: a.outputTokensPerSecond)
                }
                row.priceRow =
                    "\(price.provider) \(price.region)\(price.sku.map { " \($0)" } ?? ""): "
                    + "\(humanNumber(hourly)) \(book.currency)/accelerator-hour on demand, as of "
                    + "\(price.provenance.asOf) (\(price.provenance.source))"
            } else {
                row.warnings.append("no on-demand price for \(id) in price book '\(book.name)'")
            }
        }
        if let id = t.acceleratorID, let tdp = try? catalog.accelerator(id).tdpWatts, tdp > 0 {
            row.tdpWatts = tdp * count
            row.outputTokensPerSecondPerWatt = a.outputTokensPerSecond / (tdp * count)
        }
        return row
    }

    /// Cost of a million output tokens at a measured throughput.
    /// - Returns: hourly × accelerators / (tok/s × 3600) × 1e6.
    public static func costPerMillion(
        hourlyPerAccelerator: Double, accelerators: Double, outputTokensPerSecond: Double
    ) -> Double {
        hourlyPerAccelerator * accelerators / (outputTokensPerSecond * 3600) * 1e6
    }

    /// Whether aggregates (or records) meet `slo` at its attainment.
    static func passes(records: [BenchRequestRecord], aggregates: BenchAggregates, slo: BenchSLO) -> (Bool, String) {
        let measured = records.filter { !$0.warmup }
        if !measured.isEmpty {
            let met = measured.count(where: { $0.meets(slo) })
            let fraction = Double(met) / Double(measured.count)
            return (fraction >= slo.attainment, "\(met)/\(measured.count) requests met it")
        }
        // No records: read the reported percentile at the attainment level.
        func at(_ d: BenchDistribution?) -> Double? {
            guard let d else { return nil }
            switch slo.attainment {
            case ..<0.5: return d.p50
            case ..<0.9: return d.p90
            case ..<0.95: return d.p95
            case ..<0.99: return d.p95
            default: return d.p99
            }
        }
        var ok = true
        if let limit = slo.ttftSeconds { ok = ok && (at(aggregates.ttftSeconds).map { $0 <= limit } ?? false) }
        if let limit = slo.tpotSeconds { ok = ok && (at(aggregates.tpotSeconds).map { $0 <= limit } ?? false) }
        return (ok, "from the reported percentiles")
    }

    static func maxRate(_ r: BenchResult, slo: BenchSLO?) -> (Double?, String?) {
        if let sweep = r.sweep, !sweep.isEmpty {
            var best: Double?
            for step in sweep {
                let passed: Bool
                if let slo {
                    passed =
                        passes(
                            records: r.requests.filter { $0.step == step.step }, aggregates: step.aggregates, slo: slo
                        ).0
                } else {
                    passed = step.passed
                }
                if passed { best = max(best ?? 0, step.rateRequestsPerSecond) }
            }
            return (best, best == nil ? "no sweep step passed" : "highest passing of \(sweep.count) sweep steps")
        }
        guard let slo = slo ?? r.slo else { return (nil, nil) }
        let (ok, how) = passes(records: r.requests, aggregates: r.aggregates, slo: slo)
        switch r.load.mode {
        case "concurrency":
            return ok
                ? (
                    r.aggregates.requestsPerSecond,
                    "met at concurrency \(r.load.concurrency ?? 0): achieved rate (\(how))"
                )
                : (nil, "missed at concurrency \(r.load.concurrency ?? 0) (\(how))")
        default:
            guard let rate = r.load.rateRequestsPerSecond else {
                return ok
                    ? (r.aggregates.requestsPerSecond, "met with every request at once: achieved rate (\(how))")
                    : (nil, "missed (\(how))")
            }
            return ok
                ? (rate, "met at the offered rate, a lower bound (\(how))")
                : (nil, "missed at \(humanNumber(rate)) req/s (\(how))")
        }
    }
}
