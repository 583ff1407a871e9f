/// Builds the procurement spec of a planned run from the request's price book and facility inputs.
struct TrainingProcurementBuilder {
    var request: TrainingRequest
    var reliability: ReliabilityEstimate
    var step: TrainingStep
    var plan: ParallelismPlan
    var checkpoint: CheckpointPolicy
    var nodeSize: Int

    func build() -> TrainingProcurement {
        let r = request
        let nodes = (Double(r.count) / Double(nodeSize)).rounded(.up).asInt
        let wallHours = reliability.wallSeconds / 3600
        // No published figure (TPUs) and none given: no power, energy or electricity rather than 0 MW.
        let watts = r.facility.acceleratorWatts(for: r.accelerator)
        let acceleratorKW = watts.map { $0 * Double(r.count) / 1000 }
        let systemKW = r.facility.systemPowerKW.map { $0 * Double(nodes) }
        let itKW = systemKW ?? acceleratorKW
        let facilityKW = itKW.map { $0 * r.facility.pue }
        let energy = facilityKW.map { $0 * wallHours / 1000 }
        let nodeKW = r.facility.systemPowerKW ?? watts.map { $0 * Double(nodeSize) / 1000 }
        var serversPerRack = r.facility.serversPerRack
        if let rackKW = r.facility.rackKW, let nodeKW, nodeKW > 0 {
            serversPerRack = max(Int(saturating: (rackKW / nodeKW).rounded(.down)), 1)
        }
        let racks = (Double(nodes) / Double(max(serversPerRack, 1))).rounded(.up).asInt
        let vocab = r.model.shape?.vocabSize ?? 128_000
        let bytesPerToken = vocab <= 65_536 ? 2.0 : 4.0
        let (options, breakEven) = costs()
        var procurement = TrainingProcurement(
            nodes: nodes, nodeSize: nodeSize, scaleOutNeededGBpsPerAccelerator: scaleOutNeeded() / 1e9,
            scaleOutAvailableGBpsPerAccelerator: r.accelerator.scaleOut?.bandwidthGBps,
            checkpointBytes: checkpoint.bytes, checkpointsRetained: r.checkpointsRetained,
            checkpointStorageBytes: checkpoint.bytes * Double(r.checkpointsRetained),
            datasetBytes: r.tokens * bytesPerToken, datasetBytesPerToken: bytesPerToken,
            acceleratorPowerKW: acceleratorKW, systemPowerKW: systemKW, systemPowerSource: r.facility.systemPowerSource,
            pue: r.facility.pue, pueSource: r.facility.pueSource, facilityPowerKW: facilityKW, energyMWh: energy,
            electricityCost: energy.flatMap { mwh in r.facility.electricityPerKWh.map { $0 * mwh * 1000 } },
            electricitySource: r.facility.electricitySource, racks: racks, serversPerRack: serversPerRack,
            rackKW: r.facility.rackKW, rackSource: r.facility.rackKW == nil ? r.facility.rackSource : "given",
            currency: r.priceBook?.currency, costs: options, spotBreakEvenPreemptionsPerThousandNodeDays: breakEven)
        procurement.powerSource =
            if r.facility.acceleratorPowerW != nil {
                "given (accelerator_power_w)"
            } else if r.accelerator.tdpWatts != nil {
                "catalog TDP of \(r.accelerator.id)"
            } else if systemKW != nil {
                "server power row"
            } else {
                "\(r.accelerator.id) has no published power figure: give its power per accelerator (accelerator_power_w, W)"
            }
        return procurement
    }

    /// Bytes of data-parallel traffic per accelerator per step over the time it may take without showing.
    func scaleOutNeeded() -> Double {
        guard step.dataParallelSeconds > 0 else { return 0 }
        let bandwidth = request.accelerator.scaleOutBandwidth
        let bytes = step.dataParallelSeconds * bandwidth
        let busy = step.stepSeconds - step.bubbleSeconds - step.dataParallelExposedSeconds
        let window = plan.zero == .parameters ? busy : busy / Double(plan.microBatches) * 2 / 3
        return window > 0 ? bytes / window : 0
    }

