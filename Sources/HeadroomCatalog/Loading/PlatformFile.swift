public import Foundation
public import HeadroomCore
internal import Yams

/// A platform workload file: several models, each with its own traffic and SLO, sharing one price book, shared
/// constraints and an optional fleet budget. docs/workload.md ("Many models, one plan") documents the format.
public struct PlatformSpec: Sendable {
    /// One model of the platform.
    public struct Model: Sendable {
        /// The entry's `name` (default: its `model`), unique in the file.
        public var name: String
        /// The model's workload, with the shared pricing and constraints merged in.
        public var spec: WorkloadSpec
    }

    public var models: [Model]
    /// The cap on the combined fleet.
    public var budget: FleetBudget
    /// The file it came from, and the line of its `budget` (for the error when no combination meets it).
    public var file: String
    public var budgetLine: Int?
}

struct PlatformDocument: Decodable {
    struct Entry: Decodable {
        var name: String?
        var model: String
        var traffic: WorkloadDocument.Traffic
        var lengths: WorkloadDocument.Lengths?
        var prefix: WorkloadDocument.Prefix?
        var slo: WorkloadDocument.SLO?
        var constraints: WorkloadDocument.Constraints?
        var quality: WorkloadDocument.Quality?
        var integration: WorkloadDocument.Integration?
    }

    struct Budget: Decodable {
        var maxAccelerators: Int?
        var perMonth: Double?

        enum CodingKeys: String, CodingKey {
            case maxAccelerators = "max_accelerators"
            case perMonth = "per_month"
        }
    }

    var models: [Entry]
    var constraints: WorkloadDocument.Constraints?
    var quality: WorkloadDocument.Quality?
    var pricing: WorkloadDocument.Pricing?
    var budget: Budget?
}

/// Reads platform workload files (a `models:` list).
public enum PlatformLoader {
    /// The most models one platform file may list.
    public static let maxModels = 32

    /// Whether a workload file's text lists several models (a top-level `models:` key).
    public static func listsModels(_ yaml: String) -> Bool {
        guard yaml.utf8.count <= WorkloadLoader.maxBytes, (try? YAMLLimits.checkText(yaml, file: "")) != nil,
            let node = try? Yams.compose(yaml: yaml), let mapping = node.mapping
        else { return false }
        return mapping["models"] != nil
    }

    /// Loads and validates a platform workload file.
    /// - Throws: ``HeadroomError`` naming the file, line and field (`models.1.slo.ttft_ms`).
    public static func load(url: URL) throws -> PlatformSpec {
        try decode(yaml: try readText(url), file: url.path)
    }

    /// Decodes and validates a platform file's text: each entry as a one-model workload (the shared `pricing`,
    /// `constraints` and `quality` merged under the entry's own, field by field), then the budget.
    /// - Throws: ``HeadroomError`` naming the file, line and field.
    public static func decode(yaml: String, file: String) throws -> PlatformSpec {
        guard yaml.utf8.count <= WorkloadLoader.maxBytes else {
            throw HeadroomError(
                .invalidFile,
                "a workload file must be at most \(WorkloadLoader.maxBytes) bytes, got \(yaml.utf8.count)",
                file: file)
        }
        let parsed = try YAMLDocument.decode(
            PlatformDocument.self, yaml: yaml, file: file, empty: "a platform workload (models)", strictKeys: true)
        let document = parsed.value
        guard !document.models.isEmpty else { throw parsed.error(at: ["models"], "list at least one model") }
        guard document.models.count <= maxModels else {
            throw parsed.error(at: ["models"], "at most \(maxModels) models, got \(document.models.count)")
        }
        var models: [PlatformSpec.Model] = []
        var names = Set<String>()
        // An entry's error names `models.1.slo.ttft_ms` (the index as other lists' fields spell it) at its own line.
        func entryError(_ index: Int, _ path: [String], _ message: String) -> HeadroomError {
            var error = parsed.error(at: ["models", "\(index)"] + path, message)
            let keys: [PathKey] = [PathKey("models"), PathKey(index: index)] + path.map { PathKey($0) }
            error.line = parsed.locator.line(at: keys) ?? error.line
            return error
        }
        for (index, entry) in document.models.enumerated() {
            let name = entry.name ?? entry.model
            guard !name.isEmpty else { throw entryError(index, ["name"], "must not be empty") }
            guard names.insert(name.lowercased()).inserted else {
                throw entryError(
                    index, [entry.name == nil ? "model" : "name"],
                    "'\(name)' is listed twice; give each entry a distinct name")
            }
            let (constraints, ownConstraints) = merged(entry.constraints, over: document.constraints)
            let (quality, ownQuality) = merged(entry.quality, over: document.quality)
            let single = WorkloadDocument(
                model: entry.model, traffic: entry.traffic, lengths: entry.lengths, prefix: entry.prefix,
                slo: entry.slo, deployment: nil, constraints: constraints, quality: quality, pricing: document.pricing,
                integration: entry.integration)
            // A shared field's error names the top-level field; an entry's own, the entry's.
            let spec = try WorkloadLoader.spec(from: single, file: file) { path, message in
                let shared =
                    path.first == "pricing"
                    || (path.first == "constraints" && !ownConstraints.contains(path.dropFirst().first ?? ""))
                    || (path.first == "quality" && !ownQuality.contains(path.dropFirst().first ?? ""))
                return shared ? parsed.error(at: path, message) : entryError(index, path, message)
            }
            models.append(.init(name: name, spec: spec))
        }
        var budget = FleetBudget()
        if let b = document.budget {
            if let cap = b.maxAccelerators {
                guard cap >= 1 else { throw parsed.error(at: ["budget", "max_accelerators"], "must be at least 1") }
                guard cap <= InputLimits.deploymentAccelerators else {
                    throw parsed.error(
                        at: ["budget", "max_accelerators"],
                        "must be at most \(InputLimits.deploymentAccelerators), got \(cap)")
                }
                budget.maxAccelerators = cap
            }
            if let perMonth = b.perMonth {
                guard perMonth > 0, perMonth.isFinite, perMonth <= 1e12 else {
                    throw parsed.error(
                        at: ["budget", "per_month"], "must be positive and at most 1000000000000, got \(perMonth)")
                }
                budget.perMonth = perMonth
            }
            if budget.isEmpty {
                throw parsed.error(at: ["budget"], "give max_accelerators, per_month or both")
            }
        }
        return PlatformSpec(
            models: models, budget: budget, file: file, budgetLine: parsed.locator.line(at: [PathKey("budget")]))
    }

