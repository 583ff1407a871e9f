/// The twin's synthetic tokenizer: it has no vocabulary, only a rule for how many tokens a text is.
///
/// Real tokenizers make about 1.3 tokens of an English word; the twin counts whole words (or bytes) so that a
/// benchmark client can reproduce its count exactly. Token ids are positions (0, 1, 2, …), not vocabulary entries.
public enum SimTokenizer: String, Sendable, Hashable, CaseIterable {
    /// One token per run of non-whitespace characters (ASCII space, tab, line feed, carriage return, vertical tab
    /// and form feed separate words).
    case words
    /// One token per four bytes of UTF-8, rounded up (the usual rule of thumb for English text).
    case bytes

    /// How many tokens `text` is.
    /// - Complexity: O(n) in the UTF-8 length of `text`.
    public func count(_ text: some StringProtocol) -> Int {
        switch self {
        case .words:
            var count = 0
            var inWord = false
            for byte in text.utf8 {
                let space = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
                if !space && !inWord { count += 1 }
                inWord = !space
            }
            return count
        case .bytes:
            return (text.utf8.count + 3) / 4
        }
    }

    /// The text the twin generates for one token: four bytes and one word, so that it re-tokenizes to one token in
    /// either mode.
    public static let generatedToken = " tok"

    /// A text that tokenizes back to `count` tokens (the twin's detokenizer).
    public static func text(tokens count: Int) -> String {
        String(repeating: generatedToken, count: max(count, 0))
    }
}
