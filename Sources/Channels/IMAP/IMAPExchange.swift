import CCurl
import Synchronization

/// One IMAP command on the connection: what libcurl hands back while it runs (data and response
/// lines, each capped), and the flag that aborts it from another thread.
final class IMAPExchange {
    /// The most a command may bring back: a bounce with the returned message is far smaller.
    static let maxBytes = 64 << 20

    var body: [UInt8] = []
    var lines: [UInt8] = []
    var tooLarge = false
    let interrupt: IMAPInterrupt
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(interrupt: IMAPInterrupt) {
        self.interrupt = interrupt
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit { errorBuffer.deallocate() }

    /// libcurl's own words on a failure, else its name for the code.
    func detail(_ code: CURLcode) -> String {
        let d = String(cString: errorBuffer)
        return d.isEmpty ? String(cString: curl_easy_strerror(code)) : d
    }

    func append(_ data: UnsafeMutablePointer<CChar>, _ n: Int, toLines: Bool) -> Int {
        guard (toLines ? lines.count : body.count) + n <= Self.maxBytes else {
            tooLarge = true
            return 0
        }
        data.withMemoryRebound(to: UInt8.self, capacity: n) {
            let bytes = UnsafeBufferPointer(start: $0, count: n)
            if toLines { lines.append(contentsOf: bytes) } else { body.append(contentsOf: bytes) }
        }
        return n
    }
}

/// Set once by a drain: every transfer in progress aborts at its next progress call, and none starts.
final class IMAPInterrupt: Sendable {
    let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
}

/// CURLOPT_WRITEFUNCTION: the data of a command (untagged lines of a custom command). Without an
/// exchange (the LOGOUT of a closing connection) what comes is dropped.
let imapExchangeWrite: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, user in
    guard let data, let user else { return size * count }
    return Unmanaged<IMAPExchange>.fromOpaque(user).takeUnretainedValue().append(data, size * count, toLines: false)
}

/// CURLOPT_HEADERFUNCTION: libcurl passes every line the IMAP server sends here.
let imapExchangeLine: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, user in
    guard let data, let user else { return size * count }
    return Unmanaged<IMAPExchange>.fromOpaque(user).takeUnretainedValue().append(data, size * count, toLines: true)
}

/// CURLOPT_XFERINFOFUNCTION: non-zero aborts the transfer (a drain).
let imapExchangeProgress:
    @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = {
        user, _, _, _, _ in
        guard let user else { return 0 }
        return Unmanaged<IMAPExchange>.fromOpaque(user).takeUnretainedValue().interrupt.isSet ? 1 : 0
    }
