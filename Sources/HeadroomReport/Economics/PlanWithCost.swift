/// `plan --with-cost --format json`: the plan and the cost of its recommendation.
public struct PlanWithCost: Encodable, Sendable {
    public var plan: PlanDocument
    public var cost: CostDocument

    public init(plan: PlanDocument, cost: CostDocument) {
        self.plan = plan
        self.cost = cost
    }
}
