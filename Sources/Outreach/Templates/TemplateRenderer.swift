import Foundation

/// Walks a compiled tree against a context stack, appending bytes to one output buffer.
struct TemplateRenderer {
    let escaping: TemplateEscaping
    let partials: [String: Template]
    let file: String
    var out: [UInt8]
    var stack: [JSON] = []
    /// Blocks passed by enclosing parents, outermost first (the outermost wins).
    var overrides: [[String: [TemplateNode]]] = []
    /// True when the output is at the start of a template line, so the next output gets the indentation.
    var atLineStart = true
    var depth = 0
    /// How many bytes this rendering may add to `out`, and the size `out` may reach: checked after
    /// every node, so the renderer stops there instead of building gigabytes from partials that
    /// include each other many times.
    let maxBytes: Int
    let limit: Int
    /// Nodes visited (and context frames a section searched) so far. Sections over the same list nested in each other (or partials fanning
    /// out) can loop exponentially while writing nothing, which no output limit sees; a fuzzed
    /// template looped 6^133 times. Ordinary templates stay far below `maxSteps`.
    var steps = 0
    static let maxSteps = 1_000_000
    /// Sections, partials, parents and blocks open right now: each is a level of recursion, and a
    /// chain of 100 partials each nesting 100 sections would overflow the stack.
    var levels = 0
    static let maxLevels = 400

    init(escaping: TemplateEscaping, partials: [String: Template], file: String, out: [UInt8], maxBytes: Int) {
        self.escaping = escaping
        self.partials = partials
        self.file = file
        self.out = out
        self.maxBytes = maxBytes
        limit = out.count > Int.max - maxBytes ? Int.max : out.count + maxBytes
        stack.reserveCapacity(16)
    }

    // MARK: lookup

    /// The first frame holding the first part wins; later parts look only inside that value.
    func lookup(_ name: TemplateName) -> JSON? {
        let parts = name.parts
        guard let first = parts.first else { return stack.last }
        var i = stack.count - 1
        while i >= 0 {
            if case .object(let o) = stack[i], var v = Self.value(of: first, in: o) {
                var p = 1
                while p < parts.count {
                    guard case .object(let inner) = v, let next = inner[parts[p]] else { return nil }
                    v = next
                    p += 1
                }
                return v
            }
            i -= 1
        }
        return nil
    }

    /// `o[key]`; a frame of a few keys (the built-ins, most section items) is searched by comparing
    /// keys, cheaper than hashing the name for every frame a lookup passes.
    @inline(__always)
    static func value(of key: String, in o: [String: JSON]) -> JSON? {
        guard o.count <= 4 else { return o[key] }
        for (k, v) in o where k == key { return v }
        return nil
    }

    static func isTruthy(_ v: JSON?) -> Bool {
        switch v {
        case nil, .null?, .bool(false)?: return false
        case .string(let s)?: return !s.isEmpty
        case .array(let a)?: return !a.isEmpty
        default: return true
        }
    }

    func resolve(_ ref: TemplateReferenceName) -> Template? {
        switch ref {
        case .fixed(let n): return partials[n]
        case .dynamic(let name):
            switch lookup(name) {
            case .string(let s)?: return partials[s]
            case .number(let s)?: return partials[s]
            default: return nil
            }
        }
    }

    // MARK: output

    @inline(__always)
    mutating func beginLine(_ indent: [UInt8]) {
        if atLineStart {
            if !indent.isEmpty { out.append(contentsOf: indent) }
            atLineStart = false
        }
    }

    mutating func text(_ t: [UInt8], indent: [UInt8]) {
        if indent.isEmpty {
            out.append(contentsOf: t)
            if let last = t.last { atLineStart = last == 0x0A }
            return
        }
        t.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            var start = 0
            while start < buf.count {
                if atLineStart { out.append(contentsOf: indent) }
                if let nl = memchr(base + start, 0x0A, buf.count - start) {
                    let end = base.distance(to: UnsafePointer(nl.assumingMemoryBound(to: UInt8.self))) + 1
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<end]))
                    atLineStart = true
                    start = end
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start...]))
                    atLineStart = false
                    start = buf.count
                }
            }
        }
    }

    mutating func value(_ v: JSON?, escaped: Bool, indent: [UInt8]) {
        beginLine(indent)
        guard let v else { return }
        let mode = escaped ? escaping : .none
        switch v {
        case .string(let s): mode.append(s, to: &out)
        case .number(let n): mode.append(n, to: &out)
        case .bool(true): out.append(contentsOf: "true".utf8)
        case .bool(false), .null: break
        case .array, .object: mode.append(v.serialized, to: &out)
        }
    }

    // MARK: the walk

    mutating func render(_ nodes: [TemplateNode], indent: [UInt8]) throws(TemplateError) {
        levels += 1
        defer { levels -= 1 }
        guard levels <= Self.maxLevels else { throw TemplateError.nestedTooDeep(file: file, levels: Self.maxLevels) }
        for node in nodes {
            steps += 1
            guard steps <= Self.maxSteps else { throw TemplateError.tooMuchWork(file: file, steps: Self.maxSteps) }
            switch node {
            case .text(let t):
                text(t, indent: indent)
            case .value(let name, let escaped):
                value(lookup(name), escaped: escaped, indent: indent)
            case .section(let name, let body):
                steps += stack.count  // the lookup may search every frame: deep nesting makes each step dearer
                let v = lookup(name)
                guard Self.isTruthy(v), let v else { continue }
                if case .array(let items) = v {
                    for item in items {
                        stack.append(item)
                        try render(body, indent: indent)
                        stack.removeLast()
                    }
                } else {
                    stack.append(v)
                    try render(body, indent: indent)
                    stack.removeLast()
                }
            case .inverted(let name, let body):
                if !Self.isTruthy(lookup(name)) { try render(body, indent: indent) }
            case .partial(let ref, let own):
                guard let t = resolve(ref) else { continue }
                try nested(t.nodes, indent: own.map { indent + $0 } ?? [])
            case .parent(let ref, let own, let arguments):
                guard let t = resolve(ref) else { continue }
                overrides.append(arguments)
                try nested(t.nodes, indent: own.map { indent + $0 } ?? [])
                overrides.removeLast()
            case .block(let name, let own, let content):
                var chosen = content
                for frame in overrides {
                    if let c = frame[name] { chosen = c; break }
                }
                try render(chosen, indent: own.isEmpty ? indent : indent + own)
            }
            if out.count > limit { throw TemplateError.renderTooLarge(file: file, limit: maxBytes) }
        }
    }

    mutating func nested(_ nodes: [TemplateNode], indent: [UInt8]) throws(TemplateError) {
        depth += 1
        guard depth <= 100 else { throw TemplateError.recursionTooDeep(file: file) }
        try render(nodes, indent: indent)
        depth -= 1
    }
}
