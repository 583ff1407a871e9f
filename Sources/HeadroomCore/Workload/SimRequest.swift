/// One request of a workload, as the simulator receives it.
public struct SimRequest: Sendable, Hashable {
    /// Arrival time in seconds from the start of the workload.
    public var arrival: Double
    /// Prompt length in tokens (at least 1).
    public var inputTokens: Int
    /// Generated length in tokens (at least 1).
    public var outputTokens: Int
    /// Requests with the same id share a cached prompt prefix; nil when this request shares none.
    public var prefixID: Int?
    /// How many leading prompt tokens this request shares under `prefixID` (0 when none); never above `inputTokens`.
    public var prefixTokens: Int

    public init(arrival: Double, inputTokens: Int, outputTokens: Int, prefixID: Int? = nil, prefixTokens: Int = 0) {
        self.arrival = arrival
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.prefixID = prefixID
        self.prefixTokens = prefixTokens
    }
}
