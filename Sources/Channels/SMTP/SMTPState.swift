import CCurl
import Outreach

/// The multi handle and idle easy handles of one SMTP channel; only touched with the channel's lock held.
struct SMTPState: ~Copyable {
    var multi: UnsafeMutableRawPointer?
    var idle: [UnsafeMutableRawPointer] = []
    let maxConnections: Int

    init(maxConnections: Int) { self.maxConnections = maxConnections }

    mutating func multiHandle() -> UnsafeMutableRawPointer {
        if let multi { return multi }
        let m = curl_multi_init()!
        _ = outreach_curl_multi_setopt_long(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxConnections)
        _ = outreach_curl_multi_setopt_long(m, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnections)
        _ = outreach_curl_multi_setopt_long(m, CURLMOPT_MAXCONNECTS, maxConnections)
        multi = m
        return m
    }

    /// Sends every message, at most `maxConnections` at a time, and classifies each result.
    mutating func run(_ messages: [SMTPMessage], settings: SMTPSettings) -> [DeliveryOutcome] {
        let multi = multiHandle()
        var results = [DeliveryOutcome?](repeating: nil, count: messages.count)
        var active: [UnsafeMutableRawPointer: SMTPTransfer] = [:]
        var next = 0, done = 0
        while done < messages.count {
            while active.count < maxConnections, next < messages.count {
                let easy = idle.popLast() ?? curl_easy_init()!
                let transfer = SMTPTransfer(slot: next, message: messages[next])
                if let problem = transfer.configure(easy, settings: settings) {
                    results[next] = .permanent(problem)
                    recycle(easy, transfer)
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
            var finished = false
            var left: Int32 = 0
            while let msg = curl_multi_info_read(multi, &left) {
                guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle,
                      let transfer = active.removeValue(forKey: easy) else { continue }
                results[transfer.slot] = transfer.outcome(easy, code: msg.pointee.data.result)
                // The recipient list must outlive the transfer: it is freed only now.
                _ = curl_multi_remove_handle(multi, easy)
                recycle(easy, transfer)
                done += 1
                finished = true
            }
            if !finished, running > 0 { _ = curl_multi_poll(multi, nil, 0, 1000, nil) }
        }
        return results.map { $0! }
    }

    mutating func recycle(_ easy: UnsafeMutableRawPointer, _ transfer: SMTPTransfer) {
        transfer.release()
        curl_easy_reset(easy)
        idle.append(easy)
    }

    /// Closes every connection (QUIT) and frees the handles.
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
