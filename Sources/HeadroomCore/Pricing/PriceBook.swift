/// A dated, sourced set of prices in one currency: cloud capacity, managed-API tokens, on-prem purchases, power.
///
/// Every entry carries its own ``Provenance``; the book's ``asOf`` is the newest entry date, so an old book is
/// visibly old (``isStale(today:)``). Ids are lowercase: accelerators are catalog ids (`h100-sxm`), providers short
/// names (`aws`, `gcp`, `nebius`). Jurisdictions are country or bloc codes (`US`, `EU`, `UK`, `JP`) or `unspecified`.
public struct PriceBook: Sendable, Hashable, Codable {
    /// The book's name, `bundled-2026` for the default one.
    public var name: String
    /// ISO 4217 code of every price in the book (`USD`).
    public var currency: String
    /// Date of the newest entry, `YYYY-MM-DD`.
    public var asOf: String
    /// Days after ``asOf`` when the book should be refreshed.
    public var staleAfterDays: Int
    /// Where the book as a whole comes from (entries name their own sources).
    public var provenance: Provenance
    public var instances: [InstancePrice]
    public var managedAPIs: [ManagedAPIPrice]
    public var servers: [ServerPrice]
    public var power: [PowerPrice]

    public init(
        name: String, currency: String, asOf: String, staleAfterDays: Int, provenance: Provenance,
        instances: [InstancePrice] = [], managedAPIs: [ManagedAPIPrice] = [], servers: [ServerPrice] = [],
        power: [PowerPrice] = []
    ) {
        self.name = name
        self.currency = currency
        self.asOf = asOf
        self.staleAfterDays = staleAfterDays
        self.provenance = provenance
        self.instances = instances
        self.managedAPIs = managedAPIs
        self.servers = servers
        self.power = power
    }

    /// Cloud prices for one accelerator id (case-insensitive), in book order.
    public func instances(for accelerator: String) -> [InstancePrice] {
        let key = accelerator.lowercased()
        return instances.filter { $0.accelerator.lowercased() == key }
    }

    /// The lowest on-demand price per accelerator-hour for `accelerator` that passes the filters.
    ///
    /// Entries without an on-demand price are ignored. A jurisdiction filter admits an entry whose jurisdiction is
    /// `unspecified` only when the set names `unspecified`: a residency rule is never met by an unknown location.
    /// Ties go to the provider, region and SKU that sort first, so the answer does not depend on book order.
    /// - Parameters:
    ///   - accelerator: a catalog accelerator id.
    ///   - allowedProviders: provider ids to consider; `nil` for any.
    ///   - allowedJurisdictions: jurisdictions to consider (`US`, `EU`, …); `nil` for any.
    ///   - excludedProviders: provider ids never to return.
    ///   - includingComponentPrices: also consider prices that exclude the host (``InstancePrice/excludesHost``),
    ///     which understate a running instance; off by default.
    /// - Returns: the cheapest entry, or `nil` when none qualifies.
    /// - Complexity: O(*n*) in the number of instance entries.
    public func cheapest(
        accelerator: String, allowedProviders: Set<String>?, allowedJurisdictions: Set<String>?,
        excludedProviders: Set<String> = [], includingComponentPrices: Bool = false
    ) -> InstancePrice? {
        let providers = allowedProviders.map { Set($0.map { $0.lowercased() }) }
        let jurisdictions = allowedJurisdictions.map { Set($0.map { $0.lowercased() }) }
        let excluded = Set(excludedProviders.map { $0.lowercased() })
        var best: (price: Double, entry: InstancePrice)?
        for entry in instances(for: accelerator) {
            guard let price = entry.perAccelerator.onDemand else { continue }
            let provider = entry.provider.lowercased()
            if let providers, !providers.contains(provider) { continue }
            if excluded.contains(provider) { continue }
            if let jurisdictions, !jurisdictions.contains(entry.jurisdiction.lowercased()) { continue }
            if entry.excludesHost, !includingComponentPrices { continue }
            if let current = best {
                let key = (price, entry.provider, entry.region, entry.sku ?? "")
                let currentKey = (current.price, current.entry.provider, current.entry.region, current.entry.sku ?? "")
                if key < currentKey { best = (price, entry) }
            } else {
                best = (price, entry)
            }
        }
        return best?.entry
    }

