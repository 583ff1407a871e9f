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
}
