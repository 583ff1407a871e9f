public import Foundation
public import HeadroomCore
internal import SwiftCSV
internal import Yams

/// Loads price books: the bundled `prices.yaml`, a user YAML book of the same shape, or a user CSV book.
///
/// YAML books are checked after decoding (positive prices, a three-letter currency, dates as `YYYY-MM-DD`, at least
/// one accelerator per instance, published per-instance prices that agree with the per-accelerator ones); every
/// error names the file, the line and the field.
public enum PriceBookLoader {
    /// The bundled price books (`Resources/prices.yaml`).
    public static func bundled() throws -> [PriceBook] {
        try load(url: CatalogLoader.resourcesURL.appendingPathComponent("prices.yaml"))
    }

    /// One price-book file: CSV when its extension is `.csv`, YAML otherwise.
    /// - Throws: ``HeadroomError`` naming the file, line and field of the first problem.
    public static func load(url: URL) throws -> [PriceBook] {
        let text = try readText(url)
        if url.pathExtension.lowercased() == "csv" {
            return [try decode(csv: text, file: url.path)]
        }
        return try decode(yaml: text, file: url.path)
    }

    /// Decodes price-book YAML (a top-level `price_books:` list); `file` names it in errors.
    /// - Throws: ``HeadroomError`` with file, line and field.
    public static func decode(yaml: String, file: String) throws(HeadroomError) -> [PriceBook] {
        let document = try YAMLDocument.decode(
            PriceBookFile.self, yaml: yaml, file: file, empty: "a 'price_books' list"
        )
        let decoded = document.value
        do {
            var books: [PriceBook] = []
            for (index, entry) in decoded.priceBooks.enumerated() {
                books.append(try entry.resolve(at: [PathKey("price_books"), PathKey(index: index)]))
            }
            return books
        } catch {
            throw document.error(error)
        }
    }

    /// The columns a CSV price book may have; `provider`, `region`, `jurisdiction`, `accelerator`, `on_demand` and
    /// `currency` are required. Prices are per accelerator-hour.
    public static let csvColumns = [
        "provider", "region", "jurisdiction", "accelerator", "on_demand", "currency", "spot", "reserved_1y",
        "reserved_3y", "capacity_block", "sku", "accelerators_per_instance", "confidence", "source", "as_of", "notes",
    ]

