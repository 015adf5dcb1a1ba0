import Outreach

/// A status, headers and a body, queued to libmicrohttpd in one piece.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func json(_ status: Int, _ value: JSON) -> HTTPResponse {
        var body = value.serializedBytes
        body.append(0x0A)
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: body)
    }

    /// The error shape of the API: `{"error": "…"}`.
    static func error(_ status: Int, _ message: String, headers: [(String, String)] = []) -> HTTPResponse {
        var r = json(status, ["error": .string(message)])
        r.headers += headers
        return r
    }

    static func html(_ status: Int, _ page: String) -> HTTPResponse {
        HTTPResponse(
            status: status,
            headers: [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"),
                ("X-Frame-Options", "DENY"), ("Cache-Control", "no-store"),
            ],
            body: Array(page.utf8))
    }

    static func text(_ status: Int, _ text: String, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }
}
