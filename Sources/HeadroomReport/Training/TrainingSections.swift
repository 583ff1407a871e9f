import HeadroomCore

/// The training report as titled tables, shared by the table, Markdown and HTML renderers.
struct TrainingSections {
    struct Section {
        var title: String
        var header: [String]
        var rows: [[String]]
        var note: String?
    }

    static func build(_ plan: TrainingPlan, document d: TrainingDocument) -> [Section] {
        var out: [Section] = []
        let currency = plan.procurement.currency ?? "USD"
        out.append(
            Section(
                title: "Summary", header: ["quantity", "value"],
                rows: [
                    [
                        "model",
                        "\(plan.modelName) (\(sci(plan.totalParams)) parameters, \(sci(plan.computeParams)) per token)",
                    ],
                    ["tokens", sci(plan.tokens)],
                    ["cluster", "\(plan.count) × \(plan.accelerator), \(plan.precision)"],
                    ["total FLOPs (model)", sci(plan.flops.modelFLOPs)],
                    ["6·N·D alone", sci(plan.flops.sixND)],
                    ["hardware FLOPs (\(plan.flops.checkpointing) recompute)", sci(plan.flops.hardwareFLOPs)],
                    ["attention share", pct(plan.flops.attentionShare)],
                    [
                        "MFU",
                        "\(pct(plan.mfu)) (\(plan.mfuGiven ? "given; predicted \(pct(plan.predictedMFU))" : "predicted"))"
                            + (plan.mfuBorrowedFrom.map {
                                " — borrowed from the \($0.joined(separator: "/")) fit, not measured on \(plan.accelerator)"
                            } ?? ""),
                    ],
                    ["compute days (no failures)", num(plan.computeDays)],
                    ["wall days", num(plan.wallDays)],
                    ["accelerator-hours", sci(plan.acceleratorHours)],
                    [
                        "memory per accelerator",
                        "\(num(d.memoryPerAcceleratorGib)) GiB of \(num(plan.memory.usable / TrainingDocument.gib)) usable",
                    ],
                    ["expected interruptions", num(plan.reliability.expectedUnexpectedInterruptions)],
                    ["checkpoint interval", "\(num(plan.reliability.checkpointIntervalSeconds / 60)) min"],
                    ["goodput (effective training time)", pct(plan.reliability.goodput)],
                ]))
        let parts = [
            ["weights", gib(plan.memory.weights)], ["gradients", gib(plan.memory.gradients)],
            ["optimizer states", gib(plan.memory.optimizerStates)],
            ["ZeRO-3 gather buffers", gib(plan.memory.gatherBuffers)],
            ["activations", plan.memory.activations.map(gib) ?? "unknown (no layer shape)"],
            ["total", gib(plan.memory.total)], ["usable", gib(plan.memory.usable)],
        ]
        out.append(Section(title: "Memory per accelerator (\(plan.plan))", header: ["kind", "GiB"], rows: parts))
        let layouts = ([d.parallelism] + d.alternatives.dropFirst()).map { l in
            [
                "TP\(l.tp) CP\(l.cp) PP\(l.pp)" + (l.interleave > 1 ? "×\(l.interleave)" : "") + " DP\(l.dp)"
                    + (l.ep > 1 ? " EP\(l.ep)" : ""), "ZeRO-\(l.zero)",
                l.checkpointing, num(l.memoryGib), pct(l.bubbleFraction), pct(l.predictedMfu),
            ]
        }
        out.append(
            Section(
                title: "Parallelism plans that fit (best predicted MFU first)",
                header: ["layout", "ZeRO", "recompute", "GiB", "bubble", "pred. MFU"], rows: layouts,
                note: d.parallelism.placement
                    + (plan.mfuBorrowedFrom.map {
                        "; pred. MFU borrowed: kernel efficiencies from the \($0.joined(separator: "/")) fit, no "
                            + "\(plan.accelerator) runs"
                    } ?? "")))
        let smallest = d.smallestFitting.map { l in
            ["\(l.checkpointing)", "TP\(l.tp) CP\(l.cp) PP\(l.pp) DP\(l.dp)", "ZeRO-\(l.zero)", num(l.memoryGib)]
        }
        if !smallest.isEmpty {
            out.append(
                Section(
                    title: "Smallest plans that fit, per recomputation mode",
                    header: ["recompute", "layout", "ZeRO", "GiB"], rows: smallest))
        }
        let s = plan.step
        out.append(
            Section(
                title: "One step (predicted)", header: ["part", "seconds"],
                rows: [
                    ["compute", num(s.computeSeconds)], ["tensor parallel", num(s.tensorParallelSeconds)],
                    ["context parallel", num(s.contextParallelSeconds)], ["pipeline p2p", num(s.pipelineSeconds)],
                    ["expert all-to-all", num(s.expertParallelSeconds)], ["pipeline bubble", num(s.bubbleSeconds)],
                    ["data parallel (exposed of \(num(s.dataParallelSeconds)))", num(s.dataParallelExposedSeconds)],
                    ["step", num(s.stepSeconds)],
                ]))
        let sc = plan.scaling
        out.append(
            Section(
                title: "Scaling law (\(sc.law))", header: ["quantity", "value"],
                rows: [
                    ["budget (6·N·D)", sci(sc.budgetFLOPs)],
                    ["compute-optimal parameters", sci(sc.optimalParams)],
                    ["compute-optimal tokens", sci(sc.optimalTokens)],
                    ["compute-optimal tokens/parameter", num(sc.optimalTokensPerParameter)],
                    ["this run's tokens/parameter", num(sc.tokensPerParameter)],
                    ["heuristic tokens/parameter", num(sc.heuristicTokensPerParameter)],
                    ["predicted loss", num(sc.predictedLoss)],
                    ["compute-optimal loss", num(sc.optimalLoss)],
                ]
                    + sc.lossByLaw.keys.sorted().map {
                        [
                            "loss under \($0) (optimal D/N \(num(sc.optimalTokensPerParameterByLaw[$0] ?? 0)))",
                            num(sc.lossByLaw[$0] ?? 0),
                        ]
                    }, note: sc.lawSource))
        let over = plan.overTraining.options.map { o in
            [
                pct(o.sizeFraction), sci(o.params), sci(o.tokens), num(o.tokensPerParameter), num(o.trainingFLOPsRatio),
                o.trainingCost.map { money($0, currency) } ?? "–", o.servingCost.map { money($0, currency) } ?? "–",
                o.netSaving.map { money($0, currency) } ?? "–",
            ]
        }
        out.append(
            Section(
                title: "Over-training: smaller models to the same predicted loss",
                header: ["size", "params", "tokens", "D/N", "train FLOPs ×", "training", "serving", "net saving"],
                rows: over,
                note: plan.overTraining.servingTokens == nil
                    ? "give --serving-tokens and --cost-per-million-tokens to price the serving side" : nil))
        let r = plan.reliability
        out.append(
            Section(
                title: "Reliability", header: ["quantity", "value"],
                rows: [
                    ["failures per 1,000 node-days", num(r.failuresPerThousandNodeDays)],
                    ["mean time between failures", "\(num(r.meanTimeBetweenFailuresSeconds / 3600)) h"],
                    [
                        "expected unexpected / planned interruptions",
                        "\(num(r.expectedUnexpectedInterruptions)) / \(num(r.expectedPlannedInterruptions))",
                    ],
                    ["checkpoint size", "\(num(r.checkpointBytes / 1e12)) TB"],
                    [
                        "checkpoint write / stall",
                        "\(num(r.checkpointWriteSeconds)) s / \(num(r.checkpointStallSeconds)) s (\(r.asynchronous ? "asynchronous" : "synchronous"))",
                    ],
                    [
                        "checkpoint interval (Daly; Young)",
                        "\(num(r.checkpointIntervalSeconds / 60)) min; \(num(r.youngIntervalSeconds / 60)) min",
                    ],
                    ["restart", "\(num(r.restartSeconds / 60)) min"],
                    ["lost work per failure", "\(num(r.lostWorkPerFailureSeconds / 60)) min"],
                    [
                        "hours lost: checkpoints / restarts / rework",
                        "\(num(r.checkpointOverheadSeconds / 3600)) / \(num(r.restartOverheadSeconds / 3600)) / \(num(r.lostWorkSeconds / 3600))",
                    ],
                    ["effective training time ratio", pct(r.goodput)],
                ]))
        let p = plan.procurement
        var spec: [[String]] = [
            ["nodes", "\(p.nodes) × \(p.nodeSize) accelerators"],
            [
                "scale-out needed per accelerator",
                "\(num(p.scaleOutNeededGBpsPerAccelerator)) GB/s (\(num(p.scaleOutNeededGBpsPerAccelerator * 8)) Gb/s)"
                    + (p.scaleOutAvailableGBpsPerAccelerator.map { "; the part has \(num($0)) GB/s" } ?? ""),
            ],
            [
                "checkpoint storage",
                "\(num(p.checkpointStorageBytes / 1e12)) TB (\(p.checkpointsRetained) × \(num(p.checkpointBytes / 1e12)) TB)",
            ],
            ["dataset (token ids)", "\(num(p.datasetBytes / 1e12)) TB at \(Int(p.datasetBytesPerToken)) B/token"],
            [
                "accelerator power (TDP × count)",
                p.acceleratorPowerKW.map { "\(num($0 / 1000)) MW" }
                    ?? "unknown (\(p.powerSource ?? "no power figure"))",
            ],
        ]
        if let system = p.systemPowerKW {
            spec.append(["server power", "\(num(system / 1000)) MW (\(p.systemPowerSource ?? ""))"])
        }
        spec += [
            ["facility power (× PUE \(num(p.pue)))", p.facilityPowerKW.map { "\(num($0 / 1000)) MW" } ?? "unknown"],
            [
                "energy",
                p.energyMWh.map { "\(num($0)) MWh" + (p.electricityCost.map { " ≈ \(money($0, currency))" } ?? "") }
                    ?? "unknown",
            ],
            [
                "racks",
                "\(p.racks) (\(p.serversPerRack) servers per rack" + (p.rackKW.map { ", \(num($0)) kW budget" } ?? "")
                    + ")",
            ],
        ]
        if let days = plan.deadlineDays {
            spec.append([
                "accelerators to finish in \(num(days)) days",
                plan.acceleratorsForDeadline.map(String.init) ?? "none suffices",
            ])
        }
        out.append(
            Section(
                title: "Procurement", header: ["item", "value"], rows: spec,
                note: "PUE: \(p.pueSource); racks: \(p.rackSource)"))
        if !p.costs.isEmpty {
            out.append(
                Section(
                    title: "Cost by procurement option (\(currency))",
                    header: ["option", "price/acc-h", "provider", "cost", "source"],
                    rows: p.costs.map { c in
                        [
                            c.option, c.pricePerAcceleratorHour.map { money($0, currency) } ?? "–",
                            "\(c.provider) \(c.region)",
                            money(c.cost, currency), "\(c.source) (\(c.asOf))",
                        ]
                    }, note: p.costs.compactMap { c in c.note.map { "\(c.option): \($0)" } }.joined(separator: " ")))
        }
        out.append(
            Section(
                title: "Cluster size", header: ["accelerators", "wall days", "acc-hours", "goodput", "on-demand cost"],
                rows: plan.sweep.map {
                    [
                        String($0.accelerators), num($0.wallDays), sci($0.acceleratorHours), pct($0.goodput),
                        $0.cost.map { money($0, currency) } ?? "–",
                    ]
                }))
        return out
    }

