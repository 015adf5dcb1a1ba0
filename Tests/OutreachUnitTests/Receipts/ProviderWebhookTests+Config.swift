import Channels
import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

/// What `check` and `serve` refuse in a provider's keys, and the shared field rules.
@Suite struct ProviderWebhookConfigTests {
    static let config = try! Config.parse("", file: NSTemporaryDirectory() + "outreachd.conf")

    /// The sentence building the SMTP channel throws, or "accepted".
    static func message(_ values: [String: ConfigValue], files: [String: String] = [:]) -> String {
        var v = values
        v["type"] = "smtp"
        v["url"] = "smtp://127.0.0.1:2525"
        let section = ChannelSections.make("mail", v, dir: ChannelSections.secretDirectory(files))
        do {
            _ = try ChannelFactory.make(name: "mail", section: section, config: Self.config)
            try section.refuseUnreadKeys()
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func aProviderWithoutItsSecretNamesChannelAndKey() {
        #expect(
            Self.message(["provider": "mailgun"]).hasSuffix("[channels.mail] needs a value for 'signing_key_file'."))
        #expect(Self.message(["provider": "postmark"]).contains("[channels.mail] needs a value for 'basic_auth_file'"))
        #expect(Self.message(["provider": "ses"]).contains("[channels.mail] needs a value for 'sns_certificate_file'"))
        #expect(
            Self.message(["provider": "sendgrid"]).contains("[channels.mail] needs a value for 'sendgrid_public_key'"))
    }

    @Test func badValuesAreRefusedWithTheKey() {
        #expect(
            Self.message(["provider": "sparkpost"]).contains("'provider' must be ses, postmark, sendgrid or mailgun"))
        // A secret written in the configuration itself is refused: files only.
        let inline = Self.message(["provider": "mailgun", "signing_key": "key-1"])
        #expect(inline.contains("'signing_key' is a secret, read only from a file"))
        #expect(!inline.contains("key-1"))
        #expect(Self.message(["provider": "mailgun", "signing_key_file": "missing.key"]).contains("cannot be read"))
        #expect(
            Self.message(["provider": "postmark", "basic_auth_file": "a"], files: ["a": "no-colon"])
                .contains("must hold user:password"))
        #expect(
            Self.message(["provider": "ses", "sns_certificate_file": "c.pem"], files: ["c.pem": "not a certificate"])
                .contains("holds no PEM certificate"))
        #expect(
            Self.message(
                ["provider": "ses", "sns_certificate_file": "c.pem", "sns_topic_arn": "my-topic"],
                files: ["c.pem": ProviderSigning.file("sns-cert.pem")]
            ).contains("'sns_topic_arn' must be a topic ARN"))
        #expect(
            Self.message(["provider": "sendgrid", "sendgrid_public_key": "bm90IGEga2V5"]).contains(
                "'sendgrid_public_key' is not a public key"))
        // The SNS certificate's RSA key is not an ECDSA key.
        let rsa = Self.message(
            ["provider": "sendgrid", "sendgrid_public_key_file": "k.pem"],
            files: ["k.pem": ProviderSigning.file("sns-public.pem")])
        #expect(rsa.contains("is not an ECDSA key"))
    }

    @Test func keysOfAnotherProviderAreTypos() {
        let m = Self.message(
            ["provider": "mailgun", "signing_key_file": "k", "basic_auth_file": "a"], files: ["k": "x", "a": "u:p"])
        #expect(m.contains("'basic_auth_file' is not a setting of [channels.mail]"))
        #expect(Self.message(["sns_topic_arn": "arn:aws:sns:x"]).contains("'sns_topic_arn' is not a setting"))
    }

    @Test func validSettingsAreAcceptedAndSecretsKeptForTheRedactor() throws {
        #expect(Self.message(["provider": "mailgun", "signing_key_file": "k"], files: ["k": "key-abc"]) == "accepted")
        #expect(
            Self.message(
                ["provider": "sendgrid", "sendgrid_public_key": .string(ProviderSigning.file("sendgrid-public.b64"))])
                == "accepted")
        let section = ChannelSections.make(
            "mail", ["type": "smtp", "url": "smtp://h", "provider": "postmark", "basic_auth_file": "a"],
            dir: ChannelSections.secretDirectory(["a": "user:pa55word"]))
        let channel = try SMTPChannel(name: "mail", section: section, config: Self.config)
        #expect(channel.providerEvents?.provider == .postmark)
        #expect(section.secretValues.contains("user:pa55word"))
        // An SMTP channel without provider takes no provider events.
        let plain = ChannelSections.make("p", ["type": "smtp", "url": "smtp://h"])
        #expect(try SMTPChannel(name: "p", section: plain, config: Self.config).providerEvents == nil)
    }

}

