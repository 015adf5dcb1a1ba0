import CCurl
import Outreach

/// One request in flight: the buffers libcurl writes into and the C lists it reads from.
///
/// libcurl's callbacks get this object through `Unmanaged` as their user data pointer; the
/// batch's `active` table keeps it alive until the transfer is removed from the multi handle.
final class HTTPTransfer {
    let index: Int
    let request: HTTPClientRequest
    var body: [UInt8] = []
    var headers: [(name: String, value: String)] = []
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    let options: HTTPClient.Options

    init(index: Int, request: HTTPClientRequest, options: HTTPClient.Options) {
        self.options = options
        self.index = index
        self.request = request
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    /// Sets every option for this request on `easy`; returns an error if libcurl refuses one.
    func configure(_ easy: UnsafeMutableRawPointer, options: HTTPClient.Options) -> HTTPClientError? {
        var code = CURLE_OK
        func set(_ c: CURLcode) { if code == CURLE_OK { code = c } }
        set(outreach_curl_setopt_string(easy, CURLOPT_URL, request.url))
        set(outreach_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        set(outreach_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(options.timeout * 1000)))
        set(outreach_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000)))
        set(outreach_curl_setopt_string(easy, CURLOPT_USERAGENT, options.userAgent))
        set(outreach_curl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1))
        set(outreach_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        if let ca = options.caFile { set(outreach_curl_setopt_string(easy, CURLOPT_CAINFO, ca)) }
        if !options.verifyTLS {
            set(outreach_curl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0))
            set(outreach_curl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0))
        }
        let method = request.method.uppercased()
        switch method {
        case "GET":
            set(outreach_curl_setopt_long(easy, CURLOPT_HTTPGET, 1))
        case "HEAD":
            set(outreach_curl_setopt_long(easy, CURLOPT_NOBODY, 1))
        default:
            // POSTFIELDS sends the body for any method; CUSTOMREQUEST renames POST to PUT, PATCH….
            set(outreach_curl_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            request.body.withUnsafeBytes { raw in
                let empty: StaticString = ""
                let p = raw.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
                set(outreach_curl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: p)))
            }
            if method != "POST" { set(outreach_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method)) }
        }
        if let auth = request.basicAuth {
            set(outreach_curl_setopt_string(easy, CURLOPT_USERNAME, auth.user))
            set(outreach_curl_setopt_string(easy, CURLOPT_PASSWORD, auth.password))
        }
        // "Expect:" stops libcurl from waiting for 100-continue on larger bodies.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            headerList = curl_slist_append(headerList, line)
        }
        set(outreach_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList))
        let me = Unmanaged.passUnretained(self).toOpaque()
        set(outreach_curl_setopt_write(easy, httpTransferWrite))
        set(outreach_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, me))
        set(outreach_curl_setopt_header(easy, httpTransferHeader))
        set(outreach_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, me))
        if code != CURLE_OK {
            return .invalidRequest(url: shownURL, message: String(cString: curl_easy_strerror(code)))
        }
        return nil
    }

    /// The outcome once libcurl reports the transfer done.
    func finish(_ easy: UnsafeMutableRawPointer, code: CURLcode) -> Result<HTTPClientResponse, HTTPClientError> {
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            switch code {
            case CURLE_OPERATION_TIMEDOUT:
                // A timeout before the connection was made is the endpoint being unreachable.
                var connected: curl_off_t = 0
                _ = outreach_curl_getinfo_off_t(easy, CURLINFO_CONNECT_TIME_T, &connected)
                if connected == 0 {
                    return .failure(
                        .transport(url: shownURL, code: Int(CURLE_COULDNT_CONNECT.rawValue), message: message))
                }
                return .failure(.timeout(url: shownURL, message: message))
            case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
                return .failure(.invalidRequest(url: shownURL, message: message))
            default: return .failure(.transport(url: shownURL, code: Int(code.rawValue), message: message))
            }
        }
        var status = 0
        _ = outreach_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPClientResponse(status: status, headers: headers, body: body))
    }

    /// The URL as an error names it: stored errors are shown and logged, so no credentials, no query.
    var shownURL: String { SecretRedactor.endpoint(request.url) }

    /// Frees the C memory; called once the easy handle no longer points here.
    func release() {
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        errorBuffer.deallocate()
    }

    /// One raw header line from libcurl; parsed as bytes, since this runs for every line of every response.
    func receivedHeader(_ line: UnsafeBufferPointer<UInt8>) {
        var end = line.count
        while end > 0, line[end - 1] == 0x0A || line[end - 1] == 0x0D || line[end - 1] == 0x20 || line[end - 1] == 0x09
        { end -= 1 }
        if end >= 5, line[0] == 0x48, line[1] == 0x54, line[2] == 0x54, line[3] == 0x50, line[4] == 0x2F {  // "HTTP/"
            headers.removeAll()  // a new response (after 100 Continue or a redirect) starts over
            return
        }
        guard let colon = line[..<end].firstIndex(of: 0x3A) else { return }
        var start = colon + 1
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        let name = String(decoding: UnsafeBufferPointer(rebasing: line[..<colon]), as: UTF8.self)
        let value = String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
        headers.append((name, value))
    }
}

/// CURLOPT_WRITEFUNCTION: appends body bytes to the transfer.
let httpTransferWrite: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, user in
    guard let data, let user else { return 0 }
    let transfer = Unmanaged<HTTPTransfer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    data.withMemoryRebound(to: UInt8.self, capacity: n) {
        transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n))
    }
    return n
}

/// CURLOPT_HEADERFUNCTION: one header line (with CRLF) per call.
let httpTransferHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, user in
    guard let data, let user else { return 0 }
    let transfer = Unmanaged<HTTPTransfer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    data.withMemoryRebound(to: UInt8.self, capacity: n) {
        transfer.receivedHeader(UnsafeBufferPointer(start: $0, count: n))
    }
    return n
}

extension HTTPTransfer: CurlTransfer {
    func configure(_ easy: UnsafeMutableRawPointer) -> Result<HTTPClientResponse, HTTPClientError>? {
        configure(easy, options: options).map { .failure($0) }
    }
}
