/// The outcome of walking the audit chain.
public struct AuditVerification: Sendable, Hashable, Codable {
    /// Whether every record checked out.
    public var isValid: Bool
    /// How many records were walked.
    public var count: Int
    /// The seq of the first record that failed, when one did.
    public var firstBadSeq: Int64?
    /// Why it failed, when it did.
    public var reason: String?
    /// The last record's hash (the chain's head), when there is a record: keep it elsewhere to detect truncation.
    public var headHash: String?

    public init(isValid: Bool, count: Int, firstBadSeq: Int64? = nil, reason: String? = nil, headHash: String? = nil) {
        self.isValid = isValid
        self.count = count
        self.firstBadSeq = firstBadSeq
        self.reason = reason
        self.headHash = headHash
    }
}
