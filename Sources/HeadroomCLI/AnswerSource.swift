import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where interview answers come from: a person at a terminal, piped lines, or a script in a test.
package protocol AnswerSource {
    /// Whether a bad answer is asked again (a person) rather than an error (a script).
    var isInteractive: Bool { get }
    /// The answer to `prompt`, or `nil` when input has ended (every remaining default is then accepted).
    mutating func next(prompt: String) -> String?
    /// Tells the person why an answer was not accepted before the question is asked again.
    mutating func reject(_ problem: String)
}

/// Standard input: interactive (prompts shown) at a terminal, line by line without prompts otherwise.
package struct TerminalAnswers: AnswerSource {
    package let isInteractive: Bool

    package init(interactive: Bool = isatty(STDIN_FILENO) != 0) {
        isInteractive = interactive
    }

    package mutating func next(prompt: String) -> String? {
        if isInteractive { FileHandle.standardOutput.write(Data((prompt + "> ").utf8)) }
        let line = readLine(strippingNewline: true)
        if line == nil, isInteractive {
            FileHandle.standardOutput.write(Data("\n(end of input: defaults for the rest)\n".utf8))
        }
        return line
    }

    package mutating func reject(_ problem: String) {
        FileHandle.standardOutput.write(Data("  ✗ \(problem)\n".utf8))
    }
}

/// A fixed list of answers; records what was asked and rejected.
package struct ScriptedAnswers: AnswerSource {
    package let isInteractive: Bool
    package private(set) var remaining: [String]
    package private(set) var prompts: [String] = []
    package private(set) var rejections: [String] = []

    package init(_ answers: [String], interactive: Bool = false) {
        remaining = answers
        isInteractive = interactive
    }

    package mutating func next(prompt: String) -> String? {
        prompts.append(prompt)
        return remaining.isEmpty ? nil : remaining.removeFirst()
    }

    package mutating func reject(_ problem: String) {
        rejections.append(problem)
    }
}
