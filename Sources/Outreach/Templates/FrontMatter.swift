/// The optional `---` block at the top of a template file: `key: value` lines.
struct FrontMatter {
    var values: [String: String] = [:]
    /// The 1-based line of each key, for errors in values (a `subject:` that does not parse).
    var lines: [String: Int] = [:]
    /// The body after the block.
    var body: String
    /// How many lines the block took, to report body errors at their line in the file.
    var lineOffset = 0

    /// Splits `source` into front matter and body; a file without a leading `---` line is all body.
    static func split(_ source: String, file: String) throws(TemplateError) -> FrontMatter {
        // Split on LF bytes: Swift treats CR LF as one Character, which `split(separator: "\n")` would miss.
        var lines = source.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map {
            Substring(String(decoding: $0, as: UTF8.self))
        }
        func clean(_ s: Substring) -> Substring {
            s.utf8.last == 0x0D ? Substring(String(decoding: s.utf8.dropLast(), as: UTF8.self)) : s
        }
        guard let first = lines.first, clean(first) == "---" else { return FrontMatter(body: source) }
        var fm = FrontMatter(body: "")
        var i = 1
        while true {
            guard i < lines.count else {
                throw TemplateError.frontMatter(
                    file: file, line: 1, message: "is not closed: add a '---' line after the last 'key: value' line")
            }
            let line = clean(lines[i])
            if line == "---" { break }
            let trimmed = line.trimmingSpacesSubstring
            if trimmed.isEmpty || trimmed.hasPrefix("#") { i += 1; continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw TemplateError.frontMatter(file: file, line: i + 1, message: "line '\(line)' is not 'key: value'")
            }
            let key = String(line[..<colon]).trimmingSpaces
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
            else {
                throw TemplateError.frontMatter(
                    file: file, line: i + 1, message: "key '\(key)' must be letters, digits, '_' or '-'")
            }
            guard fm.values[key] == nil else {
                throw TemplateError.frontMatter(file: file, line: i + 1, message: "repeats the key '\(key)'")
            }
            var value = String(line[line.index(after: colon)...]).trimmingSpaces
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            fm.values[key] = value
            fm.lines[key] = i + 1
            i += 1
        }
        lines.removeFirst(i + 1)
        fm.body = lines.joined(separator: "\n")
        fm.lineOffset = i + 1
        return fm
    }
}

extension Substring {
    var trimmingSpacesSubstring: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