    func costs() -> ([TrainingProcurement.CostOption], Double?) {
        guard let book = request.priceBook else { return ([], nil) }
        let entries = book.instances(for: request.accelerator.id).filter { !$0.excludesHost }
        let hours = reliability.wallSeconds * Double(request.count) / 3600
        let kinds: [(String, KeyPath<HourlyRates, Double?>)] = [
            ("on_demand", \.onDemand), ("reserved_1y", \.reserved1Year), ("reserved_3y", \.reserved3Year),
            ("capacity_block", \.capacityBlock), ("spot", \.spot),
        ]
        var options: [TrainingProcurement.CostOption] = []
        var onDemand: Double?
        var breakEven: Double?
        for (name, path) in kinds {
            let priced = entries.compactMap { entry in entry.perAccelerator[keyPath: path].map { ($0, entry) } }
            guard let (price, entry) = priced.min(by: { ($0.0, $0.1.provider) < ($1.0, $1.1.provider) }) else {
                continue
            }
            if name == "on_demand" { onDemand = price }
            var quantity = hours
            var wall: Double? = reliability.wallSeconds / 86_400
            var note: String?
            if name == "spot" {
                if let rate = request.spotPreemptionsPerThousandNodeDays {
                    let spot = spotReliability(preemptionsPerThousandNodeDays: rate)
                    quantity = spot.wallSeconds * Double(request.count) / 3600
                    wall = spot.wallSeconds / 86_400
                    note =
                        "with \(rate) preemptions per 1,000 node-days: goodput \(Self.percent(spot.goodput)) "
                        + "against \(Self.percent(reliability.goodput)) on dedicated capacity (rework inflation "
                        + "\(Self.percent(spot.wallSeconds / reliability.wallSeconds - 1)))"
                } else {
                    wall = nil
                    if let onDemand { breakEven = breakEvenRate(spotPrice: price, dedicatedPrice: onDemand) }
                    note =
                        "without preemptions; give `spot_preemptions_per_1000_node_days` for the rework"
                        + (breakEven.map {
                            ". Spot stays cheaper than on-demand below \(Self.number($0)) preemptions "
                                + "per 1,000 node-days"
                        } ?? "")
                }
            }
            options.append(
                .init(
                    option: name, pricePerAcceleratorHour: price, provider: entry.provider, region: entry.region,
                    source: entry.provenance.source, asOf: entry.provenance.asOf, quantity: quantity,
                    cost: price * quantity, wallDays: wall, note: note))
        }
        let servers = book.servers.filter { $0.accelerator.lowercased() == request.accelerator.id }
        if let server = servers.min(by: { $0.pricePerAccelerator < $1.pricePerAccelerator }) {
            options.append(
                .init(
                    option: "purchase", pricePerAcceleratorHour: nil, provider: server.name, region: "on-prem",
                    source: server.provenance.source, asOf: server.provenance.asOf, quantity: Double(request.count),
                    cost: server.pricePerAccelerator * Double(request.count), wallDays: nil,
                    note: "capital cost of the accelerators only (\(server.accelerators) per \(server.name)); power, "
                        + "networking, facility and staff not included"))
        }
        return (options, breakEven)
    }

    func spotReliability(preemptionsPerThousandNodeDays rate: Double) -> ReliabilityEstimate {
        ReliabilityEstimate(
            computeSeconds: reliability.computeSeconds, accelerators: request.count, nodeSize: nodeSize,
            failures: request.failures, checkpoint: checkpoint,
            extraFailuresPerAcceleratorHour: rate / 1000 / 24 / Double(nodeSize))
    }

    /// The preemption rate at which spot accelerator-hours cost as much as dedicated ones, by bisection.
    func breakEvenRate(spotPrice: Double, dedicatedPrice: Double) -> Double? {
        guard spotPrice < dedicatedPrice else { return 0 }
        let target = dedicatedPrice * reliability.wallSeconds
        func cost(_ rate: Double) -> Double {
            spotPrice * spotReliability(preemptionsPerThousandNodeDays: rate).wallSeconds
        }
        var low = 0.0
        var high = 1.0
        while cost(high) < target {
            high *= 2
            if high > 1e7 { return nil }
        }
        for _ in 0..<60 {
            let mid = (low + high) / 2
            if cost(mid) < target { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    static func percent(_ value: Double) -> String { "\(Int(saturating: (value * 1000).rounded()) / 10)%" }
    static func number(_ value: Double) -> String {
        value >= 100 && value < 1e15 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }
}
