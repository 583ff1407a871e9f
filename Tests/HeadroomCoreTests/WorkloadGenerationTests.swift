import HeadroomCore
import Testing

/// Mean and coefficient of variation of a sample.
private func moments(_ values: [Double]) -> (mean: Double, cv: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    return (mean, variance.squareRoot() / mean)
}

private func draws(_ count: Int, seed: UInt64 = 7, _ draw: (inout SeededGenerator) -> Double) -> [Double] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in draw(&rng) }
}

/// The value at quantile `q` of sorted values.
private func quantile(_ sorted: [Double], _ q: Double) -> Double {
    sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))]
}

private func error(_ body: () throws -> Void) -> HeadroomError? {
    do {
        try body()
        return nil
    } catch {
        return error as? HeadroomError
    }
}

/// Workload generation: the random source, length distributions, arrival processes, rate profiles, the request
/// stream, presets and trace replay.
@Suite struct WorkloadGenerationTests {}

extension WorkloadGenerationTests {
    @Suite struct SeededGeneratorTests {
        /// Reference outputs from an independent implementation of xoshiro256** seeded by SplitMix64; the same code
        /// reproduces the published vector 11520, 0, 1509978240, 1215971899390074240 for the state {1, 2, 3, 4}.
        @Test(arguments: [
            (UInt64(0), [0x99ec_5f36_cb75_f2b4, 0xbf6e_1f78_4956_452a, 0x1a5f_849d_4933_e6e0] as [UInt64]),
            (UInt64(42), [0x1578_0b2e_0c2e_c716, 0x6104_d986_6d11_3a7e, 0xae17_5332_39e4_99a1]),
        ])
        func matchesTheReferenceSequence(seed: UInt64, expected: [UInt64]) {
            var rng = SeededGenerator(seed: seed)
            #expect((0..<3).map { _ in rng.next() } == expected)
        }
    }

    @Suite struct LengthDistributionTests {
        /// `medianRatio` is e^(−σ²/2).
        @Test(arguments: [(1000.0, 1.0, 0.606_530_66), (200.0, 0.5, 0.882_496_90), (4000.0, 1.5, 0.324_652_47)])
        func lognormalSampleMeanIsTheMean(mean: Double, sigma: Double, medianRatio: Double) throws {
            let distribution = try LengthDistribution.lognormal(mean: mean, sigma: sigma).validated(field: "input")
            let samples = draws(200_000) { Double(distribution.sample(using: &$0)) }
            #expect(abs(moments(samples).mean / mean - 1) < 0.02)
            // The median is mean · e^(−σ²/2): `mean` is not the median.
            let median = quantile(samples.sorted(), 0.5)
            let expectedMedian = mean * medianRatio
            #expect(abs(median / expectedMedian - 1) < 0.03)
            #expect(distribution.mean == mean)
        }

        @Test func empiricalSamplingReproducesItsQuantiles() {
            let distribution = LengthDistribution.empirical(
                values: [10, 100, 1000, 5000], cumulative: [0, 0.5, 0.9, 1])
            let sorted = draws(100_000) { Double(distribution.sample(using: &$0)) }.sorted()
            for (q, expected) in [(0.25, 55.0), (0.5, 100), (0.7, 550), (0.9, 1000), (0.95, 3000)] {
                #expect(abs(quantile(sorted, q) / expected - 1) < 0.03, "quantile \(q)")
            }
            #expect(sorted.first! >= 10 && sorted.last! <= 5000)
            // Mean of the piecewise-linear CDF: ½·55 + 0.4·550 + 0.1·3000.
            #expect(abs(distribution.mean - 547.5) < 1e-9)
            #expect(abs(moments(sorted).mean / distribution.mean - 1) < 0.02)
        }

