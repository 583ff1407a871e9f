import Foundation

/// Where a store lives, from `--database` / `HEADROOM_DATABASE_URL`.
enum StoreLocation: Sendable, Hashable {
    case sqlite(path: String)
    case postgres(url: String)

    /// nil → the default SQLite file; `sqlite:///abs/path`, `sqlite://rel/path`, `sqlite:path` or a plain path → an
    /// SQLite file; `postgres://` or `postgresql://…` → PostgreSQL.
    /// - Throws: ``StoreError/Code/configuration`` for another scheme or an empty path.
    init(url: String?, defaultPath: String) throws {
        guard let url, !url.isEmpty else {
            self = .sqlite(path: defaultPath)
            return
        }
        let lowered = url.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postgres(url: url)
            return
        }
        if lowered.hasPrefix("sqlite:") {
            var path = Substring(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = path.dropFirst(2) }
            guard !path.isEmpty else {
                throw StoreError(.configuration, "database URL '\(url)' names no SQLite file")
            }
            self = .sqlite(path: String(path))
            return
        }
        if let range = url.range(of: "://") {
            let scheme = url[..<range.lowerBound]
            throw StoreError(
                .configuration,
                "database URL scheme '\(scheme)' is not supported (use a file path, sqlite:///path or postgres://…)")
        }
        self = .sqlite(path: url)
    }
}
