import HeadroomCore
import HeadroomOperations

/// What each tool says of itself: the descriptions a model reads to choose a tool and fill its arguments, over the
/// JSON Schemas of the HTTP API's bodies.
enum ToolDescriptions {
    /// The workload object `plan`, `cost` and `simulate` take: a workload file (docs/workload.md) as JSON.
    static let workload = """
        A workload file as a JSON object (docs/workload.md). Keys: model (catalog id or alias, e.g. \
        "llama-3.1-70b"; find ids with catalog_search), traffic {peak_rps | requests_per_day, growth_per_month, \
        horizon_months, requests (how many to simulate), arrival: poisson|constant|gamma, burstiness, diurnal: [24 \
        hourly multipliers]}, lengths {preset: chat|rag|code|agent|tool-agent|long-chat, or input/output: {dist: \
        fixed|lognormal|uniform|normal, value|mean|sigma|min|max}}, prefix {hit_rate, prefix_tokens}, slo {ttft_ms, \
        tpot_ms, e2e_ms, percentile: 50|90|95|99, availability}, constraints {accelerators: [ids], stacks: \
        [vllm|sglang|trtllm], providers, regions, data_residency: [US|EU|UK|…], on_prem_only, budget_per_hour, \
        min_replicas, disaggregation}, quality {lowest_precision: bf16|fp8|fp6|fp4}, pricing {book, overrides}. \
        Example: {"model": "llama-3.1-8b", "traffic": {"peak_rps": 20}, "lengths": {"preset": "chat"}, "slo": \
        {"ttft_ms": 500, "tpot_ms": 50, "percentile": 99}}.
        """

    static let deploymentFields: [String: String] = [
        "model": "Catalog model id or alias (llama-3.1-70b, meta-llama/Llama-3.1-70B-Instruct).",
        "accelerator": "Catalog accelerator id: h100-sxm, h200, b200, gb200, a100-80g, l40s, mi300x, trn2, tpu-v5e…",
        "count": "Accelerators in total; replicas = count / (tp × pp).",
        "tp": "Tensor-parallel degree (default 1).",
        "pp": "Pipeline-parallel degree (default 1).",
        "precision": "Weight precision: bf16, fp8, fp4, int4-awq… (default: the stack's default for the part).",
        "stack": "Serving stack: vllm, sglang or trtllm (default vllm).",
        "input_tokens": "Prompt tokens per request.",
        "output_tokens": "Generated tokens per request.",
        "rate": "Offered load in requests per second.",
        "concurrency": "Closed-loop clients, each sending its next request when the last one ends.",
        "slo_ttft_ms": "Time-to-first-token objective at p99, in milliseconds.",
        "slo_tpot_ms": "Time-per-output-token objective at p99, in milliseconds.",
        "workload": workload,
        "workload_name": "A workload saved in the store, instead of an inline workload.",
        "price_book": "A price book saved in the store (default: the bundled, sourced one).",
    ]

    static let estimate = ToolDescriptor(
        name: "estimate", title: "Estimate one deployment",
        description: """
            Predict throughput, TTFT/TPOT/E2E percentiles and memory (weights, KV cache, max concurrent sequences) \
            of one deployment for one request shape, from first principles calibrated on published measurements \
            (headroom estimate). Give one of rate, concurrency or offline. With slo_ttft_ms, slo_tpot_ms and \
            max_rate: true it also finds the highest rate meeting the SLO. A deployment that does not fit is an \
            error saying by how much.
            """,
        inputSchema: describing(EstimateBody.schema, deploymentFields))

    static let simulate = ToolDescriptor(
        name: "simulate", title: "Simulate a fleet",
        description: """
            Replay a workload request by request through a discrete-event simulation of continuous batching \
            (vLLM/SGLang/TRT-LLM schedulers, paged KV cache, preemption, prefix caching): latency percentiles, \
            goodput and preemptions (headroom simulate). Give a workload and/or the deployment fields; requests caps \
            the simulated count.
            """,
        inputSchema: describing(SimulateBody.schema, deploymentFields))

    static let plan = ToolDescriptor(
        name: "plan", title: "Plan a deployment",
        description: """
            Find the cheapest deployments that meet a workload's SLO at peak: searches accelerator × stack × \
            precision × TP/PP/EP × batch limits × replicas over the sourced catalog and price book, confirms the \
            finalists by simulation, ranks by cost with a Pareto front, and returns advisories (SLO impossible, \
            over-provisioning, starvation risk, budget, availability) and integration sizing (headroom plan). \
            with_cost: true adds the procurement analysis of the recommendation. The result's text is JSON; the \
            report is Markdown for people.
            """,
        inputSchema: describing(
            PlanBody.schema.removingProperties(["name", "confidential"]),
            deploymentFields.merging([
                "top": "How many candidates to return (default 10).",
                "with_cost": "Also price the recommendation: commitments vs on-demand vs spot, build vs rent, APIs.",
                "explain": "Trace each figure to its formula inputs.",
            ]) { _, new in new }))

