/// RFC 6376 §3.4 "relaxed" canonicalization of header fields and body.
enum DKIMCanonicalization {
    static func isWSP(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// Relaxed body: runs of white space become one space, trailing white space and trailing empty
    /// lines go, and a non-empty body ends in one CRLF.
    static func body(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        var i = body.startIndex
        while i < body.endIndex {
            let b = body[i]
            if b == 0x0D, i + 1 < body.endIndex, body[i + 1] == 0x0A {
                lines.append(line)
                line = []
                i += 2
                continue
            }
            line.append(b)
            i += 1
        }
        if !line.isEmpty { lines.append(line) }
        var out: [UInt8] = []
        var pendingEmpty = 0
        for l in lines {
            var c: [UInt8] = []
            var inSpace = false
            for b in l {
                if isWSP(b) { inSpace = true; continue }
                if inSpace { c.append(0x20); inSpace = false }
                c.append(b)
            }
            if c.isEmpty { pendingEmpty += 1; continue }
            for _ in 0..<pendingEmpty { out += [0x0D, 0x0A] }
            pendingEmpty = 0
            out += c
            out += [0x0D, 0x0A]
        }
        return out
    }

    /// Relaxed header: lower-case name, unfolded, white space runs to one space, none around the colon.
    static func header(name: String, value: String) -> String {
        var v = ""
        var inSpace = false
        for ch in value.unicodeScalars {
            if ch == "\r" || ch == "\n" { continue }
            if ch == " " || ch == "\t" { inSpace = true; continue }
            if inSpace, !v.isEmpty { v.append(" ") }
            inSpace = false
            v.unicodeScalars.append(ch)
        }
        return name.lowercased().trimmingSpaces + ":" + v
    }
}
