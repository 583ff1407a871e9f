/// A deterministic step-by-step schedule of a finite burst of identical requests, all queued at time zero.
///
/// Requests are admitted in order while slots remain; each step decodes every running sequence and spends the rest
/// of the token budget on prompt tokens (chunked where the stack chunks). Cohorts of requests that finish their
/// prefill in the same step move together, so the cost is O(steps × cohorts), not per request.
struct BurstTimeline {
    struct Result {
        var meanTTFT: Double
        var meanTPOT: Double
        var makespan: Double
        var meanBatch: Double
    }

    private struct Cohort {
        var count: Double
        var generated: Int
        var firstTokenTime: Double
    }

    static func run(
        model: PerformanceModel, requests: Int, input: Int, output: Int, maxRunning: Double, tokenBudget: Double,
        chunked: Bool
    ) -> Result {
        let isl = Double(input)
        var queued = Double(requests)
        var cohorts: [Cohort] = []
        var clock = 0.0
        var ttftSum = 0.0
        var tpotSum = 0.0
        var batchSum = 0.0
        var steps = 0
        let epsilon = 1e-9
        while queued > epsilon || !cohorts.isEmpty {
            var running = 0.0
            var decodeContext = 0.0
            for cohort in cohorts {
                running += cohort.count
                decodeContext += cohort.count * (isl + Double(cohort.generated))
            }
            // Admission: free slots, then the token budget left after decodes. Chunked stacks treat the queue as a
            // fluid of prompt tokens; others prefill whole prompts only.
            let admittable = min(queued, max(maxRunning - running, 0))
            let budget = max(tokenBudget - running, 0)
            var prefillTokens = min(budget, admittable * isl)
            if !chunked { prefillTokens = (prefillTokens / isl + epsilon).rounded(.down) * isl }
            if prefillTokens <= epsilon, running <= epsilon, admittable > epsilon {
                prefillTokens = min(isl, admittable * isl)  // an idle engine always takes the next prompt
            }
            let finishing = min(prefillTokens / isl, queued)
            let shape = StepShape(
                decodeSequences: running, decodeContext: decodeContext, prefillTokens: prefillTokens,
                prefillAttentionPairs: prefillTokens * (isl + 1) / 2, prefillSequences: finishing
            )
            clock += model.seconds(shape)
            batchSum += running + finishing
            steps += 1
            var next: [Cohort] = []
            next.reserveCapacity(cohorts.count + 1)
            for var cohort in cohorts {
                cohort.generated += 1
                if cohort.generated >= output {
                    tpotSum += cohort.count * (clock - cohort.firstTokenTime) / Double(output - 1)
                } else {
                    next.append(cohort)
                }
            }
            if finishing > epsilon {
                ttftSum += finishing * clock
                queued -= finishing
                if output > 1 { next.append(Cohort(count: finishing, generated: 1, firstTokenTime: clock)) }
            }
            cohorts = next
        }
        let n = Double(requests)
        return Result(
            meanTTFT: ttftSum / n, meanTPOT: output > 1 ? tpotSum / n : 0, makespan: clock,
            meanBatch: steps > 0 ? batchSum / Double(steps) : 0
        )
    }
}