    /// Whether more than ``staleAfterDays`` days separate ``asOf`` from `today` (`YYYY-MM-DD`).
    ///
    /// A book whose date cannot be read (a user CSV without `as_of`) is stale, as is any answer to a malformed
    /// `today`: an unknown age never passes for a fresh one.
    public func isStale(today: String) -> Bool {
        guard let start = Self.dayNumber(isoDate: asOf), let end = Self.dayNumber(isoDate: today) else { return true }
        return end - start > staleAfterDays
    }

    /// Days since 1970-01-01 of a proleptic Gregorian `YYYY-MM-DD` date, or `nil` when the text is not one.
    ///
    /// Howard Hinnant's `days_from_civil`; checks the day against the month's length, leap years included.
    public static func dayNumber(isoDate text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// Prices per hour for one way of buying capacity; `nil` where the source publishes none.
public struct HourlyRates: Sendable, Hashable, Codable {
    public var onDemand: Double?
    public var spot: Double?
    /// Effective hourly price of a one-year commitment (the payment option is in the entry's notes).
    public var reserved1Year: Double?
    /// Effective hourly price of a three-year commitment.
    public var reserved3Year: Double?
    /// Reserved short blocks booked ahead (AWS Capacity Blocks and the like).
    public var capacityBlock: Double?

    public init(
        onDemand: Double? = nil, spot: Double? = nil, reserved1Year: Double? = nil, reserved3Year: Double? = nil,
        capacityBlock: Double? = nil
    ) {
        self.onDemand = onDemand
        self.spot = spot
        self.reserved1Year = reserved1Year
        self.reserved3Year = reserved3Year
        self.capacityBlock = capacityBlock
    }

    /// Whether no price is set.
    public var isEmpty: Bool { [onDemand, spot, reserved1Year, reserved3Year, capacityBlock].allSatisfy { $0 == nil } }

    /// Every price multiplied by `factor`.
    public func scaled(by factor: Double) -> HourlyRates {
        HourlyRates(
            onDemand: onDemand.map { $0 * factor }, spot: spot.map { $0 * factor },
            reserved1Year: reserved1Year.map { $0 * factor }, reserved3Year: reserved3Year.map { $0 * factor },
            capacityBlock: capacityBlock.map { $0 * factor }
        )
    }
}

/// Cloud capacity: one instance type (or per-GPU offer) of one provider in one region.
public struct InstancePrice: Sendable, Hashable, Codable {
    /// Lowercase provider id: `aws`, `azure`, `gcp`, `lambda`, `nebius`, `runpod`, …
    public var provider: String
    /// The provider's region name, or `any` when the source gives none.
    public var region: String
    /// Country or bloc the region is in (`US`, `EU`, `UK`, `JP`, …), or `unspecified`.
    public var jurisdiction: String
    /// Catalog accelerator id.
    public var accelerator: String
    /// Instance type or offer name, where the source names one.
    public var sku: String?
    public var acceleratorsPerInstance: Int
    /// Prices per accelerator-hour: the figures to compare.
    public var perAccelerator: HourlyRates
    /// Prices per instance-hour as published.
    public var perInstance: HourlyRates
    /// The price covers the accelerator alone; the host is billed on top (Google Cloud GPU component SKUs).
    public var excludesHost: Bool
    /// The source row's confidence, in its words.
    public var confidence: String?
    public var provenance: Provenance

    public init(
        provider: String, region: String, jurisdiction: String, accelerator: String, sku: String? = nil,
        acceleratorsPerInstance: Int, perAccelerator: HourlyRates, perInstance: HourlyRates? = nil,
        excludesHost: Bool = false, confidence: String? = nil, provenance: Provenance
    ) {
        self.provider = provider
        self.region = region
        self.jurisdiction = jurisdiction
        self.accelerator = accelerator
        self.sku = sku
        self.acceleratorsPerInstance = acceleratorsPerInstance
        self.perAccelerator = perAccelerator
        self.perInstance = perInstance ?? perAccelerator.scaled(by: Double(acceleratorsPerInstance))
        self.excludesHost = excludesHost
        self.confidence = confidence
        self.provenance = provenance
    }

    /// On-demand price per accelerator-hour.
    public var onDemand: Double? { perAccelerator.onDemand }
    /// Spot price per accelerator-hour.
    public var spot: Double? { perAccelerator.spot }
}

/// A hosted model's token prices.
public struct ManagedAPIPrice: Sendable, Hashable, Codable {
    /// Lowercase provider id: `openai`, `anthropic`, `together`, `aws` (Bedrock), …
    public var provider: String
    /// The model name as the API takes it.
    public var model: String
    /// A catalog model alias of the same model or size class, where one applies.
    public var comparableTo: String?
    public var inputPerMillion: Double
    public var outputPerMillion: Double
    public var cachedInputPerMillion: Double?
    public var confidence: String?
    public var provenance: Provenance

    public init(
        provider: String, model: String, comparableTo: String? = nil, inputPerMillion: Double,
        outputPerMillion: Double, cachedInputPerMillion: Double? = nil, confidence: String? = nil,
        provenance: Provenance
    ) {
        self.provider = provider
        self.model = model
        self.comparableTo = comparableTo
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.cachedInputPerMillion = cachedInputPerMillion
        self.confidence = confidence
        self.provenance = provenance
    }
}

/// An on-prem purchase: a server, a rack or a single accelerator.
public struct ServerPrice: Sendable, Hashable, Codable {
    public var name: String
    /// Catalog accelerator id.
    public var accelerator: String
    /// Accelerators the price buys.
    public var accelerators: Int
    /// Purchase price; the midpoint where the source gives a range.
    public var price: Double
    /// The source's range, where it gives one.
    public var priceRange: ClosedRange<Double>?
    public var confidence: String?
    public var provenance: Provenance

    public init(
        name: String, accelerator: String, accelerators: Int, price: Double, priceRange: ClosedRange<Double>? = nil,
        confidence: String? = nil, provenance: Provenance
    ) {
        self.name = name
        self.accelerator = accelerator
        self.accelerators = accelerators
        self.price = price
        self.priceRange = priceRange
        self.confidence = confidence
        self.provenance = provenance
    }

    /// Purchase price per accelerator.
    public var pricePerAccelerator: Double { price / Double(accelerators) }
}

/// An electricity price, a PUE or a power figure for facility sizing.
public struct PowerPrice: Sendable, Hashable, Codable {
    /// What ``PowerPrice/value`` measures, and in what unit.
    public struct Kind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Book currency per kWh.
        public static let electricityPerKWh = Kind(rawValue: "electricity_per_kwh")
        /// Power usage effectiveness, a ratio ≥ 1.
        public static let pue = Kind(rawValue: "pue")
        /// Book currency per kW of contracted power per month.
        public static let colocationPerKWMonth = Kind(rawValue: "colocation_per_kw_month")
        /// kW per rack.
        public static let rackPowerKW = Kind(rawValue: "rack_power_kw")
        /// kW of accelerator power per rack.
        public static let rackAcceleratorPowerKW = Kind(rawValue: "rack_gpu_power_kw")
        /// kW per server or system.
        public static let systemPowerKW = Kind(rawValue: "system_power_kw")
        /// W per accelerator.
        public static let acceleratorPowerW = Kind(rawValue: "accelerator_power_w")

        /// The kinds a price book may use.
        public static let known: [Kind] = [
            .electricityPerKWh, .pue, .colocationPerKWMonth, .rackPowerKW, .rackAcceleratorPowerKW, .systemPowerKW,
            .acceleratorPowerW,
        ]
    }

    public var name: String
    public var kind: Kind
    public var value: Double
    /// Where it applies (`US`, `US-PA`, `global`), where it is regional.
    public var region: String?
    /// Catalog accelerator id, for power figures of one part.
    public var accelerator: String?
    public var confidence: String?
    public var provenance: Provenance

    public init(
        name: String, kind: Kind, value: Double, region: String? = nil, accelerator: String? = nil,
        confidence: String? = nil, provenance: Provenance
    ) {
        self.name = name
        self.kind = kind
        self.value = value
        self.region = region
        self.accelerator = accelerator
        self.confidence = confidence
        self.provenance = provenance
    }
}
