/// RFC 6376 §3.4 "relaxed" canonicalization of header fields and body, on the message's bytes:
/// the body is canonicalised in pieces straight into the hash, never as a second copy of the body.
enum DKIMCanonicalization {
    static func isWSP(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// Relaxed body: runs of white space become one space, trailing white space and trailing empty
    /// lines go, and a non-empty body ends in one CRLF. Only CRLF ends a line (a bare CR or LF is
    /// a byte like any other). The canonical bytes go to `sink` in pieces of up to 4 KB.
    static func body(_ body: UnsafeBufferPointer<UInt8>, into sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer in
            var n = 0
            func put(_ b: UInt8) {
                if n == buffer.count {
                    sink(UnsafeBufferPointer(rebasing: buffer[..<n]))
                    n = 0
                }
                buffer[n] = b
                n += 1
            }
            // Empty lines are held back until a line with content shows they are not trailing.
            var pendingEmpty = 0
            var lineStarted = false
            var inSpace = false
            var i = 0
            let count = body.count
            while i < count {
                let b = body[i]
                if b == 0x0D, i + 1 < count, body[i + 1] == 0x0A {
                    if lineStarted {
                        put(0x0D)
                        put(0x0A)
                    } else {
                        pendingEmpty += 1
                    }
                    lineStarted = false
                    inSpace = false
                    i += 2
                    continue
                }
                if isWSP(b) {
                    inSpace = true
                } else {
                    if !lineStarted {
                        for _ in 0..<pendingEmpty {
                            put(0x0D)
                            put(0x0A)
                        }
                        pendingEmpty = 0
                        lineStarted = true
                    }
                    if inSpace {
                        put(0x20)
                        inSpace = false
                    }
                    put(b)
                }
                i += 1
            }
            if lineStarted {
                put(0x0D)
                put(0x0A)
            }
            if n > 0 { sink(UnsafeBufferPointer(rebasing: buffer[..<n])) }
        }
    }

    /// The canonical body as one array (for tests; signing streams it into the hash).
    static func body(_ body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        body.withUnsafeBufferPointer { p in Self.body(p) { out.append(contentsOf: $0) } }
        return out
    }

    /// Appends the relaxed form of one header field to `out`: the name lower-cased without white
    /// space before the colon, the value unfolded, white space runs as one space, none at either end.
    static func header(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var end = name.count
        while end > 0, isWSP(name[end - 1]) { end -= 1 }
        for i in 0..<end {
            let b = name[i]
            out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        }
        out.append(UInt8(ascii: ":"))
        var inSpace = false
        var any = false
        for b in value {
            if b == 0x0D || b == 0x0A { continue }
            if isWSP(b) {
                inSpace = true
                continue
            }
            if inSpace, any { out.append(0x20) }
            inSpace = false
            any = true
            out.append(b)
        }
    }

    /// `header(name:value:to:)` on Swift strings.
    static func header(name: String, value: String) -> String {
        var out: [UInt8] = []
        let n = Array(name.utf8)
        let v = Array(value.utf8)
        n.withUnsafeBufferPointer { np in v.withUnsafeBufferPointer { vp in header(name: np, value: vp, to: &out) } }
        return String(decoding: out, as: UTF8.self)
    }
}
