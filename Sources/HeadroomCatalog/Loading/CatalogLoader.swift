public import Foundation
public import HeadroomCore
internal import Yams

/// Loads catalogs: the bundled one, user directories layered over it, and single files.
public enum CatalogLoader {
    /// The folder of bundled resource files.
    public static var resourcesURL: URL {
        get throws {
            guard let url = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
                throw HeadroomError(.invalidFile, "the bundled catalog resources are missing from this build")
            }
            return url
        }
    }

    /// The bundled catalog alone.
    public static func bundled() throws -> Catalog {
        try load(directory: resourcesURL, recursive: false)
    }

    /// The bundled catalog with user overrides: `~/.config/headroom/` (or `$HEADROOM_CONFIG_DIR`), then each
    /// `--catalog` folder in order. Later entries replace earlier ones with the same id.
    /// - Throws: ``HeadroomError`` naming the file, line and field of the first bad entry.
    public static func standard(
        extraDirectories: [URL] = [],
        environment: [String: String] = ProcessInfo.processInfo
            .environment
    ) throws -> Catalog {
        var catalog = try bundled()
        let configDirectory: URL?
        if let override = environment["HEADROOM_CONFIG_DIR"] {
            configDirectory = URL(fileURLWithPath: override)
        } else if let home = environment["HOME"] {
            configDirectory = URL(fileURLWithPath: home).appendingPathComponent(".config/headroom")
        } else {
            configDirectory = nil
        }
        if let configDirectory, FileManager.default.fileExists(atPath: configDirectory.path) {
            catalog.merge(try load(directory: configDirectory, recursive: false))
        }
        for directory in extraDirectories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
                throw HeadroomError(.invalidFile, "catalog folder \(directory.path) does not exist", field: "catalog")
            }
            if isDirectory.boolValue {
                catalog.merge(try load(directory: directory, recursive: false))
            } else {
                catalog.merge(try load(file: directory))
            }
        }
        return catalog
    }

    /// Every `.yaml`/`.yml` file in `directory`, merged in name order.
    public static func load(directory: URL, recursive: Bool) throws -> Catalog {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        var catalog = Catalog()
        for name in names where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            catalog.merge(try load(file: directory.appendingPathComponent(name)))
        }
        return catalog
    }

    /// One catalog file.
    public static func load(file: URL) throws -> Catalog {
        let text = try readText(file)
        return try decode(yaml: text, file: file.path)
    }

    /// Decodes catalog YAML text; `file` names it in errors.
    /// - Throws: ``HeadroomError`` with file, line and field.
    public static func decode(yaml: String, file: String) throws(HeadroomError) -> Catalog {
        guard let document = try YAMLDocument.decodeIfPresent(CatalogFile.self, yaml: yaml, file: file) else {
            return Catalog()
        }
        let decoded = document.value
        do {
            var catalog = Catalog()
            for (index, entry) in (decoded.accelerators ?? []).enumerated() {
                catalog.accelerators.append(try entry.resolve(at: [PathKey("accelerators"), PathKey(index: index)]))
            }
            for (index, entry) in (decoded.models ?? []).enumerated() {
                catalog.models.append(try entry.resolve(at: [PathKey("models"), PathKey(index: index)]))
            }
            for (index, entry) in (decoded.stacks ?? []).enumerated() {
                catalog.stacks.append(try entry.resolve(at: [PathKey("stacks"), PathKey(index: index)]))
            }
            for (index, entry) in (decoded.efficiencies ?? []).enumerated() {
                catalog.efficiencies.append(try entry.resolve(at: [PathKey("efficiencies"), PathKey(index: index)]))
            }
            return catalog
        } catch {
            throw document.error(error)
        }
    }

    /// The line a YAML syntax error points at.
    static func line(of error: YamlError) -> Int? {
        YAMLDocument<CatalogFile>.line(of: error)
    }
}
