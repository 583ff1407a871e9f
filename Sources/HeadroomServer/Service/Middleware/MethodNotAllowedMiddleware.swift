import HTTPTypes
public import Hummingbird

/// Answers 405 with `Allow` when the path is one the API serves but the method is not (the router alone answers
/// 404), for any method, `QUERY` and unknown ones included.
public struct MethodNotAllowedMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    /// Each route's path segments (`nil` for a parameter) and its method.
    let routes: [(segments: [Substring?], method: HTTPRequest.Method)]

    package init(routes: [ServiceRoute]) {
        self.routes = routes.map { route in
            (Self.segments(of: route.path).map { $0.hasPrefix("{") ? nil : $0 }, route.method)
        }
    }

    public func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = allowedMethods(path: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            let allow = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            throw ServiceError(
                .methodNotAllowed, "\(request.method.rawValue) is not allowed here; allowed: \(allow)",
                headers: [.allow: allow])
        }
    }

    /// The methods the routes matching `path` take.
    func allowedMethods(path: String) -> Set<HTTPRequest.Method> {
        let parts = Self.segments(of: path)
        var methods: Set<HTTPRequest.Method> = []
        for route in routes where route.segments.count == parts.count {
            let matches = zip(route.segments, parts).allSatisfy { pattern, part in pattern.map { $0 == part } ?? true }
            if matches { methods.insert(route.method) }
        }
        return methods
    }

    private static func segments(of path: String) -> [Substring] {
        path.split(separator: "/")
    }
}
