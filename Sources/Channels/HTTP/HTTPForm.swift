import CCurl

/// `application/x-www-form-urlencoded` bodies and query strings, escaped by libcurl.
public enum HTTPForm {
    public static func encode(_ fields: [(name: String, value: String)]) -> String {
        fields.map { escape($0.name) + "=" + escape($0.value) }.joined(separator: "&")
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986), as `curl_easy_escape` does.
    public static func escape(_ s: String) -> String {
        let utf8 = Array(s.utf8)
        if utf8.isEmpty { return "" }
        guard
            let p = utf8.withUnsafeBufferPointer({ b in
                b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) {
                    curl_easy_escape(nil, $0, Int32(b.count))
                }
            })
        else { return s }
        defer { curl_free(p) }
        return String(cString: p)
    }
}
