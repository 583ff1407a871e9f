import SQLKit

extension SQLHeadroomStore {
    public func savePriceBook(
        name: String, yaml: String, confidential: Bool, createdBy: String, audit: AuditEvent?
    ) async throws
        -> StoredPriceBook
    {
        try requireNonEmpty(name, "price book name")
        let book = StoredPriceBook(
            id: Self.newID(), name: name, yaml: yaml, confidential: confidential,
            createdAt: .init(millisecondsSince1970: Self.now()), createdBy: createdBy)
        return try await run("saving price book '\(name)'") {
            try await transaction("saving price book") { database in
                try await database.raw(
                    """
                    INSERT INTO price_books (id, name, yaml, confidential, created_at, created_by)
                    VALUES (\(bind: book.id), \(bind: name), \(bind: yaml), \(bind: confidential),
                    \(bind: book.createdAt.millisecondsSince1970), \(bind: createdBy))
                    """
                ).run()
                if let audit { _ = try await appendAudit(audit, in: database) }
                return book
            }
        }
    }

    public func priceBook(id: String) async throws -> StoredPriceBook? {
        try await run("reading price book \(id)") {
            try await withDatabase { database in
                try await database.rows("SELECT * FROM price_books WHERE id = \(bind: id)", table: "price_books") {
                    try Self.priceBook($0)
                }.first
            }
        }
    }

    public func listPriceBooks() async throws -> [StoredPriceBook] {
        try await run("listing price books") {
            try await withDatabase { database in
                try await database.rows(
                    "SELECT * FROM price_books ORDER BY created_at DESC, id", table: "price_books", Self.priceBook)
            }
        }
    }

    static func priceBook(_ row: RowReader) throws -> StoredPriceBook {
        StoredPriceBook(
            id: try row.string("id"), name: try row.string("name"), yaml: try row.string("yaml"),
            confidential: try row.bool("confidential"), createdAt: try row.date("created_at"),
            createdBy: try row.string("created_by"))
    }
}
