/// A named pair of length distributions for a kind of traffic, with where its numbers come from.
///
/// Quantile tables marked "computed by Headroom" were computed from the named public trace file with linear
/// interpolation (numpy's default): knots at p0, p5, p10, p20 … p90, p95, p99, p99.9 and p100. Figures the sources do
/// not give (the spread of a lognormal whose mean alone is published) are called assumptions in `notes`.
public struct WorkloadPreset: Sendable, Hashable {
    public var name: String
    public var input: LengthDistribution
    public var output: LengthDistribution
    /// Where the numbers come from: a dataset file, a paper, a documentation page.
    public var source: String
    /// What the numbers mean, how they were derived, and which of them are assumptions.
    public var notes: String

    public init(name: String, input: LengthDistribution, output: LengthDistribution, source: String, notes: String) {
        self.name = name
        self.input = input
        self.output = output
        self.source = source
        self.notes = notes
    }

    /// Every preset, in the order they are listed to people.
    public static let all: [WorkloadPreset] = [chat, code, rag, agent, toolAgent, longChat]

    /// The preset with this name, compared case-insensitively.
    /// - Throws: ``HeadroomError`` `.unknownEntry` listing the known names.
    public static func named(_ name: String) throws(HeadroomError) -> WorkloadPreset {
        let wanted = name.lowercased()
        guard let preset = all.first(where: { $0.name == wanted }) else {
            let known = all.map(\.name).joined(separator: ", ")
            throw HeadroomError(.unknownEntry, "preset: no workload preset '\(name)'; known: \(known)", field: "preset")
        }
        return preset
    }

    /// Cumulative probabilities of the quantile knots used by the tables computed from traces.
    private static let knots: [Double] = [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1]

    /// Conversational traffic of an Azure LLM inference service.
    public static let chat = WorkloadPreset(
        name: "chat",
        input: .empirical(
            values: [2, 181, 207, 387, 403, 703, 1020, 1071, 1130, 1315, 2734, 4083, 4142, 6179, 14050],
            cumulative: knots
        ),
        output: .empirical(
            values: [7, 41, 54, 77, 91, 103, 129, 177, 384, 400, 424, 451, 601, 954, 1000],
            cumulative: knots
        ),
        source: """
            Azure LLM inference trace 2023, conversation: github.com/Azure/AzurePublicDataset \
            data/AzureLLMInferenceTrace_conv.csv (blob 5b9219f2), 19,366 requests collected November 2023; \
            described in Patel et al., "Splitwise: Efficient generative LLM inference using phase splitting", ISCA 2024.
            """,
        notes: """
            Quantiles of ContextTokens and GeneratedTokens computed by Headroom from the file. Trace: input mean 1,155 \
            and median 1,020 tokens; output mean 211 and median 129 (the medians Splitwise reports). The interpolated \
            table's means are 1,156 and 214.
            """
    )

    /// Code-completion traffic of an Azure LLM inference service: long prompts, very short completions.
    public static let code = WorkloadPreset(
        name: "code",
        input: .empirical(
            values: [3, 75, 147, 386, 770, 1075, 1469, 1909, 2433, 3192, 5188, 7303, 7436, 7437, 7437],
            cumulative: knots
        ),
        output: .empirical(
            values: [6, 6, 7, 8, 9, 11, 13, 16, 20, 29, 55, 90, 251, 825, 1899],
            cumulative: knots
        ),
        source: """
            Azure LLM inference trace 2023, code: github.com/Azure/AzurePublicDataset \
            data/AzureLLMInferenceTrace_code.csv (blob 62bd8109), 8,819 requests collected November 2023; described in \
            Patel et al., "Splitwise: Efficient generative LLM inference using phase splitting", ISCA 2024.
            """,
        notes: """
            Quantiles of ContextTokens and GeneratedTokens computed by Headroom from the file. Trace: input mean 2,048 \
            and median 1,469 tokens (Splitwise: about 1,500); output mean 27.9 and median 13. The interpolated table's \
            means are 2,079 and 31 (linear interpolation over the sparse p99.9–p100 tail overstates the output mean \
            by 11%).
            """
    )

