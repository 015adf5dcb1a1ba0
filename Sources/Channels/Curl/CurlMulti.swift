import CCurl

/// One long-lived libcurl multi handle and its idle easy handles: connections stay cached between
/// batches, so a steady stream to one peer reuses them. Only touched with its owner's lock held.
struct CurlMulti: ~Copyable {
    private var multi: UnsafeMutableRawPointer?
    private var idle: [UnsafeMutableRawPointer] = []
    let maxConnections: Int

    init(maxConnections: Int) { self.maxConnections = max(1, maxConnections) }

    private mutating func handle() -> UnsafeMutableRawPointer {
        if let multi { return multi }
        let m = curl_multi_init()!
        _ = outreach_curl_multi_setopt_long(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxConnections)
        _ = outreach_curl_multi_setopt_long(m, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnections)
        _ = outreach_curl_multi_setopt_long(m, CURLMOPT_MAXCONNECTS, maxConnections)
        multi = m
        return m
    }

    /// Runs every transfer, at most `maxConnections` at a time, and returns their outputs in order.
    mutating func run<T: CurlTransfer>(_ transfers: [T]) -> [T.Output] {
        let multi = handle()
        var results = [T.Output?](repeating: nil, count: transfers.count)
        var active: [UnsafeMutableRawPointer: Int] = [:]
        var next = 0, done = 0
        while done < transfers.count {
            while active.count < maxConnections, next < transfers.count {
                let easy = idle.popLast() ?? curl_easy_init()!
                if let refused = transfers[next].configure(easy) {
                    results[next] = refused
                    recycle(easy, transfers[next])
                    done += 1
                } else {
                    _ = curl_multi_add_handle(multi, easy)
                    active[easy] = next
                }
                next += 1
            }
            if active.isEmpty { continue }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            var finished = false
            var left: Int32 = 0
            while let msg = curl_multi_info_read(multi, &left) {
                guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle,
                    let i = active.removeValue(forKey: easy)
                else { continue }
                results[i] = transfers[i].finish(easy, code: msg.pointee.data.result)
                // What the transfer lent libcurl (a recipient list, headers) is freed only now.
                _ = curl_multi_remove_handle(multi, easy)
                recycle(easy, transfers[i])
                done += 1
                finished = true
            }
            if !finished, running > 0 { _ = curl_multi_poll(multi, nil, 0, 1000, nil) }
        }
        return results.map { $0! }
    }

    private mutating func recycle<T: CurlTransfer>(_ easy: UnsafeMutableRawPointer, _ transfer: T) {
        transfer.release()
        curl_easy_reset(easy)
        idle.append(easy)
    }

    /// Closes every cached connection and frees the handles; the next run starts afresh.
    mutating func destroy() {
        for easy in idle { curl_easy_cleanup(easy) }
        idle.removeAll()
        if let multi { _ = curl_multi_cleanup(multi) }
        multi = nil
    }

    deinit {
        for easy in idle { curl_easy_cleanup(easy) }
        if let multi { _ = curl_multi_cleanup(multi) }
    }
}
