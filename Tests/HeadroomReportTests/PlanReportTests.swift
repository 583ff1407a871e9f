import Foundation
import HeadroomCore
import HeadroomReport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct PlanReportTests {
    // MARK: - A realistic document, built by hand

    static func latency(_ p50: Double, _ p90: Double, _ p99: Double) -> PlanDocument.Latency {
        PlanDocument.Latency(Percentiles(p50: p50 / 1000, p90: p90 / 1000, p99: p99 / 1000))
    }

    static func candidate(
        _ accelerator: String, _ name: String, count: Int, tp: Int, replicas: Int, spare: Int = 0, precision: String,
        stack: String = "vllm", provider: String? = "aws", region: String? = "us-east-1", price: Double,
        ttft: (Double, Double, Double), tpot: (Double, Double, Double), verified: Bool, capacity: Double,
        weights: Double, notes: [String] = []
    ) -> PlanDocument.Candidate {
        let cost = price * Double(count)
        let kv = max(capacity * 0.9 - weights - 4, 0)
        return PlanDocument.Candidate(
            rank: 0, accelerator: accelerator, acceleratorName: name, stack: stack, precision: precision,
            kvCachePrecision: precision == "bf16" ? "bf16" : "fp8", tp: tp, pp: 1, ep: 1, replicas: replicas,
            spareReplicas: spare, accelerators: count, prefillReplicas: nil, decodeReplicas: nil, provider: provider,
            region: region, pricePerAcceleratorHour: price, currency: "USD", costPerHour: cost,
            costPerMillionOutputTokens: cost / (12 * 300 * 3600) * 1e6,
            perReplicaCapacityRps: 40 / Double(max(replicas - spare, 1)) / 0.8,
            peakUtilisation: 0.8, averageUtilisation: 0.26, ttftMs: latency(ttft.0, ttft.1, ttft.2),
            tpotMs: latency(tpot.0, tpot.1, tpot.2),
            e2eMs: latency(ttft.0 + 300 * tpot.0, ttft.1 + 300 * tpot.1, ttft.2 + 300 * tpot.2),
            verifiedBySimulation: verified, pareto: false, maxNumSeqs: 256, maxBatchedTokens: 8192, memoryFraction: 0.9,
            memoryGib: ["weights": weights, "kv_cache": kv, "activations": 2.5, "runtime": 1.5, "capacity": capacity],
            notes: notes
        )
    }

    static func sample(note: String = "simulated 3,000 requests at 40 req/s") -> PlanDocument {
        var candidates = [
            candidate(
                "h100", "NVIDIA H100 SXM5 80GB", count: 12, tp: 2, replicas: 6, spare: 1, precision: "fp8", price: 3.9,
                ttft: (180, 420, 690), tpot: (28, 36, 44), verified: true, capacity: 80, weights: 35, notes: [note]),
            candidate(
                "h200", "NVIDIA H200 141GB", count: 10, tp: 1, replicas: 10, spare: 1, precision: "fp8", price: 4.9,
                ttft: (150, 330, 540), tpot: (24, 30, 37), verified: true, capacity: 141, weights: 70),
            candidate(
                "mi300x", "AMD Instinct MI300X", count: 8, tp: 1, replicas: 8, spare: 1, precision: "fp8",
                stack: "sglang",
                provider: "azure", region: "eastus", price: 6.4, ttft: (210, 470, 760), tpot: (31, 40, 52),
                verified: true, capacity: 192, weights: 70),
            candidate(
                "h100", "NVIDIA H100 SXM5 80GB", count: 16, tp: 4, replicas: 4, spare: 1, precision: "bf16", price: 3.9,
                ttft: (120, 260, 410), tpot: (20, 26, 31), verified: false, capacity: 80, weights: 35),
            candidate(
                "a100", "NVIDIA A100 80GB", count: 24, tp: 4, replicas: 6, spare: 1, precision: "bf16", price: 2.6,
                ttft: (330, 700, 780), tpot: (45, 55, 58), verified: false, capacity: 80, weights: 35),
            candidate(
                "b200", "NVIDIA B200 192GB", count: 8, tp: 1, replicas: 8, spare: 1, precision: "fp4", provider: "gcp",
                region: "europe-west4", price: 9.5, ttft: (70, 150, 230), tpot: (11, 14, 17), verified: true,
                capacity: 180, weights: 36),
            candidate(
                "l40s", "NVIDIA L40S 48GB", count: 40, tp: 4, replicas: 10, spare: 1, precision: "fp8",
                provider: "lambda",
                region: "us-south-1", price: 1.1, ttft: (520, 1_100, 1_900), tpot: (48, 57, 59), verified: false,
                capacity: 48, weights: 17.5),
            candidate(
                "h200", "NVIDIA H200 141GB", count: 16, tp: 2, replicas: 8, spare: 1, precision: "bf16", price: 4.9,
                ttft: (95, 200, 320), tpot: (17, 21, 25), verified: false, capacity: 141, weights: 70),
        ]
        candidates.sort { $0.costPerHour < $1.costPerHour }
        // The recommendation first (cheapest verified), the rest by cost.
        if let first = candidates.firstIndex(where: \.verifiedBySimulation) {
            candidates.insert(candidates.remove(at: first), at: 0)
        }
        for i in candidates.indices {
            candidates[i].rank = i + 1
            candidates[i].pareto = !candidates.contains {
                $0.costPerHour <= candidates[i].costPerHour && $0.ttftMs.p99 <= candidates[i].ttftMs.p99
                    && ($0.costPerHour < candidates[i].costPerHour || $0.ttftMs.p99 < candidates[i].ttftMs.p99)
            }
        }
        let series = (0..<240).map { i -> [Double] in
            let t = Double(i) * 0.5
            let running = 70 + 18 * sin(t / 9) + Double(i % 7)
            let waiting = max(0, 14 * sin(t / 5) - 6) + (i > 150 && i < 170 ? 25 : 0)
            return [t, running.rounded(), waiting.rounded(), 0.55 + 0.3 * sin(t / 15) * sin(t / 15)]
        }
        return PlanDocument(
            workload: .init(
                model: "llama-3.1-70b", modelName: "Llama 3.1 70B Instruct", peakRps: 40, averageRps: 12,
                meanInputTokens: 2000, meanOutputTokens: 300, slo: ["ttft_ms": 800, "tpot_ms": 60], percentile: 99,
                availability: 0.999),
            candidates: candidates,
            advisories: [
                .init(
                    code: "over-budget", severity: "critical",
                    title: "The cheapest plan costs 50.6/h, over the 45/h budget",
                    detail: "relax the SLO or the precision floor, or allow other accelerators or providers"),
                .init(
                    code: "over-provisioned", severity: "warning",
                    title: "Average utilisation is 26%: the fleet idles most of the day",
                    detail:
                        "average 12 req/s against 46 req/s of capacity at the SLO (peak 40 req/s). Autoscale between 3 and 10 replicas, or use a smaller part for the base load."
                ),
                .init(
                    code: "single-region", severity: "warning", title: "99.9% availability from one region",
                    detail: "the plan buys in aws us-east-1 only; a region outage takes the whole service down."),
                .init(
                    code: "long-prompts", severity: "info", title: "Long prompts dominate the work",
                    detail:
                        "prompts average 2000 tokens against 300 out; prefill is about 41% of each request's accelerator time."
                ),
            ],
            integration: .init(
                requestsPerDay: 1_036_800, auditGbPerDay: 11.4, auditTbRetained: 4.16, auditWritesPerSecondPeak: 80,
                bytesPerStreamedToken: 243, peakEgressGbps: 0.023, egressGbPerMonth: 1_890, piiScanCores: 0.74,
                concurrentStreamsPeak: 412, gatewayReplicas: 2,
                tenants: [
                    .init(name: "support-bot", tokensPerMinute: 120_000, shareOfFleet: 0.18, accelerators: 1.98),
                    .init(name: "search & summarise", tokensPerMinute: 300_000, shareOfFleet: 0.45, accelerators: 4.95),
                ],
                checklist: [
                    "Identity: OIDC/SSO for people, hashed and revocable API keys for services; per-key rate limits at the gateway",
                    "Audit: append-only, hash-chained log of every request and admin action; retention 365 days; export to the SIEM",
                    "Network: private endpoints or VPC peering to the inference fleet; TLS on every hop",
                ],
                assumptions: ["one SSE chunk per token of 243 B (OpenAI chat.completion.chunk format)"]),
            search: .init(
                configurations: 412, fitting: 188, meetingSlo: 61, simulated: 5,
                rejected: [
                    "does not fit": 224, "no price under the constraints (provider, region, residency)": 6,
                    "misses the SLO even at a trickle": 12,
                ]),
            chosenTimeSeries: series,
            assumptions: [
                "prices are on-demand list prices as of 2026-11", "efficiency profiles from published benchmarks",
            ]
        )
    }

    // MARK: - HTML

    @Test func htmlIsWellFormedAndSelfContained() throws {
        let html = PlanHTML.render(Self.sample())
        try html.write(toFile: "/tmp/headroom-plan-sample.html", atomically: true, encoding: .utf8)
        #expect(Self.parses(html), "the page is well-formed XML")
        #expect(try Self.unbalancedTags(html) == nil)
        let svgs = Self.svgElements(html)
        #expect(svgs.count == 4)
        for svg in svgs {
            #expect(Self.parses(svg))
            #expect(svg.contains("<title>"))
        }
        #expect(html.contains("NVIDIA H100 SXM5 80GB"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("href=") && !html.contains("src=") && !html.contains("url("), "nothing external")
        #expect(html.contains("advisory critical") && html.contains("advisory info"))
    }

    @Test func htmlEscapesInjectedText() throws {
        let html = PlanHTML.render(Self.sample(note: "<script>alert('x & y')</script>"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x &amp; y&#39;)&lt;/script&gt;"))
        #expect(Self.parses(html))
    }

    @Test func htmlWithoutCandidatesStillRenders() {
        var doc = Self.sample()
        doc.candidates = []
        doc.chosenTimeSeries = []
        doc.integration = nil
        let html = PlanHTML.render(doc)
        #expect(html.contains("No deployment meets the objectives"))
        #expect(Self.parses(html))
    }

    // MARK: - Markdown and table

    @Test func markdownHasTables() {
        let md = PlanMarkdown.render(Self.sample(note: "a | b <b>"))
        #expect(md.contains("| # | accelerator | count | tp/pp/ep | replicas |"))
        #expect(md.contains("| --: | --- | --: |"))
        #expect(md.contains("| Item | Size |"))
        #expect(md.contains("| tenant | tokens/min | share of fleet | accelerators |"))
        #expect(md.contains("- [ ] Identity"))
        #expect(md.contains("### Critical"))
        #expect(md.contains("a | b &lt;b&gt;"))
        #expect(md.contains("search &amp; summarise"))
    }

    @Test func tableHasRecommendationAdvisoriesAndSizing() {
        let text = PlanTable.render(Self.sample(), top: 5)
        #expect(text.contains("12 × NVIDIA H100 SXM5 80GB (h100): 6 replicas incl. 1 spare of tp=2 pp=1 ep=1"))
        #expect(text.contains("verified by simulation"))
        #expect(text.contains("Top 5 of ") && text.contains("candidates that meet the SLO analytically"))
        // Issue 15: the table says which rows a simulation confirmed and never ranks analytic rows against them.
        #expect(text.contains("confirmed by simulation at peak"))
        #expect(text.contains("[over-budget] The cheapest plan costs"))
        #expect(text.contains("  critical (1)") && text.contains("  warning (2)") && text.contains("  info (1)"))
        #expect(text.contains("11.4 GB/day, 4.16 TB retained"))
        #expect(text.contains("1,036,800"))
        #expect(text.contains("[ ] Audit"))
        #expect(text.contains("rejected ×224: does not fit"))
        #expect(text.contains("- prices are on-demand"))
        let critical = text.range(of: "critical (1)")!.lowerBound
        let info = text.range(of: "info (1)")!.lowerBound
        #expect(critical < info, "most severe first")
    }

    // MARK: - Charts

    static let degenerate: [[Double]] = [[], [42], [.nan], [.infinity, -.infinity], [0, 0, 0], [-3, 5]]

    @Test(arguments: degenerate) func chartsSurviveDegenerateInput(_ values: [Double]) {
        let xs = values.indices.map(Double.init)
        for scale in [SVGChart.Scale.linear, .logarithmic] {
            let axis = SVGChart.Axis("value (ms)", scale: scale)
            let charts = [
                SVGChart.scatter(
                    title: "scatter", x: values, y: values, labels: values.map { _ in "point" }, xAxis: axis,
                    yAxis: axis,
                    front: Array(values.indices), highlight: 0, references: [.x("slo", 5), .y("budget", .nan)]),
                SVGChart.lines(
                    title: "lines", x: xs, series: [.init("a", values), .init("b", values, secondaryAxis: true)],
                    xAxis: SVGChart.Axis("time (s)"), yAxis: axis,
                    secondaryAxis: SVGChart.Axis("share (%)", range: 0...100)),
                SVGChart.bars(
                    title: "bars", categories: values.map { _ in "c" },
                    series: [.init("s", values), .init("t", values)],
                    valueAxis: axis, layout: .stacked, limits: .init("cap", values)),
                SVGChart.bars(title: "grouped", categories: ["x"], series: [.init("s", values)], valueAxis: axis),
                SVGChart.percentiles(
                    title: "latency", metrics: [.init("TTFT", unit: "ms", values: values, objective: values.first)]),
                SVGChart.percentiles(title: "none", metrics: []),
            ]
            for svg in charts {
                let lower = svg.lowercased()
                #expect(!lower.contains("nan") && !lower.contains("inf"), "\(svg)")
                #expect(Self.parses(svg))
            }
        }
    }

    @Test func chartTextIsEscapedAndTicksAreNice() {
        let svg = SVGChart.scatter(
            title: "cost <&> \"latency\"", x: [120, 480, 2_000], y: [12, 30, 95], labels: ["a<b", "c&d", "'e'"],
            xAxis: SVGChart.Axis("TTFT (ms)"), yAxis: SVGChart.Axis("cost (USD/h)"))
        #expect(svg.contains("cost &lt;&amp;&gt; &quot;latency&quot;"))
        #expect(svg.contains("a&lt;b"))
        #expect(Self.parses(svg))
        #expect(SVGChart.Ticks([0, 93], axis: SVGChart.Axis("")).values == [0, 20, 40, 60, 80, 100])
        #expect(
            SVGChart.Ticks([120, 2_000], axis: SVGChart.Axis("", scale: .logarithmic)).values == [
                100, 300, 1_000, 2_000,
            ])
        #expect(SVGChart.Ticks([0, 25_000], axis: SVGChart.Axis("")).label(25_000) == "25k")
    }

    // MARK: - Helpers

    static func parses(_ xml: String) -> Bool {
        let parser = XMLParser(data: Data(xml.utf8))
        return parser.parse()
    }

    static func svgElements(_ html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg "), let end = rest[start.lowerBound...].range(of: "</svg>") {
            out.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return out
    }

    struct Unbalanced: Error {}

    /// The first tag that closes out of order, or nil when every element the page opens is closed.
    static func unbalancedTags(_ html: String) throws -> String? {
        let void: Set<String> = ["meta", "br", "hr", "img", "link", "input"]
        var stack: [String] = []
        var rest = html[...]
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { throw Unbalanced() }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("!") { continue }
            let closing = tag.hasPrefix("/")
            let name = String(tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }).lowercased()
            if closing {
                guard stack.popLast() == name else { return name }
            } else if !tag.hasSuffix("/"), !void.contains(name) {
                stack.append(name)
            }
        }
        return stack.last
    }
}
