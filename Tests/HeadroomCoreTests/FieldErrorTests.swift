import Foundation
import Testing

@testable import HeadroomCore

/// Issue 13 item 1: core errors carry a field path and a code, never a CLI flag; each surface names the field.
@Suite
struct FieldErrorTests {
    /// Lines whose `--` names another tool's flag (provenance of an imported file), not one of Headroom's.
    static let otherToolsFlags = [
        "guidellm benchmark --output-path", "vllm bench serve --save-result", "without --save-detailed",
    ]

    /// Every string literal in HeadroomCore's sources that holds `--`, as `file:line: text`, less other tools' flags.
    static func flagsInCoreSources() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/HeadroomCore")
        let files = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 50, "found \(files.count) Swift files under \(root.path)")
        var found: [String] = []
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).split(
                separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                guard !code.hasPrefix("//"), code.contains("\""), code.contains("--") else { continue }
                guard !otherToolsFlags.contains(where: { code.contains($0) }) else { continue }
                found.append("\(file.lastPathComponent):\(index + 1): \(code)")
            }
        }
        return found
    }

    @Test func coreSourcesNameNoFlag() throws {
        #expect(try Self.flagsInCoreSources() == [])
    }

    /// Deployments, loads and estimates the core refuses, with the field each names.
    static let refusals: [(String, String, @Sendable () throws -> Void)] = [
        ("count 0", "count", { _ = try Fixtures.deployment(count: 0) }),
        ("tp 0", "tp", { _ = try Fixtures.deployment(tp: 0) }),
        ("count 3 over tp 2", "count", { _ = try Fixtures.deployment(count: 3, tp: 2) }),
        ("tp 3 over 32 heads", "tp", { _ = try Fixtures.deployment(count: 3, tp: 3) }),
        ("input 0", "input_tokens", { _ = try RequestShape(inputTokens: 0, outputTokens: 10) }),
        (
            "rate over capacity", "rate",
            { _ = try Fixtures.estimator(try Fixtures.deployment()).estimate(.rate(1e6)) }
        ),
        (
            "concurrency 0", "concurrency",
            { _ = try Fixtures.estimator(try Fixtures.deployment()).estimate(.concurrency(0)) }
        ),
        (
            "max rate without an SLO", "max_rate",
            { _ = try Fixtures.estimator(try Fixtures.deployment()).maxRate(meeting: LatencySLO()) }
        ),
    ]

    @Test(arguments: refusals.indices)
    func refusalsNameTheFieldNotAFlag(index: Int) {
        let (name, field, body) = Self.refusals[index]
        #expect {
            try body()
        } throws: { error in
            guard let error = error as? HeadroomError else { return false }
            #expect(error.field == field, "\(name): \(error)")
            #expect(!error.description.contains("--"), "\(name): \(error)")
            #expect(error.message.contains(HeadroomError.mention(field)), "\(name): \(error)")
            #expect(error.message(naming: { "--" + $0 }).contains("--\(field)"), "\(name): \(error)")
            return true
        }
    }

    @Test(
        arguments: [
            ("`tp` must be at least 1", "--tp must be at least 1"),
            ("`ep` 4 must divide both `tp` 6 and the 8 experts", "--ep 4 must divide both --tp 6 and the 8 experts"),
            ("raise `tp`/`pp` or use fp8", "raise --tp/--pp or use fp8"),
            ("`traffic.peak_rps` is high", "`traffic.peak_rps` is high"),
            ("no mention", "no mention"),
            ("an unclosed ` tick", "an unclosed ` tick"),
            // Quoted commands are not fields (`headroom estimate --model foo` printed "--headroom catalog models").
            ("`headroom catalog models` lists them", "`headroom catalog models` lists them"),
            ("set `a b` or `tp`", "set `a b` or --tp"),
        ])
    func mentionsRenderInASurfacesTerms(message: String, rendered: String) {
        let error = HeadroomError(.invalidInput, message)
        let flag: (String) -> String? = { $0.contains(".") ? nil : "--" + $0 }
        #expect(error.message(naming: flag) == rendered)
        #expect(error.description == message)
    }

    @Test func codesHaveStableIdentifiers() {
        #expect(HeadroomError.Code.invalidInput.identifier == "invalid_input")
        #expect(HeadroomError.Code.doesNotFit.identifier == "does_not_fit")
        #expect(HeadroomError.Code.unknownEntry.identifier == "unknown_entry")
    }
}
