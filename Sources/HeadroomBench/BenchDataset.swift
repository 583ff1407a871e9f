public import HeadroomCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where prompts and their lengths come from.
public enum BenchDataset: Sendable, Hashable {
    /// Synthetic prompts of exact token lengths drawn from the distributions.
    case synthetic(input: LengthDistribution, output: LengthDistribution)
    /// A simulator workload preset's length distributions, with synthetic prompts.
    case preset(WorkloadPreset)
    /// JSON Lines: one object per line with `prompt` (text) or `messages` ([{role, content}]), and optionally
    /// `output_tokens` or `max_tokens`.
    case jsonl(path: String, text: String, defaultOutputTokens: Int)
    /// ShareGPT-format JSON: an array of `{"conversations": [{"from": "human", "value": …}, {"from": "gpt", …}]}`.
    /// The first human turn is the prompt; the first reply's length is the output length (vLLM's convention).
    case sharegpt(path: String, text: String)
    /// A trace's lengths (arrival times go to the load pattern), with synthetic prompts.
    case trace(path: String, requests: [SimRequest])

    /// The `dataset` string written into results.
    public var label: String {
        switch self {
        case .synthetic: "synthetic"
        case .preset(let preset): "preset:\(preset.name)"
        case .jsonl(let path, _, _): "jsonl:\(path)"
        case .sharegpt(let path, _): "sharegpt:\(path)"
        case .trace(let path, _): "trace:\(path)"
        }
    }

    /// A prompt with its sizes, before it is given a send time.
    public struct Item: Sendable, Hashable {
        public var prompt: BenchPrompt
        public var inputTokens: Int
        public var outputTokens: Int
    }

    /// Draws `count` items.
    /// - Parameters:
    ///   - synthesizer: builds synthetic prompts (verified against the server's tokenizer when it has one).
    ///   - tokenizer: sizes file prompts exactly; nil estimates them (one token per 0.75 words is *not* assumed:
    ///     the estimate is the synthesizer's one-token-per-word, and results flag it).
    /// - Throws: ``HeadroomError`` naming the file, line and field of a bad record.
    public func items(
        count: Int, seed: UInt64, synthesizer: PromptSynthesizer, tokenizer: (any BenchTokenizer)?
    ) async throws -> [Item] {
        var rng = SeededGenerator(seed: seed)
        switch self {
        case .synthetic(let input, let output):
            return Self.synthetic(count: count, input: input, output: output, synthesizer: synthesizer, rng: &rng)
        case .preset(let preset):
            return Self.synthetic(
                count: count, input: preset.input, output: preset.output, synthesizer: synthesizer, rng: &rng)
        case .trace(_, let requests):
            return requests.prefix(count).map {
                Item(
                    prompt: .text(synthesizer.prompt(tokens: $0.inputTokens, using: &rng)),
                    inputTokens: $0.inputTokens, outputTokens: $0.outputTokens)
            }
        case .jsonl(let path, let text, let defaultOutput):
            let records = try Self.parseJSONL(text, path: path, defaultOutput: defaultOutput)
            guard !records.isEmpty else {
                throw HeadroomError(.invalidFile, "no prompts in the file", file: path)
            }
            var picked: [Item] = []
            for index in 0..<count { picked.append(records[index % records.count]) }
            return try await Self.sized(picked, tokenizer: tokenizer)
        case .sharegpt(let path, let text):
            var pairs = try Self.parseShareGPT(text, path: path)
            pairs.shuffle(using: &rng)
            var items: [Item] = []
            for pair in pairs where items.count < count {
                let promptTokens = try await Self.count(pair.prompt, tokenizer: tokenizer)
                let replyTokens = try await Self.count(pair.reply, tokenizer: tokenizer)
                // vLLM's ShareGPT filter: drop very short pairs and those too long for a 2k context.
                guard promptTokens >= 4, replyTokens >= 4, promptTokens <= 1024, promptTokens + replyTokens <= 2048
                else { continue }
                items.append(Item(prompt: .text(pair.prompt), inputTokens: promptTokens, outputTokens: replyTokens))
            }
            guard !items.isEmpty else {
                throw HeadroomError(.invalidFile, "no conversation passed the length filter", file: path)
            }
            while items.count < count { items.append(items[items.count % max(items.count, 1)]) }
            return items
        }
    }

    static func synthetic(
        count: Int, input: LengthDistribution, output: LengthDistribution, synthesizer: PromptSynthesizer,
        rng: inout SeededGenerator
    ) -> [Item] {
        (0..<count).map { _ in
            let inputTokens = input.sample(using: &rng)
            let outputTokens = output.sample(using: &rng)
            return Item(
                prompt: .text(synthesizer.prompt(tokens: inputTokens, using: &rng)), inputTokens: inputTokens,
                outputTokens: outputTokens)
        }
    }

    static func count(_ text: String, tokenizer: (any BenchTokenizer)?) async throws -> Int {
        if let tokenizer { return try await tokenizer.count(text) }
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
    }

    static func sized(_ items: [Item], tokenizer: (any BenchTokenizer)?) async throws -> [Item] {
        var cache: [BenchPrompt: Int] = [:]
        var result = items
        for index in result.indices {
            if let known = cache[result[index].prompt] {
                result[index].inputTokens = known
                continue
            }
            let tokens = try await count(result[index].prompt.text, tokenizer: tokenizer)
            cache[result[index].prompt] = tokens
            result[index].inputTokens = tokens
        }
        return result
    }

    private struct JSONLRecord: Decodable {
        var prompt: String?
        var messages: [BenchPrompt.ChatMessage]?
        var outputTokens: Int?
        var maxTokens: Int?
    }

    static func parseJSONL(_ text: String, path: String, defaultOutput: Int) throws(HeadroomError) -> [Item] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var items: [Item] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if trimmed.isEmpty { continue }
            let record: JSONLRecord
            do {
                record = try decoder.decode(JSONLRecord.self, from: Data(String(trimmed).utf8))
            } catch {
                throw HeadroomError(.invalidFile, "not a JSON object: \(error)", file: path, line: number + 1)
            }
            let prompt: BenchPrompt
            if let text = record.prompt {
                prompt = .text(text)
            } else if let messages = record.messages, !messages.isEmpty {
                prompt = .messages(messages)
            } else {
                throw HeadroomError(
                    .invalidFile, "each line needs \"prompt\" or a non-empty \"messages\"", file: path,
                    line: number + 1, field: "prompt")
            }
            let output = record.outputTokens ?? record.maxTokens ?? defaultOutput
            guard output >= 1 else {
                throw HeadroomError(
                    .invalidFile, "output_tokens must be at least 1, got \(output)", file: path, line: number + 1,
                    field: "output_tokens")
            }
            items.append(Item(prompt: prompt, inputTokens: 0, outputTokens: output))
        }
        return items
    }

    private struct ShareGPTEntry: Decodable {
        struct Turn: Decodable {
            var from: String
            var value: String
        }
        var conversations: [Turn]?
    }

    static func parseShareGPT(_ text: String, path: String) throws(HeadroomError) -> [(prompt: String, reply: String)] {
        let entries: [ShareGPTEntry]
        do {
            entries = try JSONDecoder().decode([ShareGPTEntry].self, from: Data(text.utf8))
        } catch {
            throw HeadroomError(
                .invalidFile, "not a ShareGPT array of {\"conversations\": [...]}: \(error)", file: path,
                field: "conversations")
        }
        return entries.compactMap { entry in
            guard let turns = entry.conversations, turns.count >= 2 else { return nil }
            return (turns[0].value, turns[1].value)
        }
    }
}
