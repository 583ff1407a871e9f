/// Deterministic rules that push back on a plan, each stating the numbers behind it.
struct Advisor {
    let catalog: Catalog

    func advise(
        _ plan: Plan, bestLatency: [String: (ttft: Double, tpot: Double, dominant: String)], minimumTP: [String: Int]
    ) -> [Advisory] {
        var advice: [Advisory] = []
        let request = plan.request
        let o = request.objectives
        let p = Int(saturating: o.percentile)
        let traffic = request.traffic

        // No feasible plan: say which term makes the SLO impossible on each part.
        if plan.candidates.isEmpty {
            var lines: [String] = []
            for (accelerator, best) in bestLatency.sorted(by: { $0.key < $1.key }) {
                lines.append(
                    "\(accelerator): best p\(p) TTFT \(humanNumber(best.ttft * 1000)) ms, TPOT \(humanNumber(best.tpot * 1000)) ms at a trickle (dominated by \(best.dominant))"
                )
            }
            let target = [
                o.ttftSeconds.map { "TTFT ≤ \(humanNumber($0 * 1000)) ms" },
                o.tpotSeconds.map { "TPOT ≤ \(humanNumber($0 * 1000)) ms" },
                o.e2eSeconds.map { "E2E ≤ \(humanNumber($0 * 1000)) ms" },
            ].compactMap { $0 }.joined(separator: ", ")
            advice.append(
                Advisory(
                    "slo-impossible", .critical, "No allowed deployment meets p\(p) \(target)",
                    lines.isEmpty
                        ? "no allowed accelerator and stack can hold \(request.model.name) under the constraints"
                        : lines.joined(separator: "; ")
                            + ". Relax the SLO, allow more accelerators or a lower precision floor."
                )
            )
            return advice
        }
        guard let chosen = plan.chosen else { return advice }
        let d = chosen.deployment

        // Model needs TP ≥ k to fit.
        let key = "\(d.accelerator.id)|\(d.precision)"
        if let k = minimumTP[key], k > 1 {
            advice.append(
                Advisory(
                    "needs-tp", .info,
                    "\(request.model.name) in \(d.precision) needs ≥ \(k) \(d.accelerator.id) per replica",
                    "weights \(humanNumber(d.weightBytes / 1_073_741_824)) GiB against \(humanNumber(d.accelerator.memoryGiB)) GiB per accelerator; the plan uses tp=\(d.tensorParallel) pp=\(d.pipelineParallel)"
                )
            )
        }
        // Weights stored narrower than the part computes: the quality cost of the format without its speed.
        if d.accelerator.runsWeightOnly(d.precision) {
            advice.append(
                Advisory(
                    "weight-only", .warning,
                    "\(d.precision) weights run weight-only on \(d.accelerator.id)",
                    "\(d.accelerator.id) has no \(d.precision.computePrecision) matrix units: the weights are dequantised "
                        + "for the matrix products, which saves memory and bandwidth but no compute, while the model "
                        + "carries the quality loss of \(d.precision) weights (allowed by quality.lowest_precision "
                        + "\(request.constraints.lowestPrecision?.rawValue ?? PlanRequest.Constraints.defaultLowestPrecision.rawValue))"
                )
            )
        }
        // TP spanning nodes.
        let node = d.accelerator.nodeSize ?? d.accelerator.scaleUp?.domainSize ?? 1
        if d.acceleratorsPerReplica > node {
            advice.append(
                Advisory(
                    "spans-nodes", .warning,
                    "Each replica spans \(Int(saturating: (Double(d.acceleratorsPerReplica) / Double(node)).rounded(.up))) nodes",
                    "tp·pp = \(d.acceleratorsPerReplica) exceeds the \(node)-accelerator node: pipeline stages cross the \(d.accelerator.scaleOut?.name ?? "scale-out network") at \(humanNumber(d.accelerator.scaleOut?.bandwidthGBps ?? 0)) GB/s instead of \(humanNumber(d.accelerator.scaleUp?.bandwidthGBps ?? 0)) GB/s; needs a multi-node launcher (LeaderWorkerSet)"
                )
            )
        }
        // Over-provisioned at the average.
        if chosen.averageUtilisation < 0.4 {
            // The floor keeps the spares: a fleet scaled down to its average still has to lose a replica.
            let needed = max(Int(saturating: (traffic.averageRate / chosen.perReplicaCapacity).rounded(.up)), 1)
            let low = min(
                max(needed + chosen.spareReplicas, request.constraints.minimumReplicas), chosen.replicas)
            let action =
                low < chosen.replicas
                ? "Autoscale between \(low) and \(chosen.replicas) replicas, or use a smaller part for the base load."
                : "The fleet is already at its floor of \(chosen.replicas) replica\(chosen.replicas == 1 ? "" : "s"): use a smaller part or fewer accelerators per replica for this load."
            advice.append(
                Advisory(
                    "over-provisioned", .warning,
                    "Average utilisation is \(humanNumber(chosen.averageUtilisation * 100))%: the fleet idles most of the day",
                    "average \(humanNumber(traffic.averageRate)) req/s against \(humanNumber(chosen.perReplicaCapacity * Double(chosen.replicas - chosen.spareReplicas))) req/s of capacity at the SLO (peak \(humanNumber(traffic.peakRate)) req/s). \(action)"
                )
            )
        }
        // Starvation risk at peak.
        if chosen.peakUtilisation > 0.9 {
            advice.append(
                Advisory(
                    "starvation-risk", .warning,
                    "Peak is within \(humanNumber((1 - chosen.peakUtilisation) * 100))% of capacity",
                    "peak \(humanNumber(traffic.peakRate)) req/s against \(humanNumber(chosen.perReplicaCapacity * Double(chosen.replicas - chosen.spareReplicas))) req/s at the SLO: a burst or a lost replica breaks the SLO. Add a replica or keep a scale-up buffer."
                )
            )
        }
        // 16-bit where 8-bit fits the quality floor.
        if d.precision.bits >= 16, request.constraints.precisionFloorBits <= 8,
            let cheaper = plan.candidates.first(where: {
                $0.deployment.precision.bits == 8 && $0.costPerHour < chosen.costPerHour
            })
        {
            advice.append(
                Advisory(
                    "use-fp8", .warning,
                    "FP8 fits the quality floor and costs \(humanNumber((1 - cheaper.costPerHour / chosen.costPerHour) * 100))% less",
                    "\(cheaper.deployment.accelerator.id) \(cheaper.deployment.precision) \(cheaper.replicas)× tp=\(cheaper.deployment.tensorParallel): \(humanNumber(cheaper.costPerHour))/h against \(humanNumber(chosen.costPerHour))/h"
                )
            )
        }
        // Long prompts: prefix caching or disaggregation would serve them cheaper.
        if traffic.input.mean >= 2000, traffic.input.mean >= 4 * traffic.output.mean {
            let model = PerformanceModel(
                deployment: d,
                efficiency: catalog.efficiency(stack: d.stack.id, accelerator: d.accelerator.id, isMoE: d.model.isMoE)?
                    .profile
                    ?? plan.request.defaultEfficiency)
            let prefill = model.seconds(.prefill(promptTokens: traffic.input.mean))
            let decode = traffic.output.mean * model.seconds(.decode(sequences: 32, context: traffic.input.mean)) / 32
            let share = prefill / (prefill + decode)
            var detail =
                "prompts average \(humanNumber(traffic.input.mean)) tokens against \(humanNumber(traffic.output.mean)) out; prefill is about \(humanNumber(share * 100))% of each request's accelerator time."
            if case .none = traffic.prefix { detail += " A shared prefix cached by the engine would skip its compute." }
            if chosen.disaggregation == nil {
                detail += " Disaggregated prefill/decode pools keep TPOT flat under prompt bursts."
            }
            advice.append(Advisory("long-prompts", .info, "Long prompts dominate the work", detail))
        }
        // A single region for an availability target it cannot give.
        if let availability = o.availability, availability >= 0.999 {
            // The planner buys every replica of a plan at one price, so the recommendation sits in one region.
            if chosen.price != nil {
                advice.append(
                    Advisory(
                        "single-region", .warning, "\(humanNumber(availability * 100))% availability from one region",
                        "the plan buys in \(chosen.price.map { "\($0.provider) \($0.region)" } ?? "one site") only; a region outage takes the whole service down. Spread replicas over at least two regions (assumption: a single cloud region is treated as one failure domain)."
                    )
                )
            }
        }
        // Budget.
        if let budget = request.constraints.budgetPerHour, chosen.costPerHour > budget {
            advice.append(
                Advisory(
                    "over-budget", .critical,
                    "The cheapest plan costs \(humanNumber(chosen.costPerHour))/h, over the \(humanNumber(budget))/h budget",
                    "relax the SLO or the precision floor, or allow other accelerators or providers"
                )
            )
        }
        // Unconfirmed recommendation.
        if !chosen.verified {
            advice.append(
                Advisory(
                    "unverified", .warning, "The recommendation was not confirmed by simulation",
                    chosen.notes.joined(separator: "; ")
                )
            )
        }
        return advice.sorted { $0.severity > $1.severity }
    }
}

extension PlanRequest {
    /// A neutral profile for rules that need a step time when the catalog has none (never used for sizing).
    var defaultEfficiency: EfficiencyProfile {
        EfficiencyProfile(
            stack: "*", accelerators: ["*"], compute: 0.6, attentionCompute: 0.4, memory: 0.85, overlap: 0.5,
            network: 0.6, collectiveLatencyMicroseconds: 10, stepOverheadMilliseconds: 2,
            perSequenceOverheadMicroseconds: 5, requestOverheadMilliseconds: 5,
            provenance: Provenance(
                source: "assumption: neutral constants for advisory arithmetic only", asOf: "2026-11-25")
        )
    }
}
