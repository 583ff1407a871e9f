import Foundation
import HeadroomCatalog
import HeadroomCore
import Testing

@Suite struct PriceBookTests {
    static let books = try! PriceBookLoader.bundled()
    static let book = books[0]
    static let catalog = try! CatalogLoader.bundled()

    // MARK: - The bundled book

    @Test func bundledBookLoads() {
        #expect(Self.books.count == 1)
        #expect(Self.book.name == "bundled-2026")
        #expect(Self.book.currency == "USD")
        #expect(Self.book.asOf == "2026-09-20")
        #expect(Self.book.staleAfterDays == 180)
        #expect(Self.book.instances.count == 69)  // 67 from prices.csv + CoreWeave GB200 and AWS trn2 (issue 15)
        #expect(Self.book.managedAPIs.count == 43)
        #expect(Self.book.servers.count == 6)
        #expect(Self.book.power.count == 14)
    }

    @Test func everyEntryIsSourcedDatedAndNoNewerThanTheBook() throws {
        let bookDay = try #require(PriceBook.dayNumber(isoDate: Self.book.asOf))
        let provenances =
            Self.book.instances.map(\.provenance) + Self.book.managedAPIs.map(\.provenance)
            + Self.book.servers.map(\.provenance) + Self.book.power.map(\.provenance)
        for provenance in provenances {
            #expect(!provenance.source.isEmpty)
            let day = try #require(PriceBook.dayNumber(isoDate: provenance.asOf), "\(provenance.asOf)")
            #expect(day <= bookDay)
        }
        let newest = provenances.map(\.asOf).max()
        #expect(newest == Self.book.asOf, "the book's date is its newest entry's")
    }

    @Test func everyAcceleratorIsACatalogID() {
        let ids = Set(Self.catalog.accelerators.map(\.id))
        let used =
            Self.book.instances.map(\.accelerator) + Self.book.servers.map(\.accelerator)
            + Self.book.power.compactMap(\.accelerator)
        for id in used { #expect(ids.contains(id), "\(id) is not a catalog accelerator id") }
    }

    @Test func comparableModelsAreCatalogModels() {
        for api in Self.book.managedAPIs {
            guard let alias = api.comparableTo else { continue }
            #expect(throws: Never.self, "\(api.model) → \(alias)") { try Self.catalog.model(alias) }
        }
    }

    @Test func instancesHaveAKnownJurisdictionAndAPrice() {
        let jurisdictions: Set = ["US", "EU", "UK", "JP", "SG", "AU", "unspecified"]
        for entry in Self.book.instances {
            #expect(jurisdictions.contains(entry.jurisdiction), "\(entry.jurisdiction)")
            #expect(!entry.perAccelerator.isEmpty)
            #expect(entry.region != "any" || entry.jurisdiction == "unspecified", "region-less prices name no country")
        }
    }

    @Test func perAcceleratorPricesAreInstancePricesDividedByCount() {
        func agree(_ perAccelerator: Double?, _ perInstance: Double?, _ count: Int) -> Bool {
            switch (perAccelerator, perInstance) {
            case (nil, nil): true
            case (let a?, let i?): abs(a - i / Double(count)) <= 1e-6 + 1e-6 * a
            default: false
            }
        }
        for entry in Self.book.instances {
            let a = entry.perAccelerator
            let i = entry.perInstance
            let n = entry.acceleratorsPerInstance
            #expect(
                agree(a.onDemand, i.onDemand, n) && agree(a.spot, i.spot, n)
                    && agree(a.reserved1Year, i.reserved1Year, n)
                    && agree(a.reserved3Year, i.reserved3Year, n) && agree(a.capacityBlock, i.capacityBlock, n),
                "\(entry.provider) \(entry.region) \(entry.sku ?? "")"
            )
        }
    }

