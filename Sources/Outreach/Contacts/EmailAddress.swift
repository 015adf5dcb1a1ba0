/// Checks and normalises email addresses the way a mail relay will accept them.
public enum EmailAddress {
    /// Lower-cases the address (no relay we target treats case as significant) and refuses what
    /// cannot be an address, saying why. Works on UTF-8 bytes: imports check millions of these.
    public static func normalize(_ raw: String) throws(ContactError) -> String {
        var bytes = Array(raw.utf8)
        while let f = bytes.first, f == 0x20 || f == 0x09 { bytes.removeFirst() }
        while let l = bytes.last, l == 0x20 || l == 0x09 { bytes.removeLast() }
        guard !bytes.isEmpty else { throw .badEmail(raw, reason: "it is empty") }
        guard bytes.count <= 254 else { throw .badEmail(raw, reason: "it is longer than 254 characters") }
        var at = -1
        for (i, b) in bytes.enumerated() {
            switch b {
            case 0x40:
                guard at < 0 else { throw .badEmail(raw, reason: "it needs exactly one @") }
                at = i
            case 0x00...0x20, 0x22, 0x2C, 0x3B, 0x3C, 0x3E, 0x7F:
                throw .badEmail(raw, reason: "it contains a space, a control character or one of < > , ; \"")
            case 0x41...0x5A:
                bytes[i] = b + 32
            default: break
            }
        }
        guard at >= 0 else { throw .badEmail(raw, reason: "it needs exactly one @") }
        let local = bytes[..<at], domain = bytes[(at + 1)...]
        guard !local.isEmpty, local.count <= 64 else {
            throw .badEmail(raw, reason: "the part before @ is empty or too long")
        }
        guard local.first != 0x2E, local.last != 0x2E,
            !zip(local, local.dropFirst()).contains(where: { $0 == 0x2E && $1 == 0x2E })
        else {
            throw .badEmail(raw, reason: "the part before @ has a misplaced dot")
        }
        var labels = 0, labelLength = 0, previous: UInt8 = 0x2E
        for b in domain {
            if b == 0x2E {
                guard labelLength > 0, previous != 0x2D else { throw badDomain(raw, domain) }
                labels += 1
                labelLength = 0
            } else {
                let ok =
                    (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b >= 0x80 || (b == 0x2D && labelLength > 0)
                guard ok, labelLength < 63 else { throw badDomain(raw, domain) }
                labelLength += 1
            }
            previous = b
        }
        guard labelLength > 0, previous != 0x2D, labels >= 1 else { throw badDomain(raw, domain) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func badDomain(_ raw: String, _ domain: ArraySlice<UInt8>) -> ContactError {
        .badEmail(raw, reason: "'\(String(decoding: domain, as: UTF8.self))' is not a valid domain")
    }
}
