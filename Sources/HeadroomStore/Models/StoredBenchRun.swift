public import Foundation

/// A benchmark result as stored: the result's JSON text (snake_case keys, as `headroom bench` writes it) and the
/// columns a listing shows.
public struct StoredBenchRun: Sendable, Hashable, Codable {
    public var id: String
    public var label: String
    /// The `BenchResult` as JSON text.
    public var resultJSON: String
    /// Catalog accelerator id, when the run recorded one.
    public var accelerator: String?
    /// Catalog serving-stack id, when the run recorded one.
    public var stack: String?
    /// The catalog model id when known, else the served model name.
    public var model: String
    public var createdAt: Date
    public var createdBy: String

    public init(
        id: String, label: String, resultJSON: String, accelerator: String?, stack: String?, model: String,
        createdAt: Date, createdBy: String
    ) {
        self.id = id
        self.label = label
        self.resultJSON = resultJSON
        self.accelerator = accelerator
        self.stack = stack
        self.model = model
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}
