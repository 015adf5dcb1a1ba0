/// Quoted-printable (RFC 2045 §6.7) for UTF-8 text bodies: lines of at most 76 characters,
/// CRLF line ends, `=` soft breaks, trailing white space encoded.
enum QuotedPrintable {
    static let hex = Array("0123456789ABCDEF".utf8)

    static func encode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        var line = 0
        let bytes = Array(text.utf8)
        var i = 0
        func emit(_ piece: [UInt8]) {
            if line + piece.count > 75 {
                out += [0x3D, 0x0D, 0x0A]  // soft break
                line = 0
            }
            out += piece
            line += piece.count
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1; continue }
            if b == 0x0A || b == 0x0D {
                out += [0x0D, 0x0A]
                line = 0
                i += 1
                continue
            }
            let atLineEnd = i + 1 == bytes.count || bytes[i + 1] == 0x0A || bytes[i + 1] == 0x0D
            let plain = (b >= 0x21 && b <= 0x7E && b != 0x3D) || ((b == 0x20 || b == 0x09) && !atLineEnd)
            // A leading dot is encoded too: some relays still do SMTP dot-stuffing badly.
            if plain && !(b == 0x2E && line == 0) {
                emit([b])
            } else {
                emit([0x3D, hex[Int(b >> 4)], hex[Int(b & 15)]])
            }
            i += 1
        }
        return out
    }
}
