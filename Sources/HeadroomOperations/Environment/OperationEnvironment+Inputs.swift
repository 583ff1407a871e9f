import Foundation
package import HeadroomCatalog
package import HeadroomCore

/// The bundled price books and economics, parsed once per process: parsing the YAML took ~0.6 s of a debug build's
/// CPU on the request handler's thread, per request.
package enum BundledData {
    package static let priceBooks = Result { try PriceBookLoader.bundled() }
    package static let economics = Result { try EconomicsLoader.bundled() }

    /// Today (UTC), for price staleness.
    package static func today() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}

extension OperationEnvironment {
    /// The workload a request names: inline (`workload`) or stored (`workload_name`).
    ///
    /// A confidential stored workload is a confidential read, as a confidential price book is: a caller who may not
    /// read confidential objects may not compute with it (its negotiated prices would shape the results).
    /// - Parameter caller: who asks; nil only where no stored workload can be named.
    /// - Throws: ``OperationError`` invalid when neither or both are given, the stored one is missing, or the inline
    ///   one reads files; forbidden for a confidential one the caller may not read.
    package func workload(inline: JSONValue?, name: String?, caller: Caller?) async throws -> WorkloadSpec {
        let text: String
        switch (inline, name) {
        case (let value?, nil):
            if value["traffic"]?["trace"] != nil {
                throw OperationError(
                    .invalid, "traces are files on the server; not accepted over the API",
                    field: "workload.traffic.trace")
            }
            if let model = value["model"]?.stringValue, model.hasSuffix(".json") {
                throw OperationError(
                    .invalid, "model config files are not read over the API; use a catalog id",
                    field: "workload.model")
            }
            text = try value.jsonText()
        case (nil, let name?):
            guard let stored = try await objects?.workload(named: name, caller: caller) else {
                throw OperationError(.invalid, "no stored workload '\(name)'", field: "workload_name")
            }
            text = stored
        case (nil, nil):
            throw OperationError(.invalid, "give workload or workload_name", field: "workload")
        case (.some, .some):
            throw OperationError(.invalid, "give workload or workload_name, not both", field: "workload")
        }
        do {
            return try WorkloadLoader.decode(yaml: text, file: "workload")
        } catch let error as HeadroomError {
            var located = error
            located.file = nil
            throw OperationError(located, under: "workload")
        }
    }

    /// The price books a computation chooses from: a stored one by name, else the bundled ones.
    /// - Throws: ``OperationError`` invalid for a missing or invalid book, forbidden for a confidential one the
    ///   caller may not read.
    package func priceBooks(named name: String?, caller: Caller) async throws -> [PriceBook] {
        guard let name else { return try BundledData.priceBooks.get() }
        guard let stored = try await objects?.priceBook(named: name, caller: caller) else {
            throw OperationError(.invalid, "no stored price book '\(name)'", field: "price_book")
        }
        do {
            return try PriceBookLoader.decode(yaml: stored, file: "price book \(name)")
        } catch {
            throw OperationError(.invalid, error.description, field: "price_book")
        }
    }
}

extension JSONValue {
    /// Whether a workload carries negotiated prices (a non-empty `pricing.overrides`).
    package var hasPriceOverrides: Bool {
        switch self["pricing"]?["overrides"] {
        case .array(let items)?: !items.isEmpty
        case nil, .null?: false
        default: true
        }
    }
}
