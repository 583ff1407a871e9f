import Foundation
import Testing

/// The plan versions a stream of writers saw acknowledged.
actor Acknowledged {
    private(set) var versions: [(name: String, version: Int)] = []

    func add(_ name: String, _ version: Int) { versions.append((name, version)) }

    var count: Int { versions.count }
}

/// `kill -9` of `headroom serve` in the middle of a stream of plan writes loses no acknowledged version and leaves
/// the audit chain intact, on SQLite and (when configured) PostgreSQL.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct CrashSafetyTests {
    @Test func postgresIsConfiguredWhenRequired() {
        if ServeDatabase.isPostgresRequired {
            #expect(
                ServeDatabase.postgresURL != nil,
                "HEADROOM_REQUIRE_POSTGRES=1 but HEADROOM_TEST_POSTGRES_URL is not set (run scripts/postgres start)")
        }
    }

    @Test(arguments: ServeDatabase.available)
    func acknowledgedPlanVersionsSurviveKill9(database: ServeDatabase) async throws {
        try await database.with { url in
            let key = try createAdminKey(name: "ada", database: url)
            let server = try await ServeProcess.start(database: url)
            let acknowledged = Acknowledged()
            // Four writers: two on one plan (they contend for its next version), two on plans of their own.
            let names = ["shared", "shared", "solo-1", "solo-2"]
            let writers = names.map { name in
                Task {
                    while !Task.isCancelled {
                        let reply: HTTPReply
                        do {
                            reply = try await server.request(
                                "POST", "/v1/plans", key: key,
                                json: #"{"name": "\#(name)", "workload": \#(crashWorkload)}"#)
                        } catch {
                            return  // the server is gone: what was in flight was never acknowledged
                        }
                        guard reply.status == 201 || reply.status == 200 else {
                            Issue.record("POST /v1/plans answered \(reply.status): \(reply.body)")
                            return
                        }
                        guard let version = try? reply.object()["version"] as? Int else {
                            Issue.record("no version in \(reply.body)")
                            return
                        }
                        await acknowledged.add(name, version)
                    }
                }
            }
            // Two more writers store workloads under fresh names, so every committed workload row is listed.
            let workloadWriters = (0..<2).map { writer in
                Task {
                    var index = 0
                    while !Task.isCancelled {
                        index += 1
                        let reply: HTTPReply
                        do {
                            reply = try await server.request(
                                "POST", "/v1/workloads", key: key,
                                json: #"{"name": "w-\#(writer)-\#(index)", "workload": \#(crashWorkload)}"#)
                        } catch {
                            return  // the server is gone
                        }
                        guard reply.status == 201 else {
                            Issue.record("POST /v1/workloads answered \(reply.status): \(reply.body)")
                            return
                        }
                    }
                }
            }
            let deadline = Date().addingTimeInterval(120)
            while await acknowledged.count < 8, Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            // Land the kill at an arbitrary point of the writes in flight.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0..<300)))
            server.kill9()
            for writer in writers { await writer.value }
            for writer in workloadWriters { await writer.value }
            let saved = await acknowledged.versions
            #expect(saved.count >= 8, "only \(saved.count) writes were acknowledged before the kill")

            let restarted = try await ServeProcess.start(database: url, port: server.port)
            for (name, version) in saved {
                let reply = try await restarted.request("GET", "/v1/plans/\(name)/versions/\(version)", key: key)
                #expect(reply.status == 200, "acknowledged \(name)@\(version) is gone: \(reply.body)")
                #expect(try reply.object()["version"] as? Int == version)
            }
            for name in Set(names) {
                let reply = try await restarted.request("GET", "/v1/plans/\(name)/versions", key: key)
                let versions = try reply.objects().compactMap { $0["version"] as? Int }
                let highest = saved.filter { $0.name == name }.map(\.version).max() ?? 0
                #expect(versions == Array(1...max(versions.count, 1)), "\(name): versions \(versions) have gaps")
                #expect(versions.count >= highest)
            }
            let verify = try await restarted.request("GET", "/v1/audit/verify", key: key).object()
            #expect(verify["valid"] as? Bool == true, "\(verify)")
            let events = try await restarted.request("GET", "/v1/audit?limit=10000", key: key).objects()
            let targets = Set(
                events.compactMap { $0["outcome"] as? String == "success" ? $0["target"] as? String : nil })
            for (name, version) in saved {
                #expect(targets.contains("plan:\(name)@\(version)"), "no audit event for \(name)@\(version)")
            }
            // Every committed object has its event, acknowledged or not: a save and its event are one transaction.
            var committed = 0
            for name in Set(names) {
                let reply = try await restarted.request("GET", "/v1/plans/\(name)/versions", key: key)
                for version in try reply.objects().compactMap({ $0["version"] as? Int }) {
                    committed += 1
                    #expect(targets.contains("plan:\(name)@\(version)"), "committed \(name)@\(version) has no event")
                }
            }
            let workloads = try await restarted.request("GET", "/v1/workloads", key: key).objects()
            for name in workloads.compactMap({ $0["name"] as? String }) {
                committed += 1
                #expect(targets.contains("workload:\(name)"), "committed workload \(name) has no event")
            }
            // The restarted server goes on where the chain left off.
            let next = try await restarted.request(
                "POST", "/v1/plans", key: key, json: #"{"name": "shared", "workload": \#(crashWorkload)}"#)
            #expect(next.status == 201, "\(next.body)")
            restarted.stop()

            let cli = try runHeadroom(["audit", "verify", "--database-url", url])
            #expect(cli.status == 0, "\(cli.stdout)\(cli.stderr)")
            print(
                "kill -9 (\(database)): \(saved.count) acknowledged plan writes before SIGKILL, all \(saved.count) "
                    + "read back after the restart; \(committed) committed plan versions and workloads, each with its "
                    + "success event; audit chain valid")
            #expect(cli.stdout.contains("audit chain intact"))
        }
    }
}
