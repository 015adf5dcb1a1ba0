/// The SMS gateways an `sms` channel knows how to call.
public enum SMSPreset: String, Sendable, CaseIterable {
    /// Twilio Messages API: form `POST /2010-04-01/Accounts/{sid}/Messages.json`, basic auth.
    case twilio
    /// Vonage (Nexmo) SMS API: `POST https://rest.nexmo.com/sms/json`, JSON or form.
    case vonage
    /// Kannel's smsbox: `GET /cgi-bin/sendsms?username=…&text=…&coding=…&dlr-url=…`.
    case kannel
    /// WhatsApp Business Cloud API: JSON `POST {url}/{phone_number_id}/messages`, bearer token;
    /// an approved template when the template's front matter names one, else free text.
    case whatsapp
    /// Any HTTP endpoint: `{"to", "from", "text", "encoding", "segments", "id"}` as JSON or form.
    case generic
}
