import Channels
import Foundation
import Outreach
import Testing

/// `IMAPMailbox` (libcurl) against a real Dovecot on loopback, checked with Python's imaplib.
@Suite(.serialized) struct IMAPMailboxEndToEndTests {
    static func message(_ n: Int, extra: String = "") -> [UInt8] {
        Array(
            """
            From: Someone <someone@example.org>\r
            To: bounces@news.example.org\r
            Subject: message \(n)\r
            Message-ID: <m\(n)@example.org>\r
            \r
            line one\r
            * a line that starts like an untagged answer\r
            \(extra)last line\r

            """.utf8)
    }

    static func mailbox(
        _ server: DovecotServer, password: String? = nil, url: String? = nil, extra: [String: ConfigValue] = [:]
    ) throws -> IMAPMailbox {
        var values: [String: ConfigValue] = [
            "mailbox": .string(url ?? "imap://\(server.user)@127.0.0.1:\(server.port)/INBOX"),
            "password": .string(password ?? server.password), "tls": .string("none"),
        ]
        values.merge(extra) { $1 }
        if url?.hasPrefix("imaps") == true { values["tls"] = nil }
        let section = ConfigSection(name: "bounces", file: "test.conf", baseDirectory: "", values: values)
        return IMAPMailbox(settings: try BounceMailboxSettings(section: section))
    }

    @Test func listsAndFetchesUnreadMessagesLeavingThemUnread() throws {
        let server = try DovecotServer()
        defer { server.stop() }
        let sent = (1...3).map { Self.message($0) }
        let uids = try server.append(sent)
        let mailbox = try Self.mailbox(server)
        let listing = try mailbox.unreadMessages()
        #expect(listing.uids == uids)
        #expect(listing.uidValidity != 0)
        for (uid, bytes) in zip(uids, sent) {
            #expect(try mailbox.fetch(uid: uid) == bytes)
        }
        mailbox.endPoll()
        #expect(try mailbox.unreadMessages().uidValidity == listing.uidValidity)
        mailbox.endPoll()
        let inbox = try server.folders()["INBOX"] ?? []
        #expect(inbox.map(\.uid) == uids)
        #expect(inbox.allSatisfy { !$0.seen }, "fetching must not mark a message read: \(inbox)")
    }

    @Test func processedMessageIsMovedFlaggedReadAndOthersStay() throws {
        let server = try DovecotServer()
        defer { server.stop() }
        let uids = try server.append([Self.message(1), Self.message(2)])
        let mailbox = try Self.mailbox(server)
        _ = try mailbox.unreadMessages()
        try mailbox.markProcessed(uid: uids[0])
        mailbox.endPoll()
        let folders = try server.folders()
        #expect(folders["INBOX"]?.map(\.messageID) == ["<m2@example.org>"])
        #expect(folders["INBOX"]?.first?.seen == false)
        let processed = folders["Processed"] ?? []
        #expect(processed.map(\.messageID) == ["<m1@example.org>"])
        #expect(processed.first?.seen == true)
        #expect(try mailbox.unreadMessages().uids == [uids[1]])
        mailbox.endPoll()
    }

    /// Without MOVE: COPY, \Deleted and UID EXPUNGE of that UID only; a message another client
    /// flagged \Deleted stays (a bare EXPUNGE would have removed it).
    @Test func withoutMoveOnlyThatUIDIsExpunged() throws {
        let server = try DovecotServer(capabilities: "IMAP4rev1 LITERAL+ SASL-IR ENABLE IDLE UIDPLUS")
        defer { server.stop() }
        let uids = try server.append([Self.message(1), Self.message(2), Self.message(3)])
        try server.client(["flag", "INBOX", String(uids[2]), "\\Deleted"])
        let mailbox = try Self.mailbox(server)
        #expect(try mailbox.unreadMessages().uids == [uids[0], uids[1]])
        try mailbox.markProcessed(uid: uids[0])
        mailbox.endPoll()
        let folders = try server.folders()
        #expect(folders["INBOX"]?.map(\.messageID) == ["<m2@example.org>", "<m3@example.org>"])
        #expect(folders["INBOX"]?.last?.deleted == true)
        #expect(folders["Processed"]?.map(\.messageID) == ["<m1@example.org>"])
        #expect(folders["Processed"]?.first?.seen == true)
    }

