import Foundation
import Testing

@Suite(.serialized) struct CostCommandTests {
    let cli = CommandLineTests()
    var example: String { CommandLineTests.repositoryRoot.appendingPathComponent("examples/chat-llama70b.yaml").path }

    @Test func jsonAnswersHowToBuyIt() throws {
        let result = try cli.run(["cost", example, "--format", "json", "--requests", "1000", "--horizon", "week"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in [
            "total_cost", "all_on_demand_cost", "load_duration_rule_cost", "lines", "demand", "autoscaling", "facility",
            "api",
        ] {
            #expect(json.keys.contains(key), "missing \(key)")
        }
        let total = try #require(json["total_cost"] as? Double)
        let onDemand = try #require(json["all_on_demand_cost"] as? Double)
        #expect(total <= onDemand + 1e-6)
        #expect(json["uncovered_hours"] as? Int == 0)
        #expect(json["horizon_hours"] as? Int == 168)
    }

    @Test func htmlHasTheCharts() throws {
        let result = try cli.run(["cost", example, "--format", "html", "--requests", "1000", "--horizon", "week"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.components(separatedBy: "<svg").count >= 3)
        #expect(result.stdout.contains("Demand against capacity bought"))
    }

    @Test func planReportsCarryACostSection() throws {
        let result = try cli.run(["plan", example, "--with-cost", "--format", "json", "--requests", "800"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["plan"] != nil && json["cost"] != nil)
        let html = try cli.run(["plan", example, "--with-cost", "--format", "html", "--requests", "800"])
        #expect(html.stdout.contains("class=\"cost\"") && html.stdout.contains("Demand against capacity bought"))
    }

    @Test(arguments: [["--horizon", "fortnight"], ["--spot-max-share", "2"], ["--tco-years", "0"]])
    func badFlagsAreRefused(flags: [String]) throws {
        let result = try cli.run(["cost", example, "--requests", "500"] + flags)
        #expect(result.status != 0)
        #expect(!result.stderr.isEmpty)
    }

    /// Issue 15 item 4: the decision across managed API, dedicated cloud and on-prem, in every format.
    @Test func everyFormatHeadlinesTheDecision() throws {
        let arguments = ["cost", example, "--requests", "1000", "--horizon", "week"]
        let json = try cli.run(arguments + ["--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let decision = try #require(root["decision"] as? [String: Any])
        let options = try #require(decision["options"] as? [[String: Any]])
        #expect(options.map { $0["option"] as? String } == ["managed_api", "dedicated_cloud", "on_prem"])
        // Cloud is the recommended mix's average month; the API the cheapest comparable one, with its source.
        let total = try #require(root["total_cost"] as? Double)
        let cloud = try #require(options[1]["cost_per_month"] as? Double)
        #expect(abs(cloud - total / 168 * 730) < 1e-6 * cloud)
        #expect((options[0]["basis"] as? String)?.contains("together") == true)
        #expect((options[0]["source"] as? String)?.isEmpty == false)
        // No B200 purchase price in the bundled book: on-prem is not invented.
        #expect(options[2]["cost_per_month"] == nil)
        #expect((options[2]["not_computed"] as? String)?.contains("b200") == true)
        #expect(decision["winner"] as? String == "dedicated_cloud")
        let pairs = try #require(decision["break_evens"] as? [[String: Any]])
        let apiCloud = try #require(pairs.first { ($0["pair"] as? [String]) == ["managed_api", "dedicated_cloud"] })
        let below = try #require(apiCloud["cheaper_below_requests_per_month"] as? Double)
        let volume = try #require(decision["requests_per_month"] as? Double)
        #expect(below > 0 && below < volume)
        for format in ["table", "markdown", "html"] {
            let report = try cli.run(arguments + ["--format", format])
            #expect(report.status == 0, "\(report.stderr)")
            #expect(report.stdout.contains("decision: dedicated cloud wins at"), "\(format)")
            #expect(report.stdout.contains("Managed API, dedicated cloud or on-prem"), "\(format)")
            #expect(report.stdout.contains("break-even, managed API vs dedicated cloud: managed API is cheaper"))
            for bad in ["nan", "inf ", " 0 MW"] { #expect(!report.stdout.contains(bad), "\(format): \(bad)") }
        }
        let plan = try cli.run(["plan", example, "--with-cost", "--requests", "800"])
        #expect(plan.stdout.contains("decision: dedicated cloud wins at"))
    }
}
