public import HeadroomCore

/// Turns price books and a workload's pricing section into the per-accelerator-hour prices the planner buys at.
public enum PlanPricing {
    /// Years over which an owned server's price is spread into an hourly figure for ranking on-prem plans.
    /// An assumption (overridable with `pricing.overrides`); `headroom cost` does the full TCO.
    public static let onPremAmortisationYears = 3.0

    /// The prices the planner buys at: the workload's book (by name, else the first of `books`) with its overrides.
    /// - Parameters:
    ///   - books: the price books to choose from (a user's file, the server's stored books, or the bundled ones).
    ///   - today: the date (YYYY-MM-DD) staleness is judged on.
    /// - Throws: ``HeadroomError`` when the named book is missing.
    public static func prices(
        for spec: WorkloadSpec, books: [PriceBook], catalog: Catalog, today: String
    ) throws
        -> (prices: [AcceleratorPrice], notes: [String], book: PriceBook)
    {
        let book: PriceBook
        if let name = spec.priceBook {
            guard let found = books.first(where: { $0.name == name }) else {
                throw HeadroomError(
                    .unknownEntry, "no price book '\(name)'; known: \(books.map(\.name).joined(separator: ", "))",
                    file: spec.file, field: "pricing.book"
                )
            }
            book = found
        } else {
            guard let first = books.first else {
                throw HeadroomError(.invalidFile, "the price book holds no books", field: "pricing")
            }
            book = first
        }
        var notes = ["prices: on-demand rates from price book '\(book.name)' (\(book.currency), as of \(book.asOf))"]
        if book.isStale(today: today) {
            notes.append(
                "STALE PRICES: book '\(book.name)' is dated \(book.asOf), older than its \(book.staleAfterDays)-day limit on \(today)"
            )
        }
        var prices: [AcceleratorPrice] = book.instances.compactMap { instance in
            // GPU-only list prices leave out the host VM; they would undercut every whole-instance price.
            guard let rate = instance.onDemand, !instance.excludesHost else { return nil }
            var price = AcceleratorPrice(
                accelerator: instance.accelerator, provider: instance.provider, region: instance.region,
                jurisdiction: instance.jurisdiction, perHour: rate, currency: book.currency,
                source: instance.provenance.source, asOf: instance.provenance.asOf
            )
            price.unitAccelerators = instance.acceleratorsPerInstance
            price.unitName = instance.sku
            return price
        }
        if spec.constraints.onPremOnly {
            let hours = onPremAmortisationYears * 8760
            prices += book.servers.map { server in
                var price = AcceleratorPrice(
                    accelerator: server.accelerator, provider: "on-prem", region: "owned", jurisdiction: "owned",
                    perHour: server.pricePerAccelerator / hours, currency: book.currency,
                    source: "\(server.name): \(server.provenance.source)", asOf: server.provenance.asOf
                )
                price.unitAccelerators = server.accelerators
                price.unitName = server.name
                return price
            }
            notes.append(
                "on-prem: server prices spread over \(Int(onPremAmortisationYears)) years (assumption), without power, facility or staff — see `headroom cost` for TCO"
            )
        }
        for override in spec.priceOverrides {
            prices.removeAll {
                $0.accelerator == override.accelerator && $0.provider == override.provider
                    && $0.region == override.region
            }
            prices.append(override)
            notes.append(
                "price override: \(override.accelerator) at \(humanNumber(override.perHour)) \(override.currency)/h from \(override.source)"
            )
        }
        let known = Set(catalog.accelerators.map(\.id))
        return (prices.filter { known.contains($0.accelerator) }, notes, book)
    }

    /// An empirical length distribution through a sample's quantiles.
    public static func empirical(_ values: [Double]) -> LengthDistribution {
        let sorted = values.sorted()
        guard sorted.count > 1 else { return .fixed(Int(saturating: sorted.first ?? 1)) }
        let knots = [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1]
        let quantiles = knots.map { q -> Double in
            let position = q * Double(sorted.count - 1)
            let low = Int(saturating: position.rounded(.down))
            let high = min(low + 1, sorted.count - 1)
            return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
        }
        return .empirical(values: quantiles, cumulative: knots)
    }
}