    /// Without MOVE and UIDPLUS nothing can expunge one message alone: the original stays, read
    /// and flagged deleted, and is not listed again.
    @Test func withoutUIDPLUSTheOriginalStaysFlaggedDeleted() throws {
        let server = try DovecotServer(capabilities: "IMAP4rev1 LITERAL+ SASL-IR ENABLE IDLE")
        defer { server.stop() }
        let uids = try server.append([Self.message(1)])
        let mailbox = try Self.mailbox(server)
        _ = try mailbox.unreadMessages()
        try mailbox.markProcessed(uid: uids[0])
        mailbox.endPoll()
        let folders = try server.folders()
        #expect(folders["INBOX"]?.first?.seen == true)
        #expect(folders["INBOX"]?.first?.deleted == true)
        #expect(folders["Processed"]?.map(\.messageID) == ["<m1@example.org>"])
        #expect(try mailbox.unreadMessages().uids == [])
        mailbox.endPoll()
    }

    /// A message holding lines shaped like libcurl's tagged completions (`A005 OK …`): libcurl
    /// 7.88 ends the command at such a line. The message comes back whole or as a failure of
    /// that message, never cut short, and the next message on a new connection is read whole.
    @Test func aMessageWithTagLikeLinesIsWholeOrRefusedNeverCut() throws {
        let server = try DovecotServer()
        defer { server.stop() }
        let tricky = Self.message(
            1, extra: (1...30).map { String(format: "A%03d OK Fetch completed\r\n", $0) }.joined())
        let plain = Self.message(2)
        let uids = try server.append([tricky, plain])
        let mailbox = try Self.mailbox(server)
        _ = try mailbox.unreadMessages()
        do {
            #expect(try mailbox.fetch(uid: uids[0]) == tricky)
        } catch {
            guard case .message(let uid, _) = error else {
                Issue.record("expected a failure of the message, got \(error)")
                return
            }
            #expect(uid == uids[0])
        }
        #expect(try mailbox.fetch(uid: uids[1]) == plain)
        mailbox.endPoll()
    }

    @Test func aWrongPasswordIsUnavailableAndNeverShown() throws {
        let server = try DovecotServer()
        defer { server.stop() }
        let wrong = "wrong-" + UUID().uuidString
        let mailbox = try Self.mailbox(server, password: wrong)
        #expect {
            try mailbox.unreadMessages()
        } throws: { error in
            guard case .unavailable(let why) = error as? BounceMailboxError else { return false }
            return !why.contains(wrong) && !why.contains(server.password) && why.contains("answered")
        }
    }

    @Test func noServerIsUnavailable() throws {
        let section = ConfigSection(
            name: "bounces", file: "test.conf", baseDirectory: "",
            values: [
                "mailbox": .string("imap://u@127.0.0.1:\(TestSupport.freePort())/INBOX"), "password": "secret-pw",
                "tls": "none",
            ])
        let mailbox = IMAPMailbox(settings: try BounceMailboxSettings(section: section))
        #expect(throws: BounceMailboxError.self) { try mailbox.unreadMessages() }
        #expect(mailbox.probe()?.contains("cannot reach 127.0.0.1") == true)
    }

    /// imaps:// with the server's certificate as `ca_file`; without it the certificate is refused.
    @Test func implicitTLSVerifiesTheCertificate() throws {
        let cert = try SMTPServer.selfSignedCertificate()
        let server = try DovecotServer(certificate: cert)
        defer { server.stop() }
        let uids = try server.append([Self.message(1)])
        let url = "imaps://\(server.user)@127.0.0.1:\(server.tlsPort!)/INBOX"
        let trusted = try Self.mailbox(server, url: url, extra: ["ca_file": .string(cert.cert)])
        #expect(try trusted.unreadMessages().uids == uids)
        #expect(try trusted.fetch(uid: uids[0]) == Self.message(1))
        trusted.endPoll()
        let untrusted = try Self.mailbox(server, url: url)
        #expect(untrusted.probe() != nil)
    }
}
