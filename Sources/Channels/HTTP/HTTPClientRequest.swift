/// One HTTP request for `HTTPClient`.
public struct HTTPClientRequest: Sendable {
    public var method: String
    public var url: String
    /// Header lines in order; a name may repeat.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// HTTP basic authentication (libcurl builds the header).
    public var basicAuth: (user: String, password: String)?

    public init(
        method: String = "POST", url: String, headers: [(name: String, value: String)] = [],
        body: [UInt8] = [], basicAuth: (user: String, password: String)? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.basicAuth = basicAuth
    }
}
