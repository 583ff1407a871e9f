import Foundation
import SQLKit

/// Reads one row's columns, turning a missing or mistyped value into a ``StoreError`` that names the table and
/// column (never a crash).
struct RowReader {
    let row: any SQLRow
    /// The table, for errors.
    let table: String

    func string(_ column: String) throws -> String {
        try decode(column, as: String.self)
    }

    func optionalString(_ column: String) throws -> String? {
        try decode(column, as: String?.self)
    }

    func int64(_ column: String) throws -> Int64 {
        try decode(column, as: Int64.self)
    }

    func optionalInt64(_ column: String) throws -> Int64? {
        try decode(column, as: Int64?.self)
    }

    func int(_ column: String) throws -> Int {
        let value = try int64(column)
        guard let result = Int(exactly: value) else {
            throw StoreError(.corrupt, "\(table).\(column) holds \(value), out of range")
        }
        return result
    }

    func bool(_ column: String) throws -> Bool {
        try decode(column, as: Bool.self)
    }

    func date(_ column: String) throws -> Date {
        Date(millisecondsSince1970: try int64(column))
    }

    func optionalDate(_ column: String) throws -> Date? {
        try optionalInt64(column).map { Date(millisecondsSince1970: $0) }
    }

    private func decode<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
        do {
            return try row.decode(column: column, as: T.self)
        } catch {
            throw StoreError(.corrupt, "\(table).\(column) could not be read as \(T.self): \(error)")
        }
    }
}

extension SQLDatabase {
    /// The rows of `query`, each read by `read`.
    func rows<T>(_ query: SQLQueryString, table: String, _ read: (RowReader) throws -> T) async throws -> [T] {
        let rows = try await raw(query).all()
        return try rows.map { try read(RowReader(row: $0, table: table)) }
    }
}
