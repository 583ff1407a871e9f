/// Inputs to enterprise-integration sizing. Every default is an assumption the workload file can override; the
/// sizing lists which ones were used.
public struct IntegrationInputs: Sendable, Hashable {
    /// Bytes of metadata per audit event (caller, tenant, model, timings, hashes). Assumption.
    public var auditMetadataBytes: Double = 1024
    /// Fraction of prompt and response text kept in the audit log (0 = metadata only).
    public var storedTextFraction: Double = 1
    /// Bytes of UTF-8 text per token: OpenAI's rule of thumb, "one token generally corresponds to ~4 characters of
    /// text for common English text" (help.openai.com, "What are tokens and how to count them?").
    public var bytesPerToken: Double = 4
    /// Copies the audit store keeps. Assumption.
    public var replication: Double = 3
    /// Compression ratio of stored audit text. Assumption.
    public var compression: Double = 3
    public var retentionDays: Double = 365
    /// Audit events per request (request received, response completed).
    public var eventsPerRequest: Double = 2
    /// Characters a PII scanner inspects per core-second. Assumption: no published figure for a reference scanner.
    public var piiCharactersPerCoreSecond: Double = 1_000_000
    /// Open streams one gateway replica holds. Assumption.
    public var connectionsPerGateway: Double = 10_000
    /// Tenants and their token-per-minute quotas.
    public var tenants: [(name: String, tokensPerMinute: Double)] = []

    public init() {}

    public static func == (a: IntegrationInputs, b: IntegrationInputs) -> Bool {
        a.auditMetadataBytes == b.auditMetadataBytes && a.storedTextFraction == b.storedTextFraction
            && a.bytesPerToken == b.bytesPerToken && a.replication == b.replication && a.compression == b.compression
            && a.retentionDays == b.retentionDays && a.eventsPerRequest == b.eventsPerRequest
            && a.piiCharactersPerCoreSecond == b.piiCharactersPerCoreSecond
            && a.connectionsPerGateway == b.connectionsPerGateway && a.tenants.map(\.name) == b.tenants.map(\.name)
            && a.tenants.map(\.tokensPerMinute) == b.tenants.map(\.tokensPerMinute)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(auditMetadataBytes)
        hasher.combine(retentionDays)
        hasher.combine(tenants.count)
    }
}

/// Audit storage, egress, PII scanning, quotas and gateway capacity sized from the traffic and the chosen plan.
public struct IntegrationSizing: Sendable {
    public struct TenantShare: Sendable, Hashable {
        public var name: String
        public var tokensPerMinute: Double
        /// Fraction of the fleet's output capacity at the SLO.
        public var shareOfFleet: Double
        /// Accelerators that share corresponds to.
        public var accelerators: Double
    }

    public var requestsPerDay: Double
    public var auditBytesPerDay: Double
    public var auditStorageBytes: Double
    public var auditWritesPerSecondPeak: Double
    /// Bytes of one streamed token on the wire (an OpenAI-format `chat.completion.chunk` SSE event).
    public var bytesPerStreamedToken: Double
    public var peakEgressGbps: Double
    public var egressGBPerMonth: Double
    public var piiScanCores: Double
    public var concurrentStreamsPeak: Double
    public var gatewayReplicas: Int
    public var tenants: [TenantShare]
    public var checklist: [String]
    public var assumptions: [String]