        @Test func empiricalMassBelowTheFirstKnotSitsOnTheFirstValue() {
            let distribution = LengthDistribution.empirical(values: [5, 15], cumulative: [0.2, 1])
            let samples = draws(50_000) { Double(distribution.sample(using: &$0)) }
            // The point mass of 0.2, plus the draws in [5, 5.5) of the ramp that round down to 5: 0.8 × 0.5 / 10.
            let atFive = Double(samples.filter { $0 == 5 }.count) / Double(samples.count)
            #expect(abs(atFive - 0.24) < 0.01)
            #expect(samples.allSatisfy { (5...15).contains($0) })
        }

        @Test func fixedAndUniformStayInTheirBounds() {
            let fixed = draws(1000) { Double(LengthDistribution.fixed(7).sample(using: &$0)) }
            #expect(fixed.allSatisfy { $0 == 7 })
            let uniform = draws(20_000) { Double(LengthDistribution.uniform(min: 3, max: 9).sample(using: &$0)) }
            #expect(Set(uniform) == Set((3...9).map(Double.init)))
            #expect(abs(moments(uniform).mean - 6) < 0.05)
            #expect(LengthDistribution.uniform(min: 3, max: 9).mean == 6)
        }

        @Test func samplesAreClampedToAtLeastOneToken() {
            let normal = LengthDistribution.normal(mean: 2, stddev: 10)
            let samples = draws(20_000) { Double(normal.sample(using: &$0)) }
            #expect(samples.allSatisfy { $0 >= 1 })
            #expect(samples.contains(1))
            let huge = LengthDistribution.lognormal(mean: 1e9, sigma: 3)
            #expect(
                draws(1000) { Double(huge.sample(using: &$0)) }.allSatisfy { $0 <= Double(LengthDistribution.maximum) })
        }

