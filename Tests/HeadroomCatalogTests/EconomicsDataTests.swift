import Foundation
import HeadroomCatalog
import HeadroomCore
import Testing

@Suite struct EconomicsDataTests {
    static let data = try! EconomicsLoader.bundled()
    static let text = try! String(
        contentsOf: CatalogLoader.resourcesURL.appendingPathComponent("economics.yaml"), encoding: .utf8)

    /// Every sourced value in the data, named by its place.
    static var allValues: [(String, SourcedValue)] {
        let d = data
        var values: [(String, SourcedValue)] = []
        for spot in d.spotInterruptions { values.append(("spot \(spot.provider) \(spot.bucket)", spot.perHour)) }
        for policy in d.autoscalers {
            values += [
                ("\(policy.id).target", policy.target), ("\(policy.id).interval", policy.interval),
                ("\(policy.id).upscale_delay", policy.upscaleDelay),
                ("\(policy.id).downscale_delay", policy.downscaleDelay),
            ]
        }
        let b = d.bringUp
        values += [
            ("node_acquisition", b.nodeAcquisition), ("stock_out_probability", b.stockOutProbability),
            ("stock_out_penalty", b.stockOutPenalty), ("image_size_gb", b.imageSizeGB),
            ("image_pull_gbps", b.imagePullGBps), ("weight_load_gbps", b.weightLoadGBps),
            ("compile_and_capture", b.compileAndCapture),
        ]
        let t = d.tco
        values += [
            ("cost_of_capital", t.costOfCapital), ("useful_life_years", t.usefulLifeYears),
            ("resale_fraction", t.resaleFraction), ("maintenance_fraction_per_year", t.maintenanceFractionPerYear),
            ("network_share_of_capex", t.networkShareOfCapex), ("colocation_per_kw_month", t.colocationPerKWMonth),
            ("pue", t.pue), ("electricity_per_kwh", t.electricityPerKWh), ("host_power_fraction", t.hostPowerFraction),
            ("staff_per_accelerator_year", t.staffPerAcceleratorYear),
            ("cloud_overhead_fraction", t.cloudOverheadFraction),
        ]
        values += [
            ("air_cooled_rack_limit_kw", d.facility.airCooledRackLimitKW),
            ("liquid_cooled_rack_kw", d.facility.liquidCooledRackKW),
        ]
        values += d.facility.gridIntensity.map { ("grid \($0.key)", $0.value) }
        values.append(("annual_price_decline", d.annualPriceDecline))
        return values
    }

    // MARK: - The bundled data

