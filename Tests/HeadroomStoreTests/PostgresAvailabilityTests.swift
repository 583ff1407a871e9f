import Testing

@Suite("PostgreSQL availability")
struct PostgresAvailabilityTests {
    /// With HEADROOM_REQUIRE_POSTGRES=1 a missing PostgreSQL is a failure, not a silently shorter run.
    @Test func postgresIsConfiguredWhenRequired() {
        if TestBackend.isPostgresRequired {
            #expect(
                TestBackend.postgresURL != nil,
                "HEADROOM_REQUIRE_POSTGRES=1 but HEADROOM_TEST_POSTGRES_URL is not set (run scripts/postgres start)")
        }
    }
}
