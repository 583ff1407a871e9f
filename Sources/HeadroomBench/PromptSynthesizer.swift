import HeadroomCore

/// Counts the tokens of a text the way the served model does.
public protocol BenchTokenizer: Sendable {
    /// Tokens in `text`, without special tokens.
    func count(_ text: String) async throws -> Int
}

/// Builds prompts of an exact token length from words that are one token each.
///
/// Space-led common words are single tokens in the byte-pair vocabularies of current models, and a pre-tokenizer
/// splits text at spaces, so a prompt of *n* such words has *n + c* tokens, where *c* is a constant the first probe
/// measures (0 for most tokenizers, 1 where the first word loses its space). ``prepare(using:)`` keeps only the words
/// the server's tokenizer reports as one token, measures *c*, and checks a sample of composed prompts. Without a
/// tokenizer the words are taken as one token each and the lengths are estimates (results say so).
public struct PromptSynthesizer: Sendable {
    /// Candidate words: common English words short enough to be single tokens in the usual vocabularies.
    public static let candidates: [String] = """
        the of and to in is was for on are with as at be by this had not but from or have an they which one you were \
        her all she there would their we him been has when who will more no if out so said what up its about into \
        than them can only other new some could time these two may then do first any my now such like our over man \
        me even most made after also did many before must through back years where much your way well down should \
        because each just those people how too little state good very make world still own see men work long get \
        here between both life being under never day same another know while last might us great old year off come \
        since against go came right used take three states himself few house use during without again place around \
        however home small found thought went say part once general high upon school every does got united left \
        number course war until always away something fact though water less public put think almost hand enough \
        far took head yet government system better set told nothing night end why called didn find going look asked \
        later knew point next program city business give group toward young days let room president side social \
        given present several order national possible rather second face per among form important often things \
        early white case large become need big four within felt along children saw best church ever least power \
        development light thing seemed family interest want members mind country area others done turned although \
        open problem certain kind began different door thus help sense means whole matter perhaps itself york \
        times human law line above name example action company hands local show five history gave today either act \
        feet across taken past quite anything seen having death week experience body word half really field am car \
        words already themselves information tell together college shall money period held keep sure free seems \
        real behind cannot miss political air question making office brought whose special heard major problems \
        ago became federal moment study available known result street economic boy position reason change south \
        board individual job areas society west close turn love community true court force full seem art wife \
        future age wanted department voice center woman control common necessary policy following front sometimes \
        six girl clear further land run students provide feel party able mother music education university child \
        effect level stood military town short morning total outside rate figure class century washington north
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    /// Words the tokenizer counts as one token each (with a leading space).
    public private(set) var words: [String]
    /// Tokens of a composed prompt minus its word count.
    public private(set) var offset: Int
    /// Whether lengths were checked with the server's tokenizer.
    public private(set) var verified: Bool

    /// An unverified synthesizer: every candidate word taken as one token.
    public init() {
        words = Self.candidates
        offset = 0
        verified = false
    }

    /// Keeps the single-token words, measures the offset and checks composed prompts.
    /// - Throws: when the tokenizer fails, or when composed prompts do not come out at their length (the tokenizer
    ///   merges across words), naming the lengths seen.
    public static func prepare(using tokenizer: some BenchTokenizer) async throws -> PromptSynthesizer {
        var synthesizer = PromptSynthesizer()
        var single: [String] = []
        // Eight at a time: a small server (llama.cpp with one thread) answers these between its other work.
        try await withThrowingTaskGroup(of: (String, Int).self) { group in
            var pending = candidates[...]
            for _ in 0..<8 {
                guard let word = pending.popFirst() else { break }
                group.addTask { (word, try await tokenizer.count(" " + word)) }
            }
            while let (word, tokens) = try await group.next() {
                if tokens == 1 { single.append(word) }
                if let next = pending.popFirst() { group.addTask { (next, try await tokenizer.count(" " + next)) } }
            }
        }
        single.sort()
        guard single.count >= 50 else {
            throw HeadroomError(
                .invalidInput,
                "the server's tokenizer splits most common words (\(single.count) single-token words of "
                    + "\(candidates.count)); synthetic prompts cannot be sized exactly")
        }
        synthesizer.words = single
        var rng = SeededGenerator(seed: 7)
        let probe = synthesizer.compose(words: 64, using: &rng)
        synthesizer.offset = try await tokenizer.count(probe) - 64
        // Check: prompts of several lengths must tokenize to exactly their target.
        for target in [16, 100, 333] {
            let prompt = synthesizer.prompt(tokens: target, using: &rng)
            let counted = try await tokenizer.count(prompt)
            guard counted == target else {
                throw HeadroomError(
                    .invalidInput,
                    "synthetic prompt sized for \(target) tokens counted \(counted) by the server's tokenizer")
            }
        }
        synthesizer.verified = true
        return synthesizer
    }

    /// A prompt of `tokens` tokens (at least one word).
    public func prompt(tokens: Int, using rng: inout some RandomNumberGenerator) -> String {
        compose(words: max(tokens - offset, 1), using: &rng)
    }

    func compose(words count: Int, using rng: inout some RandomNumberGenerator) -> String {
        var text = ""
        text.reserveCapacity(count * 6)
        for index in 0..<count {
            if index > 0 { text += " " }
            text += words[Int(rng.next() % UInt64(words.count))]
        }
        return text
    }
}
