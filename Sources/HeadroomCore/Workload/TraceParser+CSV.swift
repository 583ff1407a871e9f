extension TraceParser {
    /// The CSV columns a trace may use, by lower-cased header name.
    private enum Column: CaseIterable {
        case timestamp, input, output, prefixID, prefixTokens

        var names: [String] {
            switch self {
            case .timestamp: ["timestamp"]
            case .input: ["input_tokens", "input_length", "contexttokens"]
            case .output: ["output_tokens", "output_length", "generatedtokens"]
            case .prefixID: ["prefix_id"]
            case .prefixTokens: ["prefix_tokens"]
            }
        }

        var required: Bool { self == .timestamp || self == .input || self == .output }
    }

    static func parseCSV(_ text: String, file: String) throws(HeadroomError) -> [Record] {
        let rows: [CSVReader.Row]
        do {
            rows = try CSVReader.rows(Array(text.utf8))
        } catch {
            throw HeadroomError(.invalidFile, error.message, file: file, line: error.line, field: nil)
        }
        guard let header = rows.first else { return [] }
        var names = header.fields
        if let first = names.first, first.hasPrefix("\u{FEFF}") { names[0] = String(first.dropFirst()) }
        let lowered = names.map { $0.lowercased() }
        var index: [Column: Int] = [:]
        for column in Column.allCases {
            if let position = lowered.firstIndex(where: { column.names.contains($0) }) {
                index[column] = position
            } else if column.required {
                let expected = column.names.map {
                    $0 == "contexttokens" ? "ContextTokens" : $0 == "generatedtokens" ? "GeneratedTokens" : $0
                }
                throw HeadroomError(
                    .invalidFile,
                    "the header has no \(column.names[0]) column (expected one of \(expected.joined(separator: ", ")))",
                    file: file, line: header.line, field: column.names[0]
                )
            }
        }
        var records: [Record] = []
        records.reserveCapacity(rows.count - 1)
        var usesDates: Bool?
        for row in rows.dropFirst() {
            func fail(_ message: String, _ column: Column?) -> HeadroomError {
                HeadroomError(
                    .invalidFile, message, file: file, line: row.line,
                    field: column.flatMap { index[$0] }.map { names[$0] })
            }
            guard row.fields.count == names.count else {
                let missing = row.fields.count < names.count ? names[row.fields.count] : nil
                throw HeadroomError(
                    .invalidFile, "expected \(names.count) fields as in the header, found \(row.fields.count)",
                    file: file, line: row.line, field: missing
                )
            }
            func value(_ column: Column) -> String? {
                index[column].map { row.fields[$0] }
            }
            let timeText = value(.timestamp) ?? ""
            let time: TraceTime
            let isDate: Bool
            if let seconds = Double(timeText), seconds.isFinite {
                time = TraceTime(seconds: 0, fraction: seconds)
                isDate = false
            } else if let date = parseDateTime(timeText) {
                time = date
                isDate = true
            } else {
                throw fail(
                    "'\(timeText)' is neither seconds nor a date-time like 2023-11-16 18:15:46.6805900", .timestamp)
            }
            if let usesDates, usesDates != isDate {
                throw fail("timestamps mix seconds and date-times", .timestamp)
            }
            usesDates = isDate
            let input = try positiveCount(value(.input) ?? "", fail: { fail($0, .input) })
            let output = try positiveCount(value(.output) ?? "", fail: { fail($0, .output) })
            var prefixID: Int?
            if let text = value(.prefixID), !text.isEmpty {
                guard let id = Int(text) else { throw fail("prefix id '\(text)' is not an integer", .prefixID) }
                prefixID = id
            }
            var prefixTokens: Int?
            if let text = value(.prefixTokens), !text.isEmpty {
                guard let tokens = tokenCount(text), tokens >= 0 else {
                    throw fail("prefix length '\(text)' is not a whole number of tokens", .prefixTokens)
                }
                prefixTokens = tokens
            }
            records.append(
                Record(
                    line: row.line, time: time, inputTokens: input, outputTokens: output, prefixID: prefixID,
                    prefixTokens: prefixTokens
                )
            )
        }
        return records
    }

    static func positiveCount(
        _ text: String, fail: (String) -> HeadroomError
    ) throws(HeadroomError) -> Int {
        guard let count = tokenCount(text) else { throw fail("'\(text)' is not a whole number of tokens") }
        guard count >= 1 else { throw fail("must be at least 1 token, got \(count)") }
        return count
    }

    /// Reads `YYYY-MM-DD HH:MM:SS[.fraction]` (or with `T` between date and time, optionally ending in `Z`) as UTC.
    /// - Returns: seconds since 1970-01-01 and the fraction, or nil when the text is not such a date-time.
    static func parseDateTime(_ text: String) -> TraceTime? {
        let bytes = Array(text.utf8)
        var position = 0
        func number(digits: Int) -> Int? {
            guard position + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[position..<(position + digits)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += digits
            return value
        }
        func expect(_ options: String) -> Bool {
            guard position < bytes.count, options.utf8.contains(bytes[position]) else { return false }
            position += 1
            return true
        }
        guard let year = number(digits: 4), expect("-"), let month = number(digits: 2), expect("-"),
            let day = number(digits: 2), expect(" T"), let hour = number(digits: 2), expect(":"),
            let minute = number(digits: 2), expect(":"), let second = number(digits: 2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60,
            second <= 60
        else { return nil }
        var fraction = 0.0
        if expect(".") {
            var nanoseconds = 0
            var digits = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                guard digits < 9 else { return nil }
                nanoseconds = nanoseconds * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                digits += 1
                position += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { nanoseconds *= 10 }
            fraction = Double(nanoseconds) * 1e-9
        }
        _ = expect("Z")
        guard position == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return TraceTime(seconds: seconds, fraction: fraction)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// A small RFC 4180 reader: comma-separated fields, double-quoted fields that may hold commas, line breaks and
/// doubled quotes, CRLF or LF line ends. Blank lines are skipped; spaces around unquoted fields are trimmed.
enum CSVReader {
    struct Row {
        /// The line the row starts on (1-based).
        var line: Int
        var fields: [String]
    }

    struct SyntaxError: Error {
        var line: Int
        var message: String
    }

    static func rows(_ bytes: [UInt8]) throws(SyntaxError) -> [Row] {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let lineFeed = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        let space = UInt8(ascii: " ")
        let tab = UInt8(ascii: "\t")
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var rowLine = 1
        var quoteLine = 1
        var inQuotes = false
        var wasQuoted = false
        var afterQuote = false
        var wasQuotedRow = false

        func endField() {
            var text = String(decoding: field, as: UTF8.self)
            if !wasQuoted { text = trimmed(text) }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
            afterQuote = false
        }
        func endRow() {
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuotedRow) {
                rows.append(Row(line: rowLine, fields: fields))
            }
            fields.removeAll()
            wasQuotedRow = false
        }

        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < bytes.count, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 2
                        continue
                    }
                    inQuotes = false
                    afterQuote = true
                } else {
                    if byte == lineFeed { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case comma:
                endField()
            case carriageReturn where index + 1 < bytes.count && bytes[index + 1] == lineFeed:
                break  // the line feed ends the row
            case lineFeed, carriageReturn:
                endField()
                endRow()
                line += 1
                rowLine = line
            case quote:
                guard !afterQuote, !wasQuoted, field.allSatisfy({ $0 == space || $0 == tab }) else {
                    throw SyntaxError(
                        line: line, message: "a quote inside field \(fields.count + 1) that does not start with one"
                    )
                }
                field.removeAll(keepingCapacity: true)
                inQuotes = true
                wasQuoted = true
                wasQuotedRow = true
                quoteLine = line
            default:
                if afterQuote {
                    guard byte == space || byte == tab else {
                        throw SyntaxError(
                            line: line, message: "text after the closing quote of field \(fields.count + 1)")
                    }
                } else {
                    field.append(byte)
                }
            }
            index += 1
        }
        if inQuotes {
            throw SyntaxError(
                line: quoteLine, message: "the quoted field \(fields.count + 1) starting here never closes")
        }
        if !field.isEmpty || !fields.isEmpty || wasQuoted {
            endField()
            endRow()
        }
        return rows
    }

    private static func trimmed(_ text: String) -> String {
        var scalars = Substring(text)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
