import CCurl
import Outreach

/// One message in flight: the bytes libcurl reads, the recipient list it must not outlive, and the
/// server's replies, which libcurl hands to the header callback (so the outcome keeps the relay's own words).
final class SMTPTransfer {
    let message: SMTPMessage
    var offset = 0
    var recipients: UnsafeMutablePointer<curl_slist>?
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    /// The last reply line received, as bytes: most transfers never need it as text.
    var lastReply: [UInt8] = []
    /// The first 4xx/5xx reply: what went wrong (later lines are the QUIT that follows).
    var failureReply: [UInt8] = []

    let settings: SMTPSettings

    init(message: SMTPMessage, settings: SMTPSettings) {
        self.settings = settings
        self.message = message
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    /// Sets the options; returns a reason if the message cannot be sent at all.
    func configure(_ easy: UnsafeMutableRawPointer, settings: SMTPSettings) -> String? {
        guard !message.to.isEmpty, !message.to.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "<" || $0 == ">" })
        else {
            return "'\(message.to)' is not a deliverable address"
        }
        var code = CURLE_OK
        func set(_ c: CURLcode) { if code == CURLE_OK { code = c } }
        set(outreach_curl_setopt_string(easy, CURLOPT_URL, settings.url))
        set(outreach_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        set(outreach_curl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1))
        set(outreach_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(settings.timeout * 1000)))
        set(outreach_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, 10_000))
        set(outreach_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        switch settings.tls {
        case .starttls:
            // ALL, never TRY: a relay that does not offer STARTTLS fails instead of getting plaintext.
            set(outreach_curl_setopt_long(easy, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)))
        case .implicit, .none: break
        }
        if let ca = settings.caFile { set(outreach_curl_setopt_string(easy, CURLOPT_CAINFO, ca)) }
        if !settings.verifyTLS {
            set(outreach_curl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0))
            set(outreach_curl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0))
        }
        if let u = settings.username, let p = settings.password {
            set(outreach_curl_setopt_string(easy, CURLOPT_USERNAME, u))
            set(outreach_curl_setopt_string(easy, CURLOPT_PASSWORD, p))
        }
        set(outreach_curl_setopt_string(easy, CURLOPT_MAIL_FROM, "<\(message.from)>"))
        recipients = curl_slist_append(nil, "<\(message.to)>")
        set(outreach_curl_setopt_slist(easy, CURLOPT_MAIL_RCPT, recipients))
        set(outreach_curl_setopt_long(easy, CURLOPT_UPLOAD, 1))
        set(
            outreach_curl_setopt_off(
                easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.header.count + message.bytes.count)))
        let me = Unmanaged.passUnretained(self).toOpaque()
        set(outreach_curl_setopt_read(easy, smtpTransferRead))
        set(outreach_curl_setopt_pointer(easy, CURLOPT_READDATA, me))
        // libcurl passes every SMTP reply line to the header callback; no verbose debug stream needed.
        set(outreach_curl_setopt_header(easy, smtpTransferReply))
        set(outreach_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, me))
        if code != CURLE_OK { return "libcurl refused an option: \(String(cString: curl_easy_strerror(code)))" }
        return nil
    }

    /// Transient for 4xx and connection trouble, permanent for 5xx; a 5xx to RCPT suppresses the address.
    func outcome(_ easy: UnsafeMutableRawPointer, code: CURLcode) -> DeliveryOutcome {
        var status = 0
        _ = outreach_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        if code == CURLE_OK {
            return .sent(providerID: SMTPTransfer.queueID(SMTPTransfer.text(lastReply)))
        }
        let detail = String(cString: errorBuffer)
        let failure = SMTPTransfer.text(failureReply)
        let reply = !failure.isEmpty ? failure : (detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        // 421: the relay is closing the session for itself (maintenance, overload), not for this message.
        if status == 421 { return .unreachable("the relay is not available: \(reply)", peerAnswered: true) }
        // A reply code from the relay decides first (curl reports a refused RCPT as a send error).
        if (400..<500).contains(status), code != CURLE_LOGIN_DENIED, code != CURLE_USE_SSL_FAILED {
            return .transient(reply)
        }
        if (500..<600).contains(status), code != CURLE_LOGIN_DENIED, code != CURLE_USE_SSL_FAILED {
            // A 5xx to RCPT TO is about this recipient: a hard bounce. libcurl names the refused
            // command in its error ("RCPT failed: 550"); 554 to RCPT is often policy, so it does not suppress.
            let onRecipient = detail.hasPrefix("RCPT failed")
            return .permanent(reply, suppress: onRecipient && [550, 551, 553].contains(status))
        }
        switch code {
        case CURLE_USE_SSL_FAILED:
            return .transient(
                "the relay does not offer STARTTLS, and tls = \"starttls\" forbids sending in plaintext (\(reply))")
        case CURLE_LOGIN_DENIED:
            return .transient("the relay refused the username or password: \(reply)")
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_GOT_NOTHING,
            CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION:
            return .unreachable(
                "cannot reach the relay: \(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)")
        case CURLE_OPERATION_TIMEDOUT:
            // Timed out before the connection was made: the relay is unreachable, not slow with this message.
            var connected: curl_off_t = 0
            _ = outreach_curl_getinfo_off_t(easy, CURLINFO_CONNECT_TIME_T, &connected)
            let why = "cannot reach the relay: \(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)"
            return connected == 0 ? .unreachable(why) : .transient(why)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR:
            return .transient(
                "cannot reach the relay: \(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)")
        default:
            break
        }
        return .transient(reply)
    }

    /// "250 2.0.0 Ok: queued as 4XyZ" → "4XyZ"
    static func queueID(_ reply: String) -> String? {
        guard let r = reply.range(of: "queued as ") else { return reply.isEmpty ? nil : reply }
        return String(reply[r.upperBound...].prefix { !$0.isWhitespace })
    }

    func release() {
        if let recipients { curl_slist_free_all(recipients) }
        recipients = nil
        errorBuffer.deallocate()
    }

    /// One reply line from the relay (with its CRLF).
    func sawReply(_ line: UnsafeBufferPointer<UInt8>) {
        guard let first = line.first, first != 0x0D, first != 0x0A else { return }
        lastReply = Array(line)
        if failureReply.isEmpty, first == UInt8(ascii: "4") || first == UInt8(ascii: "5") { failureReply = lastReply }
    }

    static func text(_ line: [UInt8]) -> String {
        var end = line.count
        while end > 0, line[end - 1] == 0x0D || line[end - 1] == 0x0A || line[end - 1] == 0x20 { end -= 1 }
        return String(decoding: line[..<end], as: UTF8.self)
    }
}

