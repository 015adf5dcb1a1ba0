import CCurl
import Outreach

/// One message in flight: the bytes libcurl reads, the recipient list it must not outlive, and the
/// server's replies seen through the debug callback (so the outcome keeps the relay's own words).
final class SMTPTransfer {
    let slot: Int
    let message: SMTPMessage
    var offset = 0
    var recipients: UnsafeMutablePointer<curl_slist>?
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    /// The last command sent and the last reply line received.
    var lastCommand = ""
    var lastReply = ""
    var replyToRcpt = ""
    /// The first 4xx/5xx reply: what went wrong (later lines are the QUIT that follows).
    var failureReply = ""

    init(slot: Int, message: SMTPMessage) {
        self.slot = slot
        self.message = message
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    /// Sets the options; returns a reason if the message cannot be sent at all.
    func configure(_ easy: UnsafeMutableRawPointer, settings: SMTPSettings) -> String? {
        guard !message.to.isEmpty, !message.to.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "<" || $0 == ">" }) else {
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
        set(outreach_curl_setopt_off(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.bytes.count)))
        let me = Unmanaged.passUnretained(self).toOpaque()
        set(outreach_curl_setopt_read(easy, smtpTransferRead))
        set(outreach_curl_setopt_pointer(easy, CURLOPT_READDATA, me))
        set(outreach_curl_setopt_debug(easy, smtpTransferDebug))
        set(outreach_curl_setopt_pointer(easy, CURLOPT_DEBUGDATA, me))
        set(outreach_curl_setopt_long(easy, CURLOPT_VERBOSE, 1))
        if code != CURLE_OK { return "libcurl refused an option: \(String(cString: curl_easy_strerror(code)))" }
        return nil
    }

    /// Transient for 4xx and connection trouble, permanent for 5xx; a 5xx to RCPT suppresses the address.
    func outcome(_ easy: UnsafeMutableRawPointer, code: CURLcode) -> DeliveryOutcome {
        var status = 0
        _ = outreach_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        if code == CURLE_OK {
            return .sent(providerID: SMTPTransfer.queueID(lastReply))
        }
        let detail = String(cString: errorBuffer)
        let reply = !failureReply.isEmpty ? failureReply : (detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        // A reply code from the relay decides first (curl reports a refused RCPT as a send error).
        if (400..<500).contains(status), code != CURLE_LOGIN_DENIED, code != CURLE_USE_SSL_FAILED { return .transient(reply) }
        if (500..<600).contains(status), code != CURLE_LOGIN_DENIED, code != CURLE_USE_SSL_FAILED {
            // A 5xx to RCPT TO is about this recipient: a hard bounce.
            let onRecipient = replyToRcpt.hasPrefix("5")
            return .permanent(reply, suppress: onRecipient && [550, 551, 553, 554].contains(Int(replyToRcpt.prefix(3)) ?? 0))
        }
        switch code {
        case CURLE_USE_SSL_FAILED:
            return .transient("the relay does not offer STARTTLS, and tls = \"starttls\" forbids sending in plaintext (\(reply))")
        case CURLE_LOGIN_DENIED:
            return .transient("the relay refused the username or password: \(reply)")
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR, CURLE_RECV_ERROR,
             CURLE_GOT_NOTHING, CURLE_SSL_CONNECT_ERROR:
            return .transient("cannot reach the relay: \(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)")
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

    func sawCommand(_ line: String) {
        lastCommand = line
    }

    func sawReply(_ line: String) {
        let l = line.trimmingSpaces
        guard !l.isEmpty else { return }
        lastReply = l
        if failureReply.isEmpty, l.hasPrefix("4") || l.hasPrefix("5") { failureReply = l }
        if lastCommand.uppercased().hasPrefix("RCPT TO"), replyToRcpt.isEmpty { replyToRcpt = l }
    }
}

/// CURLOPT_READFUNCTION: hands libcurl the next piece of the message.
let smtpTransferRead: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { buffer, size, count, user in
    guard let buffer, let user else { return 0 }
    let t = Unmanaged<SMTPTransfer>.fromOpaque(user).takeUnretainedValue()
    let n = min(size * count, t.message.bytes.count - t.offset)
    if n <= 0 { return 0 }
    t.message.bytes.withUnsafeBytes { raw in
        UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + t.offset, byteCount: n)
    }
    t.offset += n
    return n
}

/// CURLOPT_DEBUGFUNCTION: the SMTP dialogue, so outcomes keep the server's reply text.
let smtpTransferDebug: @convention(c) (UnsafeMutableRawPointer?, curl_infotype, UnsafeMutablePointer<CChar>?, Int, UnsafeMutableRawPointer?) -> Int32 = { _, type, data, size, user in
    guard let data, let user, type == CURLINFO_HEADER_IN || type == CURLINFO_HEADER_OUT else { return 0 }
    let t = Unmanaged<SMTPTransfer>.fromOpaque(user).takeUnretainedValue()
    let text = data.withMemoryRebound(to: UInt8.self, capacity: size) { String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self) }
    for line in text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) {
        if type == CURLINFO_HEADER_IN { t.sawReply(String(line)) } else { t.sawCommand(String(line)) }
    }
    return 0
}
