/// Quoted-printable (RFC 2045 §6.7) for UTF-8 text bodies: lines of at most 76 characters,
/// CRLF line ends, `=` soft breaks, trailing white space encoded.
enum QuotedPrintable {
    static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    static func encode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)
        out.reserveCapacity(bytes.count + bytes.count / 4)
        var line = 0
        let n = bytes.count
        bytes.append(0)  // sentinel: no bounds checks for the look-ahead
        var i = 0
        while i < n {
            let b = bytes[i]
            if b == 0x0D || b == 0x0A {
                if b == 0x0D, bytes[i + 1] == 0x0A { i += 1 }
                out.append(0x0D)
                out.append(0x0A)
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
                out.append(0x3D)
                out.append(0x0D)
                out.append(0x0A)
                line = 0
            }
            if plain {
                out.append(b)
            } else {
                out.append(0x3D)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            }
            line += width
            i += 1
        }
        return out
    }
}
