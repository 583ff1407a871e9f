/// Why a chat request failed: unreachable, an HTTP error, or an answer that is not a chat completion.
package struct ChatClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    package struct Code: Hashable, Sendable {
        let name: String

        /// The endpoint could not be reached, or the connection failed.
        package static let transport = Code(name: "transport")
        /// No answer within the timeout.
        package static let timeout = Code(name: "timeout")
        /// The server answered with an HTTP error status.
        package static let http = Code(name: "http")
        /// The answer is not JSON, or not a chat completion.
        package static let malformed = Code(name: "malformed")
        /// The answer has no choices.
        package static let noChoices = Code(name: "no-choices")
    }

    package var code: Code
    package var message: String
    /// The HTTP status, for `.http`.
    package var status: Int?

    package init(_ code: Code, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    package var description: String { message }
}
