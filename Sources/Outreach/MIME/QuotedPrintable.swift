/// Quoted-printable (RFC 2045 §6.7) for UTF-8 text bodies: lines of at most 76 characters,
/// CRLF line ends, `=` soft breaks, trailing white space encoded.
enum QuotedPrintable {
    static func encode(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        let n = bytes.count
        bytes.append(0)  // sentinel: no bounds checks for the look-ahead
        // Written through a pointer into room for the worst case (3 bytes for every byte, and a
        // 3-byte soft break per line of at least 25 of them): appending checked capacity each time.
        let capacity = 4 * n + 8
        return [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
            var o = 0
            var line = 0
            var i = 0
            bytes.withUnsafeBufferPointer { bytes in
                while i < n {
                    let b = bytes[i]
                    if b == 0x0D || b == 0x0A {
                        if b == 0x0D, bytes[i + 1] == 0x0A { i += 1 }
                        out[o] = 0x0D
                        out[o + 1] = 0x0A
                        o += 2
                        line = 0
                        i += 1
                        continue
                    }
                    let next = bytes[i + 1]
                    let atLineEnd = i + 1 == n || next == 0x0A || next == 0x0D
                    // A leading dot is encoded too: some relays still get SMTP dot-stuffing wrong.
                    let plain =
                        ((b >= 0x21 && b <= 0x7E && b != 0x3D) || ((b == 0x20 || b == 0x09) && !atLineEnd))
                        && !(b == 0x2E && line == 0)
                    let width = plain ? 1 : 3
                    if line + width > 75 {
                        out[o] = 0x3D
                        out[o + 1] = 0x0D
                        out[o + 2] = 0x0A
                        o += 3
                        line = 0
                    }
                    if plain {
                        out[o] = b
                    } else {
                        out[o] = 0x3D
                        out[o + 1] = hexDigits.utf8Start[Int(b >> 4)]
                        out[o + 2] = hexDigits.utf8Start[Int(b & 15)]
                    }
                    o += width
                    line += width
                    i += 1
                }
            }
            count = o
        }
    }

    /// The digits as static memory: read through a pointer, no array retained in the loop.
    private static let hexDigits: StaticString = "0123456789ABCDEF"
}
