import Foundation
public import HeadroomCore

/// Renders a ``TrainingPlan`` as a terminal table, Markdown, HTML or JSON.
public enum TrainingReport {
    /// JSON with snake_case keys throughout, sorted, never NaN.
    public static func json(_ plan: TrainingPlan, domain: Int) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .throw
        do {
            return String(decoding: try encoder.encode(TrainingDocument(plan, domain: domain)), as: UTF8.self)
        } catch {
            throw HeadroomError(.invalidInput, "a figure came out not finite and was not printed: \(error)")
        }
    }

    /// Plain-text tables.
    public static func table(_ plan: TrainingPlan, domain: Int) -> String {
        let sections = TrainingSections.build(plan, document: TrainingDocument(plan, domain: domain))
        var out: [String] = []
        for section in sections {
            var table = TextTable(header: section.header)
            table.rows = section.rows
            out.append(section.title + "\n" + table.render() + (section.note.map { "\n  " + $0 } ?? ""))
        }
        out.append("Assumptions\n" + plan.assumptions.map { "  - " + $0 }.joined(separator: "\n"))
        return out.joined(separator: "\n\n")
    }

    /// GitHub-flavoured Markdown.
    public static func markdown(_ plan: TrainingPlan, domain: Int) -> String {
        let sections = TrainingSections.build(plan, document: TrainingDocument(plan, domain: domain))
        var out = ["# Training plan: \(plan.modelName) on \(plan.count) × \(plan.accelerator)"]
        for section in sections {
            var text = "## \(section.title)\n\n| " + section.header.map(cell).joined(separator: " | ") + " |\n|"
            text += section.header.map { _ in " --- |" }.joined()
            for row in section.rows { text += "\n| " + row.map(cell).joined(separator: " | ") + " |" }
            if let note = section.note, !note.isEmpty { text += "\n\n" + note }
            out.append(text)
        }
        out.append("## Assumptions\n\n" + plan.assumptions.map { "- " + $0 }.joined(separator: "\n"))
        return out.joined(separator: "\n\n") + "\n"
    }

    static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
