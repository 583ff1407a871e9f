extension Plan {
    /// The formula inputs behind the recommendation: sizing, cost, utilisation, then the performance model's own
    /// terms at the per-replica peak load.
    public func explanation(catalog: Catalog) -> [Explanation] {
        guard let c = chosen else { return [] }
        let d = c.deployment
        let t = request.traffic
        let served = c.replicas - c.spareReplicas
        var lines = [
            Explanation(
                "per-replica capacity", "\(humanNumber(c.perReplicaCapacity)) req/s",
                "highest rate whose analytic p\(Int(saturating: request.objectives.percentile)) latency meets the SLO (bisection)"
            ),
            Explanation(
                "replicas", "\(c.replicas)",
                "⌈peak \(humanNumber(t.peakRate)) req/s ÷ \(humanNumber(c.perReplicaCapacity))⌉ + \(c.spareReplicas) spare for availability \(request.objectives.availability.map { humanNumber($0 * 100) + "%" } ?? "not set")"
                    + (c.notes.first { $0.contains("simulation needed") }.map { "; \($0)" } ?? "")
            ),
            Explanation(
                "accelerators", "\(d.count)",
                "\(c.replicas) replicas × tp \(d.tensorParallel) × pp \(d.pipelineParallel)"
            ),
        ]
        if let price = c.price {
            lines.append(
                Explanation(
                    "cost per hour", "\(humanNumber(c.costPerHour)) \(price.currency)",
                    "\(d.count) × \(humanNumber(price.perHour)) \(price.currency)/accelerator-hour on-demand (\(price.provider) \(price.region), \(price.source), \(price.asOf))"
                )
            )
        }
        lines += [
            Explanation(
                "cost per 1M output tokens", humanNumber(c.costPerMillionTokens),
                "cost per hour ÷ (average \(humanNumber(t.averageRate)) req/s × \(humanNumber(t.output.mean)) output tokens × 3600) × 1e6"
            ),
            Explanation(
                "peak utilisation", "\(humanNumber(c.peakUtilisation * 100))%",
                "peak \(humanNumber(t.peakRate)) req/s ÷ (\(served) serving replicas × \(humanNumber(c.perReplicaCapacity)) req/s)"
            ),
            Explanation(
                "latency at peak",
                "p\(Int(saturating: request.objectives.percentile)) TTFT \(humanNumber(c.ttft.value(at: request.objectives.percentile) * 1000)) ms, TPOT \(humanNumber(c.tpot.value(at: request.objectives.percentile) * 1000)) ms",
                c.verified
                    ? "simulated: \(c.simulation?.measured ?? 0) requests at the peak rate over \(c.replicas) replicas (least-outstanding router)"
                    : "analytic estimate (not simulated)"
            ),
        ]
        if let efficiency = catalog.efficiency(stack: d.stack.id, accelerator: d.accelerator.id, isMoE: d.model.isMoE),
            let shape = try? RequestShape(
                inputTokens: max(Int(saturating: t.input.mean.rounded()), 1),
                outputTokens: max(Int(saturating: t.output.mean.rounded()), 1)
            )
        {
            var one = d
            one.count = d.acceleratorsPerReplica
            let estimator = Estimator(deployment: one, shape: shape, efficiency: efficiency)
            if let estimate = try? estimator.estimate(.rate(t.peakRate / Double(max(served, 1)))) {
                lines += estimate.explanation
            }
        }
        return lines
    }
}
