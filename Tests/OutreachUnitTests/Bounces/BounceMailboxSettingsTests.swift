import Foundation
import Testing
@testable import Outreach

/// `[bounces]` mailbox keys: each mistake refused with a sentence naming the key; no password shown.
@Suite struct BounceMailboxSettingsTests {
    static let password = "s3cret-mailbox-pw"

    func settings(_ values: [String: ConfigValue]) throws -> BounceMailboxSettings {
        let base: [String: ConfigValue] = [
            "mailbox": "imaps://bounces@mail.example.org/INBOX", "password": .string(Self.password),
        ]
        let section = ConfigSection(
            name: "bounces", file: "/etc/outreach/outreachd.conf", baseDirectory: "/etc/outreach",
            values: base.merging(values) { $1 })
        return try BounceMailboxSettings(section: section)
    }

    @Test func readsTheURLAndDefaults() throws {
        let s = try settings([:])
        #expect(s.scheme == "imaps")
        #expect(s.host == "mail.example.org")
        #expect(s.port == nil)
        #expect(s.username == "bounces")
        #expect(s.mailbox == "INBOX")
        #expect(s.tls == .implicit)
        #expect(s.processedFolder == "Processed")
        #expect(s.pollMillis == 60_000)
        #expect(s.displayName == "imaps://bounces@mail.example.org/INBOX")
    }

    @Test func anAddressAsUserAndAFolderAndPort() throws {
        let s = try settings([
            "mailbox": "imap://bounces%40news.example.org@127.0.0.1:1143/INBOX/Bounces", "tls": "none",
            "poll": "5s", "processed_folder": "INBOX.Done",
        ])
        #expect(s.username == "bounces@news.example.org")
        #expect(s.port == 1143)
        #expect(s.mailbox == "INBOX/Bounces")
        #expect(s.tls == BounceMailboxSettings.TLS.none)
        #expect(s.pollMillis == 5000)
        #expect(s.processedFolder == "INBOX.Done")
        #expect(!s.displayName.contains(Self.password))
    }

    @Test func imapDefaultsToStartTLS() throws {
        #expect(try settings(["mailbox": "imap://b@mail.example.org/INBOX"]).tls == .starttls)
        #expect(try settings(["mailbox": "imap://b@mail.example.org"]).mailbox == "INBOX")
    }

    @Test func noMailboxMeansNoSettings() throws {
        let config = try Config.parse("[bounces]\nthreshold = 3\n", file: "/tmp/x.conf", environment: [:])
        #expect(try BounceMailboxSettings.from(config) == nil)
    }

    @Test(
        arguments: [
            (["mailbox": ConfigValue.string("pop3://b@mail.example.org/INBOX")], "'mailbox' must be an imap://"),
            (["mailbox": "imaps://b:pw@mail.example.org/INBOX"], "must not hold the password"),
            (["mailbox": "imaps://mail.example.org/INBOX"], "must name the user"),
            (["mailbox": "imaps://b@mail.example.org/INBOX?x=1"], "without ? or #"),
            (["mailbox": "imaps://b@mail.example.org/INBOX;UID=3"], "without ';'"),
            (["mailbox": "imap://b@mail.example.org/INBOX", "tls": "implicit"], "'tls' implicit TLS needs"),
            (["tls": "none"], "'tls' an imaps:// mailbox always uses implicit TLS"),
            (["tls": "try"], "'tls' must be none, starttls or implicit"),
            (["poll": "0s"], "'poll' must be a duration from 1s to 1d"),
            (["poll": "often"], "'poll' must be a duration"),
            (["processed_folder": ""], "'processed_folder' must be a folder name"),
            (["processed_folder": "Bearbeitet ä"], "'processed_folder' must be a folder name in printable ASCII"),
            (["processed_folder": "inbox"], "'processed_folder' must differ from the mailbox read (INBOX)"),
            (["password": nil], "[bounces] needs a value for 'password_file'"),
            (["password": nil, "password_file": "/nonexistent/pw"], "'password_file' names /nonexistent/pw"),
        ] as [([String: ConfigValue?], String)])
    func mistakesAreRefusedNamingTheKey(values: [String: ConfigValue?], sentence: String) throws {
        var all: [String: ConfigValue] = [
            "mailbox": "imaps://bounces@mail.example.org/INBOX", "password": .string(Self.password),
        ]
        for (k, v) in values { all[k] = v }
        let section = ConfigSection(
            name: "bounces", file: "/etc/outreach/outreachd.conf", baseDirectory: "", values: all)
        do {
            _ = try BounceMailboxSettings(section: section)
            Issue.record("accepted \(values)")
        } catch {
            #expect(error.description.contains(sentence), "\(error)")
            #expect(error.description.hasPrefix("/etc/outreach/outreachd.conf"))
            #expect(!error.description.contains(Self.password))
        }
    }

    @Test func thePasswordFileIsReadAndItsNewlineDropped() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try (Self.password + "\n").write(toFile: dir + "/pw", atomically: true, encoding: .utf8)
        let config = try Config.parse(
            """
            [bounces]
            mailbox = "imaps://bounces@mail.example.org/INBOX"
            password_file = "pw"
            poll = "2m"
            """, file: dir + "/outreachd.conf", environment: [:])
        let s = try #require(try BounceMailboxSettings.from(config))
        #expect(s.password == Self.password)
        #expect(s.pollMillis == 120_000)
        #expect(config.secretValues.contains(Self.password))
    }
}