    struct SpotCheck: Sendable, CustomTestStringConvertible {
        var provider: String
        var region: String
        var sku: String
        var perInstance: Double
        var count: Int
        var perAccelerator: Double
        var isSpot = false
        var testDescription: String { "\(provider) \(region) \(sku)\(isSpot ? " spot" : "")" }
    }

    /// Rows of prices.csv, checked by hand: the CSV's published price and its own derived per-accelerator figure.
    static let spotChecks: [SpotCheck] = [
        SpotCheck(
            provider: "aws", region: "us-east-1", sku: "p5.48xlarge", perInstance: 98.32, count: 8,
            perAccelerator: 12.29),
        SpotCheck(
            provider: "aws", region: "us-east-2", sku: "p5en.48xlarge", perInstance: 15.4924, count: 8,
            perAccelerator: 1.9365, isSpot: true
        ),
        SpotCheck(
            provider: "aws", region: "us-east-1", sku: "p4de.24xlarge", perInstance: 40.96575, count: 8,
            perAccelerator: 5.1207),
        SpotCheck(
            provider: "gcp", region: "us-east4", sku: "A4 GPU component (8 GPUs)", perInstance: 90.216, count: 8,
            perAccelerator: 11.277),
        SpotCheck(
            provider: "gcp", region: "us-central1", sku: "tpu-v6e-256", perInstance: 691.2, count: 256,
            perAccelerator: 2.7),
        SpotCheck(
            provider: "gcp", region: "us-central1", sku: "tpu-v5p-12288", perInstance: 25804.8, count: 6144,
            perAccelerator: 4.2),
        SpotCheck(
            provider: "nebius", region: "eu-west1", sku: "gpu-h200-sxm_8gpu-128vcpu-1600gb", perInstance: 28, count: 8,
            perAccelerator: 3.5),
        SpotCheck(
            provider: "lambda", region: "any", sku: "gpu_4x_h100_sxm5", perInstance: 12.36, count: 4,
            perAccelerator: 3.09),
        SpotCheck(
            provider: "azure", region: "eastus", sku: "Standard_ND96amsr_A100_v4", perInstance: 32.77, count: 8,
            perAccelerator: 4.0963),
    ]