    /// The entry's constraints over the shared ones, field by field, and the keys the entry set itself.
    static func merged(
        _ own: WorkloadDocument.Constraints?, over shared: WorkloadDocument.Constraints?
    ) -> (WorkloadDocument.Constraints?, Set<String>) {
        guard let own else { return (shared, []) }
        guard var result = shared else { return (own, Set(keys(of: own))) }
        result.accelerators = own.accelerators ?? result.accelerators
        result.stacks = own.stacks ?? result.stacks
        result.providers = own.providers ?? result.providers
        result.regions = own.regions ?? result.regions
        result.dataResidency = own.dataResidency ?? result.dataResidency
        result.onPremOnly = own.onPremOnly ?? result.onPremOnly
        result.budgetPerHour = own.budgetPerHour ?? result.budgetPerHour
        result.minReplicas = own.minReplicas ?? result.minReplicas
        result.minReplicasPerRegion = own.minReplicasPerRegion ?? result.minReplicasPerRegion
        result.disaggregation = own.disaggregation ?? result.disaggregation
        return (result, Set(keys(of: own)))
    }

    /// The entry's quality floor over the shared one, field by field, and the keys the entry set itself.
    static func merged(
        _ own: WorkloadDocument.Quality?, over shared: WorkloadDocument.Quality?
    ) -> (WorkloadDocument.Quality?, Set<String>) {
        guard let own else { return (shared, []) }
        var set = Set<String>()
        if own.lowestPrecision != nil { set.insert("lowest_precision") }
        if own.calibration != nil { set.insert("calibration") }
        if own.uncalibratedMargin != nil { set.insert("uncalibrated_margin") }
        guard var result = shared else { return (own, set) }
        result.lowestPrecision = own.lowestPrecision ?? result.lowestPrecision
        result.calibration = own.calibration ?? result.calibration
        result.uncalibratedMargin = own.uncalibratedMargin ?? result.uncalibratedMargin
        return (result, set)
    }

    static func keys(of c: WorkloadDocument.Constraints) -> [String] {
        typealias K = WorkloadDocument.Constraints.CodingKeys
        let present: [(K, Bool)] = [
            (.accelerators, c.accelerators != nil), (.stacks, c.stacks != nil), (.providers, c.providers != nil),
            (.regions, c.regions != nil), (.dataResidency, c.dataResidency != nil), (.onPremOnly, c.onPremOnly != nil),
            (.budgetPerHour, c.budgetPerHour != nil), (.minReplicas, c.minReplicas != nil),
            (.minReplicasPerRegion, c.minReplicasPerRegion != nil), (.disaggregation, c.disaggregation != nil),
        ]
        return present.filter(\.1).map(\.0.stringValue)
    }
}
