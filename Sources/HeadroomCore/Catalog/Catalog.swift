/// The accelerators, models, stacks and fitted efficiencies Headroom plans with.
public struct Catalog: Sendable {
    public var accelerators: [Accelerator]
    public var models: [ModelArchitecture]
    public var stacks: [ServingStack]
    public var efficiencies: [EfficiencyProfile]

    public init(
        accelerators: [Accelerator] = [], models: [ModelArchitecture] = [], stacks: [ServingStack] = [],
        efficiencies: [EfficiencyProfile] = []
    ) {
        self.accelerators = accelerators
        self.models = models
        self.stacks = stacks
        self.efficiencies = efficiencies
    }

    /// The accelerator whose id or alias matches `key`, case-insensitively.
    public func accelerator(_ key: String) throws(HeadroomError) -> Accelerator {
        let needle = key.lowercased()
        if let found = accelerators.first(where: { $0.id == needle || $0.aliases.contains(needle) }) {
            return found
        }
        let near = nearestAccelerators(to: key)
        let hint = near.isEmpty ? "" : "; did you mean \(near.joined(separator: ", "))?"
        throw HeadroomError(
            .unknownEntry,
            "unknown accelerator '\(key)'\(hint) (known: \(accelerators.map(\.id).sorted().joined(separator: ", ")))",
            field: "accelerator"
        )
    }

    /// Up to three accelerator ids whose id or an alias is closest to `key` in edit distance (at most half its length).
    public func nearestAccelerators(to key: String) -> [String] {
        let needle = Array(key.lowercased())
        let limit = max(needle.count / 2, 1)
        let scored = accelerators.compactMap { a -> (String, Int)? in
            let distance = ([a.id] + a.aliases).map { Self.editDistance(needle, Array($0)) }.min() ?? .max
            return distance <= limit ? (a.id, distance) : nil
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }

    /// The Levenshtein distance between `a` and `b`: the fewest single-character insertions, deletions and
    /// substitutions that turn one into the other (catalog suggestions and the workload loader's nearest key).
    /// - Complexity: O(`a.count` × `b.count`) time, O(`b.count`) memory.
    package static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The model whose Hugging Face id or alias matches `key`, case-insensitively.
    public func model(_ key: String) throws(HeadroomError) -> ModelArchitecture {
        let needle = key.lowercased()
        if let found = models.first(where: { $0.id.lowercased() == needle || $0.aliases.contains(needle) }) {
            return found
        }
        let suggestions = models.flatMap { [$0.id] + $0.aliases }
            .filter { $0.lowercased().contains(needle.split(separator: "/").last.map(String.init) ?? needle) }
        let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.prefix(3).joined(separator: ", "))?"
        throw HeadroomError(
            .unknownEntry,
            "unknown model '\(key)'\(hint) (`headroom catalog models` lists them; a path to a config.json imports any)",
            field: "model"
        )
    }

    /// The stack whose id matches `key`, case-insensitively (`tensorrt-llm` and `trt-llm` name `trtllm`).
    public func stack(_ key: String) throws(HeadroomError) -> ServingStack {
        var needle = key.lowercased()
        if ["tensorrt-llm", "trt-llm", "tensorrtllm"].contains(needle) { needle = "trtllm" }
        if let found = stacks.first(where: { $0.id == needle }) { return found }
        throw HeadroomError(
            .unknownEntry,
            "unknown serving stack '\(key)'; known: \(stacks.map(\.id).sorted().joined(separator: ", "))",
            field: "stack"
        )
    }