    /// Sizes integration for `plan`'s chosen deployment.
    public static func size(_ plan: Plan, inputs: IntegrationInputs = IntegrationInputs()) -> IntegrationSizing? {
        guard let chosen = plan.chosen else { return nil }
        let t = plan.request.traffic
        let input = t.input.mean
        let output = t.output.mean
        let perDay = t.averageRate * 86_400
        let textBytes = (input + output) * inputs.bytesPerToken * inputs.storedTextFraction
        let perRequest = inputs.eventsPerRequest * inputs.auditMetadataBytes + textBytes
        let perDayBytes = perDay * perRequest * inputs.replication / max(inputs.compression, 1)
        let chunk = Double(sseChunk(model: plan.request.model.id).utf8.count)
        let peakTokens = t.peakRate * output
        let averageTokens = t.averageRate * output
        let piiCharacters = t.peakRate * (input + output) * inputs.bytesPerToken
        let streams = t.peakRate * chosen.e2e.p50
        let capacityTokensPerMinute =
            chosen.perReplicaCapacity * Double(chosen.replicas - chosen.spareReplicas) * output * 60
        let tenants = inputs.tenants.map { tenant in
            let share = tenant.tokensPerMinute / max(capacityTokensPerMinute, 1e-9)
            return TenantShare(
                name: tenant.name, tokensPerMinute: tenant.tokensPerMinute, shareOfFleet: share,
                accelerators: share
                    * Double(chosen.accelerators - chosen.spareReplicas * chosen.deployment.acceleratorsPerReplica)
            )
        }
        var checklist = [
            "Identity: OIDC/SSO for people, hashed and revocable API keys for services; per-key rate limits at the gateway",
            "Audit: append-only, hash-chained log of every request and admin action; retention \(Int(saturating: inputs.retentionDays)) days; export to the SIEM",
            "Network: private endpoints or VPC peering to the inference fleet; TLS on every hop; egress of \(humanNumber(peakTokens * chunk * 8 / 1e9)) Gbps at peak through the gateway",
            "Data protection: encryption at rest for logs and KV offload; PII detection before storage (\(humanNumber(piiCharacters / inputs.piiCharactersPerCoreSecond)) cores at peak)",
        ]
        if let places = plan.request.constraints.jurisdictions {
            checklist.append(
                "Residency: processing and logs confined to \(places.sorted().joined(separator: ", ")); the plan buys in \(chosen.price.map { "\($0.provider) \($0.region) (\($0.jurisdiction))" } ?? "owned hardware")"
            )
        }
        if chosen.deployment.acceleratorsPerReplica > (chosen.deployment.accelerator.nodeSize ?? 8) {
            checklist.append("Multi-node replicas: isolate the inter-node fabric (RDMA) from tenant networks")
        }
        let assumptions = [
            "audit metadata \(Int(saturating: inputs.auditMetadataBytes)) B/event × \(Int(saturating: inputs.eventsPerRequest)) events/request, \(humanNumber(inputs.storedTextFraction * 100))% of text stored, \(humanNumber(inputs.bytesPerToken)) B/token, ×\(humanNumber(inputs.replication)) replication, ÷\(humanNumber(inputs.compression)) compression",
            "one SSE chunk per token of \(Int(saturating: chunk)) B (OpenAI chat.completion.chunk format)",
            "PII scanning at \(humanNumber(inputs.piiCharactersPerCoreSecond / 1e6)) M characters per core-second (assumption)",
            "\(Int(saturating: inputs.connectionsPerGateway)) open streams per gateway replica (assumption)",
        ]
        return IntegrationSizing(
            requestsPerDay: perDay, auditBytesPerDay: perDayBytes,
            auditStorageBytes: perDayBytes * inputs.retentionDays,
            auditWritesPerSecondPeak: t.peakRate * inputs.eventsPerRequest, bytesPerStreamedToken: chunk,
            peakEgressGbps: peakTokens * chunk * 8 / 1e9, egressGBPerMonth: averageTokens * chunk * 86_400 * 30 / 1e9,
            piiScanCores: piiCharacters / inputs.piiCharactersPerCoreSecond, concurrentStreamsPeak: streams,
            gatewayReplicas: max(2, Int(saturating: (streams / inputs.connectionsPerGateway).rounded(.up)) + 1),
            tenants: tenants,
            checklist: checklist, assumptions: assumptions
        )
    }

    /// Push-back on the integration figures: tenant quotas that oversubscribe the fleet.
    public var advisories: [Advisory] {
        let total = tenants.reduce(0) { $0 + $1.shareOfFleet }
        guard total > 1 else { return [] }
        let worst = tenants.max { $0.shareOfFleet < $1.shareOfFleet }
        return [
            Advisory(
                "quota-oversubscribed", .warning,
                "Tenant quotas add up to \(humanNumber(total * 100))% of the fleet's output capacity",
                tenants.map {
                    "\($0.name) \(humanNumber($0.tokensPerMinute)) tokens/min = \(humanNumber($0.shareOfFleet * 100))%"
                }
                .joined(separator: "; ")
                    + ". Either the quotas are ceilings that will not all be used at once, or the fleet needs about "
                    + "\(humanNumber(total))× its capacity\(worst.map { " (\($0.name) alone needs \(humanNumber($0.accelerators)) accelerators)" } ?? "")."
            )
        ]
    }

    /// A representative streamed chunk: `data: {…chat.completion.chunk…}\n\n` carrying one token of ~4 characters.
    static func sseChunk(model: String) -> String {
        "data: {\"id\":\"chatcmpl-AbCdEfGhIjKlMnOpQrStUvWxYz012\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,"
            + "\"model\":\"\(model)\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"delta\":{\"content\":\" tok\"},"
            + "\"logprobs\":null,\"finish_reason\":null}]}\n\n"
    }
}
