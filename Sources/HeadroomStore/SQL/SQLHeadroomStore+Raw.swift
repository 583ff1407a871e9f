import SQLKit

extension SQLHeadroomStore {
    /// Runs one statement as written, outside the store's API: for tests that tamper with rows. Not for production
    /// code.
    package func executeRaw(_ sql: String) async throws {
        try await run("raw statement") {
            try await withDatabase { database in try await database.raw(SQLQueryString(sql)).run() }
        }
    }

    /// Every column of every row of `sql`, as text (numbers in decimal, NULL as nil): for tests that look at what is
    /// at rest.
    package func rawRows(_ sql: String) async throws -> [[String: String?]] {
        try await run("raw query") {
            try await withDatabase { database in
                let rows = try await database.raw(SQLQueryString(sql)).all()
                return rows.map { row in
                    var values: [String: String?] = [:]
                    for column in row.allColumns {
                        if (try? row.decodeNil(column: column)) == true {
                            values[column] = .some(nil)
                        } else if let text = try? row.decode(column: column, as: String.self) {
                            values[column] = text
                        } else if let number = try? row.decode(column: column, as: Int64.self) {
                            values[column] = String(number)
                        } else if let flag = try? row.decode(column: column, as: Bool.self) {
                            values[column] = flag ? "true" : "false"
                        } else {
                            values[column] = "<unreadable>"
                        }
                    }
                    return values
                }
            }
        }
    }

    /// Which SQL dialect the store speaks: "sqlite" or "postgresql".
    package var dialectName: String {
        switch flavor {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }
}