    /// The most specific efficiency profile for a stack on an accelerator.
    ///
    /// A profile borrowed from another accelerator has its GEMM and attention efficiencies scaled by the ratio of
    /// the two parts' measured achievable matmul fractions (MAMF / peak), so a part whose kernels reach less of
    /// their peak (MI300X: 51 %) is not credited with Hopper's (80 %).
    ///
    /// - Parameter isMoE: the model's class, when known: a profile restricted to a class (`model_class`) is considered
    ///   only for models of that class, and wins over an unrestricted one of the same specificity.
    public func efficiency(
        stack: String, accelerator: String, isMoE: Bool? = nil
    ) -> (profile: EfficiencyProfile, specificity: Int)? {
        let modelClass = isMoE.map { $0 ? EfficiencyProfile.ModelClass.moe : .dense }
        guard
            let (found, specificity) = efficiencies.compactMap({ profile in
                profile.specificity(stack: stack, accelerator: accelerator, modelClass: modelClass).map {
                    (profile, $0)
                }
            }).max(by: { ($0.1, $0.0.modelClass == nil ? 0 : 1) < ($1.1, $1.0.modelClass == nil ? 0 : 1) })
        else { return nil }
        let profile = withMoEConstants(found, stack: stack, accelerator: accelerator)
        guard !profile.accelerators.contains(accelerator) else { return (profile, specificity) }
        let reference = profile.referenceAccelerator ?? profile.accelerators.first
        guard let reference, let source = accelerators.first(where: { $0.id == reference })?.matmulEfficiency,
            let target = accelerators.first(where: { $0.id == accelerator })?.matmulEfficiency
        else { return (profile, specificity) }
        var scaled = profile
        let ratio = target / source
        scaled.compute = min(profile.compute * ratio, 0.95)
        scaled.attentionCompute = min(profile.attentionCompute * ratio, 0.9)
        scaled.provenance.notes =
            (profile.provenance.notes.map { $0 + "; " } ?? "")
            + "compute efficiencies scaled by \(accelerator)'s measured matmul fraction over \(reference)'s (×\((ratio * 100).rounded() / 100))"
        return (scaled, specificity)
    }

    /// `profile` with mixture-of-experts constants: its own where it has them, else those of the most specific
    /// profile that has them (the same stack first, then the same accelerator), noted in ``EfficiencyProfile/moeProvenance``.
    func withMoEConstants(_ profile: EfficiencyProfile, stack: String, accelerator: String) -> EfficiencyProfile {
        guard !profile.hasMoEConstants else { return profile }
        let family = accelerators.first { $0.id == accelerator }?.vendor
        let donors = efficiencies.filter(\.hasMoEConstants).compactMap { candidate -> (EfficiencyProfile, Int)? in
            let sameStack = candidate.stack == stack
            let sameAccelerator = candidate.accelerators.contains(accelerator)
            let sameVendor = candidate.accelerators.contains { id in
                accelerators.first { $0.id == id }?.vendor == family
            }
            let score = (sameStack ? 4 : 0) + (sameAccelerator ? 2 : 0) + (sameVendor ? 1 : 0)
            return (candidate, score)
        }
        guard let donor = donors.max(by: { $0.1 < $1.1 })?.0 else { return profile }
        var result = profile
        result.expertMemory = donor.expertMemory
        result.moeLayerOverheadMicroseconds = donor.moeLayerOverheadMicroseconds
        result.moeProvenance =
            "mixture-of-experts constants borrowed from \(donor.stack) on \(donor.accelerators.joined(separator: "/"))"
        return result
    }

    /// Adds or replaces entries by id (overrides and user catalogs layer on the bundled one this way).
    public mutating func merge(_ other: Catalog) {
        for item in other.accelerators {
            accelerators.removeAll { $0.id == item.id }
            accelerators.append(item)
        }
        for item in other.models {
            models.removeAll { $0.id.lowercased() == item.id.lowercased() }
            models.append(item)
        }
        for item in other.stacks {
            stacks.removeAll { $0.id == item.id }
            stacks.append(item)
        }
        for item in other.efficiencies {
            efficiencies.removeAll { $0.stack == item.stack && $0.accelerators == item.accelerators }
            efficiencies.append(item)
        }
    }
}
