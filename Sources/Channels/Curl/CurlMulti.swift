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
        var results = [T.Output?](repeating: nil, count: transfers.count)
        var next = 0
        run(
            next: { () -> CurlFeed<T> in
                guard next < transfers.count else { return .exhausted }
                next += 1
                return .ready(transfers[next - 1])
            },
            done: { i, output in results[i] = output })
        return results.map { $0! }
    }

    /// Runs the transfers `next` hands over, at most `maxConnections` at a time, until it says
    /// `exhausted`; `done` gets each one's output with its place in the order `next` gave them.
    /// When `next` has nothing yet (`later`), the loop waits on the connections it has, or for
    /// `wakeup()` from the thread that makes the next transfer ready.
    mutating func run<T: CurlTransfer>(next: () -> CurlFeed<T>, done: (Int, T.Output) -> Void) {
        let multi = handle()
        var active: [UnsafeMutableRawPointer: (transfer: T, order: Int)] = [:]
        var handed = 0
        var exhausted = false
        while true {
            fill: while !exhausted, active.count < maxConnections {
                switch next() {
                case .ready(let transfer):
                    let easy = idle.popLast() ?? curl_easy_init()!
                    if let refused = transfer.configure(easy) {
                        done(handed, refused)
                        recycle(easy, transfer)
                    } else {
                        _ = curl_multi_add_handle(multi, easy)
                        active[easy] = (transfer, handed)
                    }
                    handed += 1
                case .later: break fill
                case .exhausted: exhausted = true
                }
            }
            if exhausted, active.isEmpty { return }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            var finished = false
            var left: Int32 = 0
            while let msg = curl_multi_info_read(multi, &left) {
                guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle,
                    let (transfer, order) = active.removeValue(forKey: easy)
                else { continue }
                done(order, transfer.finish(easy, code: msg.pointee.data.result))
                // What the transfer lent libcurl (a recipient list, headers) is freed only now.
                _ = curl_multi_remove_handle(multi, easy)
                recycle(easy, transfer)
                finished = true
            }
            // With nothing in flight the wait is for `wakeup()` alone (curl_multi_poll waits even
            // without sockets); a wake-up that came before the wait makes it return at once.
            if !finished, running > 0 || !exhausted { _ = curl_multi_poll(multi, nil, 0, 1000, nil) }
        }
    }

    /// What another thread calls to end the wait of `run(next:done:)` when a transfer is ready.
    mutating func wakeup() -> CurlWakeup { CurlWakeup(multi: handle()) }

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

/// What `run(next:done:)` asks for: a transfer, nothing yet, or nothing more.
enum CurlFeed<T> {
    case ready(T)
    case later
    case exhausted
}

/// Interrupts a `curl_multi_poll` on the multi handle from any thread (`curl_multi_wakeup` is the
/// one libcurl call made for that). Only valid while the handle lives: the channel uses it only
/// while it holds the lock of the `CurlMulti`, which `destroy()` needs too.
struct CurlWakeup: @unchecked Sendable {
    let multi: UnsafeMutableRawPointer
    func callAsFunction() { _ = curl_multi_wakeup(multi) }
}
