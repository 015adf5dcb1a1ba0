import Channels
import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// `[hooks.NAME]` as `check` and `serve` read it: every mistake is one sentence naming the hook,
/// the key and the value, and never the secret.
@Suite struct HookConfigTests {
    let secret = "whsec_" + Data(Array(0..<32)).base64EncodedString()

    func config(_ text: String, files: [String: String] = [:]) throws -> Config {
        let dir = ChannelSections.secretDirectory(files)
        let path = dir + "/outreachd.conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try Config.read(path: path)
    }

    func error(_ text: String, files: [String: String] = [:]) -> String {
        do {
            _ = try ChannelFactory.makeHooks(try config(text, files: files))
            return "(accepted)"
        } catch {
            return "\(error)"
        }
    }

    @Test func aHookReadsItsURLEventsSecretAndRetries() throws {
        let c = try config(
            """
            [hooks.crm]
            url = "https://crm.example.org/hooks/outreach"
            events = ["delivery.bounced", "contact.unsubscribed", "delivery.bounced"]
            signing_secret_file = "crm.secret"
            max_attempts = 12
            retry_base = "10s"
            timeout = 15
            headers = ["X-Tenant: 7"]
            """, files: ["crm.secret": secret])
        let hooks = try ChannelFactory.makeHooks(c)
        try #require(hooks.count == 1)
        let h = hooks[0]
        #expect(h.name == "hook:crm" && h.hook.name == "crm" && h.hook.channel == "hook:crm")
        #expect(h.hook.url == "https://crm.example.org/hooks/outreach")
        #expect(h.hook.events == [.contactUnsubscribed, .deliveryBounced])
        #expect(h.hook.wants(.deliveryBounced) && !h.hook.wants(.deliverySent))
        #expect(h.hook.policy.maxAttempts == 12 && h.hook.policy.baseMillis == 10_000)
        // The secret read from the file is known to the redactor, like a channel's.
        #expect(c.secretValues.contains(secret))
    }

    /// A `[hooks.crm]` table (line 1) with `url` (2), `events` (3), the secret's key (4) and `extra` (5).
    func table(
        url: String = "https://crm.example.org", events: String = #"["delivery.sent"]"#,
        secret: String? = #"signing_secret_file = "crm.secret""#, extra: String = ""
    ) -> String {
        ["[hooks.crm]", "url = \"\(url)\"", "events = \(events)", secret ?? "", extra].joined(separator: "\n")
    }

    @Test func mistakesAreOneSentenceNamingTheHookAndTheValue() {
        let file = ["crm.secret": secret]
        let unknown = error(table(events: #"["delivery.sent", "delivery.opened"]"#), files: file)
        #expect(
            unknown.hasSuffix(
                ":3: 'events' of [hooks.crm] has \"delivery.opened\", which is not an event type (delivery.sent, "
                    + "delivery.delivered, delivery.bounced, delivery.complained, delivery.failed, "
                    + "contact.unsubscribed, contact.subscribed)."), "\(unknown)")
        let scheme = error(table(url: "ftp://crm.example.org"), files: file)
        #expect(scheme.hasSuffix(":2: 'url' of [hooks.crm] must start with http:// or https://."), "\(scheme)")
        let none = error(table(events: "[]"), files: file)
        #expect(none.contains("'events' of [hooks.crm] lists no event"), "\(none)")
        let noSecret = error(table(secret: nil))
        #expect(noSecret.hasSuffix(": [hooks.crm] needs a value for 'signing_secret_file'."), "\(noSecret)")
        let unreadable = error(table(secret: #"signing_secret_file = "missing.secret""#))
        #expect(
            unreadable.contains(":4: 'signing_secret_file' names ") && unreadable.hasSuffix(", which cannot be read."))
        let short = "whsec_" + Data(Array(0..<16)).base64EncodedString()
        let weak = error(table(), files: ["crm.secret": short])
        #expect(weak.contains("holds a key of 16 bytes; Standard Webhooks asks for at least 24"), "\(weak)")
        #expect(!weak.contains(short))
        let garbled = error(table(), files: ["crm.secret": "not base64 at all!"])
        #expect(garbled.contains("must hold whsec_ followed by base64 key bytes") && !garbled.contains("at all"))
        let typo = error(table(extra: "max_attempt = 3"), files: file)
        #expect(typo.hasSuffix(":5: 'max_attempt' is not a setting of [hooks.crm] (did you mean 'max_attempts'?)."))
        // A channel's pacing means nothing for a hook: refused, not ignored.
        let rate = error(table(extra: #"rate = "5/s""#), files: file)
        #expect(rate.contains("'rate' is not a setting of [hooks.crm]"), "\(rate)")
        let bare = error(
            """
            [hooks]
            url = "https://crm.example.org"
            """)
        #expect(bare.contains("'url' is not a setting of [hooks]; each hook is a table of its own, [hooks.NAME]"))
    }
}
