import Foundation
package import HeadroomCore
import Yams

/// A structured brief (`headroom agent --brief-file brief.yaml`): the keys of a workload file, any of them possibly
/// missing, plus the agent's own keys — `description` (the brief in prose), `budget_usd_per_hour` (a budget the
/// agent checks the plan against) and `questions_answered` (answers given ahead, by field: `model`,
/// `traffic.peak_rps`).
package struct StructuredBrief: Sendable {
    /// The agent's own keys; every other key belongs to the workload.
    static let agentKeys: Set<String> = ["description", "budget_usd_per_hour", "questions_answered"]

    /// The file's path, for errors.
    package var file: String
    /// The file's text.
    package var text: String
    package var description: String?
    package var budgetPerHour: Double?
    /// Answers given ahead, keyed by field.
    package var answered: [String: JSONValue]
    /// The workload keys as written.
    package var workload: [String: JSONValue]
    /// The line of each value, by path (`slo.ttft_ms`, `constraints.accelerators.0`).
    let lines: [String: Int]

    /// Reads and parses a brief file.
    /// - Throws: ``HeadroomError`` naming the file, the line and the field.
    package static func load(path: String) throws -> StructuredBrief {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw HeadroomError(.invalidFile, "cannot read the brief: \(error.localizedDescription)", file: path)
        }
        return try parse(text, file: path)
    }

    /// Parses a brief's YAML text.
    /// - Throws: ``HeadroomError`` naming the file, the line and the field.
    package static func parse(_ text: String, file: String) throws -> StructuredBrief {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw HeadroomError(.invalidFile, "not YAML: \(error)", file: file, line: Self.line(of: error))
        } catch {
            throw HeadroomError(.invalidFile, "not YAML: \(error)", file: file)
        }
        guard let root else {
            throw HeadroomError(.invalidFile, "the brief is empty; give at least model and traffic", file: file)
        }
        guard case .object(let object) = json(root) else {
            throw HeadroomError(
                .invalidFile, "a brief is a mapping of workload keys (model, traffic, slo…)", file: file,
                line: root.mark?.line)
        }
        var brief = StructuredBrief(
            file: file, text: text, description: nil, budgetPerHour: nil, answered: [:],
            workload: object.filter { !agentKeys.contains($0.key) }, lines: Self.lines(root))
        if let value = object["description"] {
            guard let prose = value.stringValue else { throw brief.error(["description"], "must be text") }
            brief.description = prose
        }
        if let value = object["budget_usd_per_hour"] {
            guard case .number(let budget) = value, budget > 0, budget.isFinite else {
                throw brief.error(["budget_usd_per_hour"], "must be a positive number of dollars per hour")
            }
            brief.budgetPerHour = budget
        }
        if let value = object["questions_answered"] {
            guard case .object(let answers) = value else {
                throw brief.error(["questions_answered"], "must map fields to answers (model: llama-3.1-8b)")
            }
            brief.answered = answers
        }
        if let model = object["model"], model.stringValue == nil {
            throw brief.error(["model"], "must be a catalog id or alias such as llama-3.1-70b")
        }
        for key in ["traffic", "lengths", "slo", "constraints"] {
            if let value = object[key], case .object = value {
            } else if object[key] != nil {
                throw brief.error([key], "must be a mapping")
            }
        }
        return brief
    }

    /// An error at `path` (keys), with the line it is on.
    package func error(_ path: [String], _ message: String) -> HeadroomError {
        HeadroomError(.invalidFile, message, file: file, line: line(at: path), field: path.joined(separator: "."))
    }

    /// The line of the value at `path`, or of its deepest ancestor that exists.
    package func line(at path: [String]) -> Int? {
        var path = path
        while !path.isEmpty {
            if let line = lines[path.joined(separator: ".")] { return line }
            path.removeLast()
        }
        return lines[""]
    }

    /// The line of every node, by its dotted path.
    static func lines(_ node: Node, path: String = "", into table: inout [String: Int]) {
        if let line = node.mark?.line { table[path] = line }
        let prefix = path.isEmpty ? "" : path + "."
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping { lines(value, path: prefix + (key.string ?? ""), into: &table) }
        case .sequence(let sequence):
            for (index, value) in sequence.enumerated() { lines(value, path: prefix + "\(index)", into: &table) }
        default:
            break
        }
    }

    static func lines(_ root: Node) -> [String: Int] {
        var table: [String: Int] = [:]
        lines(root, into: &table)
        return table
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    /// A YAML node as JSON: scalars resolved as YAML 1.2's core schema does (null, bool, int, float, string).
    static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            if node.null != nil { return .null }
            if let value = node.bool { return .bool(value) }
            if let value = node.int { return .number(Double(value)) }
            if let value = node.float { return .number(value) }
            return .string(scalar.string)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping { object[key.string ?? "\(key)"] = json(value) }
            return .object(object)
        case .sequence(let sequence):
            return .array(sequence.map(json))
        case .alias:
            return .null
        }
    }
}
