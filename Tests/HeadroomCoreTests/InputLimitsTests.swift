import Foundation
import PropertyBased
import Testing

@testable import HeadroomCore

/// Issue 14: conversions never trap, every input is bounded, and the simulator and planner stop on cancellation.
@Suite(.timeLimit(.minutes(2)))
struct InputLimitsTests {
    /// 1e-320, a subnormal (a literal would not compile: it loses precision).
    static let subnormal = 1e-300 * 1e-20

    // MARK: Saturating conversions

    @Test(
        arguments: [
            (0.0, 0), (-0.0, 0), (.leastNonzeroMagnitude, 0), (41.9, 41), (-41.9, -41), (.nan, 0), (.infinity, Int.max),
            (-.infinity, Int.min), (1e308, Int.max), (-1e308, Int.min), (9_223_372_036_854_775_807.0, Int.max),
            (9_223_372_036_854_774_784.0, 9_223_372_036_854_774_784), (-9_223_372_036_854_775_808.0, Int.min),
        ] as [(Double, Int)])
    func saturatingIntConversion(value: Double, expected: Int) {
        #expect(Int(saturating: value) == expected)
    }

    @Test func saturatingUInt64Conversion() {
        #expect(UInt64(saturating: -1) == 0)
        #expect(UInt64(saturating: .nan) == 0)
        #expect(UInt64(saturating: 1e300) == .max)
        #expect(UInt64(saturating: 12.7) == 12)
    }

    @Test func saturatingArithmetic() {
        #expect(Int.max.saturatingAdding(1) == .max)
        #expect(Int.min.saturatingAdding(-1) == .min)
        #expect(3.saturatingAdding(4) == 7)
        #expect(Int.max.saturatingMultiplying(by: 2) == .max)
        #expect(Int.max.saturatingMultiplying(by: -2) == .min)
        #expect((-7).saturatingMultiplying(by: 6) == -42)
    }

