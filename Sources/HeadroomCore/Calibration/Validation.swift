/// Predicted against measured for calibration rows.
public struct ValidationReport: Sendable {
    public struct Row: Sendable {
        public var measurement: CalibrationPoint
        public var predicted: Double
        /// (predicted − measured) / measured.
        public var error: Double
        public var absoluteError: Double { abs(error) }
    }

    public struct Summary: Sendable {
        public var group: CalibrationPoint.MetricGroup
        public var count: Int
        public var medianAPE: Double
        public var maxAPE: Double
        public var meanSignedError: Double
        public var target: Double
        public var meetsTarget: Bool { medianAPE <= target }
    }

    public var rows: [Row]
    /// Rows that could not be predicted, with the reason.
    public var skipped: [(measurement: CalibrationPoint, reason: String)]

    /// Median and maximum absolute percentage error per metric group.
    public var summaries: [Summary] { Self.summaries(of: rows) }

    /// The rows' summaries per calibration group — model family, dense or MoE, stack and accelerator — so that a
    /// regression in one group cannot hide in an overall median. Groups in name order.
    public var groups: [(group: CalibrationGroup, summaries: [Summary])] {
        Dictionary(grouping: rows) { CalibrationGroup($0.measurement) }
            .map { ($0.key, Self.summaries(of: $0.value)) }
            .sorted { $0.group.label < $1.group.label }
    }

    package static func summaries(of rows: [Row]) -> [Summary] {
        CalibrationPoint.MetricGroup.allCases.compactMap { group in
            let errors = rows.filter { $0.measurement.metric.group == group }
            guard !errors.isEmpty else { return nil }
            let absolute = errors.map(\.absoluteError).sorted()
            let median =
                absolute.count % 2 == 1
                ? absolute[absolute.count / 2]
                : (absolute[absolute.count / 2 - 1] + absolute[absolute.count / 2]) / 2
            return Summary(
                group: group, count: errors.count, medianAPE: median, maxAPE: absolute.last ?? 0,
                meanSignedError: errors.map(\.error).reduce(0, +) / Double(errors.count), target: group.targetMedianAPE
            )
        }
    }
}

/// The unit validation errors are reported by: a model family (dense or MoE), a stack and an accelerator.
public struct CalibrationGroup: Sendable, Hashable {
    public var family: String
    public var stack: String
    public var accelerator: String

    public init(family: String, stack: String, accelerator: String) {
        self.family = family
        self.stack = stack
        self.accelerator = accelerator
    }

    public init(_ point: CalibrationPoint) {
        self.init(family: Self.family(of: point.modelID), stack: point.stackID, accelerator: point.acceleratorID)
    }

    /// `family/stack/accelerator`.
    public var label: String { "\(family) · \(stack) · \(accelerator)" }

    /// The family of a catalog model id: `llama-3.1-70b` → llama, `deepseek-r1` → deepseek (MoE),
    /// `qwen3-235b-a22b` → qwen3 (MoE), `gpt-oss-120b` → gpt-oss (MoE), `mixtral-8x7b` → mixtral (MoE).
    public static func family(of modelID: String) -> String {
        let id = modelID.lowercased()
        let known: [(String, String)] = [
            ("deepseek", "deepseek (MoE)"), ("gpt-oss", "gpt-oss (MoE)"), ("mixtral", "mixtral (MoE)"),
            ("llama-4", "llama-4 (MoE)"), ("qwen3-235b", "qwen3 (MoE)"), ("qwen3-30b", "qwen3 (MoE)"),
        ]
        if let match = known.first(where: { id.hasPrefix($0.0) }) { return match.1 }
        let stem = id.split(separator: "-").first.map(String.init) ?? id
        return stem + " (dense)"
    }
}

/// Predicts calibration measurements with the performance model.
public struct Validator: Sendable {
    public var catalog: Catalog
    /// Predict online (finite, rate-driven) rows by simulating the benchmark run request by request, as
    /// `headroom estimate` does; otherwise by the closed-form queueing approximation.
    public var simulateOnlineRows: Bool

    public init(catalog: Catalog, simulateOnlineRows: Bool = true) {
        self.catalog = catalog
        self.simulateOnlineRows = simulateOnlineRows
    }

    /// Predicts every measurement; rows naming something the catalog lacks are skipped with the reason.
    public func validate(_ measurements: [CalibrationPoint]) -> ValidationReport {
        var rows: [ValidationReport.Row] = []
        var skipped: [(measurement: CalibrationPoint, reason: String)] = []
        for measurement in measurements {
            do {
                let predicted = try predict(measurement)
                rows.append(
                    .init(
                        measurement: measurement, predicted: predicted,
                        error: (predicted - measurement.value) / measurement.value))
            } catch {
                skipped.append((measurement, error.description))
            }
        }
        return ValidationReport(rows: rows, skipped: skipped)
    }

    /// The deployment a measurement describes.
    public func deployment(for m: CalibrationPoint) throws(HeadroomError) -> Deployment {
        try Deployment(
            model: catalog.model(m.modelID), accelerator: catalog.accelerator(m.acceleratorID),
            stack: catalog.stack(m.stackID), count: m.count, tensorParallel: m.tensorParallel,
            pipelineParallel: m.pipelineParallel, expertParallel: m.expertParallel,
            attentionDataParallel: m.attentionDataParallel, precision: m.precision, kvPrecision: m.kvPrecision,
            memoryFraction: m.memoryFraction, maxNumSeqs: m.maxNumSeqs
        )
    }

