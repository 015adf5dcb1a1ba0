extension SecretRedactor {
    /// Query parameter names whose values are credentials: a name holding any of these, in any case
    /// (`password`, `pass`, `pwd`, `token`, `api_key`, `apiKey`, `secret`, `auth`, `sig`, `signature`,
    /// `X-Amz-Credential`, `session_id`…). A few harmless names match too; their values are lost.
    static let secretNameParts = ["pass", "pwd", "secret", "token", "key", "auth", "sig", "credential", "session"]

    public static func isSecretName(_ name: String) -> Bool {
        let n = name.lowercased()
        return secretNameParts.contains { n.contains($0) }
    }

    /// How an error names a URL it could not reach: redacted, and without its query, which for a
    /// gateway called with GET (Kannel) is the whole message: number, text and credentials.
    public static func endpoint(_ url: String) -> String {
        let cut = url.firstIndex { $0 == "?" || $0 == "#" } ?? url.endIndex
        return redactURLs(in: String(url[..<cut]))
    }

    /// `text` with every `scheme://…` URL in it redacted: userinfo, secret-named query values (also
    /// inside a query value that is itself an encoded URL, such as Kannel's `dlr-url`), and the
    /// token in a Telegram `/bot<token>/` path segment.
    public static func redactURLs(in text: String) -> String {
        guard text.contains("://") else { return text }
        let b = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var copied = 0, i = 0
        while i + 2 < b.count {
            guard b[i] == 0x3A, b[i + 1] == 0x2F, b[i + 2] == 0x2F else { i += 1; continue }  // "://"
            var start = i
            while start > copied, isSchemeByte(b[start - 1]) { start -= 1 }
            while start < i, !isLetter(b[start]) { start += 1 }  // a scheme begins with a letter
            var end = i + 3
            while end < b.count, isURLByte(b[end]) { end += 1 }
            // A sentence's full stop or a closing bracket after the URL is not part of it.
            while end > i + 3, ".,;:!?)]".utf8.contains(b[end - 1]) { end -= 1 }
            guard start < i else { i += 3; continue }
            out += b[copied..<start]
            out += redactURL(String(decoding: b[start..<end], as: UTF8.self)).utf8
            copied = end
            i = end
        }
        out += b[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    /// One URL (`scheme://authority/path?query#fragment`), redacted.
    static func redactURL(_ url: String) -> String {
        guard let sep = url.range(of: "://") else { return url }
        let head = url[..<sep.upperBound]
        var rest = Substring(url[sep.upperBound...])
        var fragment = Substring("")
        if let h = rest.firstIndex(of: "#") { fragment = rest[h...]; rest = rest[..<h] }
        var query: Substring?
        if let q = rest.firstIndex(of: "?") { query = rest[rest.index(after: q)...]; rest = rest[..<q] }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<slash]
        if let at = authority.lastIndex(of: "@") { authority = Substring(mark) + authority[at...] }
        let path = rest[slash...].split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            // Telegram: /bot<bot id>:<secret>/method; the whole token is the credential.
            segment.hasPrefix("bot") && segment.contains(":") ? "bot" + mark : String(segment)
        }.joined(separator: "/")
        var out = String(head) + authority + path
        if let query { out += "?" + redactQuery(query) }
        return out + fragment
    }

    static func redactQuery(_ query: Substring) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { item -> String in
            guard let eq = item.firstIndex(of: "=") else { return String(item) }
            let name = item[..<eq]
            let value = String(item[item.index(after: eq)...])
            if isSecretName(percentDecode(name)) { return name + "=" + mark }
            let decoded = percentDecode(value)
            if decoded.contains("://") {
                let redacted = redactURLs(in: decoded)
                if redacted != decoded { return name + "=" + percentEncode(redacted) }
            }
            return String(item)
        }.joined(separator: "&")
    }

    /// `%XX` decoded and `+` as a space (form encoding); a malformed escape stays as written.
    static func percentDecode(_ s: some StringProtocol) -> String {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == 0x25, i + 2 < b.count, let hi = hexValue(b[i + 1]), let lo = hexValue(b[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(b[i] == 0x2B ? 0x20 : b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Everything but RFC 3986 unreserved characters as `%XX`, as libcurl's `curl_easy_escape` does.
    static func percentEncode(_ s: String) -> String {
        var out: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for c in s.utf8 {
            if isLetter(c) || (0x30...0x39).contains(c) || c == 0x2D || c == 0x2E || c == 0x5F || c == 0x7E {
                out.append(c)
            } else {
                out += [0x25, hex[Int(c >> 4)], hex[Int(c & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    static func isLetter(_ c: UInt8) -> Bool { (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) }

    static func isSchemeByte(_ c: UInt8) -> Bool {
        isLetter(c) || (0x30...0x39).contains(c) || c == 0x2B || c == 0x2D || c == 0x2E
    }

    /// Bytes a URL in running text can hold: printable ASCII except quotes, angle brackets and the
    /// like, and any non-ASCII byte (an IRI).
    static func isURLByte(_ c: UInt8) -> Bool {
        if c >= 0x80 { return true }
        guard c > 0x20, c < 0x7F else { return false }
        return !"\"'<>`{}|\\^".utf8.contains(c)
    }
}
