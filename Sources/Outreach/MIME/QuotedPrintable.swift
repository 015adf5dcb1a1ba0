/// Quoted-printable (RFC 2045 §6.7) for UTF-8 text bodies: lines of at most 76 characters,
/// CRLF line ends, `=` soft breaks, trailing white space encoded.
enum QuotedPrintable {
    static func encode(_ text: String) -> [UInt8] {
        var text = text
        // A native string hands out its own bytes: no copy into an array first.
        return text.withUTF8 { encode($0) }
    }

    static func encode(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let n = bytes.count
        // Written through a pointer into room for the worst case (3 bytes for every byte, and a
        // 3-byte soft break per line of at least 25 of them): appending checked capacity each time.
        let capacity = 4 * n + 8
        return [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
            guard let src = bytes.baseAddress, let dst = out.baseAddress else {
                count = 0
                return
            }
            let end = src + n
            var o = 0
            var line = 0
            var i = 0
            classes.withUnsafeBufferPointer { classes in
                while i < n {
                    // Most bytes of a text are printable ASCII that stand for themselves: find the run
                    // of them that still fits on the line (a class lookup per byte, walking a pointer:
                    // no overflow checks) and copy it in one go.
                    let start = src + i
                    let stop = src + min(n, i + (75 - line))
                    var p = start
                    // Eight bytes at a time while all are printable ASCII or spaces, none `=` or `.`,
                    // and a space last is not followed by a line end: what the loop below would pass
                    // byte by byte.
                    while stop - p >= 8 {
                        guard allPlain(UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)),
                            p[7] != 0x20 || (p + 8 < end && classes[Int(p[8])] != Class.lineEnd)
                        else { break }
                        p += 8
                    }
                    while p < stop {
                        let c = classes[Int(p.pointee)]
                        if c != Class.plain {
                            // White space stands for itself unless it ends a line, a dot unless it starts one.
                            let whiteSpaceInLine =
                                c == Class.space && p + 1 < end && classes[Int(p[1])] != Class.lineEnd
                            let dotInLine = c == Class.dot && (line != 0 || p != start)
                            guard whiteSpaceInLine || dotInLine else { break }
                        }
                        p += 1
                    }
                    if p > start {
                        let run = start.distance(to: p)
                        (dst + o).update(from: start, count: run)
                        o += run
                        line += run
                        i += run
                        if i == n { break }
                    }
                    // One byte the run stopped at: a line end, one to encode, or a soft break first.
                    let b = src[i]
                    if b == 0x0D || b == 0x0A {
                        if b == 0x0D, i + 1 < n, src[i + 1] == 0x0A { i += 1 }
                        dst[o] = 0x0D
                        dst[o + 1] = 0x0A
                        o += 2
                        line = 0
                        i += 1
                        continue
                    }
                    let atLineEnd = i + 1 == n || src[i + 1] == 0x0A || src[i + 1] == 0x0D
                    // A leading dot is encoded too: some relays still get SMTP dot-stuffing wrong. That
                    // includes a dot that would be the first byte after a soft break (line full).
                    let plain =
                        ((b >= 0x21 && b <= 0x7E && b != 0x3D) || ((b == 0x20 || b == 0x09) && !atLineEnd))
                        && !(b == 0x2E && (line == 0 || line >= 75))
                    let width = plain ? 1 : 3
                    if line + width > 75 {
                        dst[o] = 0x3D
                        dst[o + 1] = 0x0D
                        dst[o + 2] = 0x0A
                        o += 3
                        line = 0
                    }
                    if plain {
                        dst[o] = b
                    } else {
                        dst[o] = 0x3D
                        dst[o + 1] = hexDigits.utf8Start[Int(b >> 4)]
                        dst[o + 2] = hexDigits.utf8Start[Int(b & 15)]
                    }
                    o += width
                    line += width
                    i += 1
                }
            }
            count = o
        }
    }

    /// Whether all eight bytes of `x` are in 0x20...0x7E and none is `=` or `.` (bit tricks from
    /// "Bit Twiddling Hacks": each test is exact about whether some byte matches).
    @inline(__always)
    static func allPlain(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & high != 0 }
        let below = (x &- 0x20 &* ones) & ~x & high  // a byte under 0x20
        let above = ((x &+ ones) | x) & high  // a byte over 0x7E
        return below | above == 0 && !hasZeroByte(x ^ (0x3D &* ones)) && !hasZeroByte(x ^ (0x2E &* ones))
    }

    /// What a byte is to the encoder: printable ASCII other than `=` and `.` (always itself), space
    /// or tab (itself unless last on a line), `.` (itself unless first on a line), CR or LF, or
    /// anything else (encoded).
    enum Class {
        static let plain: UInt8 = 0
        static let space: UInt8 = 1
        static let dot: UInt8 = 2
        static let lineEnd: UInt8 = 3
        static let encoded: UInt8 = 4
    }

    private static let classes: [UInt8] = (0...255).map { (b: Int) -> UInt8 in
        switch b {
        case 0x2E: Class.dot
        case 0x3D: Class.encoded
        case 0x21...0x7E: Class.plain
        case 0x20, 0x09: Class.space
        case 0x0D, 0x0A: Class.lineEnd
        default: Class.encoded
        }
    }

    /// The digits as static memory: read through a pointer, no array retained in the loop.
    private static let hexDigits: StaticString = "0123456789ABCDEF"
}
