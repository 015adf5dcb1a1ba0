/// Reads the TOML subset the configuration uses: `[a.b]` tables, `key = value` with strings,
/// integers, booleans and arrays of strings, and `#` comments.
struct TOMLParser {
    let file: String
    let baseDirectory: String

    func parse(_ text: String) throws(ConfigError) -> [String: ConfigSection] {
        var sections: [String: ConfigSection] = ["": ConfigSection(name: "", file: file, baseDirectory: baseDirectory)]
        var current = ""
        var lineNo = 0
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
        while let raw = lines.next() {
            lineNo += 1
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = stripComment(line).trimmingSpaces
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), !trimmed.hasPrefix("[[") else {
                    throw .syntax(file: file, line: lineNo, message: "a table header must look like [name]")
                }
                let name = String(trimmed.dropFirst().dropLast()).trimmingSpaces
                guard !name.isEmpty,
                    name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" })
                else {
                    throw .syntax(file: file, line: lineNo, message: "'\(name)' is not a valid table name")
                }
                if sections[name] != nil, name != "" {
                    throw .syntax(file: file, line: lineNo, message: "table [\(name)] is defined twice")
                }
                sections[name] = ConfigSection(name: name, file: file, baseDirectory: baseDirectory)
                current = name
                continue
            }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw .syntax(file: file, line: lineNo, message: "expected 'key = value'")
            }
            let key = String(trimmed[..<eq]).trimmingSpaces
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw .syntax(file: file, line: lineNo, message: "'\(key)' is not a valid key")
            }
            var valueText = String(trimmed[trimmed.index(after: eq)...]).trimmingSpaces
            // Arrays may span lines.
            if valueText.hasPrefix("["), !valueText.hasSuffix("]") {
                while let more = lines.next() {
                    lineNo += 1
                    valueText += " " + stripComment(Substring(more)).trimmingSpaces
                    if valueText.hasSuffix("]") { break }
                }
            }
            if sections[current]!.has(key) {
                throw .syntax(file: file, line: lineNo, message: "key '\(key)' is set twice")
            }
            let value = try parseValue(valueText, key: key, line: lineNo)
            sections[current]!.set(key, value, line: lineNo)
        }
        return sections
    }

    /// Removes a `#` comment that is not inside a string.
    func stripComment(_ line: Substring) -> String {
        var inString: Character? = nil
        var escaped = false
        var out = ""
        for c in line {
            if let q = inString {
                if escaped {
                    escaped = false
                } else if c == "\\" && q == "\"" {
                    escaped = true
                } else if c == q {
                    inString = nil
                }
            } else if c == "\"" || c == "'" {
                inString = c
            } else if c == "#" {
                break
            }
            out.append(c)
        }
        return out
    }

    func parseValue(_ text: String, key: String, line: Int) throws(ConfigError) -> ConfigValue {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if text.hasPrefix("\"") || text.hasPrefix("'") {
            var rest = Substring(text)
            let s = try parseString(&rest, key: key, line: line)
            guard rest.trimmingSpaces.isEmpty else {
                throw .syntax(file: file, line: line, message: "unexpected text after the string for '\(key)'")
            }
            return .string(s)
        }
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else {
                throw .syntax(file: file, line: line, message: "unclosed array for '\(key)'")
            }
            var rest = Substring(text.dropFirst().dropLast())
            var items: [String] = []
            while true {
                rest = Substring(rest.trimmingSpaces)
                if rest.isEmpty { break }
                guard rest.first == "\"" || rest.first == "'" else {
                    throw .wrongType(file: file, line: line, key: key, expected: "an array of strings")
                }
                items.append(try parseString(&rest, key: key, line: line))
                rest = Substring(rest.trimmingSpaces)
                if rest.isEmpty { break }
                guard rest.first == "," else {
                    throw .syntax(file: file, line: line, message: "expected ',' in the array for '\(key)'")
                }
                rest = rest.dropFirst()
            }
            return .strings(items)
        }
        let digits = text.replacingOccurrences(of: "_", with: "")
        if let i = Int(digits) { return .integer(i) }
        // A float as TOML writes it (no inf or nan, which Double would also read).
        if digits.allSatisfy({ "0123456789+-.eE".contains($0) }), digits.first != ".", digits.last != ".",
            let d = Double(digits), d.isFinite
        {
            return .float(d)
        }
        if text.isEmpty { throw .syntax(file: file, line: line, message: "'\(key)' has no value") }
        throw .syntax(file: file, line: line, message: "cannot read the value of '\(key)' (strings need quotes)")
    }

    func parseString(_ s: inout Substring, key: String, line: Int) throws(ConfigError) -> String {
        let quote = s.first!
        s = s.dropFirst()
        var out = ""
        while let c = s.first {
            s = s.dropFirst()
            if c == quote { return out }
            if c == "\\" && quote == "\"" {
                guard let e = s.first else { break }
                s = s.dropFirst()
                switch e {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\\": out.append("\\")
                case "\"": out.append("\"")
                case "u", "U":
                    let n = e == "u" ? 4 : 8
                    let hex = s.prefix(n)
                    guard hex.count == n, let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) else {
                        throw .syntax(file: file, line: line, message: "invalid \\\(e) escape in '\(key)'")
                    }
                    out.unicodeScalars.append(u)
                    s = s.dropFirst(n)
                default: throw .syntax(file: file, line: line, message: "invalid escape \\\(e) in '\(key)'")
                }
            } else {
                out.append(c)
            }
        }
        throw .syntax(file: file, line: line, message: "unterminated string for '\(key)'")
    }
}
