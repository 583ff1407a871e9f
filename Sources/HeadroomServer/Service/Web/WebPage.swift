import Foundation

/// The page `GET /` serves: one self-contained document (inline style and script, nothing fetched from elsewhere)
/// that plans a workload through `POST /ui/plan`, saves versions through `POST /v1/plans`, lists them, and shows
/// the diff between two versions.
///
/// The API key lives in the tab's `sessionStorage`. For tests and bookmarks the page also takes its inputs from
/// the URL's fragment, which browsers never send to the server: `/#key=hr_…&model=llama-3.1-8b&rate=4&autorun=1`
/// (see ``script`` for every parameter). It removes the fragment from the address bar with
/// `history.replaceState` once read, so the key does not stay in the history.
enum WebPage {
    /// The page: `page.html` with `page.css` and `page.js` inlined where it holds `<style></style>` and
    /// `<script></script>`.
    ///
    /// The three files sit beside this one and are compiled into the binary (SwiftPM's `embedInCode` resources), so
    /// `headroom serve` stays one file, and editors, linters and `node --check` see plain HTML, CSS and JavaScript.
    static let html: String =
        text(PackageResources.page_html)
        .replacingOccurrences(of: "<style></style>", with: "<style>\(style)</style>")
        .replacingOccurrences(of: "<script></script>", with: "<script>\(script)</script>")

    /// The style sheet, as inlined (after a line break).
    static let style = "\n" + text(PackageResources.page_css)

    /// The page's script. URL-fragment parameters (all optional): `key`, `model`, `rate` (peak req/s) or `rpd`
    /// (requests/day), `preset`, `input`, `output`, `ttft`, `tpot`, `e2e`, `percentile`, `accelerators`, `stacks`,
    /// `providers`, `regions`, `budget`, `min_replicas`, `requests`, `top`, `price_book`, `cost=1`; then
    /// `autorun=1` plans, `save=NAME` saves the form's plan as a version of NAME, and `diff=NAME&from=N&to=M`
    /// shows a diff. `document.body.dataset.autorun` becomes `done` when they have all run.
    ///
    /// As inlined (after a line break): the content security policy allows exactly this text by its SHA-256.
    static let script = "\n" + text(PackageResources.page_js)

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
