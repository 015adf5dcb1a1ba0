import CCurl

extension HTTPClient {
    /// Connects to `url` (TCP and TLS, as a request would) and disconnects, sending no request.
    /// - Returns: nil when the peer can be reached, else libcurl's reason.
    public func probe(_ url: String) -> String? {
        guard let easy = curl_easy_init() else { return "libcurl could not start a transfer" }
        defer { curl_easy_cleanup(easy) }
        let errors = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errors.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errors.deallocate() }
        _ = outreach_curl_setopt_string(easy, CURLOPT_URL, url)
        _ = outreach_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = outreach_curl_setopt_long(easy, CURLOPT_CONNECT_ONLY, 1)
        _ = outreach_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        _ = outreach_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errors)
        if let ca = options.caFile { _ = outreach_curl_setopt_string(easy, CURLOPT_CAINFO, ca) }
        if !options.verifyTLS {
            _ = outreach_curl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0)
            _ = outreach_curl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0)
        }
        let code = curl_easy_perform(easy)
        if code == CURLE_OK { return nil }
        let detail = String(cString: errors)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }
}
