import Foundation
import HTTPTypes
import HeadroomCore
import HeadroomServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The web page at `/` and the plan fragment it shows (`POST /ui/plan`); WebPageTests drives them in a browser.
@Suite(.timeLimit(.minutes(3)))
struct WebRoutesTests {
    @Test func thePageIsOpenSelfContainedAndRunsOnlyItsOwnScript() async throws {
        let service = await TestService()
        try await service.test { client in
            try await client.send(.get, "/", key: nil) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-store")
                let page = response.text
                #expect(page.hasPrefix("<!DOCTYPE html>"))
                // Nothing is fetched from elsewhere: no external scripts, style sheets or images.
                for pattern in ["src=\"http", "href=\"http", "@import", "url(http", "<script src"] {
                    #expect(!page.contains(pattern), "\(pattern)")
                }
                let policy = try #require(response.headers[HTTPField.Name("Content-Security-Policy")!])
                // Only the page's own script runs (by hash: WebPageTests shows that it does run in a browser).
                #expect(policy.contains("script-src 'sha256-"))
                #expect(!policy.contains("'unsafe-eval'"))
                #expect(page.components(separatedBy: "<script>").count == 2)
                #expect(policy.contains("connect-src 'self'"))
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                for id in ["api-key", "model", "rate", "ttft", "tpot", "plan-button", "save-name", "plans-list"] {
                    #expect(page.contains("id=\"\(id)\""), "\(id)")
                }
            }
        }
    }

    @Test func thePlanFragmentNeedsAKeyAndCarriesTheReportWithItsCharts() async throws {
        let service = await TestService()
        try await service.test { client in
            let body = #"{"workload": \#(smallWorkload)}"#
            try await client.send(.post, "/ui/plan", key: nil, json: body) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.send(.post, "/ui/plan", key: service.viewer, json: body) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let fragment = response.text
                #expect(fragment.hasPrefix("<style>"))
                #expect(fragment.contains("<div class=\"hr-report\">"))
                #expect(fragment.contains("<svg"))
                #expect(fragment.contains("h100-sxm"))
                #expect(fragment.contains("Recommendation"))
                for tag in ["<html", "<body", "<main", "<head>", "<script"] {
                    #expect(!fragment.contains(tag), "\(tag)")
                }
                let css = try #require(Self.between(fragment, "<style>", "</style>"))
                for line in css.split(separator: "\n") where line.contains("{") && !line.hasPrefix("@") {
                    #expect(line.hasPrefix(".hr-report"), "unscoped rule: \(line)")
                }
            }
            // The same validation as POST /v1/plan.
            try await client.send(.post, "/ui/plan", key: service.viewer, json: #"{"workload": {"model": "x"}}"#) {
                response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.send(
                .post, "/ui/plan", key: service.viewer, json: #"{"workload": \#(smallWorkload), "with_cost": true}"#
            ) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("<section class=\"cost\">"))
            }
        }
    }

    @Test func theReportStyleSheetIsScopedToTheReport() {
        let css = """
            :root { --ink: #000; }
            * { box-sizing: border-box; }
            /* a comment { } */
            body { margin: 0; }
            main, h1 { padding: 1px; }
            .card h2, table.kv th { color: red; }
            @media (max-width: 860px) { .charts { display: block; } main { padding: 18px; } }
            @media print {
              @page { margin: 14mm; }
              tr { break-inside: avoid; }
            }
            """
        let scoped = ReportFragment.scoped(css)
        #expect(scoped.contains(".hr-report { --ink: #000; }"))
        #expect(scoped.contains(".hr-report * { box-sizing: border-box; }"))
        #expect(scoped.contains(".hr-report { margin: 0; }"))
        #expect(scoped.contains(".hr-report, .hr-report h1 { padding: 1px; }"))
        #expect(scoped.contains(".hr-report .card h2, .hr-report table.kv th { color: red; }"))
        #expect(scoped.contains("@media (max-width: 860px) {\n.hr-report .charts { display: block; }"))
        #expect(scoped.contains(".hr-report { padding: 18px; }"))
        #expect(scoped.contains("@page { margin: 14mm; }"))
        #expect(scoped.contains(".hr-report tr { break-inside: avoid; }"))
        #expect(!scoped.contains("comment"))
    }

    @Test func thePageRoutesAreInTheOpenAPIDocument() throws {
        let document = OpenAPIDocument.build(serviceRoutes())
        #expect(document["paths"]?["/"]?["get"]?["security"] == .array([]))
        #expect(document["paths"]?["/ui/plan"]?["post"]?["x-headroom-role"] == .string("viewer"))
    }

    static func between(_ text: String, _ open: String, _ close: String) -> String? {
        guard let start = text.range(of: open), let end = text.range(of: close, range: start.upperBound..<text.endIndex)
        else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }
}
