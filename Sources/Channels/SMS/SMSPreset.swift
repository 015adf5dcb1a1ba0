/// The SMS gateways an `sms` channel knows how to call.
public enum SMSPreset: String, Sendable, CaseIterable {
    /// Twilio Messages API: form `POST /2010-04-01/Accounts/{sid}/Messages.json`, basic auth.
    case twilio
    /// Vonage (Nexmo) SMS API: `POST https://rest.nexmo.com/sms/json`, JSON or form.
    case vonage
    /// Kannel's smsbox: `GET /cgi-bin/sendsms?username=…&text=…&coding=…&dlr-url=…`.
    case kannel
    /// Any HTTP endpoint: `{"to", "from", "text", "encoding", "segments", "id"}` as JSON or form.
    case generic
}
