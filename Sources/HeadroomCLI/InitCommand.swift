import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `headroom init`: writes a workload file by interview.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a workload file by interview, with every default explained.",
        discussion: """
            At a terminal each question shows its default in brackets; press return to accept it. When standard \
            input is not a terminal, answers are read one per line in this order (an empty line takes the \
            default; the end of input takes every remaining default): \
            \(InitInterview.fieldOrder.joined(separator: ", ")).
            """
    )

    @Argument(help: "Where to write the workload file.") var path = "workload.yaml"
    @Flag(help: "Overwrite the file if it exists.") var force = false
    @Flag(help: "Accept every default without asking.") var defaults = false
    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        try reportingErrors {
            let url = URL(fileURLWithPath: path)
            try WorkloadTemplate.refuseOverwrite(url, force: force)
            let catalog = try catalogOptions.load()
            let jurisdictions = Set(try PriceBookLoader.bundled().flatMap { $0.instances.map(\.jurisdiction) })
            let interview = InitInterview(
                catalog: catalog, jurisdictions: jurisdictions.filter { $0 != "unspecified" }.sorted()
            )
            var answers: WorkloadAnswers
            if !defaults, isatty(STDIN_FILENO) != 0 {
                emit(
                    "Answer each question, or press return to take the default in brackets; "
                        + "Ctrl-D takes every remaining default."
                )
            }
            if defaults {
                var source = ScriptedAnswers([], interactive: false)
                answers = try interview.run(&source)
            } else {
                var source = TerminalAnswers()
                answers = try interview.run(&source)
            }
            answers.model = WorkloadTemplate.modelReference(answers.model, from: url.deletingLastPathComponent())
            try WorkloadTemplate.write(WorkloadTemplate.render(answers, path: path), to: url, force: force)
            let spec = try WorkloadLoader.load(url: url)
            emit("wrote \(path): \(spec.model), peak \(humanNumber(spec.peakRate)) req/s at the horizon")
            emit("next: headroom plan \(Self.shellQuoted(path))")
        }
    }

    static func shellQuoted(_ text: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-+=:@")
        if !text.isEmpty, text.unicodeScalars.allSatisfy(safe.contains) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
