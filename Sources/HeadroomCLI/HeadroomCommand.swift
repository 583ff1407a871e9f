public import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore

/// `headroom`: the LLM capacity planner's command line.
public struct HeadroomCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "headroom",
        abstract: "Plan LLM serving capacity: what hardware, how much, at what cost, within an SLO.",
        subcommands: [
            PlanCommand.self, CostCommand.self, EstimateCommand.self, SimulateCommand.self, ValidateCommand.self,
            CalibrateCommand.self, CatalogCommand.self, InitCommand.self, TrainCommand.self, BenchCommand.self,
            CompareCommand.self, ServeSimCommand.self, ServeCommand.self, PlansCommand.self, AuditCommand.self,
            MCPCommand.self, AgentCommand.self,
        ]
    )

    public init() {}

    /// The executable's entry point: parses `CommandLine.arguments` and runs the command.
    public static func start() async {
        await main()
    }
}

/// Options every command that reads the catalog shares.
struct CatalogOptions: ParsableArguments {
    @Option(
        name: .customLong("catalog"),
        help:
            "A folder (or file) of catalog YAML that adds or replaces entries; repeatable. ~/.config/headroom/ is read first."
    )
    var directories: [String] = []

    func load() throws -> Catalog {
        try CatalogLoader.standard(extraDirectories: directories.map { URL(fileURLWithPath: $0) })
    }
}

/// Output formats.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}

/// Runs `body`, turning Headroom's errors into a message on standard error and a non-zero exit.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as HeadroomError {
        throw failure(error)
    }
}

/// The same for an async body.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as HeadroomError {
        throw failure(error)
    }
}

/// Prints a core error on standard error, its field mentions as flags (`tp` → `--tp`), and returns the exit code.
func failure(_ error: HeadroomError) -> ExitCode {
    failure(error.description(naming: flagName))
}

/// The flag that sets the request field `field` (`max_num_seqs` → `--max-num-seqs`); nil for a dotted path, a key
/// in a file, which the message names as written.
func flagName(_ field: String) -> String? {
    field.contains(".") ? nil : "--" + field.replacingOccurrences(of: "_", with: "-")
}

/// Prints `error: message` on standard error and returns the exit code to throw.
func failure(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode.failure
}

/// Today's date (UTC) as YYYY-MM-DD, for provenance and price-book staleness.
func today() -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd"
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date())
}

/// Writes a line to standard output.
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