    /// Retrieval-augmented question answering: retrieved chunks make a long prompt, the answer is short.
    public static let rag = WorkloadPreset(
        name: "rag",
        input: .lognormal(mean: 5248, sigma: 0.25),
        output: .lognormal(mean: 128, sigma: 0.5),
        source: """
            NVIDIA RAG Blueprint defaults: chunk size 512 tokens (APP_NVINGEST_CHUNKSIZE, \
            docs.nvidia.com/rag/2.3.0/accuracy_perf.html) and 10 reranked chunks returned (k, \
            docs.langchain.com/oss/python/integrations/retrievers/nvidia); question and answer lengths from the \
            "Chat 128/128" ISL/OSL use case of NVIDIA's Enterprise RAG Retrieval Scaling and Sizing Guide \
            (docs.nvidia.com/enterprise-reference-architectures/enterprise-rag-retrieval-scaling-and-sizing-guide).
            """,
        notes: """
            Mean input = 10 chunks × 512 tokens + a 128-token question = 5,248 tokens; mean output 128 tokens. The \
            spreads (sigma 0.25 for the prompt, 0.5 for the answer) are assumptions: no source gives them. System \
            prompt and template tokens are not counted (assumption: small next to the chunks).
            """
    )

    /// A coding agent's LLM calls: very long, growing contexts, mostly served from the prefix cache.
    public static let agent = WorkloadPreset(
        name: "agent",
        input: .lognormal(mean: 67818, sigma: 1.0),
        output: .lognormal(mean: 527, sigma: 1.0),
        source: """
            GitHub Copilot coding agent traces, June 1–7 2026: github.com/Azure/AzurePublicDataset \
            GitHubCopilotCodingAgentDataset2026.md and analysis/GitHubCopilotCodingAgents/DATASET_CARD.md \
            (9,310,255 LLM calls, 631.4B prompt tokens, 4.91B completion tokens, 540.95B cached prompt tokens); \
            Liu et al., "Agentic Coding in the Wild", arXiv:2608.00101.
            """,
        notes: """
            Means per LLM call derived from the card's totals: 631.4e9 / 9,310,255 = 67,818 prompt tokens and \
            4.91e9 / 9,310,255 = 527 completion tokens. The lognormal shape and sigma 1.0 are assumptions (the card \
            gives totals only). 85.7% of prompt tokens were cache hits (540.95B / 631.4B): model that with prefix \
            sharing, not with shorter prompts.
            """
    )

    /// Tool-calling and agent traffic of Kimi (Moonshot AI).
    public static let toolAgent = WorkloadPreset(
        name: "tool-agent",
        input: .lognormal(mean: 8596, sigma: 1.0),
        output: .lognormal(mean: 182, sigma: 1.0),
        source: """
            Mooncake FAST'25 trace release, tool and agent workload: github.com/kvcache-ai/Mooncake \
            FAST25-release/README.md (traces/toolagent_trace.jsonl, 23,608 requests from one hour of Kimi traffic); \
            Qin et al., Mooncake, FAST 2025 (usenix.org/system/files/fast25-qin.pdf).
            """,
        notes: """
            Means from the README table: input 8,596 and output 182 tokens. The lognormal shape and sigma 1.0 are \
            assumptions (the README gives averages only).
            """
    )

    /// Long-context conversational traffic of Kimi (Moonshot AI).
    public static let longChat = WorkloadPreset(
        name: "long-chat",
        input: .empirical(
            values: [
                891, 901, 964, 1662, 3263, 4993, 6909, 9570, 13196, 17869, 27367, 39550, 85400, 121301, 126195,
            ],
            cumulative: knots
        ),
        output: .empirical(
            values: [1, 10, 24, 100, 213, 291, 350, 399, 447, 504, 597, 698, 1119, 2000, 2000],
            cumulative: knots
        ),
        source: """
            Mooncake FAST'25 trace release, conversation workload: github.com/kvcache-ai/Mooncake \
            FAST25-release/traces/conversation_trace.jsonl (blob 5a371794), 12,031 requests from one hour of Kimi \
            traffic; Qin et al., Mooncake, FAST 2025 (usenix.org/system/files/fast25-qin.pdf).
            """,
        notes: """
            Quantiles of input_length and output_length computed by Headroom from the file. Trace: input mean 12,035 \
            and median 6,909 tokens; output mean 343 and median 350 (the README's averages: 12,035 and 343). The \
            interpolated table's means are 12,480 and 347. Replaying the file itself (TraceParser) also keeps its \
            arrivals and shared prefixes: 37% of its prompt tokens are a prefix seen earlier.
            """
    )
}
