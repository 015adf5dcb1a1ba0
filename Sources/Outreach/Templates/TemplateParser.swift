/// Compiles Mustache source into a `TemplateNode` tree.
///
/// Three passes: tokenize (honouring `{{=<% %>=}}`), decide which tags are standalone (their line
/// disappears), then build the tree. Whitespace rules follow the official spec, including the
/// indentation of partials, parents and blocks (see docs/templates.md).
struct TemplateParser {
    enum Kind: Equatable {
        case value, unescaped, section, inverted, close, comment, partial, parent, block, delimiters
    }

    struct Tag {
        var kind: Kind
        var name: String
        var start: Int  // offset of the opening delimiter
        var end: Int  // offset after the closing delimiter
    }

    enum Token {
        case text(Int, Int)
        case tag(Tag)
    }

    let src: [UInt8]
    let file: String
    /// The file line of the source's first line (front matter comes before it).
    let firstLine: Int
    var tokens: [Token] = []
    /// Per token: the matching close token for sections, parents and blocks.
    var closeOf: [Int: Int] = [:]
    /// Per token: whether its innermost enclosing element is a parent (its blocks are arguments).
    var inParent: Set<Int> = []
    /// Trimmed ranges of text tokens.
    var textStart: [Int: Int] = [:]
    var textEnd: [Int: Int] = [:]
    /// Standalone indentation (absolute, from the line start) of partials, parents and blocks.
    var indentOf: [Int: [UInt8]] = [:]
    /// Intrinsic indentation of blocks whose opening tag ends its line.
    var intrinsicOf: [Int: [UInt8]] = [:]
    var references: [TemplateReference] = []

    init(source: String, file: String, firstLine: Int) {
        src = Array(source.utf8)
        self.file = file
        self.firstLine = firstLine
    }

    static func parse(_ source: String, file: String, firstLine: Int) throws(TemplateError) -> (
        nodes: [TemplateNode], references: [TemplateReference]
    ) {
        var p = TemplateParser(source: source, file: file, firstLine: firstLine)
        try p.tokenize()
        try p.match()
        p.standalone()
        var i = 0
        let nodes = try p.build(&i, until: p.tokens.count, dedent: [])
        return (nodes, p.references)
    }

    // MARK: errors

