/// An error from the store: what went wrong (``code``) and a message naming the entity and the field.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure. Opaque so that kinds can be added without breaking callers' `switch`es.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) { self.name = name }

        /// The entity asked for does not exist (a plan version, a user).
        public static let notFound = Code("not found")
        /// The caller's input was refused (not JSON, an empty name, an unknown role).
        public static let invalidInput = Code("invalid input")
        /// The write would collide with what is stored (a user name already taken).
        public static let conflict = Code("conflict")
        /// A stored value could not be read back as the schema says (a missing column, a wrong type).
        public static let corrupt = Code("corrupt")
        /// The database refused or failed (connection, constraint, disk).
        public static let database = Code("database")
        /// The store could not be opened as configured (an unsupported URL).
        public static let configuration = Code("configuration")

        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