    // MARK: Formatting

    static func sci(_ v: Double) -> String {
        guard v.isFinite, v != 0 else { return "0" }
        let exponent = Int(log10Floor(abs(v)))
        if exponent < 4 { return num(v) }
        let mantissa = v / pow10(exponent)
        return "\(trim(mantissa, 3))e\(exponent)"
    }

    static func num(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let a = abs(v)
        if a >= 1000 { return String(Int(v.rounded())) }
        if a >= 10 { return trim(v, 1) }
        return trim(v, a >= 1 ? 2 : 3)
    }

    static func pct(_ v: Double) -> String { trim(v * 100, 1) + "%" }
    static func gib(_ bytes: Double) -> String { num(bytes / TrainingDocument.gib) }

    static func money(_ v: Double, _ currency: String) -> String {
        let a = abs(v)
        if a >= 1e9 { return "\(currency) \(trim(v / 1e9, 2))B" }
        if a >= 1e6 { return "\(currency) \(trim(v / 1e6, 2))M" }
        if a >= 1e4 { return "\(currency) \(trim(v / 1e3, 1))k" }
        return "\(currency) \(trim(v, 2))"
    }

    static func trim(_ v: Double, _ digits: Int) -> String {
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        let rounded = (v * p).rounded() / p
        var text = String(rounded)
        if text.contains("e") { return text }
        if text.contains(".") {
            while text.last == "0" { text.removeLast() }
            if text.last == "." { text.removeLast() }
        }
        return text
    }

    static func log10Floor(_ v: Double) -> Double {
        var e = 0.0
        var x = v
        while x >= 10 { x /= 10; e += 1 }
        while x < 1 { x *= 10; e -= 1 }
        return e
    }

    static func pow10(_ e: Int) -> Double {
        var r = 1.0
        for _ in 0..<abs(e) { r *= 10 }
        return e >= 0 ? r : 1 / r
    }
}
