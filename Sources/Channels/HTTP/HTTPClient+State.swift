import CCurl

extension HTTPClient {
    /// Everything libcurl owns; only touched with the client's lock held.
    struct State: ~Copyable {
        var multi: UnsafeMutableRawPointer?
        var idle: [UnsafeMutableRawPointer] = []
        let maxConnections: Int

        init(maxConnections: Int) {
            self.maxConnections = maxConnections
        }

        mutating func multiHandle() -> UnsafeMutableRawPointer {
            if let multi { return multi }
            let m = curl_multi_init()!
            _ = outreach_curl_multi_setopt_long(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxConnections)
            _ = outreach_curl_multi_setopt_long(m, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnections)
            _ = outreach_curl_multi_setopt_long(m, CURLMOPT_MAXCONNECTS, maxConnections)
            multi = m
            return m
        }

        mutating func run(_ requests: [HTTPRequest], options: Options) -> [Result<HTTPResponse, HTTPClientError>] {
            let multi = multiHandle()
            var results = [Result<HTTPResponse, HTTPClientError>?](repeating: nil, count: requests.count)
            var active: [UnsafeMutableRawPointer: HTTPTransfer] = [:]
            var next = 0, done = 0
            while done < requests.count {
                while active.count < maxConnections, next < requests.count {
                    let easy = idle.popLast() ?? curl_easy_init()!
                    let transfer = HTTPTransfer(index: next, request: requests[next])
                    if let error = transfer.configure(easy, options: options) {
                        results[next] = .failure(error)
                        transfer.release()
                        curl_easy_reset(easy)
                        idle.append(easy)
                        done += 1
                    } else {
                        _ = curl_multi_add_handle(multi, easy)
                        active[easy] = transfer
                    }
                    next += 1
                }
                if active.isEmpty { continue }
                var running: Int32 = 0
                _ = curl_multi_perform(multi, &running)
                var finishedAny = false
                var left: Int32 = 0
                while let msg = curl_multi_info_read(multi, &left) {
                    guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle,
                          let transfer = active.removeValue(forKey: easy) else { continue }
                    results[transfer.index] = transfer.finish(easy, code: msg.pointee.data.result)
                    _ = curl_multi_remove_handle(multi, easy)
                    transfer.release()
                    curl_easy_reset(easy)
                    idle.append(easy)
                    done += 1
                    finishedAny = true
                }
                if !finishedAny, running > 0 {
                    _ = curl_multi_poll(multi, nil, 0, 1000, nil)
                }
            }
            return results.map { $0! }
        }

        /// Drops cached connections by recreating the multi handle (easy handles are kept).
        mutating func closeAll() {
            destroyMulti()
        }

        mutating func destroyMulti() {
            for easy in idle { curl_easy_cleanup(easy) }
            idle.removeAll()
            if let multi { _ = curl_multi_cleanup(multi) }
            multi = nil
        }
    }
}
