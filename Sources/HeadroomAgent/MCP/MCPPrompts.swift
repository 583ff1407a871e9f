import Foundation
import MCP

/// Prompts for the briefs people bring most often: each turns a few arguments into instructions that lead an
/// assistant through Headroom's tools.
enum MCPPrompts {
    struct Entry: Sendable {
        var prompt: Prompt
        /// The instructions, with `{argument}` placeholders.
        var template: String
    }

    static let all: [Entry] = [
        Entry(
            prompt: Prompt(
                name: "plan-deployment", title: "Plan an inference deployment",
                description: "Size the cheapest deployment that serves a model's traffic within a latency SLO.",
                arguments: [
                    .init(name: "model", description: "Model id or name, e.g. llama-3.1-70b", required: true),
                    .init(name: "traffic", description: "Peak requests/s or requests/day, and growth", required: true),
                    .init(name: "slo", description: "Latency objectives, e.g. p99 TTFT 800 ms, TPOT 60 ms"),
                    .init(name: "constraints", description: "Residency, providers, budget, on-prem, precision floor"),
                ]),
            template: """
                Plan a deployment of {model} for this traffic: {traffic}. Latency objectives: {slo}. Constraints: \
                {constraints}.
                1. Find the model's catalog id with catalog_search (kind models) if it is not one already.
                2. Build a workload object (model, traffic.peak_rps or requests_per_day, lengths preset or \
                distributions, slo, constraints) and call plan with with_cost: true. Where a fact is missing, say \
                which default you assume.
                3. Report the recommendation (accelerator, count, parallelism, precision, stack, cost per hour and \
                per million tokens, p99 latency at peak), the runners-up on the Pareto front, and every advisory. \
                Quote only figures the tools returned.
                """),
        Entry(
            prompt: Prompt(
                name: "compare-hardware", title: "Compare hardware for a model",
                description: "Weigh specific accelerators or layouts for one model and request shape.",
                arguments: [
                    .init(name: "model", description: "Model id", required: true),
                    .init(
                        name: "accelerators", description: "Accelerators or layouts, e.g. 2×h100-sxm tp=2, 1×b200",
                        required: true),
                    .init(name: "shape", description: "Prompt and output tokens, and the load or SLO"),
                ]),
            template: """
                Compare these deployments of {model}: {accelerators}, for requests shaped {shape}. Call compare \
                with the deployments (accelerator, count, tp, precision, stack) and an SLO so it finds each one's \
                highest rate within it, then explain the trade-off in cost per million output tokens and latency, \
                quoting only the tool's figures. Use catalog_search for ids you are unsure of.
                """),
        Entry(
            prompt: Prompt(
                name: "size-training", title: "Size a training run",
                description: "GPU-hours, cluster size, schedule and memory per GPU for a pre-training or fine-tune.",
                arguments: [
                    .init(name: "model", description: "Model id, or a parameter count like 70B", required: true),
                    .init(name: "tokens", description: "Training tokens, e.g. 15T", required: true),
                    .init(name: "hardware", description: "Accelerator and count, or a deadline in days"),
                ]),
            template: """
                Size a training run of {model} on {tokens} tokens with {hardware}. Call train (model or params, \
                tokens, accelerator, count or deadline_days) and report total FLOPs, GPU-hours, wall days, memory \
                per accelerator and its parallelism, expected interruptions, the checkpoint interval and the cost, \
                quoting only the tool's figures.
                """),
        Entry(
            prompt: Prompt(
                name: "review-plan", title: "Review a saved plan",
                description: "Read a saved plan and challenge it: headroom, single points of failure, cost.",
                arguments: [.init(name: "name", description: "The saved plan's name", required: true)]),
            template: """
                Read the resource headroom://plans/{name} and review the plan: is peak utilisation leaving headroom, \
                does availability need another region, is it over budget or over-provisioned, would another \
                accelerator or precision be cheaper? Check doubts with estimate, compare or plan, and quote only \
                tool figures.
                """),
    ]

    /// The prompt `name` with its arguments filled in.
    /// - Throws: `MCPError.invalidParams` for an unknown prompt or a missing required argument.
    static func get(_ name: String, arguments: [String: String]) throws -> GetPrompt.Result {
        guard let entry = all.first(where: { $0.prompt.name == name }) else {
            throw MCPError.invalidParams(
                "no prompt '\(name)'; the prompts are \(all.map(\.prompt.name).joined(separator: ", "))")
        }
        var text = entry.template
        for argument in entry.prompt.arguments ?? [] {
            let value = arguments[argument.name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if value.isEmpty, argument.required == true {
                throw MCPError.invalidParams("prompt '\(name)' needs the argument '\(argument.name)'")
            }
            text = text.replacingOccurrences(of: "{\(argument.name)}", with: value.isEmpty ? "not stated" : value)
        }
        return GetPrompt.Result(description: entry.prompt.description, messages: [.user(.text(text: text))])
    }
}
