/// One HTTP request as the handlers see it: everything is copied out of libmicrohttpd first.
struct HTTPRequest: Sendable {
    var method: String
    /// The path without the query string, percent-decoded by libmicrohttpd.
    var path: String
    /// Query arguments (decoded); a repeated name keeps the last value.
    var query: [String: String]
    /// Header names lower-cased.
    var headers: [String: String]
    var body: [UInt8]
    /// The peer's IP address (or the proxy's `X-Forwarded-For` when `trust_proxy` is set).
    var clientAddress: String

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The media type of the body without parameters, lower-cased (`application/json`).
    var mediaType: String? {
        guard let ct = header("content-type") else { return nil }
        // Already bare and lower-case (`application/json`), as clients nearly always send it.
        if !ct.utf8.contains(where: { $0 == 0x3B || $0 == 0x20 || $0 == 0x09 || ($0 >= 0x41 && $0 <= 0x5A) }) { return ct }
        // Bytes, not Foundation's trimming: this runs on every API request.
        let base = ct.utf8.split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false).first ?? ct.utf8[...]
        return String(decoding: base, as: UTF8.self).trimmingSpaces.lowercased()
    }
}
