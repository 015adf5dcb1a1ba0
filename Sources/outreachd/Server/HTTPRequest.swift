/// One HTTP request as the handlers see it: everything is copied out of libmicrohttpd first.
struct HTTPRequest: Sendable {
    var method: String
    /// The path without the query string, percent-decoded by libmicrohttpd.
    var path: String
    /// Query arguments (decoded); a repeated name keeps the last value.
    var query: [String: String]
    /// Header fields in arrival order, names lower-cased (a list: a request has a handful, and
    /// hashing each into a dictionary cost more than the scans that read them).
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// The peer's IP address (or the proxy's `X-Forwarded-For` when `trust_proxy` is set).
    var clientAddress: String

    /// The field named `name` (lower-case); repeated fields joined with ", " (RFC 9110 5.3).
    func header(_ name: String) -> String? {
        var found: String?
        for h in headers where h.name == name { found = found.map { $0 + ", " + h.value } ?? h.value }
        return found
    }

    /// Every field by name, repeated ones joined.
    var headerFields: [String: String] {
        headers.reduce(into: [:]) { d, h in d[h.name] = d[h.name].map { $0 + ", " + h.value } ?? h.value }
    }

    /// The media type of the body without parameters, lower-cased (`application/json`).
    var mediaType: String? {
        guard let ct = header("content-type") else { return nil }
        // Already bare and lower-case (`application/json`), as clients nearly always send it.
        if !ct.utf8.contains(where: { $0 == 0x3B || $0 == 0x20 || $0 == 0x09 || ($0 >= 0x41 && $0 <= 0x5A) }) {
            return ct
        }
        // Bytes, not Foundation's trimming: this runs on every API request.
        let base =
            ct.utf8.split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false).first
            ?? ct.utf8[...]
        return String(decoding: base, as: UTF8.self).trimmingSpaces.lowercased()
    }
}
