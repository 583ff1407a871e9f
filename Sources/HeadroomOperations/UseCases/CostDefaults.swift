/// How a plan is bought when the request says nothing: a year of hours, three years for build versus rent, at most
/// half of each hour's replicas on spot, and a cent per SLO-violating request. `headroom cost` and `headroom plan
/// --with-cost`, `POST /v1/cost` and `POST /v1/plan` (`with_cost`) and the MCP tools all read them here.
package struct CostDefaults: Sendable, Hashable {
    /// The horizon's name: a year.
    package static let horizon = "year"

    /// Hours costed: a year.
    package var hours: Int = 8760
    /// Years for build versus rent.
    package var tcoYears: Double = 3
    /// The highest share of each hour's replicas allowed on spot.
    package var spotMaxShare: Double = 0.5
    /// What one SLO-violating request costs, to balance autoscaling policies.
    package var violationPenalty: Double = 0.01

    package init() {}
}
