import Foundation
public import HTTPTypes
public import Hummingbird
import Logging

/// Gives each request an id: the caller's `x-request-id` when it is short and plain, else a new UUID; puts it in
/// the logger's metadata and echoes it in the response (errors included).
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let given = request.headers[.requestID] ?? ""
        let valid =
            !given.isEmpty && given.count <= 128
            && given.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }
        context.requestID = valid ? given : UUID().uuidString.lowercased()
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = context.requestID
            return response
        } catch let error as any HTTPResponseError {
            var response = try error.response(from: request, context: context)
            response.headers[.requestID] = context.requestID
            return response
        }
    }
}

extension HTTPField.Name {
    /// `x-request-id`.
    public static let requestID = Self("x-request-id")!
}
