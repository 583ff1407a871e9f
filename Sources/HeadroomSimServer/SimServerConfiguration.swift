public import HeadroomCore

/// What `headroom serve-sim` serves: a simulated deployment behind an OpenAI-compatible HTTP API.
public struct SimServerConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port to listen on (0 picks a free one).
    public var port: Int
    /// The model name `/v1/models` lists and responses carry by default.
    public var servedModelName: String
    /// The simulated deployment: its replicas, KV cache, scheduler and performance model.
    public var fleet: FleetSimulator
    /// How much faster than modelled time the twin runs: 1 is real time, 10 makes every step ten times shorter.
    public var timeScale: Double
    /// How prompts are counted into tokens.
    public var tokenizer: SimTokenizer
    /// Output tokens when a request gives no `max_tokens` (OpenAI's completions default).
    public var defaultMaxTokens: Int

    /// - Throws: ``HeadroomError`` when `timeScale` is not a positive finite number or `port` is out of range.
    public init(
        fleet: FleetSimulator, servedModelName: String? = nil, host: String = "127.0.0.1", port: Int = 8000,
        timeScale: Double = 1, tokenizer: SimTokenizer = .words, defaultMaxTokens: Int = 16
    ) throws {
        guard timeScale > 0, timeScale.isFinite else {
            throw HeadroomError(
                .invalidInput, "time scale must be a positive number, got \(timeScale)", field: "time-scale")
        }
        guard (0...65535).contains(port) else {
            throw HeadroomError(.invalidInput, "port must be in 0…65535, got \(port)", field: "port")
        }
        guard defaultMaxTokens >= 1 else {
            throw HeadroomError(.invalidInput, "default max_tokens must be at least 1", field: "max-tokens")
        }
        self.fleet = fleet
        self.servedModelName = servedModelName ?? fleet.deployment.model.id
        self.host = host
        self.port = port
        self.timeScale = timeScale
        self.tokenizer = tokenizer
        self.defaultMaxTokens = defaultMaxTokens
    }

    /// The longest sequence (prompt plus output) a request may ask for: the model's context, or less when one
    /// replica's KV cache holds less.
    public var maxModelLength: Int {
        min(fleet.deployment.model.maxContext, fleet.blocksPerReplica * max(fleet.deployment.stack.kvBlockSize, 1))
    }
}
