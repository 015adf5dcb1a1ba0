import CCurl
import Synchronization

/// An HTTP client over one long-lived libcurl multi handle.
///
/// `perform` sends a batch concurrently, at most `maxConnections` at a time, and blocks until
/// every request has a response or an error. Connections stay open in the multi handle's cache
/// between batches, so a steady stream of posts to one host reuses them.
public final class HTTPClient: Sendable {
    public struct Options: Sendable {
        public var maxConnections: Int
        /// Whole-request limit in seconds.
        public var timeout: Double
        public var connectTimeout: Double
        /// PEM bundle to verify the peer with instead of the system store.
        public var caFile: String?
        /// Only for tests against self-signed peers.
        public var verifyTLS: Bool
        public var userAgent: String

        public init(
            maxConnections: Int = 4, timeout: Double = 30, connectTimeout: Double = 10,
            caFile: String? = nil, verifyTLS: Bool = true, userAgent: String = "outreachd"
        ) {
            self.maxConnections = max(1, maxConnections)
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.caFile = caFile
            self.verifyTLS = verifyTLS
            self.userAgent = userAgent
        }
    }

    public let options: Options
    /// The multi handle and idle easy handles; one batch runs at a time.
    let state: Mutex<CurlMulti>

    public init(options: Options = Options()) {
        HTTPClient.globalInit
        self.options = options
        self.state = Mutex(CurlMulti(maxConnections: options.maxConnections))
    }

    /// Sends every request and returns one result per request, in order.
    public func perform(_ requests: [HTTPClientRequest]) -> [Result<HTTPClientResponse, HTTPClientError>] {
        if requests.isEmpty { return [] }
        let options = self.options
        // The transfers are made under the lock: they hold C state that must not cross threads.
        return state.withLock { multi in
            multi.run(
                requests.enumerated().map { HTTPTransfer(index: $0.offset, request: $0.element, options: options) })
        }
    }

    /// Sends one request.
    public func perform(_ request: HTTPClientRequest) -> Result<HTTPClientResponse, HTTPClientError> {
        perform([request])[0]
    }

    /// Closes every cached connection; the client can still be used afterwards (it reconnects).
    public func close() {
        state.withLock { $0.destroy() }
    }

    deinit {
        state.withLock { $0.destroy() }
    }

    private static let globalInit: Void = {
        _ = curl_global_init(Int(CURL_GLOBAL_ALL))
    }()
}
