extension PlanDocument {
    public struct Integration: Encodable, Sendable {
        public var requestsPerDay: Double
        public var auditGbPerDay: Double
        public var auditTbRetained: Double
        public var auditWritesPerSecondPeak: Double
        public var bytesPerStreamedToken: Double
        public var peakEgressGbps: Double
        public var egressGbPerMonth: Double
        public var piiScanCores: Double
        public var concurrentStreamsPeak: Double
        public var gatewayReplicas: Int
        public var tenants: [Tenant]
        public var checklist: [String]
        public var assumptions: [String]

        /// Memberwise, for hand-built documents such as test fixtures.
        package init(
            requestsPerDay: Double, auditGbPerDay: Double, auditTbRetained: Double, auditWritesPerSecondPeak: Double,
            bytesPerStreamedToken: Double, peakEgressGbps: Double, egressGbPerMonth: Double, piiScanCores: Double,
            concurrentStreamsPeak: Double, gatewayReplicas: Int, tenants: [Tenant], checklist: [String],
            assumptions: [String]
        ) {
            self.requestsPerDay = requestsPerDay
            self.auditGbPerDay = auditGbPerDay
            self.auditTbRetained = auditTbRetained
            self.auditWritesPerSecondPeak = auditWritesPerSecondPeak
            self.bytesPerStreamedToken = bytesPerStreamedToken
            self.peakEgressGbps = peakEgressGbps
            self.egressGbPerMonth = egressGbPerMonth
            self.piiScanCores = piiScanCores
            self.concurrentStreamsPeak = concurrentStreamsPeak
            self.gatewayReplicas = gatewayReplicas
            self.tenants = tenants
            self.checklist = checklist
            self.assumptions = assumptions
        }

        public struct Tenant: Encodable, Sendable {
            public var name: String
            public var tokensPerMinute: Double
            public var shareOfFleet: Double
            public var accelerators: Double

            /// Memberwise, for hand-built documents such as test fixtures.
            package init(name: String, tokensPerMinute: Double, shareOfFleet: Double, accelerators: Double) {
                self.name = name
                self.tokensPerMinute = tokensPerMinute
                self.shareOfFleet = shareOfFleet
                self.accelerators = accelerators
            }

            enum CodingKeys: String, CodingKey {
                case name, accelerators
                case tokensPerMinute = "tokens_per_minute"
                case shareOfFleet = "share_of_fleet"
            }
        }

        enum CodingKeys: String, CodingKey {
            case tenants, checklist, assumptions
            case requestsPerDay = "requests_per_day"
            case auditGbPerDay = "audit_gb_per_day"
            case auditTbRetained = "audit_tb_retained"
            case auditWritesPerSecondPeak = "audit_writes_per_second_peak"
            case bytesPerStreamedToken = "bytes_per_streamed_token"
            case peakEgressGbps = "peak_egress_gbps"
            case egressGbPerMonth = "egress_gb_per_month"
            case piiScanCores = "pii_scan_cores"
            case concurrentStreamsPeak = "concurrent_streams_peak"
            case gatewayReplicas = "gateway_replicas"
        }
    }
}
