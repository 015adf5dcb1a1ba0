import CCurl
import Outreach

extension SMTPChannel {
    /// Connects to the relay, reads its greeting, says EHLO (and STARTTLS and AUTH where set) and
    /// disconnects, sending no mail.
    public func probe() -> String? {
        guard let easy = curl_easy_init() else { return "libcurl could not start a transfer" }
        defer { curl_easy_cleanup(easy) }
        let t = SMTPTransfer(
            message: SMTPMessage(index: 0, from: "probe@localhost", to: "probe@localhost", bytes: []),
            settings: settings)
        defer { t.release() }
        if let why = t.configure(easy, settings: settings) { return why }
        _ = outreach_curl_setopt_long(easy, CURLOPT_CONNECT_ONLY, 1)
        let code = curl_easy_perform(easy)
        if code == CURLE_OK { return nil }
        switch t.outcome(easy, code: code) {
        case .sent: return nil
        case .transient(let why, _), .permanent(let why, _), .unreachable(let why, _): return why
        }
    }
}
