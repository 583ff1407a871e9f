import Foundation
import Testing

/// Two `headroom serve` processes on one PostgreSQL database act as one service: keys made through one work on the
/// other, plan versions interleave without gaps or duplicates, and the audit log is one valid chain.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct MultiInstanceTests {
    @Test(.enabled(if: ServeDatabase.postgresURL != nil, "needs HEADROOM_TEST_POSTGRES_URL"))
    func twoInstancesShareOnePostgres() async throws {
        try await ServeDatabase.postgres.with { url in
            let admin = try createAdminKey(name: "ada", database: url)
            let a = try await ServeProcess.start(database: url)
            let b = try await ServeProcess.start(database: url)
            defer {
                a.stop()
                b.stop()
            }
            var audited = 1  // create-admin-key

            let created = try await a.request(
                "POST", "/v1/keys", key: admin, json: #"{"name": "pat", "role": "planner"}"#)
            audited += 1
            #expect(created.status == 201, "\(created.body)")
            let pat = try #require(try created.object()["secret"] as? String)
            let patID = try #require(try created.object()["id"] as? String)
            #expect(try await b.request("GET", "/v1/plans", key: pat).status == 200)
            let conflict = try await b.request(
                "POST", "/v1/keys", key: admin, json: #"{"name": "pat", "role": "viewer"}"#)
            audited += 1
            #expect(conflict.status == 409, "\(conflict.body)")

            // Both serve the web page, and its plan fragment behind their own auth.
            let planBody = #"{"workload": \#(crashWorkload)}"#
            for server in [a, b] {
                let page = try await server.request("GET", "/")
                #expect(page.status == 200)
                #expect(page.body.hasPrefix("<!DOCTYPE html>"))
                #expect(try await server.request("POST", "/ui/plan", json: planBody).status == 401)
                let fragment = try await server.request("POST", "/ui/plan", key: pat, json: planBody)
                #expect(fragment.status == 200, "\(fragment.body)")
                #expect(fragment.body.contains("<div class=\"hr-report\">"))
            }

            // Alternately through both instances.
            for index in 0..<6 {
                let server = index.isMultiple(of: 2) ? a : b
                let reply = try await server.request(
                    "POST", "/v1/plans", key: pat, json: #"{"name": "shared", "workload": \#(crashWorkload)}"#)
                audited += 1
                #expect(reply.status == 201, "\(reply.body)")
                #expect(try reply.object()["version"] as? Int == index + 1)
            }
            // And at once through both.
            let versions = try await withThrowingTaskGroup(of: Int?.self) { group in
                for index in 0..<8 {
                    let server = index.isMultiple(of: 2) ? a : b
                    group.addTask {
                        let reply = try await server.request(
                            "POST", "/v1/plans", key: pat, json: #"{"name": "shared", "workload": \#(crashWorkload)}"#)
                        return reply.status == 201 ? try reply.object()["version"] as? Int : nil
                    }
                }
                var versions: [Int?] = []
                for try await version in group { versions.append(version) }
                return versions
            }
            audited += 8
            #expect(versions.compactMap { $0 }.sorted() == Array(7...14))

            // A key revoked through one instance is refused by the other.
            #expect(try await b.request("DELETE", "/v1/keys/\(patID)", key: admin).status == 204)
            audited += 1
            // The instance that revoked it refuses it at once; the other within its key cache's 2 s.
            #expect(try await b.request("GET", "/v1/plans", key: pat).status == 401)
            let revokedAt = ContinuousClock.now
            var refusedByA = false
            while ContinuousClock.now - revokedAt < .seconds(3) {
                if try await a.request("GET", "/v1/plans", key: pat).status == 401 {
                    refusedByA = true
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(refusedByA, "the other instance still accepts a key revoked 3 s ago")

            // The revoked key's refusals are audited too, by each instance (aggregated per client address).
            let events = try await a.request("GET", "/v1/audit?limit=1000", key: admin).objects()
            let refusals = events.filter { ($0["outcome"] as? String)?.hasPrefix("failure: 401") == true }
            #expect(refusals.count >= 2, "\(refusals)")
            audited += refusals.count
            for server in [a, b] {
                let verify = try await server.request("GET", "/v1/audit/verify", key: admin).object()
                #expect(verify["valid"] as? Bool == true, "\(verify)")
                #expect(verify["events"] as? Int == audited)
            }
            #expect(events.compactMap { $0["sequence"] as? Int } == Array(1...audited))
            let diff = try await a.request("GET", "/v1/plans/shared/diff?from=1&to=14", key: admin)
            #expect(diff.status == 200, "\(diff.body)")
            let listed = try await b.request("GET", "/v1/plans/shared/versions", key: admin).objects()
            #expect(listed.compactMap { $0["version"] as? Int } == Array(1...14))

            let cli = try runHeadroom(["audit", "verify", "--database-url", url])
            #expect(cli.status == 0, "\(cli.stdout)\(cli.stderr)")
            #expect(cli.stdout.contains("audit chain intact: \(audited) events"))
        }
    }
}