    /// Decodes a CSV price book: one row per offer, prices per accelerator-hour in the `currency` column's currency
    /// (one currency per book; there is no default). The book is named after the file; its `as_of` is the newest row
    /// date, or `undated` (and so stale) when no row has one. Rows without a source cite the file and line.
    /// Line numbers assume one line per row.
    /// - Throws: ``HeadroomError`` with file, line and column.
    public static func decode(csv text: String, file: String) throws(HeadroomError) -> PriceBook {
        let table: CSV<Named>
        do {
            table = try CSV<Named>(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            throw HeadroomError(.invalidFile, "not valid CSV: \(error)", file: file)
        }
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
        for column in header where !csvColumns.contains(column) {
            throw HeadroomError(
                .invalidFile, "unknown column '\(column)' (columns: \(csvColumns.joined(separator: ", ")))",
                file: file, line: 1, field: column
            )
        }
        for column in ["provider", "region", "jurisdiction", "accelerator", "on_demand", "currency"]
        where !header.contains(column) {
            let hint = column == "currency" ? " (prices need a currency; there is no default)" : ""
            throw HeadroomError(.invalidFile, "missing column '\(column)'\(hint)", file: file, line: 1, field: column)
        }
        var currency: String?
        var instances: [InstancePrice] = []
        var dates: [String] = []
        for (index, raw) in table.rows.enumerated() {
            let line = index + 2
            var row: [String: String] = [:]
            for (key, value) in raw { row[key.trimmingCharacters(in: .whitespaces)] = value }
            func field(_ name: String) -> String { row[name]?.trimmingCharacters(in: .whitespaces) ?? "" }
            func problem(_ column: String, _ message: String) -> HeadroomError {
                HeadroomError(.invalidFile, message, file: file, line: line, field: column)
            }
            func price(_ column: String) throws(HeadroomError) -> Double? {
                let text = field(column)
                guard !text.isEmpty else { return nil }
                guard let value = Double(text), value > 0, value.isFinite else {
                    throw problem(column, "must be a positive number, got '\(text)'")
                }
                return value
            }
            let rowCurrency = field("currency")
            guard isCurrencyCode(rowCurrency) else {
                throw problem("currency", "must be a three-letter ISO 4217 code such as USD, got '\(rowCurrency)'")
            }
            if let currency, currency != rowCurrency {
                throw problem(
                    "currency", "a book has one currency: this row says \(rowCurrency), earlier rows \(currency)")
            }
            currency = rowCurrency
            for column in ["provider", "region", "jurisdiction", "accelerator"] where field(column).isEmpty {
                throw problem(column, "must not be empty")
            }
            var count = 1
            if !field("accelerators_per_instance").isEmpty {
                guard let value = Int(field("accelerators_per_instance")), value >= 1 else {
                    throw problem("accelerators_per_instance", "must be a whole number ≥ 1")
                }
                count = value
            }
            let rates = HourlyRates(
                onDemand: try price("on_demand"), spot: try price("spot"), reserved1Year: try price("reserved_1y"),
                reserved3Year: try price("reserved_3y"), capacityBlock: try price("capacity_block")
            )
            guard !rates.isEmpty else {
                throw problem(
                    "on_demand", "the row has no price (on_demand, spot, reserved_1y, reserved_3y or capacity_block)")
            }
            var asOf = field("as_of")
            if asOf.isEmpty {
                asOf = undated
            } else if PriceBook.dayNumber(isoDate: asOf) == nil {
                throw problem("as_of", "must be a date as YYYY-MM-DD, got '\(asOf)'")
            } else {
                dates.append(asOf)
            }
            let source = field("source").isEmpty ? "user price book \(file), line \(line)" : field("source")
            instances.append(
                InstancePrice(
                    provider: field("provider").lowercased(), region: field("region"),
                    jurisdiction: field("jurisdiction"), accelerator: field("accelerator").lowercased(),
                    sku: field("sku").isEmpty ? nil : field("sku"), acceleratorsPerInstance: count,
                    perAccelerator: rates, confidence: field("confidence").isEmpty ? nil : field("confidence"),
                    provenance: Provenance(
                        source: source, asOf: asOf, notes: field("notes").isEmpty ? nil : field("notes"))
                )
            )
        }
        guard let currency else {
            throw HeadroomError(.invalidFile, "the price book has no rows", file: file, line: 2)
        }
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let asOf = dates.max() ?? undated
        return PriceBook(
            name: name, currency: currency, asOf: asOf, staleAfterDays: defaultStaleAfterDays,
            provenance: Provenance(source: "user price book \(file)", asOf: asOf), instances: instances
        )
    }

    /// The `as_of` of a CSV row or book without a date.
    public static let undated = "undated"
    /// Freshness window of a book that does not set `stale_after_days`.
    public static let defaultStaleAfterDays = 180

    static func isCurrencyCode(_ text: String) -> Bool {
        text.count == 3 && text.allSatisfy { $0.isASCII && $0.isUppercase }
    }
}

// MARK: - On-disk form

/// The on-disk form of a price-book file.
struct PriceBookFile: Decodable {
    var priceBooks: [BookEntry]

    enum CodingKeys: String, CodingKey {
        case priceBooks = "price_books"
    }
}

/// Shared checks for entry fields.
private struct Checker {
    let path: [any CodingKey]

    func problem(_ key: String, _ message: String) -> EntryProblem {
        EntryProblem(path: path + [PathKey(key)], message: message)
    }

    func positive(_ value: Double?, _ key: String) throws(EntryProblem) {
        guard let value else { return }
        guard value > 0, value.isFinite else { throw problem(key, "must be positive, got \(value)") }
    }

