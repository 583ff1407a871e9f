import HTTPTypes
import Hummingbird
import NIOCore

/// An error answered in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}`.
struct OpenAIError: HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    var type: String
    /// The request field at fault, when there is one.
    var param: String?
    var code: String?

    /// A 400 naming the field at fault.
    static func badRequest(_ message: String, param: String?, code: String? = nil) -> OpenAIError {
        OpenAIError(status: .badRequest, message: message, type: "invalid_request_error", param: param, code: code)
    }

    /// Translates a decoding failure into a 400 naming the field (`messages[0].content`) it happened at.
    static func decoding(_ error: any Error) -> OpenAIError {
        guard let error = error as? DecodingError else {
            return .badRequest("the body is not valid JSON: \(error)", param: nil)
        }
        switch error {
        case .keyNotFound(let key, let context):
            let path = Self.path(context.codingPath + [key])
            return .badRequest("'\(path)' is a required property", param: path)
        case .typeMismatch(let type, let context):
            let path = Self.path(context.codingPath)
            return .badRequest("'\(path)' has the wrong type (expected \(type))", param: path)
        case .valueNotFound(let type, let context):
            let path = Self.path(context.codingPath)
            return .badRequest("'\(path)' must not be null (expected \(type))", param: path)
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .badRequest("the body is not valid JSON", param: nil, code: "invalid_json")
            }
            let path = Self.path(context.codingPath)
            return .badRequest("'\(path)' is invalid: \(context.debugDescription)", param: path)
        @unknown default:
            return .badRequest("the body could not be decoded", param: nil)
        }
    }

    /// `messages[0].content` from a coding path.
    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    /// The JSON body: `{"error": {"message", "type", "param", "code"}}`.
    var json: String {
        let param = param.map(SimJSON.quoted) ?? "null"
        let code = code.map(SimJSON.quoted) ?? "null"
        return
            #"{"error":{"message":\#(SimJSON.quoted(message)),"type":\#(SimJSON.quoted(type)),"param":\#(param),"code":\#(code)}}"#
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        SimJSON.response(json, status: status)
    }
}