    @Test(arguments: spotChecks)
    func spotCheckedRows(check: SpotCheck) throws {
        let entry = try #require(
            Self.book.instances.first {
                $0.provider == check.provider && $0.region == check.region && $0.sku == check.sku
                    && $0.provenance.source.contains("skypilot")
            }
        )
        #expect(entry.acceleratorsPerInstance == check.count)
        let published = try #require(check.isSpot ? entry.perInstance.spot : entry.perInstance.onDemand)
        let derived = try #require(check.isSpot ? entry.spot : entry.onDemand)
        #expect(published == check.perInstance)
        #expect(abs(derived - check.perInstance / Double(check.count)) < 1e-6)
        #expect(abs(derived - check.perAccelerator) < 1e-4, "matches the CSV's derived column within its rounding")
    }

    // MARK: - cheapest()

    @Test func cheapestHonoursJurisdictionsInTheBundledBook() throws {
        let uk = try #require(
            Self.book.cheapest(accelerator: "h100-sxm", allowedProviders: nil, allowedJurisdictions: ["UK"]))
        #expect(uk.provider == "aws" && uk.region == "eu-west-2")
        #expect(abs(try #require(uk.onDemand) - 127.816 / 8) < 1e-9)
        let japan = try #require(
            Self.book.cheapest(accelerator: "h200", allowedProviders: nil, allowedJurisdictions: ["JP"]))
        #expect(japan.region == "ap-northeast-1" && japan.onDemand == 13.25)
        let eu = try #require(
            Self.book.cheapest(accelerator: "h100-sxm", allowedProviders: nil, allowedJurisdictions: ["EU"]))
        #expect(eu.provider == "nebius" && eu.onDemand == 2.95)
        #expect(Self.book.cheapest(accelerator: "mi300x", allowedProviders: nil, allowedJurisdictions: nil) == nil)
    }

    @Test func cheapestSkipsComponentPricesUnlessAsked() throws {
        let gcp = Self.book.cheapest(accelerator: "h100-sxm", allowedProviders: ["gcp"], allowedJurisdictions: nil)
        #expect(gcp == nil, "Google's H100 prices exclude the host VM")
        let component = try #require(
            Self.book.cheapest(
                accelerator: "h100-sxm", allowedProviders: ["gcp"], allowedJurisdictions: nil,
                includingComponentPrices: true
            )
        )
        #expect(component.excludesHost && component.onDemand == 4.20076)
    }

    static func entry(
        _ provider: String, _ jurisdiction: String, onDemand: Double?, spot: Double? = nil, region: String = "r1"
    ) -> InstancePrice {
        InstancePrice(
            provider: provider, region: region, jurisdiction: jurisdiction, accelerator: "h100-sxm",
            acceleratorsPerInstance: 8, perAccelerator: HourlyRates(onDemand: onDemand, spot: spot),
            provenance: Provenance(source: "test", asOf: "2026-01-01")
        )
    }

    static let synthetic = PriceBook(
        name: "test", currency: "USD", asOf: "2026-01-01", staleAfterDays: 30,
        provenance: Provenance(source: "test", asOf: "2026-01-01"),
        instances: [
            entry("aws", "US", onDemand: 4), entry("azure", "EU", onDemand: 3),
            entry("lambda", "unspecified", onDemand: 1),
            entry("spotonly", "US", onDemand: nil, spot: 0.5), entry("gcp", "US", onDemand: 2, region: "b"),
            entry("gcp", "US", onDemand: 2, region: "a"),
        ]
    )

    @Test func cheapestFilters() throws {
        let book = Self.synthetic
        #expect(
            book.cheapest(accelerator: "H100-SXM", allowedProviders: nil, allowedJurisdictions: nil)?.provider
                == "lambda")
        let us = try #require(
            book.cheapest(accelerator: "h100-sxm", allowedProviders: nil, allowedJurisdictions: ["US"]))
        #expect(
            us.provider == "gcp" && us.region == "a", "ties go to the region that sorts first; spot-only is ignored")
        #expect(
            book.cheapest(accelerator: "h100-sxm", allowedProviders: ["AWS", "azure"], allowedJurisdictions: nil)?
                .provider == "azure")
        #expect(
            book.cheapest(accelerator: "h100-sxm", allowedProviders: ["aws", "azure"], allowedJurisdictions: ["us"])?
                .provider == "aws")
        #expect(
            book.cheapest(
                accelerator: "h100-sxm", allowedProviders: nil, allowedJurisdictions: nil,
                excludedProviders: ["lambda", "gcp"]
            )?.provider == "azure"
        )
        #expect(
            book.cheapest(accelerator: "h100-sxm", allowedProviders: nil, allowedJurisdictions: ["unspecified"])?
                .provider
                == "lambda"
        )
        #expect(
            book.cheapest(accelerator: "h100-sxm", allowedProviders: ["spotonly"], allowedJurisdictions: nil) == nil)
        #expect(book.cheapest(accelerator: "b200", allowedProviders: nil, allowedJurisdictions: nil) == nil)
        #expect(book.instances(for: "h100-sxm").count == 6)
    }

    // MARK: - Staleness

    @Test func staleness() {
        #expect(!Self.book.isStale(today: "2026-11-25"))
        #expect(!Self.book.isStale(today: "2027-03-19"), "180 days after 2026-09-20")
        #expect(Self.book.isStale(today: "2027-03-20"))
        var leap = Self.synthetic
        leap.asOf = "2024-02-28"
        leap.staleAfterDays = 2
        #expect(!leap.isStale(today: "2024-03-01"), "2024 is a leap year: two days")
        #expect(leap.isStale(today: "2024-03-02"))
        #expect(leap.isStale(today: "yesterday"), "an unreadable date is stale")
        leap.asOf = "undated"
        #expect(leap.isStale(today: "2024-03-01"))
    }

    @Test func dayNumbers() {
        #expect(PriceBook.dayNumber(isoDate: "1970-01-01") == 0)
        #expect(PriceBook.dayNumber(isoDate: "2000-03-01") == 11_017)
        #expect(PriceBook.dayNumber(isoDate: "2026-11-25") == 20_782)
        #expect(PriceBook.dayNumber(isoDate: "2025-02-29") == nil)
        #expect(PriceBook.dayNumber(isoDate: "2024-02-29") != nil)
        #expect(PriceBook.dayNumber(isoDate: "1900-02-29") == nil)
        for bad in ["2026-13-01", "2026-4-01", "2026/04/01", "26-04-01", "2026-04-31", "2026-04-0x", ""] {
            #expect(PriceBook.dayNumber(isoDate: bad) == nil, "\(bad)")
        }
    }

    // MARK: - Errors

    static let goodYAML = """
        price_books:
          - name: lab
            currency: EUR
            as_of: "2026-10-01"
            source: "lab quotes"
            instances:
              - provider: Hetzner
                region: fsn1
                jurisdiction: EU
                accelerator: H100-SXM
                sku: gx8
                accelerators_per_instance: 8
                on_demand: 2.5
                per_instance: {on_demand: 20}
                source: "quote 17"
                as_of: "2026-10-01"
            power:
              - name: grid
                kind: electricity_per_kwh
                value: 0.2
                region: DE
                source: "bill"
                as_of: "2026-09-01"
        """

    @Test func goodYAMLLoads() throws {
        let book = try #require(try PriceBookLoader.decode(yaml: Self.goodYAML, file: "lab.yaml").first)
        #expect(book.currency == "EUR" && book.staleAfterDays == 180)
        let entry = try #require(book.instances.first)
        #expect(entry.provider == "hetzner" && entry.accelerator == "h100-sxm")
        #expect(entry.perInstance.onDemand == 20 && entry.onDemand == 2.5)
        #expect(book.power.first?.kind == .electricityPerKWh)
    }

    @Test func perInstanceAloneIsDivided() throws {
        let yaml = Self.goodYAML.replacingOccurrences(of: "        on_demand: 2.5\n", with: "")
        let book = try #require(try PriceBookLoader.decode(yaml: yaml, file: "lab.yaml").first)
        #expect(book.instances.first?.onDemand == 2.5)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var from: String
        var to: String
        var line: Int
        var field: String
        var testDescription: String { "\(field): \(to.trimmingCharacters(in: .whitespacesAndNewlines))" }
    }

    static let badCases: [BadCase] = [
        BadCase(
            from: "on_demand: 2.5", to: "on_demand: -2.5", line: 13, field: "price_books[0].instances[0].on_demand"),
        BadCase(
            from: "on_demand: 2.5", to: "on_demand: cheap", line: 13, field: "price_books[0].instances[0].on_demand"),
        BadCase(from: "on_demand: 2.5", to: "on_demand: 3.5", line: 13, field: "price_books[0].instances[0].on_demand"),
        BadCase(from: "currency: EUR", to: "currency: euro", line: 3, field: "price_books[0].currency"),
        BadCase(
            from: "accelerators_per_instance: 8", to: "accelerators_per_instance: 0", line: 12,
            field: "price_books[0].instances[0].accelerators_per_instance"
        ),
        BadCase(
            from: "as_of: \"2026-10-01\"\n    source", to: "as_of: \"2026/10/01\"\n    source", line: 4,
            field: "price_books[0].as_of"),
        BadCase(from: "        source: \"quote 17\"\n", to: "", line: 7, field: "price_books[0].instances[0].source"),
        BadCase(
            from: "as_of: \"2026-09-01\"", to: "as_of: \"2026-12-01\"", line: 23, field: "price_books[0].power[0].as_of"
        ),
        BadCase(
            from: "kind: electricity_per_kwh", to: "kind: electricity", line: 19, field: "price_books[0].power[0].kind"),
        BadCase(
            from: "per_instance: {on_demand: 20}", to: "per_instance: {spot: 4}", line: 14,
            field: "price_books[0].instances[0].per_instance.on_demand"
        ),
    ]

    @Test(arguments: badCases)
    func badYAMLNamesLineAndField(bad: BadCase) {
        let yaml = Self.goodYAML.replacingOccurrences(of: bad.from, with: bad.to)
        #expect(yaml != Self.goodYAML)
        #expect {
            try PriceBookLoader.decode(yaml: yaml, file: "lab.yaml")
        } throws: { error in
            guard let error = error as? HeadroomError else { return false }
            return error.file == "lab.yaml" && error.line == bad.line && error.field == bad.field
        }
    }

    @Test func invalidYAMLNamesTheLine() {
        #expect {
            try PriceBookLoader.decode(yaml: "price_books:\n  - name: [unclosed\n", file: "bad.yaml")
        } throws: { error in
            (error as? HeadroomError)?.line != nil
        }
    }

    static let goodCSV = """
        provider,region,jurisdiction,accelerator,on_demand,spot,currency,source,as_of
        OVH,gra,EU,h100-sxm,2.8,,EUR,quote A,2026-09-01
        scaleway,par,EU,H100-SXM,2.7,1.1,EUR,,2026-10-15
        """

    @Test func csvBookLoads() throws {
        let book = try PriceBookLoader.decode(csv: Self.goodCSV, file: "/tmp/eu-quotes.csv")
        #expect(book.name == "eu-quotes" && book.currency == "EUR" && book.asOf == "2026-10-15")
        #expect(book.instances.count == 2)
        #expect(book.instances[1].provenance.source == "user price book /tmp/eu-quotes.csv, line 3")
        let best = try #require(
            book.cheapest(accelerator: "h100-sxm", allowedProviders: nil, allowedJurisdictions: ["EU"]))
        #expect(best.provider == "scaleway" && best.spot == 1.1)
    }

    @Test func csvFileIsReadByExtension() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "headroom-prices-\(UUID().uuidString).csv")
        try Self.goodCSV.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let books = try PriceBookLoader.load(url: url)
        #expect(books.count == 1 && books[0].instances.count == 2)
    }

    struct BadCSV: Sendable, CustomTestStringConvertible {
        var csv: String
        var line: Int
        var field: String
        var testDescription: String { "\(field) line \(line)" }
    }

    static let badCSVs: [BadCSV] = [
        BadCSV(
            csv: "provider,region,jurisdiction,accelerator,on_demand\naws,us-east-1,US,h100-sxm,3\n", line: 1,
            field: "currency"),
        BadCSV(csv: goodCSV.replacingOccurrences(of: "2.7,1.1", with: "two,1.1"), line: 3, field: "on_demand"),
        BadCSV(csv: goodCSV.replacingOccurrences(of: "1.1,EUR", with: "1.1,USD"), line: 3, field: "currency"),
        BadCSV(csv: goodCSV.replacingOccurrences(of: ",2.8,,EUR", with: ",2.8,,eur"), line: 2, field: "currency"),
        BadCSV(csv: goodCSV.replacingOccurrences(of: "2026-09-01", with: "Sept 2026"), line: 2, field: "as_of"),
        BadCSV(csv: goodCSV.replacingOccurrences(of: ",source,", with: ",sauce,"), line: 1, field: "sauce"),
        BadCSV(csv: goodCSV.replacingOccurrences(of: ",2.7,1.1,", with: ",,,"), line: 3, field: "on_demand"),
    ]

    @Test(arguments: badCSVs)
    func badCSVNamesLineAndColumn(bad: BadCSV) {
        #expect {
            try PriceBookLoader.decode(csv: bad.csv, file: "mine.csv")
        } throws: { error in
            guard let error = error as? HeadroomError else { return false }
            return error.file == "mine.csv" && error.line == bad.line && error.field == bad.field
        }
    }
}