    func date(_ text: String, _ key: String = "as_of") throws(EntryProblem) {
        guard PriceBook.dayNumber(isoDate: text) != nil else {
            throw problem(key, "must be a date as YYYY-MM-DD, got '\(text)'")
        }
    }

    func nonEmpty(_ text: String, _ key: String) throws(EntryProblem) {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw problem(key, "must not be empty") }
    }

    /// The entry's date must not be newer than the book's.
    func notAfter(book: String, _ text: String) throws(EntryProblem) {
        if let entry = PriceBook.dayNumber(isoDate: text), let limit = PriceBook.dayNumber(isoDate: book), entry > limit
        {
            throw problem(
                "as_of", "\(text) is later than the book's as_of \(book); the book's date is its newest entry's")
        }
    }
}

struct BookEntry: Decodable {
    var name: String
    var currency: String
    var asOf: String
    var staleAfterDays: Int?
    var source: String
    var notes: String?
    var instances: [InstanceEntry]?
    var managedApis: [ManagedAPIEntry]?
    var servers: [ServerEntry]?
    var power: [PowerEntry]?

    enum CodingKeys: String, CodingKey {
        case name, currency, source, notes, instances, servers, power
        case asOf = "as_of"
        case staleAfterDays = "stale_after_days"
        case managedApis = "managed_apis"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> PriceBook {
        let check = Checker(path: path)
        try check.nonEmpty(name, "name")
        guard PriceBookLoader.isCurrencyCode(currency) else {
            throw check.problem("currency", "must be a three-letter ISO 4217 code such as USD, got '\(currency)'")
        }
        try check.date(asOf)
        try check.nonEmpty(source, "source")
        if let staleAfterDays, staleAfterDays < 1 {
            throw check.problem("stale_after_days", "must be at least 1, got \(staleAfterDays)")
        }
        func list<Entry, Value>(
            _ key: String, _ entries: [Entry]?,
            _ resolve: (Entry, [any CodingKey]) throws(EntryProblem) -> (Value, String)
        ) throws(EntryProblem) -> [Value] {
            var values: [Value] = []
            for (index, entry) in (entries ?? []).enumerated() {
                let entryPath = path + [PathKey(key), PathKey(index: index)]
                let (value, date) = try resolve(entry, entryPath)
                try Checker(path: entryPath).notAfter(book: asOf, date)
                values.append(value)
            }
            return values
        }
        return PriceBook(
            name: name, currency: currency, asOf: asOf,
            staleAfterDays: staleAfterDays ?? PriceBookLoader.defaultStaleAfterDays,
            provenance: Provenance(source: source, asOf: asOf, notes: notes),
            instances: try list("instances", instances) { (entry, path) throws(EntryProblem) in
                (try entry.resolve(at: path), entry.asOf)
            },
            managedAPIs: try list("managed_apis", managedApis) { (entry, path) throws(EntryProblem) in
                (try entry.resolve(at: path), entry.asOf)
            },
            servers: try list("servers", servers) { (entry, path) throws(EntryProblem) in
                (try entry.resolve(at: path), entry.asOf)
            },
            power: try list("power", power) { (entry, path) throws(EntryProblem) in
                (try entry.resolve(at: path), entry.asOf)
            }
        )
    }
}

struct RatesEntry: Decodable {
    var onDemand: Double?
    var spot: Double?
    var reserved1y: Double?
    var reserved3y: Double?
    var capacityBlock: Double?

    enum CodingKeys: String, CodingKey {
        case onDemand = "on_demand"
        case spot
        case reserved1y = "reserved_1y"
        case reserved3y = "reserved_3y"
        case capacityBlock = "capacity_block"
    }

    var pairs: [(key: String, value: Double?)] {
        [
            (CodingKeys.onDemand.rawValue, onDemand), (CodingKeys.spot.rawValue, spot),
            (CodingKeys.reserved1y.rawValue, reserved1y), (CodingKeys.reserved3y.rawValue, reserved3y),
            (CodingKeys.capacityBlock.rawValue, capacityBlock),
        ]
    }