    @Test func bundledDataLoads() throws {
        let d = Self.data
        for provider in ["aws", "gcp", "azure", "default"] {
            #expect(
                d.spotInterruptions.contains { $0.provider == provider && $0.bucket == "typical" },
                "\(provider) has a typical spot rate")
        }
        let awsBuckets = Set(d.spotInterruptions.filter { $0.provider == "aws" }.map(\.bucket))
        #expect(awsBuckets.isSuperset(of: ["<5%", "5-10%", "10-15%", "15-20%", ">20%"]))
        let azureBuckets = Set(d.spotInterruptions.filter { $0.provider == "azure" }.map(\.bucket))
        #expect(azureBuckets.isSuperset(of: ["0-5%", "5-10%", "10-15%", "15-20%", "20+%"]))
        #expect(
            Set(d.autoscalers.map(\.id))
                == ["keda-vllm", "ray-serve", "skyserve", "dynamo-sla-planner", "target-utilisation", "scheduled"])
        #expect(Set(d.facility.gridIntensity.keys) == ["US", "EU", "UK", "JP", "SG", "AU", "IN", "CA"])
        // The typical row wins; an unknown provider falls back to `default`.
        let awsTypical = d.spotInterruptions.first { $0.provider == "aws" && $0.bucket == "typical" }
        #expect(d.spotRate(provider: "aws") == awsTypical?.perHour)
        #expect(d.spotRate(provider: "lambda") == d.spotInterruptions.first { $0.provider == "default" }?.perHour)
    }

    @Test func catalogLoaderIgnoresTheEconomicsFile() throws {
        let catalog = try CatalogLoader.decode(yaml: Self.text, file: "economics.yaml")
        #expect(catalog.accelerators.isEmpty && catalog.models.isEmpty)
        #expect(!(try CatalogLoader.bundled()).accelerators.isEmpty)
    }

    @Test func everyValueHasASourceAndADate() throws {
        let values = Self.allValues
        #expect(values.count > 60)
        for (name, value) in values {
            #expect(!value.source.trimmingCharacters(in: .whitespaces).isEmpty, "\(name) has a source")
            #expect(PriceBook.dayNumber(isoDate: value.asOf) != nil, "\(name) as_of '\(value.asOf)' is a date")
            #expect(value.value.isFinite, "\(name)")
        }
    }

    @Test func assumptionsAreFlagged() throws {
        let byName = Dictionary(Self.allValues, uniquingKeysWith: { first, _ in first })
        let assumed = [
            "stock_out_probability", "stock_out_penalty", "cost_of_capital", "resale_fraction",
            "maintenance_fraction_per_year", "network_share_of_capex", "staff_per_accelerator_year",
            "cloud_overhead_fraction", "skyserve.target", "scheduled.interval", "spot default typical",
            "spot azure typical", "spot aws >20%",
        ]
        for name in assumed { #expect(byName[name]?.assumption == true, "\(name) is an assumption") }
        let published = [
            "keda-vllm.target", "keda-vllm.interval", "ray-serve.target", "skyserve.interval",
            "dynamo-sla-planner.interval", "node_acquisition", "image_size_gb", "weight_load_gbps",
            "useful_life_years", "colocation_per_kw_month", "pue", "electricity_per_kwh", "grid US",
            "air_cooled_rack_limit_kw", "liquid_cooled_rack_kw", "spot aws typical", "spot gcp typical",
        ]
        for name in published { #expect(byName[name]?.assumption == false, "\(name) is published") }
        // An assumption says why its value was chosen, not just that it is one.
        for (name, value) in Self.allValues where value.assumption {
            #expect(value.source.count > 40, "\(name) explains its assumption")
        }
    }

    /// The stacks' published defaults, checked against their docs and source.
    @Test(arguments: [
        ("keda-vllm", 5.0, 30.0, 0.0, 300.0), ("ray-serve", 2.0, 10.0, 30.0, 600.0),
        ("skyserve", 2.5, 20.0, 300.0, 1200.0), ("dynamo-sla-planner", 1.0, 180.0, 0.0, 0.0),
        ("target-utilisation", 0.8, 15.0, 0.0, 300.0),
    ])
    func autoscalerDefaults(id: String, target: Double, interval: Double, up: Double, down: Double) throws {
        let policy = try #require(Self.data.autoscalers.first { $0.id == id })
        #expect(policy.target.value == target)
        #expect(policy.interval.value == interval)
        #expect(policy.upscaleDelay.value == up)
        #expect(policy.downscaleDelay.value == down)
    }

    @Test func derivedFiguresMatchTheirArithmetic() throws {
        let aws = try #require(Self.data.spotInterruptions.first { $0.provider == "aws" && $0.bucket == "15-20%" })
        #expect(abs(aws.perHour.value - (-log(1 - 0.175) / 730)) < 1e-7)
        let azure = try #require(Self.data.spotInterruptions.first { $0.provider == "azure" && $0.bucket == "5-10%" })
        #expect(abs(azure.perHour.value - (-log(1 - 0.075))) < 1e-4)
        let gcp = try #require(Self.data.spotRate(provider: "gcp"))
        #expect(abs(gcp.value - (-log(0.9) / 24)) < 1e-6)
        #expect(abs(Self.data.tco.hostPowerFraction.value - (10.2 - 5.6) / 5.6) < 1e-3)
    }

    // MARK: - Errors name the file, the line and the field

    struct BadFile: Sendable, CustomTestStringConvertible {
        var name: String
        /// Text replaced in the bundled file, and its replacement.
        var replace: String
        var with: String
        var field: String?
        /// A piece of a line near the one the error should name, and how many lines below it that one is.
        var lineOf: String?
        var lineOffset = 0
        var message: String
        var testDescription: String { name }
    }

    static let badFiles: [BadFile] = [
        BadFile(
            name: "fraction out of range", replace: "    resale_fraction:\n      value: 0.1",
            with: "    resale_fraction:\n      value: 1.5", field: "economics.tco.resale_fraction.value",
            lineOf: "    resale_fraction:", lineOffset: 1, message: "a fraction in [0, 1]"),
        BadFile(
            name: "negative rate", replace: "        value: 3.468e-5", with: "        value: -3.468e-5",
            field: "economics.spot_interruptions[0].per_hour.value", lineOf: "value: -3.468e-5", message: "positive"),
        BadFile(
            name: "zero bandwidth", replace: "    image_pull_gbps:\n      value: 0.035",
            with: "    image_pull_gbps:\n      value: 0", field: "economics.bring_up.image_pull_gbps.value",
            lineOf: "    image_pull_gbps:", lineOffset: 1, message: "positive"),
        BadFile(
            name: "unknown signal", replace: "      signal: waiting_requests", with: "      signal: queue_depth",
            field: "economics.autoscalers[0].signal", lineOf: "signal: queue_depth", message: "unknown signal"),
        BadFile(
            name: "bad date", replace: "      as_of: \"2025-02-26\"", with: "      as_of: \"Feb 2025\"",
            field: "economics.tco.colocation_per_kw_month.as_of", lineOf: "as_of: \"Feb 2025\"", message: "YYYY-MM-DD"),
        BadFile(
            name: "missing field", replace: "    pue:\n      value: 1.58", with: "    pue:\n      worth: 1.58",
            field: "economics.tco.pue.value", lineOf: nil, message: "missing required field 'value'"),
        BadFile(
            name: "duplicate bucket", replace: "      bucket: \"5-10%\"\n      per_hour:\n        value: 1.068e-4",
            with: "      bucket: \"<5%\"\n      per_hour:\n        value: 1.068e-4",
            field: "economics.spot_interruptions[1].bucket", lineOf: nil, message: "duplicate bucket"),
        BadFile(
            name: "wrong type", replace: "    value: 0.31", with: "    value: \"a third\"",
            field: "economics.annual_price_decline.value", lineOf: "value: \"a third\"", message: "a number"),
        BadFile(
            name: "not YAML", replace: "  bring_up:", with: "  bring_up: [", field: nil, lineOf: nil,
            message: "not valid YAML"),
    ]

    @Test(arguments: badFiles)
    func badFilesNameFileLineAndField(bad: BadFile) throws {
        #expect(Self.text.components(separatedBy: bad.replace).count == 2, "'\(bad.replace)' occurs once")
        let text = Self.text.replacingOccurrences(of: bad.replace, with: bad.with)
        let error = try #require(throws: HeadroomError.self) {
            _ = try EconomicsLoader.decode(yaml: text, file: "bad-economics.yaml")
        }
        #expect(error.code == .invalidFile)
        #expect(error.file == "bad-economics.yaml")
        #expect(error.line != nil, "\(error)")
        #expect(error.field == bad.field, "\(error)")
        #expect(error.message.contains(bad.message), "\(error)")
        if let lineOf = bad.lineOf {
            let lines = text.components(separatedBy: "\n")
            let expected = try #require(lines.firstIndex { $0.contains(lineOf) }) + 1 + bad.lineOffset
            #expect(error.line == expected, "\(error)")
        }
    }

    @Test func emptyAndUnreadableFilesAreErrors() {
        #expect(throws: HeadroomError.self) { try EconomicsLoader.decode(yaml: "", file: "empty.yaml") }
        #expect(throws: HeadroomError.self) { try EconomicsLoader.decode(yaml: "economics: {}", file: "bare.yaml") }
        #expect(throws: HeadroomError.self) {
            try EconomicsLoader.load(url: URL(fileURLWithPath: "/nonexistent/economics.yaml"))
        }
    }

    // MARK: - Commitment prices in the bundled price book

    @Test func priceBookStillLoadsWithCommitmentRatesBelowOnDemand() throws {
        let books = try PriceBookLoader.bundled()
        let committed = books.flatMap(\.instances).filter {
            $0.perAccelerator.reserved1Year != nil || $0.perAccelerator.reserved3Year != nil
        }
        #expect(committed.count >= 2)
        #expect(committed.contains { $0.provider == "gcp" && $0.perAccelerator.reserved3Year != nil })
        for entry in committed {
            let rates = entry.perAccelerator
            let name = "\(entry.provider) \(entry.region) \(entry.sku ?? entry.accelerator)"
            // Compare with the on-demand rate of the same entry, or of the same provider, region and SKU.
            let onDemand = try #require(
                rates.onDemand
                    ?? books.flatMap(\.instances).first {
                        $0.provider == entry.provider && $0.region == entry.region && $0.sku == entry.sku
                            && $0.perAccelerator.onDemand != nil
                    }?.perAccelerator.onDemand, "\(name) has an on-demand rate to compare with")
            if let oneYear = rates.reserved1Year { #expect(oneYear < onDemand, "\(name)") }
            if let threeYear = rates.reserved3Year { #expect(threeYear < onDemand, "\(name)") }
            if let oneYear = rates.reserved1Year, let threeYear = rates.reserved3Year {
                #expect(threeYear <= oneYear, "\(name): a longer term costs no more")
            }
            #expect(entry.provenance.notes?.isEmpty == false, "\(name) says how its commitment rate was found")
        }
    }
}