/// CURLOPT_READFUNCTION: hands libcurl the next piece of the message, the DKIM-Signature header (if
/// any) and the message in one piece when they fit: libcurl sends each piece it reads as a write of
/// its own, one more packet for the relay to wake up for.
let smtpTransferRead: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    buffer, size, count, user in
    guard let buffer, let user else { return 0 }
    let t = Unmanaged<SMTPTransfer>.fromOpaque(user).takeUnretainedValue()
    let room = size * count
    let out = UnsafeMutableRawPointer(buffer)
    var written = 0
    let header = t.message.header.count
    if t.offset < header {
        let n = min(room, header - t.offset)
        t.message.header.withUnsafeBytes { out.copyMemory(from: $0.baseAddress! + t.offset, byteCount: n) }
        written = n
    }
    let from = t.offset + written - header
    let n = min(room - written, t.message.bytes.count - from)
    if n > 0 {
        t.message.bytes.withUnsafeBytes {
            out.advanced(by: written).copyMemory(from: $0.baseAddress! + from, byteCount: n)
        }
        written += n
    }
    t.offset += written
    return written
}

/// CURLOPT_HEADERFUNCTION: for SMTP, libcurl passes each server reply line here.
let smtpTransferReply: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, user in
    guard let data, let user else { return 0 }
    let t = Unmanaged<SMTPTransfer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    data.withMemoryRebound(to: UInt8.self, capacity: n) { t.sawReply(UnsafeBufferPointer(start: $0, count: n)) }
    return n
}

extension SMTPTransfer: CurlTransfer {
    func configure(_ easy: UnsafeMutableRawPointer) -> DeliveryOutcome? {
        configure(easy, settings: settings).map { .permanent($0) }
    }

    func finish(_ easy: UnsafeMutableRawPointer, code: CURLcode) -> DeliveryOutcome {
        outcome(easy, code: code)
    }
}