        @Test(arguments: [
            LengthDistribution.fixed(0), .uniform(min: 0, max: 5), .uniform(min: 5, max: 2),
            .normal(mean: -1, stddev: 1),
            .normal(mean: 100, stddev: -1), .lognormal(mean: 100, sigma: -0.5), .lognormal(mean: .nan, sigma: 1),
            .lognormal(mean: 0, sigma: 1), .empirical(values: [], cumulative: []),
            .empirical(values: [1, 2], cumulative: [1]), .empirical(values: [1, 2, 3], cumulative: [0, 0.7, 0.5]),
            .empirical(values: [1, 2, 3], cumulative: [0, 0.5, 0.9]),
            .empirical(values: [3, 2, 1], cumulative: [0, 0.5, 1]),
            .empirical(values: [1, .infinity], cumulative: [0, 1]),
        ])
        func invalidParametersAreRejectedNamingTheField(distribution: LengthDistribution) {
            let failure = error { _ = try distribution.validated(field: "input") }
            #expect(failure?.code == .invalidInput)
            #expect(failure?.field == "input")
            #expect(failure?.message.hasPrefix("input") == true)
        }
    }

    @Suite struct ArrivalProcessTests {
        @Test func poissonGapsHaveTheRateAndUnitCV() {
            let process = ArrivalProcess.poisson(rate: 20)
            let gaps = draws(200_000) { process.interarrival(using: &$0) }
            let (mean, cv) = moments(gaps)
            #expect(abs(mean * 20 - 1) < 0.01)
            #expect(abs(cv - 1) < 0.02)
            #expect(gaps.allSatisfy { $0 > 0 && $0.isFinite })
        }

        @Test(arguments: [0.25, 0.5, 1, 2, 4])
        func gammaGapsHaveTheRateAndTheCV(cv: Double) {
            let process = ArrivalProcess.gamma(rate: 5, cv: cv)
            let gaps = draws(200_000, seed: 11) { process.interarrival(using: &$0) }
            let sample = moments(gaps)
            #expect(abs(sample.mean * 5 - 1) < 0.02 * max(1, cv))
            #expect(abs(sample.cv / cv - 1) < 0.05)
            #expect(gaps.allSatisfy { $0 >= 0 && $0.isFinite })
        }

        @Test func constantGapsAreEqual() {
            let gaps = draws(100) { ArrivalProcess.constant(rate: 4).interarrival(using: &$0) }
            #expect(gaps.allSatisfy { $0 == 0.25 })
            #expect(ArrivalProcess.constant(rate: 4).cv == 0)
        }

        @Test(arguments: [
            (ArrivalProcess.poisson(rate: -1), "rate"), (.constant(rate: 0), "rate"),
            (.poisson(rate: .infinity), "rate"),
            (.gamma(rate: 1, cv: 0), "burstiness"), (.gamma(rate: 1, cv: -2), "burstiness"),
            (.gamma(rate: -3, cv: 1), "rate"),
        ])
        func invalidProcessesAreRejected(process: ArrivalProcess, field: String) {
            let failure = error {
                _ = try WorkloadGenerator(arrival: process, input: .fixed(10), output: .fixed(10), count: 10, seed: 1)
            }
            #expect(failure?.code == .invalidInput)
            #expect(failure?.field == field)
        }
    }

    @Suite struct RateProfileTests {
        static let day: [Double] = (0..<24).map { $0 == 3 ? 3 : $0 == 15 ? 0.5 : 1 }

        @Test func hourlyMultipliersRepeatDaily() {
            let profile = RateProfile(hourly: Self.day)
            #expect(profile.multiplier(at: 3 * 3600 + 10) == 3)
            #expect(profile.multiplier(at: 15 * 3600) == 0.5)
            #expect(profile.multiplier(at: 86_400 * 3 + 3 * 3600 + 1) == 3)
            #expect(profile.multiplier(at: 100) == 1)
            #expect(profile.peak == 3)
            #expect(RateProfile().multiplier(at: 12_345) == 1)
            #expect(RateProfile().peak == 1)
        }

        @Test func weeklyProfilesUseTheirHourOfTheWeek() {
            var week = [Double](repeating: 1, count: 168)
            week[24 * 5 + 10] = 0.25  // Saturday 10:00
            let profile = RateProfile(hourly: week, hourSeconds: 60)
            #expect(profile.multiplier(at: Double(24 * 5 + 10) * 60 + 30) == 0.25)
            #expect(profile.multiplier(at: Double(168 + 24 * 5 + 10) * 60) == 0.25)
            #expect(profile.multiplier(at: Double(24 * 4 + 10) * 60) == 1)
        }

        @Test func theLatestStepWinsAndMultipliesTheHour() {
            let profile = RateProfile(
                hourly: Self.day, hourSeconds: 10,
                steps: [
                    RateStep(at: 100, multiplier: 4), RateStep(at: 50, multiplier: 2), RateStep(at: 100, multiplier: 5),
                ]
            )
            #expect(profile.multiplier(at: 49) == 1)
            #expect(profile.multiplier(at: 50) == 2)
            #expect(profile.multiplier(at: 99.9) == 2)
            #expect(profile.multiplier(at: 100) == 5)  // equal times: the last listed wins
            #expect(profile.multiplier(at: 240 + 35) == 15)  // hour 3 of the second day × 5
            #expect(profile.peak == 15)
        }

        /// With time rescaling the count in an hour is proportional to its multiplier.
        @Test func diurnalCountsFollowTheMultipliers() throws {
            var workload = try WorkloadGenerator(
                arrival: .poisson(rate: 1000), profile: RateProfile(hourly: Self.day, hourSeconds: 1), input: .fixed(1),
                output: .fixed(1), count: 130_000, seed: 3
            )
            var perHour = [Double](repeating: 0, count: 24)
            let days = 5.0  // 25,500 requests a day: five whole days fit in 130,000
            while let request = workload.next(), request.arrival < days * 24 {
                perHour[Int(request.arrival) % 24] += 1
            }
            #expect(abs(perHour[3] / perHour[15] / 6 - 1) < 0.05)
            #expect(abs(perHour[3] / (3000 * days) - 1) < 0.03)
            #expect(abs(perHour[8] / (1000 * days) - 1) < 0.05)
        }

        @Test(arguments: [ArrivalProcess.poisson(rate: 10), .constant(rate: 10), .gamma(rate: 10, cv: 2)])
        func stepChangesMultiplyTheRate(process: ArrivalProcess) throws {
            let profile = RateProfile(steps: [RateStep(at: 200, multiplier: 4), RateStep(at: 400, multiplier: 0.5)])
            var workload = try WorkloadGenerator(
                arrival: process, profile: profile, input: .fixed(1), output: .fixed(1), count: 20_000, seed: 5
            )
            var counts = [0.0, 0, 0]
            while let request = workload.next(), request.arrival < 1000 {
                counts[request.arrival < 200 ? 0 : request.arrival < 400 ? 1 : 2] += 1
            }
            #expect(abs(counts[0] / 2000 - 1) < 0.1)
            #expect(abs(counts[1] / 8000 - 1) < 0.1)
            #expect(abs(counts[2] / 3000 - 1) < 0.1)
        }

        @Test func pausedHoursGetNoArrivals() throws {
            let hourly = (0..<24).map { $0 % 2 == 0 ? 0.0 : 1.0 }
            var workload = try WorkloadGenerator(
                arrival: .constant(rate: 10), profile: RateProfile(hourly: hourly, hourSeconds: 1), input: .fixed(1),
                output: .fixed(1), count: 500, seed: 1
            )
            while let request = workload.next() {
                #expect(Int(request.arrival.rounded(.down)) % 2 == 1 || request.arrival == request.arrival.rounded())
            }
        }

        @Test(arguments: [
            RateProfile(hourly: [1, 2, 3]), RateProfile(hourly: [Double](repeating: 0, count: 24)),
            RateProfile(hourSeconds: 0), RateProfile(steps: [RateStep(at: 10, multiplier: -1)]),
            RateProfile(steps: [RateStep(at: 5, multiplier: 2), RateStep(at: 60, multiplier: 0)]),
        ])
        func invalidProfilesAreRejected(profile: RateProfile) {
            let failure = error {
                _ = try WorkloadGenerator(
                    arrival: .poisson(rate: 1), profile: profile, input: .fixed(1), output: .fixed(1), count: 1, seed: 1
                )
            }
            #expect(failure?.code == .invalidInput)
            #expect(failure?.field == "profile")
        }
    }

    @Suite struct WorkloadGeneratorTests {
        private func requests(seed: UInt64, count: Int = 1000, prefix: PrefixSharing = .none) throws -> [SimRequest] {
            let workload = try WorkloadGenerator(
                arrival: .gamma(rate: 8, cv: 2), profile: RateProfile(hourly: RateProfileTests.day, hourSeconds: 5),
                input: .lognormal(mean: 800, sigma: 1), output: .uniform(min: 10, max: 400), prefix: prefix,
                count: count,
                seed: seed
            )
            return Array(workload)
        }

        @Test func theSameSeedReplaysAndAnotherDiffers() throws {
            let first = try requests(seed: 99)
            #expect(try requests(seed: 99) == first)
            let other = try requests(seed: 100)
            #expect(other != first)
            #expect(zip(other, first).filter { $0.0.inputTokens == $0.1.inputTokens }.count < 100)
        }

        @Test(arguments: [1, 7, 25_000])
        func yieldsExactlyCountInArrivalOrder(count: Int) throws {
            var workload = try WorkloadGenerator(
                arrival: .poisson(rate: 50), input: .normal(mean: 100, stddev: 80), output: .fixed(3), count: count,
                seed: 2
            )
            var yielded = 0
            var last = -Double.infinity
            while let request = workload.next() {
                yielded += 1
                #expect(request.arrival >= last)
                #expect(request.inputTokens >= 1 && request.outputTokens == 3)
                last = request.arrival
            }
            #expect(yielded == count)
            #expect(workload.next() == nil)
            #expect(workload.generated == count)
        }

        @Test func arrivalsKeepTheBaseRate() throws {
            let workload = try WorkloadGenerator(
                arrival: .poisson(rate: 40), input: .fixed(1), output: .fixed(1), count: 100_000, seed: 8
            )
            let last = Array(workload).last!.arrival
            #expect(abs(100_000 / last / 40 - 1) < 0.02)
        }

        @Test func changingTheArrivalProcessKeepsTheLengths() throws {
            let poisson = try WorkloadGenerator(
                arrival: .poisson(rate: 1), input: .lognormal(mean: 500, sigma: 1), output: .fixed(9), count: 200,
                seed: 4
            )
            let paced = try WorkloadGenerator(
                arrival: .constant(rate: 3), input: .lognormal(mean: 500, sigma: 1), output: .fixed(9), count: 200,
                seed: 4
            )
            #expect(Array(poisson).map(\.inputTokens) == Array(paced).map(\.inputTokens))
        }

        @Test func prefixHitRateSharesPrefixZero() throws {
            let all = try requests(seed: 1, count: 20_000, prefix: .hitRate(0.3, prefixTokens: 300))
            let hits = all.filter { $0.prefixID == 0 }
            #expect(abs(Double(hits.count) / 20_000 - 0.3) < 0.015)
            #expect(hits.allSatisfy { $0.prefixTokens == min(300, $0.inputTokens) })
            #expect(all.filter { $0.prefixID == nil }.allSatisfy { $0.prefixTokens == 0 })
        }

        @Test func prefixGroupsAreDrawnUniformly() throws {
            let all = try requests(seed: 1, count: 8000, prefix: .groups(count: 4, prefixTokens: 100))
            var perGroup = [Int: Int]()
            for request in all { perGroup[request.prefixID ?? -1, default: 0] += 1 }
            #expect(Set(perGroup.keys) == [0, 1, 2, 3])
            #expect(perGroup.values.allSatisfy { abs(Double($0) / 2000 - 1) < 0.08 })
            #expect(all.allSatisfy { $0.prefixTokens <= $0.inputTokens && $0.prefixTokens == min(100, $0.inputTokens) })
        }

        @Test(arguments: [
            (PrefixSharing.hitRate(1.5, prefixTokens: 10), "prefix"), (.hitRate(0.5, prefixTokens: 0), "prefix"),
            (.groups(count: 0, prefixTokens: 10), "prefix"),
        ])
        func invalidPrefixesAreRejected(prefix: PrefixSharing, field: String) {
            let failure = error {
                _ = try WorkloadGenerator(
                    arrival: .poisson(rate: 1), input: .fixed(1), output: .fixed(1), prefix: prefix, count: 1, seed: 1
                )
            }
            #expect(failure?.field == field)
        }

        @Test func invalidCountsAndLengthsNameTheirField() {
            #expect(
                error {
                    _ = try WorkloadGenerator(
                        arrival: .poisson(rate: 1), input: .fixed(1), output: .fixed(1), count: 0, seed: 1)
                }?
                .field == "requests"
            )
            #expect(
                error {
                    _ = try WorkloadGenerator(
                        arrival: .poisson(rate: 1), input: .fixed(1), output: .fixed(0), count: 5, seed: 1)
                }?
                .field == "output"
            )
        }
    }

    @Suite struct WorkloadPresetTests {
        @Test func everyPresetIsValidAndSourced() throws {
            let names = WorkloadPreset.all.map(\.name)
            #expect(Set(names).count == names.count)
            for required in ["chat", "code", "rag", "agent"] { #expect(names.contains(required)) }
            for preset in WorkloadPreset.all {
                _ = try preset.input.validated(field: "input")
                _ = try preset.output.validated(field: "output")
                #expect(!preset.source.isEmpty && !preset.notes.isEmpty)
            }
        }

        @Test func lookupIgnoresCaseAndRejectsUnknownNames() throws {
            #expect(try WorkloadPreset.named("CHAT").name == "chat")
            let failure = error { _ = try WorkloadPreset.named("telepathy") }
            #expect(failure?.code == .unknownEntry)
            #expect(failure?.message.contains("chat") == true)
        }

        /// The trace-derived tables keep the published shape: code prompts are long and its answers short.
        @Test func tracePresetsMatchTheirTraces() throws {
            let chat = try WorkloadPreset.named("chat")
            let code = try WorkloadPreset.named("code")
            #expect(abs(chat.input.mean / 1154.7 - 1) < 0.02)
            #expect(abs(chat.output.mean / 211.1 - 1) < 0.03)
            #expect(abs(code.input.mean / 2047.8 - 1) < 0.02)
            let codeOutputs = draws(20_000) { Double(code.output.sample(using: &$0)) }.sorted()
            #expect(quantile(codeOutputs, 0.5) == 13)
        }
    }

    @Suite struct TraceParserTests {
        @Test func readsHeadroomCSVSortedAndZeroed() throws {
            let text = """
                timestamp,input_tokens,output_tokens,prefix_id
                12.5,100,20,7
                10.0,300,30,
                11.0,250,25,7
                11.0,80,5,
                """
            let requests = try TraceParser.parse(text, file: "t.csv")
            #expect(requests.map(\.arrival) == [0, 1, 1, 2.5])
            #expect(requests.map(\.inputTokens) == [300, 250, 80, 100])  // equal times keep file order
            #expect(requests[1].prefixID == 7 && requests[3].prefixID == 7)
            // Without prefix_tokens, a group shares its shortest prompt.
            #expect(requests[1].prefixTokens == 100 && requests[3].prefixTokens == 100)
            #expect(requests[0].prefixID == nil && requests[0].prefixTokens == 0)
        }

        @Test func readsTheAzureTraceWithItsDateTimes() throws {
            let text = """
                TIMESTAMP,ContextTokens,GeneratedTokens\r
                2023-11-16 18:15:46.6805900,4808,10\r
                2023-11-16 18:15:46.6806000,3180,8\r
                2023-11-16 18:17:04.0781490,110,27\r
                2023-11-17 00:00:00.1000000,34,12\r
                """
            let requests = try TraceParser.parse(text, file: "AzureLLMInferenceTrace_code.csv")
            #expect(requests.count == 4)
            #expect(requests[0].arrival == 0)
            #expect(abs(requests[1].arrival - 1e-5) < 1e-12)
            #expect(abs(requests[2].arrival - 77.397559) < 1e-9)
            // 18:15:46.68059 to midnight and 0.1 s beyond.
            #expect(abs(requests[3].arrival - (5 * 3600 + 44 * 60 + 13.31941 + 0.1)) < 1e-9)
            #expect(requests.map(\.outputTokens) == [10, 8, 27, 12])
        }

        @Test(arguments: [
            ("2024-02-28 12:00:00", "2024-03-01 12:00:00", 172_800.0),  // a leap day
            ("2023-02-28 12:00:00", "2023-03-01 12:00:00", 86_400),
            ("2023-12-31 23:59:59.5", "2024-01-01T00:00:00.25Z", 0.75),
            ("1999-12-31 00:00:00", "2000-12-31 00:00:00", 366 * 86_400.0),
        ])
        func dateTimeDifferencesCrossMonthsAndYears(start: String, end: String, seconds: Double) throws {
            let requests = try TraceParser.parse(
                "timestamp,ContextTokens,GeneratedTokens\n\(start),1,1\n\(end),1,1\n", file: "t.csv")
            #expect(abs(requests[1].arrival - seconds) < 1e-9)
        }

        @Test func readsQuotedFieldsAndCaseInsensitiveColumns() throws {
            let text = """
                "Output_Length",note,"INPUT_LENGTH",Timestamp
                5,"a, ""quoted""
                note",40,0.5
                6,,50,0.25
                """
            let requests = try TraceParser.parse(text, file: "q.csv")
            #expect(requests.map(\.inputTokens) == [50, 40])
            #expect(requests.map(\.outputTokens) == [6, 5])
            #expect(requests[1].arrival == 0.25)
        }

        /// The two README samples share their first 12 blocks: 12 × 512 = 6,144 cached tokens for the second.
        @Test func readsMooncakeJSONLWithBlockPrefixes() throws {
            let text = """
                {"timestamp": 27482, "input_length": 6955, "output_length": 52, "hash_ids": [46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 2353, 2354]}
                {"timestamp": 30535, "input_length": 6472, "output_length": 26, "hash_ids": [46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 2366]}

                {"timestamp": 31000, "input_length": 700, "output_length": 9, "hash_ids": [46, 47, 999]}
                {"timestamp": 32000, "input_length": 100, "output_length": 9, "hash_ids": [999, 46]}
                {"timestamp": 33000, "input_length": 100, "output_length": 9, "hash_ids": []}
                """
            let requests = try TraceParser.parse(text, file: "mooncake.jsonl")
            for (request, seconds) in zip(requests, [0, 3.053, 3.518, 4.518, 5.518]) {
                #expect(abs(request.arrival - seconds) < 1e-9)  // milliseconds
            }
            #expect(requests.map(\.prefixID) == [46, 46, 46, 999, nil])
            #expect(requests.map(\.prefixTokens) == [0, 6144, 700, 100, 0])
            #expect(TraceParser.mooncakeBlockTokens == 512)
        }

        @Test func readsHeadroomJSONLInSeconds() throws {
            let text = """
                {"timestamp": 2.5, "input_tokens": 10, "output_tokens": 4, "prefix_id": 3, "prefix_tokens": 8}
                {"Timestamp": 1, "Input_Tokens": 20, "output_tokens": 5, "extra": "ignored"}
                """
            let requests = try TraceParser.parse(text, file: "t.jsonl")
            #expect(
                requests == [
                    SimRequest(arrival: 0, inputTokens: 20, outputTokens: 5),
                    SimRequest(arrival: 1.5, inputTokens: 10, outputTokens: 4, prefixID: 3, prefixTokens: 8),
                ])
        }

        @Test(arguments: [
            ("timestamp,input_tokens,output_tokens\n1.0,10,5\n2.0,abc,5\n", 3, "input_tokens"),
            ("timestamp,input_tokens,output_tokens\n1.0,10,5\n2.0,10\n", 3, "output_tokens"),
            ("timestamp,input_tokens\n1.0,10\n", 1, "output_tokens"),
            ("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,10,0\n", 2, "GeneratedTokens"),
            ("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-13-16 18:15:46.68,10,3\n", 2, "TIMESTAMP"),
            ("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,10,3\n4.5,10,3\n", 3, "TIMESTAMP"),
            ("timestamp,input_tokens,output_tokens\n1,2,3\n4,-5,6\n", 3, "input_tokens"),
            (
                "{\"timestamp\": 1, \"input_length\": 5, \"output_length\": 2}\n{\"timestamp\": 2, \"input_length\": 5}\n",
                2, "output_tokens"
            ),
            ("{\"timestamp\": 1, \"input_tokens\": 5.5, \"output_tokens\": 2}\n", 1, "input_tokens"),
            ("{\"timestamp\": \"soon\", \"input_tokens\": 5, \"output_tokens\": 2}\n", 1, "timestamp"),
        ])
        func badTracesNameTheLineAndField(text: String, line: Int, field: String) {
            let failure = error { _ = try TraceParser.parse(text, file: "bad.trace") }
            #expect(failure?.code == .invalidFile)
            #expect(failure?.file == "bad.trace")
            #expect(failure?.line == line)
            #expect(failure?.field == field)
        }

        @Test(
            arguments: [
                ("timestamp,input_tokens,output_tokens\n1,2,3\n2,\"4,3\n", 3),
                ("timestamp,input_tokens,output_tokens\n1,2\"x\",3\n", 2),
                ("{\"timestamp\": 1, \"input_tokens\": 5, \"output_tokens\": 2}\n{\"timestamp\": 2,\n", 2),
                ("", nil), ("timestamp,input_tokens,output_tokens\n", nil),
            ] as [(String, Int?)])
        func malformedTextIsReportedWithItsLine(text: String, line: Int?) {
            let failure = error { _ = try TraceParser.parse(text, file: "bad.trace") }
            #expect(failure?.code == .invalidFile)
            #expect(failure?.line == line)
        }
    }
}
