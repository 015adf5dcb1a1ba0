import CCurl
import Foundation
import Outreach

/// The answer to one IMAP command.
struct IMAPReply {
    var code: CURLcode
    var body: [UInt8]
    var lines: [UInt8]
    /// libcurl's words on a failure (empty on success).
    var detail: String
    var tooLarge: Bool

    var ok: Bool { code == CURLE_OK }
    /// The server said NO or BAD to the command itself; the connection is fine.
    var refused: Bool { code == CURLE_QUOTE_ERROR }
    /// The tagged answer without its tag (`NO [TRYCREATE] Mailbox doesn't exist`).
    var completion: String? { IMAPResponse.completion(lines) }
}

/// One libcurl easy handle kept for a poll, so login and SELECT happen once and every command of
/// the poll runs on the same connection (libcurl keeps the mailbox selected while the URL names
/// it). Closed at the end of the poll and whenever a command leaves it in doubt.
struct IMAPConnection: ~Copyable {
    private var easy: UnsafeMutableRawPointer?
    private let settings: BounceMailboxSettings
    private let url: String
    /// Learned from the SELECT of this connection.
    private(set) var uidValidity: UInt32?
    /// The capabilities after login, asked for once per connection when a move needs them.
    var capabilities: Set<String>?

    init(settings: BounceMailboxSettings) {
        self.settings = settings
        url = Self.url(settings)
    }

    /// `imap://host:port/INBOX`, without user or password (those are options).
    static func url(_ s: BounceMailboxSettings) -> String {
        let host = s.host.contains(":") && !s.host.hasPrefix("[") ? "[\(s.host)]" : s.host
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        let mailbox = s.mailbox.addingPercentEncoding(withAllowedCharacters: allowed) ?? s.mailbox
        return "\(s.scheme)://\(host)\(s.port.map { ":\($0)" } ?? "")/\(mailbox)"
    }

    /// Runs `command` as a custom request on the mailbox (connecting, logging in and selecting
    /// it first when the connection is new). A failure that leaves the connection in doubt closes it.
    mutating func run(_ command: String, interrupt: IMAPInterrupt) -> IMAPReply {
        let exchange = IMAPExchange(interrupt: interrupt)
        guard !interrupt.isSet else {
            return IMAPReply(
                code: CURLE_ABORTED_BY_CALLBACK, body: [], lines: [], detail: "stopped by a drain", tooLarge: false)
        }
        let fresh = easy == nil
        let handle = easy ?? open()
        let me = Unmanaged.passUnretained(exchange).toOpaque()
        _ = outreach_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, command)
        _ = outreach_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        _ = outreach_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, me)
        _ = outreach_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, me)
        _ = outreach_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, exchange.errorBuffer)
        let code = curl_easy_perform(handle)
        // The handle must not point at the exchange once it is gone (closing it reads the LOGOUT answer).
        for option in [CURLOPT_WRITEDATA, CURLOPT_HEADERDATA, CURLOPT_XFERINFODATA, CURLOPT_ERRORBUFFER] {
            _ = outreach_curl_setopt_pointer(handle, option, nil)
        }
        let reply = IMAPReply(
            code: code, body: exchange.body, lines: exchange.lines,
            detail: code == CURLE_OK ? "" : exchange.detail(code),
            tooLarge: exchange.tooLarge)
        if fresh, code == CURLE_OK { uidValidity = IMAPResponse.uidValidity(exchange.lines) }
        if code != CURLE_OK, code != CURLE_QUOTE_ERROR { close() }
        return reply
    }

    private mutating func open() -> UnsafeMutableRawPointer {
        let h = curl_easy_init()!
        _ = outreach_curl_setopt_string(h, CURLOPT_URL, url)
        _ = outreach_curl_setopt_string(h, CURLOPT_PROTOCOLS_STR, "imap,imaps")
        _ = outreach_curl_setopt_string(h, CURLOPT_USERNAME, settings.username)
        _ = outreach_curl_setopt_string(h, CURLOPT_PASSWORD, settings.password)
        _ = outreach_curl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        _ = outreach_curl_setopt_long(h, CURLOPT_TCP_KEEPALIVE, 1)
        _ = outreach_curl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, 10_000)
        _ = outreach_curl_setopt_long(h, CURLOPT_TIMEOUT_MS, 120_000)
        // The largest buffer libcurl 7.88 allows (512 KiB): its line reader clips a line longer than
        // half of it, and a clipped line of a message is a message that cannot be read whole.
        _ = outreach_curl_setopt_long(h, CURLOPT_BUFFERSIZE, 512 << 10)
        if settings.tls == .starttls {
            // ALL, never TRY: a server without STARTTLS is not given the password in plain text.
            _ = outreach_curl_setopt_long(h, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        }
        if let ca = settings.caFile { _ = outreach_curl_setopt_string(h, CURLOPT_CAINFO, ca) }
        if !settings.verifyTLS {
            _ = outreach_curl_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 0)
            _ = outreach_curl_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 0)
        }
        _ = outreach_curl_setopt_write(h, imapExchangeWrite)
        _ = outreach_curl_setopt_header(h, imapExchangeLine)
        _ = outreach_curl_setopt_long(h, CURLOPT_NOPROGRESS, 0)
        _ = outreach_curl_setopt_xferinfo(h, imapExchangeProgress)
        easy = h
        return h
    }

    /// Logs out and disconnects; the next command connects again.
    mutating func close() {
        if let easy { curl_easy_cleanup(easy) }
        easy = nil
        uidValidity = nil
        capabilities = nil
    }

    deinit {
        if let easy { curl_easy_cleanup(easy) }
    }
}