    func position(_ offset: Int) -> (line: Int, column: Int) {
        var line = firstLine
        var lineStart = 0
        for i in 0..<min(offset, src.count) where src[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        let column = String(decoding: src[lineStart..<min(offset, src.count)], as: UTF8.self).unicodeScalars.count + 1
        return (line, column)
    }

    func error(_ offset: Int, _ message: String) -> TemplateError {
        let p = position(offset)
        return .syntax(file: file, line: p.line, column: p.column, message: message)
    }

    // MARK: pass 1: tokens

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, hay.count >= needle.count else { return nil }
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == first {
                var j = 1
                while j < needle.count, hay[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    func trimmed(_ from: Int, _ to: Int) -> String {
        var a = from, b = to
        while a < b, Self.isSpace(src[a]) { a += 1 }
        while b > a, Self.isSpace(src[b - 1]) { b -= 1 }
        return String(decoding: src[a..<b], as: UTF8.self)
    }

    mutating func tokenize() throws(TemplateError) {
        var open: [UInt8] = Array("{{".utf8)
        var close: [UInt8] = Array("}}".utf8)
        var i = 0
        while i < src.count {
            guard let p = Self.find(open, in: src, from: i) else {
                tokens.append(.text(i, src.count))
                break
            }
            if p > i { tokens.append(.text(i, p)) }
            var j = p + open.count
            while j < src.count, src[j] == 0x20 || src[j] == 0x09 { j += 1 }
            guard j < src.count else {
                throw error(
                    p,
                    "unclosed tag: no '\(String(decoding: close, as: UTF8.self))' after '\(String(decoding: open, as: UTF8.self))'"
                )
            }
            let sigil = src[j]
            let kind: Kind
            switch sigil {
            case UInt8(ascii: "{"): kind = .unescaped
            case UInt8(ascii: "&"): kind = .unescaped
            case UInt8(ascii: "#"): kind = .section
            case UInt8(ascii: "^"): kind = .inverted
            case UInt8(ascii: "/"): kind = .close
            case UInt8(ascii: "!"): kind = .comment
            case UInt8(ascii: ">"): kind = .partial
            case UInt8(ascii: "<"): kind = .parent
            case UInt8(ascii: "$"): kind = .block
            case UInt8(ascii: "="): kind = .delimiters
            default: kind = .value
            }
            let contentStart = kind == .value ? j : j + 1
            let terminator: [UInt8]
            if sigil == UInt8(ascii: "{") {
                terminator = [UInt8(ascii: "}")] + close
            } else if sigil == UInt8(ascii: "=") {
                terminator = [UInt8(ascii: "=")] + close
            } else {
                terminator = close
            }
            guard let e = Self.find(terminator, in: src, from: contentStart) else {
                throw error(
                    p,
                    "unclosed tag: no '\(String(decoding: terminator, as: UTF8.self))' after '\(String(decoding: src[p..<min(src.count, contentStart)], as: UTF8.self))'"
                )
            }
            let end = e + terminator.count
            let name = trimmed(contentStart, e)
            switch kind {
            case .comment: break
            case .delimiters:
                let parts = name.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard parts.count == 2, !parts[0].contains("="), !parts[1].contains("=") else {
                    throw error(p, "a delimiter change needs two delimiters, like {{=<% %>=}}")
                }
                open = Array(parts[0].utf8)
                close = Array(parts[1].utf8)
            default:
                if name.isEmpty { throw error(p, "empty tag: a name is missing between the delimiters") }
                var check = name
                if kind == .partial || kind == .parent, check.hasPrefix("*") {
                    check = String(check.dropFirst()).trimmingSpaces
                    if check.isEmpty { throw error(p, "a dynamic name needs a name after '*'") }
                }
                if check.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
                    throw error(p, "the name '\(name)' contains whitespace")
                }
            }
            tokens.append(.tag(Tag(kind: kind, name: name, start: p, end: end)))
            i = end
        }
    }

    // MARK: pass 2: structure and standalone lines

    static let maxNesting = 100

    mutating func match() throws(TemplateError) {
        var stack: [Int] = []
        for (k, t) in tokens.enumerated() {
            guard case .tag(let tag) = t else { continue }
            if let top = stack.last, case .tag(let o) = tokens[top], o.kind == .parent { inParent.insert(k) }
            switch tag.kind {
            case .section, .inverted, .parent, .block:
                // The tree is built and walked recursively: thousands of levels overflowed the stack.
                guard stack.count < Self.maxNesting else {
                    throw error(tag.start, "sections, blocks and parents nest more than \(Self.maxNesting) levels deep")
                }
                stack.append(k)
            case .close:
                guard let top = stack.popLast(), case .tag(let o) = tokens[top] else {
                    throw error(tag.start, "closing tag '\(tag.name)' has no open section")
                }
                guard o.name == tag.name else {
                    throw error(
                        tag.start,
                        "closing tag '\(tag.name)' does not match '\(o.name)' opened at line \(position(o.start).line)")
                }
                closeOf[top] = k
            default: break
            }
        }
        if let top = stack.last, case .tag(let o) = tokens[top] {
            let what = o.kind == .parent ? "parent" : o.kind == .block ? "block" : "section"
            throw error(o.start, "unclosed \(what) '\(o.name)' opened at line \(position(o.start).line)")
        }
    }

    func tag(_ k: Int) -> Tag {
        guard case .tag(let t) = tokens[k] else { fatalError("token \(k) is not a tag") }
        return t
    }

    /// Offset of the start of the tag's line when only spaces and tabs precede the tag on it.
    func leftClear(_ k: Int) -> Int? {
        var i = tag(k).start
        while i > 0, src[i - 1] == 0x20 || src[i - 1] == 0x09 { i -= 1 }
        return i == 0 || src[i - 1] == 0x0A ? i : nil
    }

    /// Offset after the line ending when only spaces and tabs follow the tag on its line.
    func rightClear(_ k: Int) -> Int? {
        var i = tag(k).end
        while i < src.count, src[i] == 0x20 || src[i] == 0x09 { i += 1 }
        if i == src.count { return i }
        if src[i] == 0x0A { return i + 1 }
        if src[i] == 0x0D, i + 1 < src.count, src[i + 1] == 0x0A { return i + 2 }
        return nil
    }

    mutating func trimLeft(_ k: Int, to lineStart: Int) {
        if k > 0, case .text = tokens[k - 1] { textEnd[k - 1] = lineStart }
    }

    mutating func trimRight(_ k: Int, to after: Int) {
        if k + 1 < tokens.count, case .text = tokens[k + 1] { textStart[k + 1] = after }
    }

    func leadingSpace(at offset: Int) -> [UInt8] {
        var i = offset
        while i < src.count, src[i] == 0x20 || src[i] == 0x09 { i += 1 }
        return Array(src[offset..<i])
    }

    mutating func standalone() {
        for k in tokens.indices {
            guard case .tag(let t) = tokens[k] else { continue }
            let l = leftClear(k), r = rightClear(k)
            switch t.kind {
            case .value, .unescaped:
                break
            case .comment, .delimiters, .section, .inverted, .partial:
                if let l, let r {
                    trimLeft(k, to: l)
                    trimRight(k, to: r)
                    if t.kind == .partial { indentOf[k] = Array(src[l..<t.start]) }
                }
            case .close:
                // Closes of parents and argument blocks are handled with their opening tag.
                if let l, let r, !closesParentOrBlock(k) {
                    trimLeft(k, to: l)
                    trimRight(k, to: r)
                }
            case .parent:
                let c = closeOf[k]!
                let rc = rightClear(c), lc = leftClear(c)
                if let l, rc != nil || r != nil {
                    indentOf[k] = Array(src[l..<t.start])
                    trimLeft(k, to: l)
                }
                if let rc, l != nil || lc != nil { trimRight(c, to: rc) }
            case .block:
                let c = closeOf[k]!
                let rc = rightClear(c), lc = leftClear(c)
                if inParent.contains(k) {
                    // An argument: what precedes it on the line belongs to the parent (ignored).
                    if let r {
                        trimRight(k, to: r)
                        intrinsicOf[k] = leadingSpace(at: r)
                    }
                    if let lc { trimLeft(c, to: lc) }
                } else {
                    if let l, let r {
                        trimLeft(k, to: l)
                        trimRight(k, to: r)
                        intrinsicOf[k] = leadingSpace(at: r)
                        indentOf[k] = leadingSpace(at: r)
                    } else if let l, rc != nil {
                        indentOf[k] = Array(src[l..<t.start])
                        trimLeft(k, to: l)
                    }
                    if let lc, let rc {
                        trimLeft(c, to: lc)
                        trimRight(c, to: rc)
                    }
                }
            }
        }
    }

    func closesParentOrBlock(_ k: Int) -> Bool {
        for (o, c) in closeOf where c == k {
            let kind = tag(o).kind
            return kind == .parent || kind == .block
        }
        return false
    }

    // MARK: pass 3: the tree

    /// Text of token `k` after trimming, with `dedent` removed at the start of each source line.
    func text(_ k: Int, _ s0: Int, _ e0: Int, dedent: [UInt8]) -> [UInt8] {
        let s = textStart[k] ?? s0, e = textEnd[k] ?? e0
        guard s < e else { return [] }
        if dedent.isEmpty { return Array(src[s..<e]) }
        var out: [UInt8] = []
        out.reserveCapacity(e - s)
        var i = s
        while i < e {
            if i == 0 || src[i - 1] == 0x0A, i + dedent.count <= e, Array(src[i..<i + dedent.count]) == dedent {
                i += dedent.count
                continue
            }
            out.append(src[i])
            i += 1
        }
        return out
    }

    static func relative(_ indent: [UInt8], to dedent: [UInt8]) -> [UInt8] {
        indent.starts(with: dedent) ? Array(indent.dropFirst(dedent.count)) : indent
    }

    func referenceName(_ name: String) -> TemplateReferenceName {
        name.hasPrefix("*") ? .dynamic(TemplateName(String(name.dropFirst()).trimmingSpaces)) : .fixed(name)
    }

    mutating func addReference(_ t: Tag) {
        guard !t.name.hasPrefix("*") else { return }
        let p = position(t.start)
        references.append(TemplateReference(name: t.name, isParent: t.kind == .parent, line: p.line, column: p.column))
    }

    mutating func build(_ i: inout Int, until end: Int, dedent: [UInt8]) throws(TemplateError) -> [TemplateNode] {
        var nodes: [TemplateNode] = []
        func add(_ n: TemplateNode) {
            if case .text(let b) = n, case .text(let a)? = nodes.last {
                nodes[nodes.count - 1] = .text(a + b)
            } else {
                nodes.append(n)
            }
        }
        while i < end {
            let k = i
            switch tokens[k] {
            case .text(let s, let e):
                let b = text(k, s, e, dedent: dedent)
                if !b.isEmpty { add(.text(b)) }
                i += 1
            case .tag(let t):
                i += 1
                switch t.kind {
                case .comment, .delimiters, .close:
                    break
                case .value: add(.value(TemplateName(t.name), escaped: true))
                case .unescaped: add(.value(TemplateName(t.name), escaped: false))
                case .section, .inverted:
                    let c = closeOf[k]!
                    let body = try build(&i, until: c, dedent: dedent)
                    i = c + 1
                    add(
                        t.kind == .section
                            ? .section(TemplateName(t.name), body) : .inverted(TemplateName(t.name), body))
                case .partial:
                    addReference(t)
                    add(.partial(referenceName(t.name), indent: indentOf[k].map { Self.relative($0, to: dedent) }))
                case .block:
                    let c = closeOf[k]!
                    let inner = intrinsicOf[k] ?? dedent
                    let body = try build(&i, until: c, dedent: inner)
                    i = c + 1
                    add(.block(t.name, indent: Self.relative(indentOf[k] ?? [], to: dedent), content: body))
                case .parent:
                    addReference(t)
                    let c = closeOf[k]!
                    var arguments: [String: [TemplateNode]] = [:]
                    // Only blocks count inside a parent; other text and tags are ignored.
                    while i < c {
                        if case .tag(let a) = tokens[i], a.kind == .block {
                            let ac = closeOf[i]!
                            let inner = intrinsicOf[i] ?? dedent
                            i += 1
                            arguments[a.name] = try build(&i, until: ac, dedent: inner)
                            i = ac + 1
                        } else if case .tag(let a) = tokens[i], let ac = closeOf[i], a.kind != .block {
                            i = ac + 1
                        } else {
                            i += 1
                        }
                    }
                    i = c + 1
                    add(
                        .parent(
                            referenceName(t.name), indent: indentOf[k].map { Self.relative($0, to: dedent) },
                            arguments: arguments))
                }
            }
        }
        return nodes
    }
}