    var rates: HourlyRates {
        HourlyRates(
            onDemand: onDemand, spot: spot, reserved1Year: reserved1y, reserved3Year: reserved3y,
            capacityBlock: capacityBlock
        )
    }
}

struct InstanceEntry: Decodable {
    var provider: String
    var region: String
    var jurisdiction: String
    var accelerator: String
    var sku: String?
    var acceleratorsPerInstance: Int
    var onDemand: Double?
    var spot: Double?
    var reserved1y: Double?
    var reserved3y: Double?
    var capacityBlock: Double?
    var perInstance: RatesEntry?
    var excludesHost: Bool?
    var confidence: String?
    var source: String
    var asOf: String
    var notes: String?

    enum CodingKeys: String, CodingKey {
        case provider, region, jurisdiction, accelerator, sku, spot, confidence, source, notes
        case acceleratorsPerInstance = "accelerators_per_instance"
        case onDemand = "on_demand"
        case reserved1y = "reserved_1y"
        case reserved3y = "reserved_3y"
        case capacityBlock = "capacity_block"
        case perInstance = "per_instance"
        case excludesHost = "excludes_host"
        case asOf = "as_of"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> InstancePrice {
        let check = Checker(path: path)
        for (key, text) in [
            ("provider", provider), ("region", region), ("jurisdiction", jurisdiction),
            ("accelerator", accelerator), ("source", source),
        ] {
            try check.nonEmpty(text, key)
        }
        try check.date(asOf)
        guard acceleratorsPerInstance >= 1 else {
            throw check.problem("accelerators_per_instance", "must be at least 1, got \(acceleratorsPerInstance)")
        }
        let own = RatesEntry(
            onDemand: onDemand, spot: spot, reserved1y: reserved1y, reserved3y: reserved3y,
            capacityBlock: capacityBlock
        )
        for (key, value) in own.pairs { try check.positive(value, key) }
        var perAccelerator = own.rates
        var perInstanceRates: HourlyRates?
        if let perInstance {
            let count = Double(acceleratorsPerInstance)
            let nested = Checker(path: path + [PathKey("per_instance")])
            var derived: [String: Double] = [:]
            for ((key, published), (_, mine)) in zip(perInstance.pairs, own.pairs) {
                try nested.positive(published, key)
                guard let published else {
                    if mine != nil {
                        throw nested.problem(key, "missing: \(key) is set per accelerator, so give it per instance too")
                    }
                    continue
                }
                let perUnit = published / count
                if let mine, abs(perUnit - mine) > max(1e-6, 1e-3 * mine) {
                    throw check.problem(
                        key,
                        "\(mine) per accelerator-hour disagrees with per_instance.\(key) \(published) / "
                            + "\(acceleratorsPerInstance) accelerators = \(perUnit)"
                    )
                }
                if mine == nil { derived[key] = perUnit }
            }
            perAccelerator = HourlyRates(
                onDemand: perAccelerator.onDemand ?? derived["on_demand"],
                spot: perAccelerator.spot ?? derived["spot"],
                reserved1Year: perAccelerator.reserved1Year ?? derived["reserved_1y"],
                reserved3Year: perAccelerator.reserved3Year ?? derived["reserved_3y"],
                capacityBlock: perAccelerator.capacityBlock ?? derived["capacity_block"]
            )
            perInstanceRates = perInstance.rates
        }
        guard !perAccelerator.isEmpty else {
            throw check.problem(
                "on_demand", "the entry has no price (on_demand, spot, reserved_1y, reserved_3y or capacity_block)")
        }
        return InstancePrice(
            provider: provider.lowercased(), region: region, jurisdiction: jurisdiction,
            accelerator: accelerator.lowercased(), sku: sku, acceleratorsPerInstance: acceleratorsPerInstance,
            perAccelerator: perAccelerator, perInstance: perInstanceRates, excludesHost: excludesHost ?? false,
            confidence: confidence, provenance: Provenance(source: source, asOf: asOf, notes: notes)
        )
    }
}

struct ManagedAPIEntry: Decodable {
    var provider: String
    var model: String
    var comparableTo: String?
    var inputPerMillion: Double
    var outputPerMillion: Double
    var cachedInputPerMillion: Double?
    var confidence: String?
    var source: String
    var asOf: String
    var notes: String?

