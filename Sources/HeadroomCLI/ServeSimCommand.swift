import ArgumentParser
import HeadroomCatalog
import HeadroomCore
import HeadroomReport
import HeadroomSimServer
import Hummingbird

/// `headroom serve-sim`: an OpenAI-compatible endpoint whose token timing follows the simulator for a deployment.
struct ServeSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-sim",
        abstract: "Serve an OpenAI-compatible API whose tokens stream at the simulated deployment's pace.",
        discussion: """
            A digital twin to rehearse benchmarks against: POST /v1/completions and /v1/chat/completions (streaming \
            or not), GET /v1/models, GET /health, POST /tokenize and /detokenize. Every request generates exactly \
            max_tokens tokens (default 16) of " tok"; prompts count one token per whitespace-separated word \
            (--tokenizer bytes: one per four bytes). Any model name is accepted. Stop with Ctrl-C.
            """
    )

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var deploymentOptions: DeploymentOptions

    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port: Int = 8000
    @Option(help: "Run this many times faster than the modelled time (1 = real time).") var timeScale: Double = 1
    @Option(help: "The model name /v1/models lists (default: the model's id).") var servedModelName: String?
    @Option(help: "How prompts count into tokens: words or bytes (four per token).") var tokenizer: String = "words"
    @Flag(help: "Turn prefix caching off (the twin never shares prefixes, so this changes nothing yet).")
    var noPrefixCaching = false

    func run() async throws {
        let configuration = try reportingErrors {
            let catalog = try catalogOptions.load()
            let resolved = try deploymentOptions.resolve(in: catalog)
            let fleet = try FleetSimulator(
                deployment: resolved.deployment, efficiency: try resolved.efficiency(in: catalog).profile,
                options: SimulationOptions(prefixCaching: !noPrefixCaching)
            )
            guard let mode = SimTokenizer(rawValue: tokenizer.lowercased()) else {
                throw HeadroomError(.invalidInput, "--tokenizer must be words or bytes", field: "tokenizer")
            }
            let configuration = try SimServerConfiguration(
                fleet: fleet, servedModelName: servedModelName, host: host, port: port, timeScale: timeScale,
                tokenizer: mode
            )
            for note in resolved.notes { emit("note: \(note)") }
            return configuration
        }
        emit(summary(configuration))
        let app = buildSimApplication(configuration: configuration)
        try await app.runService()
    }

    func summary(_ configuration: SimServerConfiguration) -> String {
        let fleet = configuration.fleet
        let d = fleet.deployment
        let model = fleet.model
        let decode = model.seconds(.decode(sequences: 1, context: 1024))
        let scale = configuration.timeScale == 1 ? "real time" : "\(humanNumber(configuration.timeScale))× real time"
        return """
            headroom serve-sim: http://\(configuration.host):\(configuration.port)/v1 serving \
            "\(configuration.servedModelName)"
              \(d.model.name) on \(d.count)× \(d.accelerator.name) (tp=\(d.tensorParallel) pp=\(d.pipelineParallel), \
            \(d.replicas) replica\(d.replicas == 1 ? "" : "s")), \(d.precision.rawValue) weights, \
            \(d.kvPrecision.rawValue) KV, \(d.stack.name)
              per replica: \(fleet.blocksPerReplica) KV blocks of \(d.stack.kvBlockSize) tokens, \
            max_num_seqs \(d.maxNumSeqs.map(String.init) ?? "from KV"), token budget \(d.maxBatchedTokens); \
            max_model_len \(configuration.maxModelLength)
              decode step at batch 1 (1k context): \(humanNumber(decode * 1000)) ms modelled; pacing: \(scale); \
            tokenizer: \(configuration.tokenizer.rawValue)
            """
    }
}
