import Foundation
import HTTPTypes
public import HeadroomCore
public import Logging

/// How `headroom serve` runs: where it listens, whom it trusts, how much it accepts.
public struct ServiceConfiguration: Sendable {
    /// Who may read `/metrics`.
    public enum MetricsAccess: String, Sendable, Hashable {
        /// Anyone who can reach the port (for a scraper on a private network or the loopback).
        case open
        /// A viewer or above, like every other route (the default).
        case authenticated
    }

    /// Per-principal token buckets.
    public struct RateLimit: Sendable, Hashable {
        public var requestsPerSecond: Double
        public var burst: Int

        public init(requestsPerSecond: Double, burst: Int) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
        }
    }

    public var host: String
    public var port: Int
    /// OIDC issuer to trust besides API keys; nil accepts API keys only.
    public var oidc: OIDCConfiguration?
    /// Requests per second and burst per principal; nil turns limiting off.
    public var rateLimit: RateLimit?
    /// Failed authentications (`401`) per client address: the sustained rate and burst before the address is answered
    /// `429`; nil turns the limit and the failure audit off.
    public var authFailureLimit: RateLimit? = RateLimit(requestsPerSecond: 1, burst: 30)
    /// How long identical failed authentications from one address are counted into one audit row.
    public var authFailureAuditWindow: Duration = .seconds(60)
    /// How long a connection may send nothing: while its request head or body is being read (a slow client holding a
    /// connection open), or while it is idle between requests. The connection is closed after it; nil: never.
    public var idleTimeout: Duration? = .seconds(30)
    /// How long a request's head and body may take to arrive in all, counted from the connection opening or the
    /// previous response ending: a client dripping its headers a byte at a time never trips ``idleTimeout`` but
    /// trips this. The connection is closed after it; nil: never.
    public var requestReadTimeout: Duration? = .seconds(30)
    /// Whether a computation stops when its client closes the connection (the planner and the simulator check
    /// cancellation in their loops).
    public var cancelOnDisconnect = true
    /// The largest request body accepted (413 above it).
    public var maxBodyBytes: Int
    public var metricsAccess: MetricsAccess
    /// The metrics the server records; share one registry per process.
    public var metrics: ServiceMetrics
    /// The catalog the compute routes read (the bundled one with `~/.config/headroom/` overrides by default).
    public var catalog: Catalog?
    /// A secret (`hr_…`) accepted as an admin API key named `bootstrap-admin` besides the store's keys: for
    /// provisioning a fresh store and for automation (`headroom serve --bootstrap-admin-key-file`). Never logged.
    public var bootstrapAdminKey: String?
    /// How long an API key the store verified is trusted without asking it again (zero: ask on every request). A key
    /// revoked through this server stops at once; one revoked by another process works here for at most this long.
    public var apiKeyCacheTTL: Duration = .seconds(2)
    public var logger: Logger
    /// Computations (estimate, simulate, plan, cost, train, compare) running at once: one per core by default.
    public var computeSlots: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Computations waiting for a slot; a request beyond them is answered 503 with `Retry-After`. Waiting costs a
    /// suspended task, not a thread: the default absorbs a load generator's 64 connections many times over.
    public var computeQueue: Int = 256
    /// The longest a computation may run before it is cancelled and answered 503.
    public var computeDeadline: Duration = .seconds(60)
    /// Routes served besides the API's own (the MCP endpoint `headroom serve` mounts): they pass through the same
    /// authentication, roles, rate limits and audit, and `/openapi.json` lists them.
    package var extraRoutes: [ServiceRoute] = []

    public init(
        host: String = "127.0.0.1", port: Int = 8080, oidc: OIDCConfiguration? = nil,
        rateLimit: RateLimit? = RateLimit(requestsPerSecond: 10, burst: 20), maxBodyBytes: Int = 1 << 20,
        metricsAccess: MetricsAccess = .authenticated, metrics: ServiceMetrics = ServiceMetrics(),
        catalog: Catalog? = nil, bootstrapAdminKey: String? = nil, logger: Logger = Logger(label: "headroom.serve")
    ) {
        self.host = host
        self.port = port
        self.oidc = oidc
        self.rateLimit = rateLimit
        self.maxBodyBytes = maxBodyBytes
        self.metricsAccess = metricsAccess
        self.metrics = metrics
        self.catalog = catalog
        self.bootstrapAdminKey = bootstrapAdminKey
        self.logger = logger
    }
}