    static let cost = ToolDescriptor(
        name: "cost", title: "Cost a workload's plan",
        description: """
            How to buy the planned fleet over a horizon (week, year or hours): procurement mix of commitments, \
            on-demand and spot over the demand curve, autoscaling policies with their over-provisioning and \
            starvation, build vs rent TCO (capex, power × PUE, colocation), managed-API break-even and cost per \
            million tokens (headroom cost).
            """,
        inputSchema: describing(
            CostBody.schema,
            deploymentFields.merging([
                "horizon": "week, year, or a number of hours (24…87600).",
                "tco_years": "Years over which owned hardware is compared with renting (default 3).",
                "spot_max_share": "Largest share of capacity bought as spot (0…1, default 0.5).",
            ]) { _, new in new }))

    static let train = ToolDescriptor(
        name: "train", title: "Plan a training run",
        description: """
            Training procurement (headroom train): FLOPs (6·N·D plus attention), GPU-hours, wall days at an MFU, \
            memory per accelerator under DP/TP/PP/CP/EP and ZeRO, failure-adjusted schedule, checkpoint interval, \
            cost and power. Give model (catalog id) or params, tokens (e.g. "15T"), accelerator and count; or a \
            deadline_days to size the cluster.
            """,
        inputSchema: describing(
            TrainBody.schema,
            deploymentFields.merging([
                "params": "Parameters (number or text like \"70B\") when no catalog model is named.",
                "tokens": "Training tokens (number or text like \"15T\").",
                "mfu": "Model FLOPs utilisation to assume (0…1); default from published runs.",
                "deadline_days": "Finish within this many days: the cluster is sized to meet it.",
            ]) { _, new in new }))

    static let compare = ToolDescriptor(
        name: "compare", title: "Compare deployments",
        description: """
            Compare 2–8 deployments of one model on one request shape side by side: fits, throughput, p99 TTFT and \
            TPOT at the given load, the highest rate meeting the SLO (when slo_ttft_ms or slo_tpot_ms is given), \
            the cheapest on-demand price per hour in the price book and the cost per million output tokens at the \
            rate they sustain. Use it to weigh hardware choices the planner ranked, or ones the user asks about.
            """,
        inputSchema: describing(
            CompareBody.schema,
            deploymentFields.merging([
                "deployments":
                    "2–8 objects {accelerator, count, tp?, pp?, ep?, precision?, stack?} (count defaults to tp × pp).",
                "data_residency": "Only prices in these jurisdictions (US, EU, …).",
            ]) { _, new in new },
            items: ["deployments": CompareDeployment.schema]))

    static let catalogSearch = ToolDescriptor(
        name: "catalog_search", title: "Search the catalog",
        description: """
            Look up what Headroom knows, with each entry's source and date: kind accelerators (memory, bandwidth, \
            TFLOPS, interconnect, power), models (architecture, parameters), stacks (serving stacks and what they \
            run on) or prices (cloud on-demand, reserved and spot prices per accelerator-hour, by provider, region \
            and jurisdiction). query matches ids, names, aliases, vendors, providers and regions, case-insensitively; \
            leave it out to list everything of that kind.
            """,
        inputSchema: describing(
            CatalogSearchBody.schema,
            [
                "kind": "accelerators, models, stacks or prices.",
                "query": "Words to match (all must match), e.g. \"h100\", \"llama 70b\", \"aws us-east-1 h200\".",
                "limit": "At most this many entries (default 20).",
            ]))

    /// `schema` with a `description` on each property `descriptions` names, and `items` schemas for arrays.
    static func describing(
        _ schema: JSONValue, _ descriptions: [String: String], items: [String: JSONValue] = [:]
    ) -> JSONValue {
        guard case .object(var object) = schema, case .object(var properties)? = object["properties"] else {
            return schema
        }
        for (name, property) in properties {
            guard case .object(var fields) = property else { continue }
            if let text = descriptions[name] { fields["description"] = .string(text) }
            if let item = items[name] { fields["items"] = item }
            properties[name] = .object(fields)
        }
        object["properties"] = .object(properties)
        return .object(object)
    }
}

extension JSONValue {
    /// An object schema without some of its properties (fields a tool does not take).
    func removingProperties(_ names: Set<String>) -> JSONValue {
        guard case .object(var object) = self, case .object(var properties)? = object["properties"] else { return self }
        for name in names { properties[name] = nil }
        object["properties"] = .object(properties)
        if case .array(let required)? = object["required"] {
            object["required"] = .array(required.filter { !names.contains($0.stringValue ?? "") })
        }
        return .object(object)
    }
}
