import Outreach
import Testing

/// The redaction rule on its own; `SecretRedactionTests+EndToEnd` runs the binary and the daemon.
@Suite struct SecretRedactionTests {
    /// The rule itself, on the shapes of URL the channels build.
    @Test func theRedactorRemovesCredentialsFromURLsAndConfiguredSecretsAnywhere() {
        let r = SecretRedactor(secrets: ["s3cr3t-value"])
        let kannel =
            "The request to http://gw:13013/cgi-bin/sendsms?username=outreach&password=Kp%2Fss&to=%2B45"
            + "&dlr-url=http%3A%2F%2Fx%2Fv1%2Freceipts%2Fsms%3Ftoken%3DRcptTok-91c2%26id%3D5 failed: refused."
        let out = r.redact(kannel)
        #expect(!out.contains("Kp%2Fss") && !out.contains("RcptTok-91c2"), "\(out)")
        #expect(
            out.contains("username=outreach") && out.contains("to=%2B45") && out.contains("failed: refused."),
            "\(out)")
        #expect(!r.redact("https://api.telegram.org/bot123456:AAE-x_y/sendMessage").contains("AAE-x_y"))
        #expect(
            r.redact("https://api.telegram.org/bot123456:AAE-x_y/sendMessage")
                == "https://api.telegram.org/bot[redacted]/sendMessage")
        #expect(r.redact("smtp://user:pw@relay:587/x") == "smtp://[redacted]@relay:587/x")
        #expect(
            r.redact("http://h/p?api_key=1&Token=2&signature=3&sig=4&keep=5")
                == "http://h/p?api_key=[redacted]&Token=[redacted]&signature=[redacted]&sig=[redacted]&keep=5")
        #expect(r.redact("the gateway said: s3cr3t-value is wrong") == "the gateway said: [redacted] is wrong")
        #expect(r.redact("no url here, 50% off") == "no url here, 50% off")
        // What an HTTP error names: the endpoint, without the query (the message and credentials of a GET gateway).
        #expect(
            SecretRedactor.endpoint("http://u:p@gw/send?to=%2B45&text=hi&password=x#f")
                == "http://[redacted]@gw/send")
    }
}