@Suite struct ProviderFieldsTests {
    @Test func deliveryIDsAndStatusesAsTheParserReadsThem() {
        #expect(ProviderFields.deliveryID(messageID: "<outreach.42.7.lxyz@example.org>") == 42)
        #expect(ProviderFields.deliveryID(messageID: "outreach.42.7.lxyz@example.org") == 42)
        #expect(ProviderFields.deliveryID(messageID: "<other.42.7.x@e>") == nil)
        #expect(ProviderFields.deliveryID(value: " 17 ") == 17)
        #expect(ProviderFields.deliveryID(value: "17x") == nil)
        #expect(ProviderFields.status(nil, text: "smtp; 550 5.1.1 <a@b>: user unknown") == "5.1.1")
        #expect(ProviderFields.status("4.4.7", text: "5.1.1") == "4.4.7")
        #expect(ProviderFields.status("", text: "450 4.2.2 Mailbox full") == "4.2.2")
    }

    @Test func recipientsLinesAndKinds() {
        #expect(ProviderFields.recipient(" <Ana.B@Example.ORG> ") == "Ana.B@example.org")
        #expect(ProviderFields.recipient("nobody") == nil)
        #expect(ProviderFields.recipient("a@") == nil)
        #expect(ProviderFields.line("one\r\ntwo") == "one two")
        #expect(ProviderFields.line(String(repeating: "x", count: 2_000))?.count == 1_001)
        // The code decides a failure, as for a DSN: 4.x.x soft, mailbox full soft, a policy block soft.
        #expect(ProviderFields.kind(.hard, status: "4.0.0", diagnostic: nil) == .soft)
        #expect(ProviderFields.kind(.hard, status: "5.2.2", diagnostic: nil) == .soft)
        #expect(ProviderFields.kind(.hard, status: "5.7.1", diagnostic: "blocked by policy") == .soft)
        #expect(ProviderFields.kind(.soft, status: "5.1.1", diagnostic: nil) == .hard)
        #expect(ProviderFields.kind(.hard, status: nil, diagnostic: nil) == .hard)
        #expect(ProviderFields.kind(.delayed, status: "5.1.1", diagnostic: nil) == .delayed)
        #expect(ProviderFields.kind(.complaint, status: "5.1.1", diagnostic: nil) == .complaint)
    }

    @Test func replayGuardWindowAndMemory() {
        let g = ReplayGuard(window: 900, capacity: 3)
        #expect(g.admit(id: "a", time: 1_000, now: 1_000) == .fresh)
        #expect(g.admit(id: "a", time: 1_000, now: 1_001) == .seen)
        #expect(g.admit(id: "b", time: 0, now: 1_000) == .stale(seconds: 1_000))
        #expect(g.admit(id: "c", time: 2_000, now: 1_000) == .future(seconds: 1_000))
        // Ids that left the window are forgotten (and could not be replayed: they are stale).
        #expect(g.admit(id: "d", time: 2_000, now: 2_000) == .fresh)
        #expect(g.admit(id: "a", time: 1_000, now: 2_000) == .stale(seconds: 1_000))
        // Past the capacity the oldest go first.
        for id in ["e", "f", "g"] { #expect(g.admit(id: id, time: 2_000, now: 2_000) == .fresh) }
        #expect(g.admit(id: "d", time: 2_000, now: 2_000) == .fresh)
        #expect(g.admit(id: "g", time: 2_000, now: 2_000) == .seen)
    }
}
