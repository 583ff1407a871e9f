/// Where a figure that models the world comes from, and when it was true.
///
/// Every catalog entry carries one: a spec, a price or a fitted efficiency is only as good as its source.
public struct Provenance: Sendable, Hashable, Codable {
    /// The source: a URL, a repository and path at a commit, a paper.
    public var source: String
    /// The date (YYYY-MM-DD) or version the source describes.
    public var asOf: String
    /// Free-text caveats.
    public var notes: String?
    /// Figures in the entry that are assumptions rather than published facts.
    public var assumptions: [String]

    public init(source: String, asOf: String, notes: String? = nil, assumptions: [String] = []) {
        self.source = source
        self.asOf = asOf
        self.notes = notes
        self.assumptions = assumptions
    }
}
