import RealModule

/// Fits an ``EfficiencyProfile`` to calibration points by minimising the mean squared log error of the predictions
/// (Nelder–Mead over bounded, transformed parameters). Deterministic: the same points and start give the same fit.
public struct EfficiencyFitter: Sendable {
    public var validator: Validator
    /// Iterations of the simplex search.
    public var iterations: Int

    public init(catalog: Catalog, iterations: Int = 1500) {
        // The search evaluates the loss thousands of times, so online rows use the closed-form queueing here;
        // `headroom validate` then checks the fit with the simulator.
        validator = Validator(catalog: catalog, simulateOnlineRows: false)
        self.iterations = iterations
    }

    /// The parameters searched, each mapped into its range by a logistic transform.
    struct Bounds {
        static let ranges: [(Double, Double)] = [
            // Ranges keep the fit physical: no part streams memory above ~92% of peak (stas00/ml-engineering's
            // measured-bandwidth tables top out there), and per-step or per-collective overheads beyond these
            // bounds would mean the model is missing a term rather than mis-weighting one.
            (0.2, 0.95),  // compute
            (0.1, 0.9),  // attention compute
            (0.5, 0.92),  // memory
            (0.0, 1.0),  // overlap
            (0.2, 0.95),  // network
            (0.0, 40),  // collective latency µs
            (0.0, 6),  // step overhead ms
            (0.0, 30),  // per-sequence overhead µs
            (0.0, 150),  // request overhead ms
            // Grouped expert GEMMs over small per-expert matrices stream below a dense GEMM's rate, and an MoE
            // layer's routing and permutation kernels cost a few tens of microseconds each at small batch.
            (0.15, 0.92),  // expert memory
            (0.0, 1000),  // MoE layer overhead µs
            // Eager prefill: tens of kernels per layer launched from Python at a few µs each, up to ~2 ms a layer.
            (0.0, 2500),  // prefill layer overhead µs
        ]
    }

    static func vector(_ p: EfficiencyProfile) -> [Double] {
        let values = [
            p.compute, p.attentionCompute, p.memory, p.overlap, p.network, p.collectiveLatencyMicroseconds,
            p.stepOverheadMilliseconds, p.perSequenceOverheadMicroseconds, p.requestOverheadMilliseconds,
            p.expertMemory ?? p.memory, p.moeLayerOverheadMicroseconds, p.prefillLayerOverheadMicroseconds,
        ]
        return zip(values, Bounds.ranges).map { value, range in
            let t = min(max((value - range.0) / (range.1 - range.0), 1e-4), 1 - 1e-4)
            return Double.log(t / (1 - t))
        }
    }

    static func profile(_ x: [Double], template: EfficiencyProfile) -> EfficiencyProfile {
        let v = zip(x, Bounds.ranges).map { value, range in range.0 + (range.1 - range.0) / (1 + Double.exp(-value)) }
        var p = template
        p.compute = v[0]
        p.attentionCompute = v[1]
        p.memory = v[2]
        p.overlap = v[3]
        p.network = v[4]
        p.collectiveLatencyMicroseconds = v[5]
        p.stepOverheadMilliseconds = v[6]
        p.perSequenceOverheadMicroseconds = v[7]
        p.requestOverheadMilliseconds = v[8]
        p.expertMemory = v[9]
        p.moeLayerOverheadMicroseconds = v[10]
        p.prefillLayerOverheadMicroseconds = v[11]
        return p
    }

    /// Mean squared log error of `profile` over `points`; points it cannot predict count as a large error.
    public func loss(_ profile: EfficiencyProfile, points: [CalibrationPoint]) -> Double {
        var total = 0.0
        for point in points {
            guard let predicted = try? validator.predict(point, efficiency: profile), predicted > 0, predicted.isFinite
            else {
                total += 4
                continue
            }
            let error = Double.log(predicted / point.value)
            total += error * error
        }
        return total / Double(max(points.count, 1))
    }

    /// Fits `start`'s constants to `points`.
    /// - Returns: the fitted profile and its loss.
    /// The constants a fit can move, in ``vector(_:)`` order.
    public static let parameterNames = [
        "compute", "attention_compute", "memory", "overlap", "network", "collective_latency_us", "step_overhead_ms",
        "per_sequence_overhead_us", "request_overhead_ms", "expert_memory", "moe_layer_overhead_us",
        "prefill_layer_overhead_us",
    ]

