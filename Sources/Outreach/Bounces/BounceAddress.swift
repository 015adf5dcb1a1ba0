import Foundation

/// Addresses as bounces write them: `rfc822; <Name@Example.ORG>`, `utf-8; j\x{F6}rg@example.org`,
/// `Name (name@example.org)`, `name@example.org<mailto:name@example.org>`.
enum BounceAddress {
    /// The address alone: the address type (`rfc822;`, `utf-8;`) and angle brackets stripped,
    /// RFC 6533's `\x{HHHH}` escapes decoded, the domain lowercased. Nil when nothing is left.
    static func normalize(_ raw: String) -> String? {
        var s = Substring(raw.trimmingSpaces)
        if let semi = s.firstIndex(of: ";"), !s[..<semi].contains("@"), !s[..<semi].contains("<") {
            s = s[s.index(after: semi)...]
        }
        var a = String(s).trimmingSpaces
        if let gt = a.firstIndex(of: ">"), let lt = a[..<gt].lastIndex(of: "<") {
            a = String(a[a.index(after: lt)..<gt]).trimmingSpaces
        }
        a.removeAll { $0 == "<" || $0 == ">" }
        if a.contains("\\x{") { a = unescapeUnitext(a) }
        while a.hasSuffix(".") { a.removeLast() }
        guard !a.isEmpty, !a.contains(" ") else { return nil }
        return lowercasingDomain(a)
    }

    static func lowercasingDomain(_ a: String) -> String {
        guard let at = a.lastIndex(of: "@") else { return a }
        return a[..<at] + a[at...].lowercased()
    }

    /// `\x{HHHH}` (RFC 6533's embedded-unicode-char) to the character it names; anything else kept.
    static func unescapeUnitext(_ s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "\\x{") {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            if let close = after.firstIndex(of: "}"), let v = UInt32(after[..<close], radix: 16),
                let scalar = Unicode.Scalar(v), after.distance(from: after.startIndex, to: close) <= 6
            {
                out.unicodeScalars.append(scalar)
                rest = after[after.index(after: close)...]
            } else {
                out += "\\x{"
                rest = after
            }
        }
        return out + rest
    }

    /// Every address-like `local@domain.tld` in a piece of text, in order, without repeats (the
    /// domain must hold a dot: `user@host` in a relay's words is a host, not a recipient).
    static func all(in text: Substring) -> [String] {
        let u = Array(text.utf8)
        var out: [String] = []
        var i = 0
        while i < u.count {
            guard u[i] == 0x40 else {
                i += 1
                continue
            }
            var s = i
            while s > 0, isLocal(u[s - 1]) { s -= 1 }
            var e = i + 1
            while e < u.count, isDomain(u[e]) { e += 1 }
            while s < i, u[s] == 0x2E { s += 1 }
            while e > i + 1, u[e - 1] == 0x2E || u[e - 1] == 0x2D { e -= 1 }
            if s < i, e > i + 1, u[(i + 1)..<e].contains(0x2E) {
                let a = lowercasingDomain(String(decoding: u[s..<e], as: UTF8.self))
                if !out.contains(a) { out.append(a) }
            }
            i = max(e, i + 1)
        }
        return out
    }

    static func all(in text: String) -> [String] { all(in: Substring(text)) }

    /// The address a line starts with (`  user@example.org`, `<user@example.org>:`,
    /// `user@example.org on 1/2/2024`, `Name (user@example.org)`), nil when it starts with prose.
    static func leading(_ line: Substring) -> String? {
        let t = line.trimmingSpaces
        guard let first = t.split(separator: " ", maxSplits: 1).first else { return nil }
        if first.contains("@") {
            return all(in: first).first
        }
        // `Name (user@example.org)` or `Name <user@example.org>`: one address, in brackets, on the line.
        let found = all(in: Substring(t))
        if found.count == 1, t.hasSuffix(")") || t.hasSuffix(">") { return found[0] }
        return nil
    }

    static func isLocal(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x80...0xFF: return true
        default: return localSpecials.contains(b)
        }
    }

    static func isDomain(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x80...0xFF, 0x2D, 0x2E: return true
        default: return false
        }
    }

    static let localSpecials = Set("!#$%&'*+-/=?^_`{|}~.".utf8)
}
