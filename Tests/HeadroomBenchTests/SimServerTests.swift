import Foundation
import HTTPTypes
import HeadroomCatalog
import HeadroomCore
import HeadroomSimServer
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct SimServerTests {
    /// Llama 3.1 8B in BF16 on one H100 (or `count` of them, one replica each), from the bundled catalog.
    static func configuration(count: Int = 1, timeScale: Double = 1000) throws -> SimServerConfiguration {
        let catalog = try CatalogLoader.bundled()
        let accelerator = try catalog.accelerator("h100-sxm")
        let stack = try catalog.stack("vllm")
        let deployment = try Deployment(
            model: try catalog.model("llama-3.1-8b"), accelerator: accelerator, stack: stack, count: count,
            precision: .bf16)
        let efficiency = try #require(catalog.efficiency(stack: stack.id, accelerator: accelerator.id)).profile
        let fleet = try FleetSimulator(deployment: deployment, efficiency: efficiency)
        return try SimServerConfiguration(fleet: fleet, servedModelName: "twin", port: 0, timeScale: timeScale)
    }

    static func post(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }
    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    /// The `data:` payloads of an SSE body, in order.
    static func events(_ body: ByteBuffer) throws -> [String] {
        let text = String(buffer: body)
        #expect(text.hasSuffix("\n\n"))
        return try text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { event in
            #expect(event.hasPrefix("data: "))
            return try #require(event.split(separator: "data: ", maxSplits: 1).first.map(String.init))
        }
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func choice(_ chunk: [String: Any]) throws -> [String: Any] {
        let choices = try #require(chunk["choices"] as? [[String: Any]])
        try #require(choices.count == 1)
        return choices[0]
    }

    // MARK: Streaming

    @Test(.timeLimit(.minutes(1)))
    func streamingChatIsOpenAIsChunkSequence() async throws {
        let app = buildSimApplication(configuration: try Self.configuration())
        try await app.test(.router) { client in
            let body =
                #"{"model":"m","messages":[{"role":"system","content":"be brief"},"#
                + #"{"role":"user","content":"hello there world"}],"max_tokens":5,"stream":true,"#
                + #""stream_options":{"include_usage":true}}"#
            let response = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: Self.jsonHeaders, body: Self.post(body))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let events = try Self.events(response.body)
            try #require(events.count == 9, "role, 5 tokens, final, usage, [DONE]")
            #expect(events.last == "[DONE]")
            let chunks = try events.dropLast().map(Self.object)
            let id = try #require(chunks[0]["id"] as? String)
            #expect(id.hasPrefix("chatcmpl-"))
            for chunk in chunks {
                #expect(chunk["id"] as? String == id)
                #expect(chunk["object"] as? String == "chat.completion.chunk")
                #expect(chunk["model"] as? String == "m")
                #expect(chunk["created"] is Int)
            }
            let role = try Self.choice(chunks[0])
            #expect(role["delta"] as? [String: String] == ["role": "assistant", "content": ""])
            #expect(role["finish_reason"] is NSNull)
            for chunk in chunks[1...5] {
                let choice = try Self.choice(chunk)
                #expect(choice["delta"] as? [String: String] == ["content": " tok"])
                #expect(choice["finish_reason"] is NSNull)
                #expect(chunk["usage"] is NSNull)
            }
            let final = try Self.choice(chunks[6])
            #expect((final["delta"] as? [String: Any])?.isEmpty == true)
            #expect(final["finish_reason"] as? String == "length")
            #expect((chunks[7]["choices"] as? [Any])?.isEmpty == true)
            let usage = try #require(chunks[7]["usage"] as? [String: Int])
            #expect(usage == ["prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10])
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func streamingCompletionsEndWithLengthAndDone() async throws {
        let app = buildSimApplication(configuration: try Self.configuration())
        try await app.test(.router) { client in
            let body = #"{"model":"twin","prompt":"one two three four","max_tokens":40,"stream":true}"#
            let response = try await client.execute(
                uri: "/v1/completions", method: .post, headers: Self.jsonHeaders, body: Self.post(body))
            #expect(response.status == .ok)
            let events = try Self.events(response.body)
            try #require(events.count == 42, "40 tokens, final, [DONE]")
            #expect(events.last == "[DONE]")
            let chunks = try events.dropLast().map(Self.object)
            for chunk in chunks {
                #expect(chunk["object"] as? String == "text_completion")
                #expect(chunk["usage"] == nil, "no usage unless stream_options.include_usage")
            }
            for chunk in chunks.dropLast() {
                let choice = try Self.choice(chunk)
                #expect(choice["text"] as? String == " tok")
                #expect(choice["finish_reason"] is NSNull)
            }
            let final = try Self.choice(try #require(chunks.last))
            #expect(final["text"] as? String == "")
            #expect(final["finish_reason"] as? String == "length")
        }
    }

    // MARK: Non-streaming

    @Test(.timeLimit(.minutes(1)), arguments: [1, 16, 300])
    func nonStreamingUsageIsTheRequestedTokens(maxTokens: Int) async throws {
        let app = buildSimApplication(configuration: try Self.configuration())
        try await app.test(.router) { client in
            let chat =
                #"{"messages":[{"role":"user","content":[{"type":"text","text":"a b c d e f"}]}],"#
                + #""max_completion_tokens":\#(maxTokens)}"#
            let response = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: Self.jsonHeaders, body: Self.post(chat))
            #expect(response.status == .ok)
            let json = try Self.object(String(buffer: response.body))
            #expect(json["object"] as? String == "chat.completion")
            #expect(json["model"] as? String == "twin")
            let usage = try #require(json["usage"] as? [String: Int])
            #expect(usage == ["prompt_tokens": 6, "completion_tokens": maxTokens, "total_tokens": 6 + maxTokens])
            let message = try #require(try Self.choice(json)["message"] as? [String: String])
            #expect(message["role"] == "assistant")
            #expect(SimTokenizer.words.count(message["content"] ?? "") == maxTokens)

            let completion = #"{"prompt":[1,2,3,4,5,6,7],"max_tokens":\#(maxTokens)}"#
            let second = try await client.execute(
                uri: "/v1/completions", method: .post, headers: Self.jsonHeaders, body: Self.post(completion))
            let text = try Self.object(String(buffer: second.body))
            #expect(
                text["usage"] as? [String: Int] == [
                    "prompt_tokens": 7, "completion_tokens": maxTokens, "total_tokens": 7 + maxTokens,
                ])
            #expect(try Self.choice(text)["finish_reason"] as? String == "length")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func defaultMaxTokensIsSixteen() async throws {
        let app = buildSimApplication(configuration: try Self.configuration())
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/completions", method: .post, headers: Self.jsonHeaders, body: Self.post(#"{"prompt":"hi"}"#))
            let usage = try Self.object(String(buffer: response.body))["usage"] as? [String: Int]
            #expect(usage?["completion_tokens"] == 16)
        }
    }

    // MARK: Errors

    @Test(
        .timeLimit(.minutes(1)),
        arguments: [
            ("/v1/chat/completions", #"{"model":"m"}"#, "messages"),
            ("/v1/chat/completions", #"{"messages":[{"role":"user","content":"x"}],"max_tokens":0}"#, "max_tokens"),
            (
                "/v1/chat/completions", #"{"messages":[{"role":"user","content":"x"}],"max_completion_tokens":-3}"#,
                "max_completion_tokens"
            ),
            ("/v1/chat/completions", #"{"messages":[{"content":"x"}]}"#, "messages[0].role"),
            ("/v1/completions", #"{"prompt":"x","max_tokens":"many"}"#, "max_tokens"),
            ("/v1/completions", #"{"max_tokens":3}"#, "prompt"),
            ("/v1/completions", #"{"prompt":""}"#, "prompt"),
            ("/v1/completions", #"{"prompt":"x","stream":"yes"}"#, "stream"),
            ("/v1/completions", #"{"prompt":"x","n":2}"#, "n"),
            ("/tokenize", #"{"model":"m"}"#, "prompt"),
        ])
    func badInputIsA400NamingTheField(uri: String, body: String, field: String) async throws {
        let app = buildSimApplication(configuration: try Self.configuration())
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: uri, method: .post, headers: Self.jsonHeaders, body: Self.post(body))
            #expect(response.status == .badRequest)
            let error = try #require(try Self.object(String(buffer: response.body))["error"] as? [String: Any])
            #expect(error["param"] as? String == field)
            #expect(error["type"] as? String == "invalid_request_error")
            #expect((error["message"] as? String)?.isEmpty == false)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func malformedJSONIsA400() async throws {
        let app = buildSimApplication(configuration: try Self.configuration())
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/completions", method: .post, headers: Self.jsonHeaders, body: Self.post("{\"prompt\":"))
            #expect(response.status == .badRequest)
            let error = try #require(try Self.object(String(buffer: response.body))["error"] as? [String: Any])
            #expect(error["param"] is NSNull)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func tooLongForTheContextIsA400NamingIt() async throws {
        let configuration = try Self.configuration()
        let app = buildSimApplication(configuration: configuration)
        try await app.test(.router) { client in
            let body = #"{"prompt":"a b c","max_tokens":\#(configuration.maxModelLength)}"#
            let response = try await client.execute(
                uri: "/v1/completions", method: .post, headers: Self.jsonHeaders, body: Self.post(body))
            #expect(response.status == .badRequest)
            let error = try #require(try Self.object(String(buffer: response.body))["error"] as? [String: Any])
            #expect(error["code"] as? String == "context_length_exceeded")
            #expect((error["message"] as? String)?.contains("\(configuration.maxModelLength) tokens") == true)
        }
    }

    // MARK: Models, health, tokenizer

    @Test(.timeLimit(.minutes(1)))
    func modelsHealthAndTokenizer() async throws {
        let configuration = try Self.configuration()
        let app = buildSimApplication(configuration: configuration)
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            let models = try Self.object(String(buffer: try await client.execute(uri: "/v1/models", method: .get).body))
            let data = try #require(models["data"] as? [[String: Any]])
            #expect(data.first?["id"] as? String == "twin")
            #expect(data.first?["max_model_len"] as? Int == configuration.maxModelLength)

            let vllm = try await client.execute(
                uri: "/tokenize", method: .post, headers: Self.jsonHeaders,
                body: Self.post(#"{"model":"twin","prompt":"  the quick\tbrown\nfox "}"#))
            let counted = try Self.object(String(buffer: vllm.body))
            #expect(counted["count"] as? Int == 4)
            #expect(counted["tokens"] as? [Int] == [0, 1, 2, 3])
            #expect(counted["max_model_len"] as? Int == configuration.maxModelLength)

            let llama = try await client.execute(
                uri: "/tokenize", method: .post, headers: Self.jsonHeaders, body: Self.post(#"{"content":"a b"}"#))
            let tokens = try Self.object(String(buffer: llama.body))
            #expect(tokens["tokens"] as? [Int] == [0, 1])
            #expect(tokens["count"] == nil)

            let chat = try await client.execute(
                uri: "/tokenize", method: .post, headers: Self.jsonHeaders,
                body: Self.post(#"{"messages":[{"role":"user","content":"a b"},{"role":"user","content":"c"}]}"#))
            #expect(try Self.object(String(buffer: chat.body))["count"] as? Int == 3)

            let back = try await client.execute(
                uri: "/detokenize", method: .post, headers: Self.jsonHeaders, body: Self.post(#"{"tokens":[5,6,7]}"#))
            let text = try Self.object(String(buffer: back.body))
            #expect(SimTokenizer.words.count(text["prompt"] as? String ?? "") == 3)
            #expect(text["content"] as? String == text["prompt"] as? String)
        }
    }

    @Test func tokenizers() {
        #expect(SimTokenizer.words.count("") == 0)
        #expect(SimTokenizer.words.count(" \n\t ") == 0)
        #expect(SimTokenizer.words.count("héllo wörld, again") == 3)
        #expect(SimTokenizer.bytes.count("abcd") == 1)
        #expect(SimTokenizer.bytes.count("abcde") == 2)
        for mode in SimTokenizer.allCases { #expect(mode.count(SimTokenizer.text(tokens: 9)) == 9) }
    }

    // MARK: Timing

    /// A live server streams as fast as the model says (divided by the time scale): the request's end-to-end time is
    /// the sum of its steps' modelled seconds.
    @Test(.timeLimit(.minutes(1)))
    func liveRequestTakesTheModelledTime() async throws {
        let timeScale = 8.0
        let configuration = try Self.configuration(timeScale: timeScale)
        var replica = LiveReplica(fleet: configuration.fleet)
        let accepted = replica.enqueue(id: 0, inputTokens: 200, outputTokens: 120)
        #expect(accepted)
        var modelled = 0.0
        while replica.busy { modelled += replica.step().seconds }
        let expected = modelled / timeScale
        let words = Array(repeating: "w", count: 200).joined(separator: " ")
        let app = buildSimApplication(configuration: configuration)
        // The whole exchange on the engine thread: CPU-bound suites running beside this one can saturate the
        // cooperative pool for seconds, which would measure them rather than the twin.
        try await withTaskExecutorPreference(EngineThread.shared) {
            try await app.test(.live) { client in
                let clock = ContinuousClock()
                let started = clock.now
                let response = try await client.execute(
                    uri: "/v1/completions", method: .post, headers: Self.jsonHeaders,
                    body: Self.post(#"{"prompt":"\#(words)","max_tokens":120,"stream":true}"#))
                let elapsed = (clock.now - started) / .seconds(1)
                #expect(response.status == .ok)
                #expect(try Self.events(response.body).count == 120 + 2)
                #expect(elapsed > expected * 0.95, "no faster than the model: \(elapsed) s vs \(expected) s")
                // The allowance covers scheduling on a loaded 2-core machine (two `yes` beside the suite: 185 ms for
                // a 75 ms model once), not a slower twin.
                #expect(elapsed < expected * 1.5 + 0.15, "about as fast as the model: \(elapsed) s vs \(expected) s")
            }
        }
    }

    /// TPOT measured on each request's token deliveries matches the model's step time at that batch size.
    @Test(.timeLimit(.minutes(1)), arguments: [1, 8])
    func tokenPacingFollowsTheStepTime(batch: Int) async throws {
        let timeScale = 4.0
        let configuration = try Self.configuration(timeScale: timeScale)
        let output = 80
        var replica = LiveReplica(fleet: configuration.fleet)
        for id in 0..<batch {
            let accepted = replica.enqueue(id: id, inputTokens: 300, outputTokens: output)
            #expect(accepted)
        }
        // Modelled TPOT of request 0: from its first token to its last, over its remaining tokens.
        var clock = 0.0
        var first = -1.0
        var last = 0.0
        while replica.busy {
            let step = replica.step()
            clock += step.seconds
            if step.tokens.contains(where: { $0.id == 0 }) {
                if first < 0 { first = clock }
                last = clock
            }
        }
        let modelledTPOT = (last - first) / Double(output - 1) / timeScale

        let fleet = SimFleet(fleet: configuration.fleet, timeScale: timeScale)
        // Submit and consume on the engine thread: CPU-bound suites beside this one can hold the cooperative pool
        // long enough for the stream to run ahead of its reader.
        let measured = await withTaskExecutorPreference(EngineThread.shared) {
            let channels = (0..<batch).map { _ in fleet.submit(inputTokens: 300, outputTokens: output) }
            return await Self.tpots(of: channels, expecting: output)
        }
        #expect(fleet.outstanding == 0)
        for tpot in measured {
            #expect(abs(tpot - modelledTPOT) < modelledTPOT * 0.25, "TPOT \(tpot) s vs modelled \(modelledTPOT) s")
        }
    }

    /// Each channel's measured TPOT: from its first token to its last, over its remaining tokens.
    static func tpots(of channels: [TokenChannel], expecting output: Int) async -> [Double] {
        await withTaskGroup(of: Double.self) { group in
            for channel in channels {
                group.addTask {
                    let wall = ContinuousClock()
                    var firstAt: ContinuousClock.Instant?
                    var received = 0
                    while true {
                        let delivery = await channel.next()
                        if firstAt == nil, delivery.tokens > 0 { firstAt = wall.now }
                        received += delivery.tokens
                        if delivery.finished || delivery.refused || delivery.cancelled { break }
                    }
                    #expect(received == output)
                    guard let firstAt else { return .nan }
                    return (wall.now - firstAt) / .seconds(1) / Double(output - 1)
                }
            }
            return await group.reduce(into: [Double]()) { $0.append($1) }
        }
    }

    /// Requests spread over the replicas by least outstanding: two replicas serve two requests in parallel.
    @Test(.timeLimit(.minutes(1)))
    func replicasServeInParallel() async throws {
        let timeScale = 8.0
        let one = SimFleet(fleet: try Self.configuration(count: 1, timeScale: timeScale).fleet, timeScale: timeScale)
        let two = SimFleet(fleet: try Self.configuration(count: 2, timeScale: timeScale).fleet, timeScale: timeScale)
        func makespan(_ fleet: SimFleet) async -> Double {
            let clock = ContinuousClock()
            let start = clock.now
            let channels = (0..<2).map { _ in fleet.submit(inputTokens: 6000, outputTokens: 4) }
            for channel in channels {
                while !(await channel.next()).finished {}
            }
            return (clock.now - start) / .seconds(1)
        }
        // Prefill-bound requests: on one replica the two prompts share each step's token budget.
        let (shared, parallel) = await withTaskExecutorPreference(EngineThread.shared) {
            (await makespan(one), await makespan(two))
        }
        #expect(parallel < shared * 0.85, "two replicas \(parallel) s vs one \(shared) s")
    }
}