    /// The model's prediction of one measurement, in the measurement's SI unit.
    public func predict(
        _ m: CalibrationPoint, efficiency override: EfficiencyProfile? = nil
    ) throws(HeadroomError) -> Double {
        let deployment = try deployment(for: m)
        let efficiency: (profile: EfficiencyProfile, specificity: Int)
        if let override {
            efficiency = (override, 3)
        } else if let found = catalog.efficiency(
            stack: m.stackID, accelerator: m.acceleratorID, isMoE: deployment.model.isMoE)
        {
            efficiency = found
        } else {
            throw HeadroomError(.unknownEntry, "no efficiency profile for \(m.stackID) on \(m.acceleratorID)")
        }
        let shape = try RequestShape(inputTokens: m.inputTokens, outputTokens: m.outputTokens)
        let estimator = Estimator(
            deployment: deployment, shape: shape, efficiency: efficiency, batchLimitsGiven: m.maxNumSeqs != nil)
        let isl = Double(m.inputTokens)
        let osl = Double(m.outputTokens)
        let estimate: LatencyFigures
        var requestsPerSecond: Double
        switch m.scenario {
        case .offline:
            let analytic = try estimator.estimate(.offline(requests: nil))
            (estimate, requestsPerSecond) = (LatencyFigures(analytic), analytic.requestsPerSecond)
        case .concurrency(let n):
            let analytic = try estimator.estimate(.concurrency(n))
            (estimate, requestsPerSecond) = (LatencyFigures(analytic), analytic.requestsPerSecond)
        case .closedLoop(let clients, let requests):
            // Cheap (a bench run's few requests), so simulated even while fitting.
            let run = try simulated(.concurrency(clients), requests: requests, by: estimator)
            (estimate, requestsPerSecond) = (run.figures, run.simulation.requestsPerSecond)
        case .online(nil, let requests):
            let analytic = try estimator.estimate(.offline(requests: requests))
            (estimate, requestsPerSecond) = (LatencyFigures(analytic), analytic.requestsPerSecond)
        case .online(let rate, let requests) where simulateOnlineRows:
            // The benchmark itself: `requests` fixed-length requests, Poisson at `rate` (all at once without one).
            let load: Load = rate.map { .rate($0) } ?? .offline(requests: requests)
            let run = try simulated(load, requests: requests, by: estimator)
            estimate = run.figures
            requestsPerSecond = Double(run.simulation.completed) / max(run.simulation.simulatedSeconds, 1e-12)
        case .online(let rate?, let requests):
            let n = Double(requests)
            do {
                estimate = LatencyFigures(try estimator.estimate(.rate(rate)))
                // A finite run lasts until the last arrival, plus that request's latency.
                requestsPerSecond = n / (n / rate + estimate.meanTTFT + (osl - 1) * estimate.meanTPOT)
            } catch  where error.code == .infeasible {
                // Overloaded: the queue grows for the whole run; throughput is the capacity.
                let saturated = try estimator.estimate(.offline(requests: requests))
                let capacity = try estimator.estimate(.offline(requests: nil)).requestsPerSecond
                let arrivalSpan = n / rate
                let serviceSpan = n / capacity
                var adjusted = saturated
                // Request i waits about i·(1/μ − 1/λ): the mean over the run is half the final backlog.
                adjusted.meanTTFT =
                    max(serviceSpan - arrivalSpan, 0) / 2
                    + estimator.model.efficiency.requestOverheadMilliseconds * 1e-3 + saturated.step.seconds
                estimate = LatencyFigures(adjusted)
                requestsPerSecond = n / (serviceSpan + estimate.meanTTFT + (osl - 1) * estimate.meanTPOT)
            }
        }
        return switch m.metric {
        case .outputThroughput: requestsPerSecond * osl
        case .totalThroughput: requestsPerSecond * (isl + osl)
        case .requestThroughput: requestsPerSecond
        case .meanTTFT: estimate.meanTTFT
        case .medianTTFT: estimate.ttft.p50
        case .p99TTFT: estimate.ttft.p99
        case .meanTPOT: estimate.meanTPOT
        case .medianTPOT: estimate.tpot.p50
        case .p99TPOT: estimate.tpot.p99
        }
    }

    /// A simulated benchmark run — `requests` fixed-length requests under `load`, no warm-up cut — and its latency
    /// figures. No analytic pass: every figure the prediction reads comes from the run.
    private func simulated(
        _ load: Load, requests: Int, by estimator: Estimator
    ) throws(HeadroomError) -> (figures: LatencyFigures, simulation: SimulationResult) {
        let simulation = try estimator.simulate(
            load, requests: requests, seed: 1, options: SimulationOptions(warmupFraction: 0))
        let figures = LatencyFigures(
            meanTTFT: simulation.ttft.mean, ttft: simulation.ttft.percentiles, meanTPOT: simulation.tpot.mean,
            tpot: simulation.tpot.count > 0 ? simulation.tpot.percentiles : .constant(0))
        return (figures, simulation)
    }
}

/// The latency figures a prediction compares with measurements, from the analytic model or a simulated run.
private struct LatencyFigures {
    var meanTTFT: Double
    var ttft: Percentiles
    var meanTPOT: Double
    var tpot: Percentiles

    init(meanTTFT: Double, ttft: Percentiles, meanTPOT: Double, tpot: Percentiles) {
        self.meanTTFT = meanTTFT
        self.ttft = ttft
        self.meanTPOT = meanTPOT
        self.tpot = tpot
    }

    init(_ estimate: Estimate) {
        self.init(meanTTFT: estimate.meanTTFT, ttft: estimate.ttft, meanTPOT: estimate.meanTPOT, tpot: estimate.tpot)
    }
}
