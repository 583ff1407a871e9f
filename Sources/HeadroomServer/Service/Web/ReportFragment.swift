import Foundation
import HeadroomReport

/// A plan report that ``PlanHTML`` renders as a whole page, cut down to a fragment the web page can place in
/// itself: the report's `<main>` inside `<div class="hr-report">`, after its style sheet with every rule scoped to
/// that `div`, so the report looks as it does on its own and nothing of it restyles the page around it.
package enum ReportFragment {
    /// The class of the `div` that holds the report.
    package static let scope = "hr-report"

    /// The fragment of `doc`'s report, with the cost report's body appended as the CLI's
    /// `headroom plan --format html --with-cost` appends it.
    static func render(_ doc: PlanDocument, cost: CostDocument? = nil) -> String {
        let page = PlanHTML.render(doc)
        let css = between(page, "<style>", "</style>") ?? ""
        var content = between(page, "<main>", "</main>") ?? page
        if let cost, let body = between(CostReport.html(cost), "<body>", "</body>") {
            content += "<section class=\"cost\">\(body)</section>"
        }
        return "<style>\(scoped(css))</style>\n<div class=\"\(scope)\">\(content)</div>\n"
    }

    /// The text between the first `open` and the last `close`.
    static func between(_ text: String, _ open: String, _ close: String) -> String? {
        guard let start = text.range(of: open),
            let end = text.range(of: close, options: .backwards), start.upperBound <= end.lowerBound
        else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// `css` with each rule's selectors scoped to `.hr-report`: `:root`, `html`, `body` and `main` become the
    /// scope itself, other selectors its descendants; `@media` blocks are scoped inside, other at-rules
    /// (`@page`) are kept as they are. Comments are dropped.
    package static func scoped(_ css: String) -> String {
        var output = ""
        var rest = Substring(stripComments(css))
        while let open = rest.firstIndex(of: "{") {
            let prelude = rest[..<open].trimmingCharacters(in: .whitespacesAndNewlines)
            guard let close = matchingBrace(in: rest, from: open) else { break }
            let block = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if prelude.hasPrefix("@media") || prelude.hasPrefix("@supports") {
                output += "\(prelude) {\n\(scoped(String(block)))}\n"
            } else if prelude.hasPrefix("@") {
                output += "\(prelude) {\(block)}\n"
            } else {
                let selectors = prelude.split(separator: ",").map { scopedSelector(String($0)) }
                output += selectors.joined(separator: ", ") + " {\(block)}\n"
            }
        }
        return output
    }

    static func scopedSelector(_ selector: String) -> String {
        let trimmed = selector.trimmingCharacters(in: .whitespacesAndNewlines)
        let root = "." + scope
        for element in [":root", "html", "body", "main"] {
            if trimmed == element { return root }
            if trimmed.hasPrefix(element + " ") { return root + trimmed.dropFirst(element.count) }
        }
        return root + " " + trimmed
    }

    /// The index of the `}` that closes the `{` at `open`.
    static func matchingBrace(in text: Substring, from open: Substring.Index) -> Substring.Index? {
        var depth = 0
        var index = open
        while index < text.endIndex {
            switch text[index] {
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
            index = text.index(after: index)
        }
        return nil
    }

    static func stripComments(_ css: String) -> String {
        var output = ""
        var rest = Substring(css)
        while let start = rest.range(of: "/*") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].range(of: "*/") else { return output }
            rest = rest[end.upperBound...]
        }
        return output + rest
    }
}
