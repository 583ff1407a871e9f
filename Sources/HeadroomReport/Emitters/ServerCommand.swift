/// A server launch: program words, flags grouped one option per line, and an optional YAML side file.
struct ServerCommand {
    var program: [String]
    var flags: [[String]] = []
    /// TensorRT-LLM `--extra_llm_api_options` file lines; empty when none is needed.
    var extraOptions: [String] = []
    /// Comments for a person reading the output.
    var notes: [String] = []

    mutating func add(_ words: String...) { flags.append(words) }
    var arguments: [String] { flags.flatMap { $0 } }
}