    /// The constants only mixture-of-experts rows inform.
    public static let moeParameterNames: Set<String> = ["expert_memory", "moe_layer_overhead_us"]

    /// Fits `start`'s constants to `points`.
    /// - Parameter parameters: names of the constants to fit (``parameterNames``); the rest keep `start`'s values.
    ///   Fit few constants on few rows.
    /// - Returns: the fitted profile and its loss.
    public func fit(
        _ points: [CalibrationPoint], start: EfficiencyProfile,
        parameters: Set<String> = Set(parameterNames).subtracting(moeParameterNames)
    ) -> (profile: EfficiencyProfile, loss: Double) {
        let free = Self.parameterNames.indices.filter { parameters.contains(Self.parameterNames[$0]) }
        let base = Self.vector(start)
        func expand(_ y: [Double]) -> [Double] {
            var x = base
            for (k, index) in free.enumerated() { x[index] = y[k] }
            return x
        }
        let dimension = free.count
        guard dimension > 0 else { return (start, loss(start, points: points)) }
        // A free constant that starts pinned at a bound (0 for a term the profile never had) sits where the logistic
        // transform is flat: start it a little inside its range so the simplex can move it.
        var simplex = [free.map { min(max(base[$0], -2.5), 2.5) }]
        for index in 0..<dimension {
            var vertex = simplex[0]
            vertex[index] += 0.8
            simplex.append(vertex)
        }
        // Constants outside the fit keep their exact starting values (the bounded transform would round them).
        let keyPaths: [WritableKeyPath<EfficiencyProfile, Double>] = [
            \.compute, \.attentionCompute, \.memory, \.overlap, \.network, \.collectiveLatencyMicroseconds,
            \.stepOverheadMilliseconds, \.perSequenceOverheadMicroseconds, \.requestOverheadMilliseconds,
        ]
        let prefillIndex = Self.parameterNames.firstIndex(of: "prefill_layer_overhead_us")!
        let expertMemoryIndex = Self.parameterNames.firstIndex(of: "expert_memory")!
        let moeOverheadIndex = Self.parameterNames.firstIndex(of: "moe_layer_overhead_us")!
        func candidate(_ y: [Double]) -> EfficiencyProfile {
            var p = Self.profile(expand(y), template: start)
            for index in keyPaths.indices where !free.contains(index) {
                p[keyPath: keyPaths[index]] = start[keyPath: keyPaths[index]]
            }
            if !free.contains(expertMemoryIndex) { p.expertMemory = start.expertMemory }
            if !free.contains(moeOverheadIndex) { p.moeLayerOverheadMicroseconds = start.moeLayerOverheadMicroseconds }
            if !free.contains(prefillIndex) {
                p.prefillLayerOverheadMicroseconds = start.prefillLayerOverheadMicroseconds
            }
            return p
        }
        func f(_ y: [Double]) -> Double { loss(candidate(y), points: points) }
        var values = simplex.map(f)
        for _ in 0..<iterations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if values[dimension] - values[0] < 1e-10 { break }
            var centroid = Array(repeating: 0.0, count: dimension)
            for vertex in simplex.dropLast() {
                for i in 0..<dimension { centroid[i] += vertex[i] / Double(dimension) }
            }
            func along(_ t: Double) -> [Double] {
                (0..<dimension).map { centroid[$0] + t * (simplex[dimension][$0] - centroid[$0]) }
            }
            let reflected = along(-1)
            let reflectedValue = f(reflected)
            if reflectedValue < values[0] {
                let expanded = along(-2)
                let expandedValue = f(expanded)
                if expandedValue < reflectedValue {
                    simplex[dimension] = expanded
                    values[dimension] = expandedValue
                } else {
                    simplex[dimension] = reflected
                    values[dimension] = reflectedValue
                }
            } else if reflectedValue < values[dimension - 1] {
                simplex[dimension] = reflected
                values[dimension] = reflectedValue
            } else {
                let contracted = along(reflectedValue < values[dimension] ? -0.5 : 0.5)
                let contractedValue = f(contracted)
                if contractedValue < min(reflectedValue, values[dimension]) {
                    simplex[dimension] = contracted
                    values[dimension] = contractedValue
                } else {
                    for index in 1...dimension {
                        simplex[index] = (0..<dimension).map {
                            simplex[0][$0] + 0.5 * (simplex[index][$0] - simplex[0][$0])
                        }
                        values[index] = f(simplex[index])
                    }
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] }!
        return (candidate(simplex[best]), values[best])
    }
}