    enum CodingKeys: String, CodingKey {
        case provider, model, confidence, source, notes
        case comparableTo = "comparable_to"
        case inputPerMillion = "input_per_million"
        case outputPerMillion = "output_per_million"
        case cachedInputPerMillion = "cached_input_per_million"
        case asOf = "as_of"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> ManagedAPIPrice {
        let check = Checker(path: path)
        try check.nonEmpty(provider, "provider")
        try check.nonEmpty(model, "model")
        try check.nonEmpty(source, "source")
        try check.date(asOf)
        try check.positive(inputPerMillion, "input_per_million")
        try check.positive(outputPerMillion, "output_per_million")
        try check.positive(cachedInputPerMillion, "cached_input_per_million")
        return ManagedAPIPrice(
            provider: provider.lowercased(), model: model, comparableTo: comparableTo?.lowercased(),
            inputPerMillion: inputPerMillion, outputPerMillion: outputPerMillion,
            cachedInputPerMillion: cachedInputPerMillion, confidence: confidence,
            provenance: Provenance(source: source, asOf: asOf, notes: notes)
        )
    }
}

struct ServerEntry: Decodable {
    var name: String
    var accelerator: String
    var accelerators: Int
    var price: Double
    var priceRange: [Double]?
    var confidence: String?
    var source: String
    var asOf: String
    var notes: String?

    enum CodingKeys: String, CodingKey {
        case name, accelerator, accelerators, price, confidence, source, notes
        case priceRange = "price_range"
        case asOf = "as_of"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> ServerPrice {
        let check = Checker(path: path)
        try check.nonEmpty(name, "name")
        try check.nonEmpty(accelerator, "accelerator")
        try check.nonEmpty(source, "source")
        try check.date(asOf)
        guard accelerators >= 1 else { throw check.problem("accelerators", "must be at least 1, got \(accelerators)") }
        try check.positive(price, "price")
        var range: ClosedRange<Double>?
        if let priceRange {
            guard priceRange.count == 2, priceRange[0] > 0, priceRange[0] <= priceRange[1],
                (priceRange[0]...priceRange[1]).contains(price)
            else {
                throw check.problem("price_range", "must be [low, high] with 0 < low ≤ price ≤ high, got \(priceRange)")
            }
            range = priceRange[0]...priceRange[1]
        }
        return ServerPrice(
            name: name, accelerator: accelerator.lowercased(), accelerators: accelerators, price: price,
            priceRange: range, confidence: confidence, provenance: Provenance(source: source, asOf: asOf, notes: notes)
        )
    }
}

struct PowerEntry: Decodable {
    var name: String
    var kind: String
    var value: Double
    var region: String?
    var accelerator: String?
    var confidence: String?
    var source: String
    var asOf: String
    var notes: String?

    enum CodingKeys: String, CodingKey {
        case name, kind, value, region, accelerator, confidence, source, notes
        case asOf = "as_of"
    }

    func resolve(at path: [any CodingKey]) throws(EntryProblem) -> PowerPrice {
        let check = Checker(path: path)
        try check.nonEmpty(name, "name")
        try check.nonEmpty(source, "source")
        try check.date(asOf)
        let kind = PowerPrice.Kind(rawValue: kind)
        guard PowerPrice.Kind.known.contains(kind) else {
            throw check.problem(
                "kind", "unknown kind '\(kind)' (\(PowerPrice.Kind.known.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        try check.positive(value, "value")
        if kind == .pue, value < 1 { throw check.problem("value", "a PUE is at least 1, got \(value)") }
        return PowerPrice(
            name: name, kind: kind, value: value, region: region, accelerator: accelerator?.lowercased(),
            confidence: confidence, provenance: Provenance(source: source, asOf: asOf, notes: notes)
        )
    }
}
