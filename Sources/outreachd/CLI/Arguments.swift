/// The parsed words of one command line: positionals, options with values, and flags.
struct Arguments {
    var positionals: [String] = []
    var options: [String: [String]] = [:]
    var flags: Set<String> = []

    init(_ words: [String], valueOptions: Set<String>, flags allowed: Set<String>) throws(UsageError) {
        var i = 0
        while i < words.count {
            let w = words[i]
            i += 1
            if w == "--" {
                positionals.append(contentsOf: words[i...])
                break
            }
            guard w.hasPrefix("--"), w.count > 2 else {
                positionals.append(w)
                continue
            }
            var name = w
            var inline: String?
            if let eq = w.firstIndex(of: "=") {
                name = String(w[..<eq])
                inline = String(w[w.index(after: eq)...])
            }
            if valueOptions.contains(name) {
                if let inline {
                    options[name, default: []].append(inline)
                } else {
                    guard i < words.count else { throw UsageError("\(name) needs a value") }
                    options[name, default: []].append(words[i])
                    i += 1
                }
            } else if allowed.contains(name) {
                guard inline == nil else { throw UsageError("\(name) takes no value") }
                flags.insert(name)
            } else {
                throw UsageError("unknown option \(name)")
            }
        }
    }

    func value(_ name: String) -> String? { options[name]?.last }
    func values(_ name: String) -> [String] { options[name] ?? [] }
    func has(_ flag: String) -> Bool { flags.contains(flag) }

    func require(_ name: String) throws(UsageError) -> String {
        guard let v = value(name) else { throw UsageError("\(name) is required") }
        return v
    }

    /// Exactly `count` positionals, named in the error when missing.
    func positionals(_ names: String...) throws(UsageError) -> [String] {
        guard positionals.count >= names.count else {
            throw UsageError("missing \(names[positionals.count...].joined(separator: " "))")
        }
        guard positionals.count == names.count else {
            throw UsageError("unexpected argument '\(positionals[names.count])'")
        }
        return positionals
    }

    /// `--attr k=v` pairs.
    func pairs(_ name: String) throws(UsageError) -> [String: String] {
        var out: [String: String] = [:]
        for p in values(name) {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                throw UsageError("\(name) \(p): expected key=value")
            }
            out[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        return out
    }
}
