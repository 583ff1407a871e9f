import Crypto
import Foundation
import HTTPTypes
import HeadroomCatalog
import HeadroomCore
import HeadroomOperations
import HeadroomReport
import Hummingbird
import NIOCore

/// The web page `headroom serve` serves at `/`, and the route that renders a plan for it.
///
/// The page holds no data and is open; everything it shows comes from the authenticated API, called from the
/// browser with the API key the user types (kept in the tab's `sessionStorage`).
enum WebRoutes {
    static func routes() -> [ServiceRoute] {
        [
            ServiceRoute(
                .get, "/", access: .open,
                summary:
                    "The web page (text/html): plan a workload, save versions, compare them. It holds no data; "
                    + "it calls this API with the key typed into it.",
                response: .object(["type": .string("string"), "contentMediaType": .string("text/html")])
            ) { _, _, _ in
                RouteOutput(page())
            },
            ServiceRoute(
                .post, "/ui/plan", access: .role(.viewer),
                summary:
                    "POST /v1/plan's plan as an HTML fragment (text/html: the report with its SVG charts, its "
                    + "style sheet scoped to div.hr-report), for the web page.",
                request: PlanBody.schema,
                response: .object(["type": .string("string"), "contentMediaType": .string("text/html")])
            ) { request, context, env in
                let body = try await env.body(PlanBody.self, from: request)
                let started = ContinuousClock.now
                let fragment = try await planFragment(body, env: env, caller: context.caller("POST /ui/plan"))
                let (seconds, attoseconds) = (ContinuousClock.now - started).components
                let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
                let timing = "plan;dur=\(String(format: "%.0f", milliseconds))"
                return RouteOutput(html(fragment, headers: [HTTPField.Name("Server-Timing")!: timing]))
            },
        ]
    }

    /// The plan of `body`, computed as `POST /v1/plan` computes it, rendered by ``ReportFragment``.
    static func planFragment(_ body: PlanBody, env: ServiceEnvironment, caller: Caller) async throws -> String {
        let outcome = try await Operations.plan(body, env: env, caller: caller)
        return ReportFragment.render(outcome.document, cost: outcome.cost)
    }

    /// An HTML response that no cache keeps.
    static func html(_ text: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        headers.append(contentsOf: extra)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The page, with a content security policy that runs its one script (by hash) and nothing else, and that
    /// lets it talk to this server only.
    static func page() -> Response {
        html(
            WebPage.html,
            headers: [
                HTTPField.Name("Content-Security-Policy")!: contentSecurityPolicy,
                HTTPField.Name("Referrer-Policy")!: "no-referrer",
                HTTPField.Name("X-Frame-Options")!: "DENY",
            ])
    }

    static let contentSecurityPolicy: String = {
        let digest = Data(SHA256.hash(data: Data(WebPage.script.utf8))).base64EncodedString()
        return [
            "default-src 'none'", "script-src 'sha256-\(digest)'", "style-src 'unsafe-inline'",
            "img-src 'self' data:", "connect-src 'self'", "base-uri 'none'", "form-action 'none'",
            "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }()
}