    @Test func everyDoubleConvertsWithoutTrapping() async {
        // Every bit pattern: NaNs, infinities, subnormals, ±0 and the whole finite range.
        let doubles = Gen<UInt64>.value().map { Double(bitPattern: $0) }
        await propertyCheck(count: 300, input: doubles) { value in
            let converted = Int(saturating: value)
            if abs(value) < 9e18 { #expect(converted == Int(value)) }
            #expect(humanNumber(value).isEmpty == false)
        }
    }

    @Test(arguments: [1e300, -1e300, 1e15, 9.3e18, .infinity, .nan])
    func humanNumberPrintsHugeValues(value: Double) {
        let text = humanNumber(value)
        #expect(!text.isEmpty)
        #expect(!text.contains("9223372036854775807"))
    }

    @Test func humanNumberKeepsOrdinaryFigures() {
        #expect(humanNumber(1234.4) == "1234")
        #expect(humanNumber(12.34) == "12.3")
        #expect(humanNumber(0.012345) == "0.012")
    }

    // MARK: Limits name the field and the limit

    @Test func aRefusalNamesTheFieldAndTheLimit() {
        #expect {
            try InputLimits.check(1e12, in: InputLimits.requestRate, field: "traffic.peak_rps", unit: "req/s")
        } throws: { error in
            guard let error = error as? HeadroomError else { return false }
            return error.field == "traffic.peak_rps" && error.message.contains("1000000000")
                && error.message.contains("req/s") && error.code == .invalidInput
        }
        #expect(throws: HeadroomError.self) {
            try InputLimits.check(.nan, in: InputLimits.requestRate, field: "rate")
        }
        #expect(throws: Never.self) {
            try InputLimits.check(4, in: InputLimits.requestRate, field: "rate")
        }
        #expect {
            try InputLimits.check(1_000_000, atMost: InputLimits.replicas, field: "constraints.min_replicas")
        } throws: { ($0 as? HeadroomError)?.message.contains("100000") == true }
    }

    // MARK: Simulator: tiny rates are refused, long gaps stay cheap

    @Test(arguments: [InputLimitsTests.subnormal, .leastNonzeroMagnitude, 1e-9, 0, -1, .nan, .infinity])
    func anArrivalRateOutsideTheRangeIsRefused(rate: Double) {
        #expect {
            try WorkloadGenerator(
                arrival: .poisson(rate: rate), input: .fixed(100), output: .fixed(10), count: 10, seed: 1)
        } throws: { ($0 as? HeadroomError)?.field == "rate" }
    }

    /// `POST /v1/estimate {"rate": 1e-320}` hung the server: the gap between arrivals overflowed to infinity and the
    /// time series sampled up to it forever. The core now refuses the rate, whichever surface sends it.
    @Test func aSimulatedEstimateAtASubnormalRateIsRefused() throws {
        let estimator = try Fixtures.estimator(Fixtures.deployment())
        let started = ContinuousClock.now
        #expect {
            try estimator.simulatedEstimate(.rate(Self.subnormal), requests: 200, seed: 1)
        } throws: { ($0 as? HeadroomError)?.field == "rate" }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    /// Schemathesis's `POST /v1/estimate` that ran for minutes: thousands of one-GPU replicas holding two long requests
    /// each step once per output token (8 million steps). The core refuses it before simulating, naming `requests`.
    @Test func aSimulationOfTooManyEngineStepsIsRefusedAtOnce() throws {
        let estimator = try Fixtures.estimator(Fixtures.deployment(count: 1966), input: 8000, output: 4000)
        let started = ContinuousClock.now
        #expect {
            try estimator.simulatedEstimate(.concurrency(49_181), requests: 4000, seed: 1)
        } throws: { error in
            guard let error = error as? HeadroomError, error.field == "requests" else { return false }
            return error.message.contains("engine steps") && error.message.contains("`requests` 4000")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        // The analytic estimate of the same load still answers.
        #expect(throws: Never.self) { try estimator.estimate(.concurrency(49_181)) }
    }

    /// The budget's promise: 250,000 chat requests on 256 replicas, 100,000 on 2,000 (issue 17's fleet-scale case),
    /// and the default 4,000-request estimate of long outputs on a few replicas, are admitted.
    @Test(arguments: [(250_000, 256, 500.0, 300.0), (4000, 8, 8000, 4000), (100_000, 2000, 1000, 250)])
    func ordinarySimulationsAreWithinTheStepBudget(requests: Int, replicas: Int, input: Double, output: Double) throws {
        let fleet = try FleetSimulator(
            deployment: Fixtures.deployment(count: replicas, precision: .fp8), efficiency: Fixtures.efficiency)
        let steps = fleet.predictedSteps(requests: requests, input: input, output: output)
        #expect(steps <= InputLimits.simulationSteps, "\(steps) steps")
        #expect(throws: Never.self) { try InputLimits.checkSteps(steps, requests: requests, field: "requests") }
    }

    @Test func aDiurnalProfileWithTheSlowestRateGeneratesInBoundedTime() throws {
        // One request in ~12 days over a profile of one-second hours: the generator skips whole days at once.
        let profile = RateProfile(hourly: (0..<24).map { Double($0 % 3) }, hourSeconds: 1)
        var generator = try WorkloadGenerator(
            arrival: .poisson(rate: InputLimits.requestRate.lowerBound), profile: profile, input: .fixed(10),
            output: .fixed(10), count: 2000, seed: 3)
        let started = ContinuousClock.now
        var last = 0.0
        while let request = generator.next() {
            #expect(request.arrival >= last)
            last = request.arrival
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        // 2000 requests at 1e-6 req/s (a mean multiplier of 1 over the day) span about 2e9 seconds.
        #expect(last > 1e9 && last < 1e10)
    }

    @Test func skippingWholeDaysKeepsTheArrivalsOfAShortGap() throws {
        // Gaps shorter than 64 days walk hour by hour, as before: the same times as a flat walk would give.
        let profile = RateProfile(hourly: Array(repeating: 1, count: 24), hourSeconds: 3600)
        var flat = try WorkloadGenerator(
            arrival: .poisson(rate: 0.5), input: .fixed(10), output: .fixed(10), count: 200, seed: 9)
        var shaped = try WorkloadGenerator(
            arrival: .poisson(rate: 0.5), profile: profile, input: .fixed(10), output: .fixed(10), count: 200, seed: 9)
        while let a = flat.next(), let b = shaped.next() {
            #expect(abs(a.arrival - b.arrival) <= 1e-9 * max(a.arrival, 1))
        }
    }

    @Test func aStepFarPastTheStartIsRefused() {
        let profile = RateProfile(
            hourly: Array(repeating: 1, count: 24), hourSeconds: 1e-3, steps: [RateStep(at: 1e9, multiplier: 2)])
        #expect {
            try profile.validated()
        } throws: { ($0 as? HeadroomError)?.message.contains("profile hours") == true }
    }

    @Test func anInfiniteArrivalEndsTheSimulationInsteadOfHangingIt() throws {
        let fleet = try FleetSimulator(deployment: Fixtures.deployment(), efficiency: Fixtures.efficiency)
        var source = ArrayRequestSource([
            SimRequest(arrival: 0, inputTokens: 100, outputTokens: 10),
            SimRequest(arrival: .infinity, inputTokens: 100, outputTokens: 10),
        ])
        let started = ContinuousClock.now
        let result = fleet.run(&source, expectedCount: 2)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(result.arrived == 2)
    }

    @Test func aLongPromptWithATinyTokenBudgetEstimatesInBoundedTime() throws {
        var deployment = try Fixtures.deployment()
        deployment.maxBatchedTokens = 16
        let estimator = Estimator(
            deployment: deployment, shape: try RequestShape(inputTokens: 100_000, outputTokens: 10),
            efficiency: (Fixtures.efficiency, 3))
        let started = ContinuousClock.now
        let seconds = estimator.prefillStepSeconds(decoding: 0)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(seconds.isFinite && seconds > 0)
    }

    @Test(arguments: [(0, "input_tokens"), (100_000_001, "input_tokens"), (Int.max, "input_tokens")])
    func requestLengthsAreBounded(tokens: Int, field: String) {
        #expect {
            try RequestShape(inputTokens: tokens, outputTokens: 10)
        } throws: { ($0 as? HeadroomError)?.field?.hasPrefix("input") == true }
    }

    @Test func aHugeMeanLengthIsRefused() {
        #expect {
            try LengthDistribution.normal(mean: 1e300, stddev: 1).validated(field: "lengths.input")
        } throws: { ($0 as? HeadroomError)?.field == "lengths.input" }
    }

    // MARK: Training

    /// `POST /v1/train {"params": "99999999999999999999999T", ...}` and `headroom train --tokens 1e40`.
    @Test(
        arguments: [
            (1e35, 1e12, "params"), (.infinity, 1e12, "params"), (7e10, 1e40, "tokens"),
            (7e10, .infinity, "tokens"), (7e10, 1e19, "tokens"),
        ] as [(Double, Double, String)])
    func trainingRefusesFiguresOutOfRange(params: Double, tokens: Double, field: String) {
        let model = TrainingModel(name: "huge", totalParams: params, computeParams: params, shape: nil)
        let request = TrainingFixtures.request(model, count: 64, tokens: tokens)
        #expect {
            try TrainingPlanner().plan(request)
        } throws: { error in
            guard let error = error as? HeadroomError else { return false }
            return error.field == field && !error.message.contains("--")
        }
    }

    @Test func trainingRefusesTooManyAccelerators() {
        #expect {
            try TrainingPlanner().plan(TrainingFixtures.request(count: 20_000_000))
        } throws: { ($0 as? HeadroomError)?.field == "count" }
    }

    // MARK: Cancellation

    @Test func aCancelledSimulationStopsEarly() async throws {
        let fleet = try FleetSimulator(deployment: Fixtures.deployment(), efficiency: Fixtures.efficiency)
        let task = Task { () -> SimulationResult in
            var generator = try WorkloadGenerator(
                arrival: .poisson(rate: 5), input: .fixed(200), output: .fixed(50), count: 1_000_000, seed: 1)
            withUnsafeCurrentTask { $0?.cancel() }
            return fleet.run(&generator, expectedCount: 1_000_000)
        }
        let result = try await task.value
        #expect(result.arrived < 1000)
    }

    @Test func aCancelledClosedLoopStopsEarly() async throws {
        let fleet = try FleetSimulator(deployment: Fixtures.deployment(), efficiency: Fixtures.efficiency)
        let task = Task { () -> SimulationResult in
            withUnsafeCurrentTask { $0?.cancel() }
            return fleet.runClosedLoop(clients: 8, requests: 1_000_000, input: .fixed(200), output: .fixed(50), seed: 1)
        }
        #expect(await task.value.arrived < 1000)
    }
}
