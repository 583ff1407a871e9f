extension BenchResult {
    /// The calibration points a measured run gives: output throughput and mean, median and p99 TTFT and TPOT, at the
    /// run's load and mean request lengths (rounded), one group per sweep step when the run was a sweep.
    ///
    /// Load: concurrency mode gives ``CalibrationPoint/Scenario/concurrency(_:)``; rate modes (constant, Poisson,
    /// gamma) give ``CalibrationPoint/Scenario/online(rate:requests:)`` with the measured request count (no rate:
    /// every request sent at once); sweep steps give the step's rate. Ramps and traces have no scenario the model
    /// predicts and are refused, and so is an imported run whose load is not known (``BenchLoad/unknownMode``).
    /// - Parameter origin: where the result came from (a file name), carried by every point.
    /// - Returns: the points; a metric the run lacks (no TPOT for one-token outputs) is left out.
    /// - Throws: ``HeadroomError`` naming the missing target field (`target.accelerator_id`, `target.stack_id`,
    ///   `target.catalog_model_id`, `target.precision`, `target.accelerator_count`, `target.tensor_parallel`) or
    ///   the load that cannot be modelled.
    public func calibrationPoints(origin: String) throws(HeadroomError) -> [CalibrationPoint] {
        func missing(_ field: String, option: String) -> HeadroomError {
            HeadroomError(
                .invalidInput, "the result does not say what ran; give \(HeadroomError.mention(option))", file: origin,
                field: "target.\(field)")
        }
        guard let accelerator = target.acceleratorID else { throw missing("accelerator_id", option: "accelerator") }
        guard let stack = target.stackID else { throw missing("stack_id", option: "stack") }
        guard let model = target.catalogModelID else { throw missing("catalog_model_id", option: "model") }
        guard let precisionText = target.precision else { throw missing("precision", option: "precision") }
        guard let precision = Precision(rawValue: precisionText.lowercased()) else {
            throw HeadroomError(
                .invalidInput,
                "unknown precision '\(precisionText)'; known: \(Precision.allCases.map(\.rawValue).joined(separator: ", "))",
                file: origin, field: "target.precision")
        }
        guard let count = target.acceleratorCount else { throw missing("accelerator_count", option: "count") }
        guard let tp = target.tensorParallel else { throw missing("tensor_parallel", option: "tp") }
        let source = "\(tool), \(startedAt)"
        func points(
            _ aggregates: BenchAggregates, scenario: CalibrationPoint.Scenario, origin: String
        ) -> [CalibrationPoint] {
            let input = max(Int(saturating: aggregates.meanInputTokens.rounded()), 1)
            let output = max(Int(saturating: aggregates.meanOutputTokens.rounded()), 1)
            var values: [(CalibrationPoint.Metric, Double?)] = [(.outputThroughput, aggregates.outputTokensPerSecond)]
            if let d = aggregates.ttftSeconds {
                values += [(.meanTTFT, d.mean), (.medianTTFT, d.p50), (.p99TTFT, d.p99)]
            }
            if let d = aggregates.tpotSeconds {
                values += [(.meanTPOT, d.mean), (.medianTPOT, d.p50), (.p99TPOT, d.p99)]
            }
            return values.compactMap { metric, value in
                guard let value, value.isFinite, value > 0 else { return nil }
                return CalibrationPoint(
                    origin: origin, source: source, acceleratorID: accelerator, modelID: model, stackID: stack,
                    precision: precision, kvPrecision: precision.defaultKVCachePrecision, count: count,
                    tensorParallel: tp, scenario: scenario, inputTokens: input, outputTokens: output, metric: metric,
                    value: value)
            }
        }
        if let sweep, !sweep.isEmpty {
            return sweep.flatMap { step in
                points(
                    step.aggregates,
                    scenario: .online(rate: step.rateRequestsPerSecond, requests: step.aggregates.completed),
                    origin: "\(origin):step \(step.step)")
            }
        }
        let scenario: CalibrationPoint.Scenario
        switch load.mode {
        case "concurrency":
            guard let n = load.concurrency, n >= 1 else {
                throw HeadroomError(
                    .invalidInput, "concurrency mode without a concurrency", file: origin, field: "load.concurrency")
            }
            scenario = .closedLoop(clients: n, requests: max(aggregates.completed, n))
        case "constant", "poisson", "gamma":
            scenario = .online(rate: load.rateRequestsPerSecond, requests: max(aggregates.completed, 1))
        case BenchLoad.unknownMode:
            throw HeadroomError(
                .unsupported,
                "the load is not known (the file does not say how requests were sent), so there is nothing to "
                    + "predict it against",
                file: origin, field: "load.mode")
        default:
            throw HeadroomError(
                .unsupported, "a \(load.mode) load has no scenario the model predicts", file: origin,
                field: "load.mode")
        }
        return points(aggregates, scenario: scenario, origin: origin)
    }
}
