import Foundation
import Testing

@testable import Outreach

/// What the corpus does not show one by one: input that is no message, encodings, nesting,
/// addresses, and reading back the Message-ID the composer writes.
@Suite struct BounceParserTests {
    let parser = BounceParser()

    func parse(_ text: String) throws -> [BounceResult] {
        try parser.parse(Array(text.utf8)).results
    }

    func dsn(_ blocks: String, partHeaders: String = "Content-Type: message/delivery-status") -> String {
        """
        From: MAILER-DAEMON@relay.example
        To: bounces@news.example.org
        Subject: Undelivered Mail Returned to Sender
        Content-Type: multipart/report; report-type=delivery-status; boundary="b"

        --b
        Content-Type: text/plain

        Sorry.
        --b
        \(partHeaders)

        \(blocks)
        --b--

        """
    }

    @Test func inputThatIsNoMessageThrowsASentence() {
        for (input, sentence) in [
            ([UInt8](), "the message is empty"), (Array(" \r\n\t\n".utf8), "the message is empty"),
            (Array("just words, no header\n".utf8), "does not start with a header field"),
            ([0x00, 0xFF, 0x3A, 0x0A], "does not start with a header field"),
            (Array(": no name\n\nbody".utf8), "does not start with a header field"),
        ] {
            #expect {
                try parser.parse(input)
            } throws: { error in
                (error as? BounceParseError)?.description.contains(sentence) == true
            }
        }
    }

    @Test func anOrdinaryMessageIsNoBounce() throws {
        #expect(try parse("From: a@example.org\nTo: b@example.org\nSubject: lunch?\n\nAt noon.\n").isEmpty)
        #expect(try parse("Subject: headers only").isEmpty)
        // An mbox "From " line before the header (procmail, .forward) is skipped.
        #expect(try parse("From someone@example.org Mon Feb  2 10:00:00 2026\nSubject: hi\n\nhello\n").isEmpty)
    }

    @Test func everyBlockCountsAndDeliveredOnesGiveNothing() throws {
        let r = try parse(
            dsn(
                """
                Reporting-MTA: dns; relay.example

                Final-Recipient: rfc822; <One@Example.ORG>
                Action: failed
                Status: 5.1.1 (bad destination mailbox address)

                Final-Recipient: rfc822;two@example.org
                Action: delivered
                Status: 2.0.0

                Final-Recipient: RFC822; three@example.org
                Action: expanded
                Status: 2.0.0

                Original-Recipient: rfc822;four@example.org
                Action: failed
                Status: 4.4.7
                """))
        #expect(r.map(\.recipient) == ["One@example.org", "four@example.org"])
        #expect(r.map(\.kind) == [.hard, .soft])
        #expect(r.map(\.status) == ["5.1.1", "4.4.7"])
    }

    @Test func aDSNOfDeliveriesOnlyIsNoBounceEvenFromMailerDaemon() throws {
        #expect(try parse(dsn("Final-Recipient: rfc822; a@example.org\nAction: relayed\nStatus: 2.0.0\n")).isEmpty)
    }

    /// Some MTAs write the blocks without the blank line between them.
    @Test func blocksWithoutBlankLinesAreSplit() throws {
        let r = try parse(
            dsn(
                """
                Reporting-MTA: dns; relay.example
                Final-Recipient: rfc822; a@example.org
                Action: failed
                Status: 5.1.1
                Final-Recipient: rfc822; b@example.org
                Action: delayed
                Status: 4.4.1
                """))
        #expect(r.map(\.recipient) == ["a@example.org", "b@example.org"])
        #expect(r.map(\.kind) == [.hard, .delayed])
    }

    @Test func anEncodedStatusPartIsDecoded() throws {
        let blocks = "Final-Recipient: rfc822; enc@example.org\r\nAction: failed\r\nStatus: 5.2.2\r\n"
        let base64 = Data(blocks.utf8).base64EncodedString(options: .lineLength64Characters)
        let r = try parse(
            dsn(base64, partHeaders: "Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64"))
        #expect(r == [BounceResult(recipient: "enc@example.org", kind: .soft, status: "5.2.2")])
        let qp = "Final-Recipient: rfc822; q=\n@example.org\nAction: failed\nStatus: 5.1=2E1\n"
        let r2 = try parse(
            dsn(qp, partHeaders: "Content-Type: message/delivery-status\nContent-Transfer-Encoding: quoted-printable"))
        #expect(r2 == [BounceResult(recipient: "q@example.org", kind: .hard, status: "5.1.1")])
    }

    /// The composer's Message-ID (`MailMessage.stableID`) carries the delivery id; a returned one is
    /// read back, other ids are not mistaken for ours.
    @Test func theComposersMessageIDNamesTheDelivery() {
        let id = MailMessage.stableID(
            deliveryID: 31_337, messageID: 12, createdAt: 1_770_000_000_000, domain: "x.example")
        #expect(BounceParser.deliveryFromMessageIDs("<\(id)>") == 31_337)
        #expect(BounceParser.deliveryFromMessageIDs("<a@b.example> <\(id)>") == 31_337)
        for other in [
            "<20260203.4F1A@relay.example>", "<outreach.x.12.abc@x.example>", "<outreach.5@x.example>",
            "<outreach.-5.1.a@x.example>", "<outreach.99999999999999999999.1.a@x.example>", "",
        ] {
            #expect(BounceParser.deliveryFromMessageIDs(other) == nil, "\(other)")
        }
    }

    @Test func addressesAreNormalised() {
        #expect(BounceAddress.normalize("rfc822; <Jane.Doe@EXAMPLE.Org>") == "Jane.Doe@example.org")
        #expect(BounceAddress.normalize("rfc822;jane@example.org.") == "jane@example.org")
        #expect(BounceAddress.normalize("utf-8; j\\x{00F6}rg@B\\x{00FC}CHER.example") == "jörg@bücher.example")
        #expect(BounceAddress.normalize("rfc822; ") == nil)
        #expect(BounceAddress.all(in: "Neko<mailto:mikeneko@example.co.jp>") == ["mikeneko@example.co.jp"])
        #expect(BounceAddress.all(in: "user@example.com... User unknown") == ["user@example.com"])
        #expect(BounceAddress.all(in: "postfix@localhost said") == [])
    }

    /// A part's boundary that merely starts with the outer one does not end the outer part.
    @Test func nestedBoundariesSharingAPrefix() throws {
        let text = """
            From: MAILER-DAEMON@relay.example
            Subject: Undelivered Mail
            Content-Type: multipart/report; report-type=delivery-status; boundary="=_p"

            --=_p
            Content-Type: multipart/alternative; boundary="=_p_inner"

            --=_p_inner
            Content-Type: text/plain

            Sorry.
            --=_p_inner--
            --=_p
            Content-Type: message/delivery-status

            Final-Recipient: rfc822; nested@example.org
            Action: failed
            Status: 5.1.1
            --=_p--
            """
        #expect(try parse(text).map(\.recipient) == ["nested@example.org"])
    }

    /// Deeper than `MIMEEntity.maxDepth` a multipart is read as an opaque body: no recursion without end.
    @Test func deepNestingIsBounded() throws {
        var text = "From: MAILER-DAEMON@relay.example\nSubject: x\n"
        for i in 0..<5_000 { text += "Content-Type: multipart/mixed; boundary=\"b\(i)\"\n\n--b\(i)\n" }
        text += "Content-Type: text/plain\n\nUser unknown\n"
        let r = try parse(text)
        #expect(r.count <= 1)
        let root = try MIMEEntity.message(Array(text.utf8))
        #expect(root.allParts.count <= MIMEEntity.maxDepth + 1)
    }

    @Test func encodedWordsAreDecoded() {
        #expect(BodyDecoding.headerText("=?UTF-8?B?QXV0b21hdGljIHJlcGx5?= =?UTF-8?Q?:_hi?=") == "Automatic reply: hi")
        #expect(BodyDecoding.headerText("=?iso-8859-1?q?B=FCro?= zu") == "Büro zu")
        #expect(BodyDecoding.headerText("plain =? text") == "plain =? text")
        #expect(BodyDecoding.headerText("=?x?Z?abc?=") == "=?x?Z?abc?=")
    }

    /// RFC 3834: a DSN is `auto-generated`, a vacation answer `auto-replied`; only the second is an auto-reply.
    @Test func autoSubmittedAutoGeneratedIsNoAutoReply() throws {
        let generated = "From: robot@example.org\nAuto-Submitted: auto-generated\nSubject: Your report\n\nNumbers.\n"
        #expect(try parse(generated).isEmpty)
        let replied = "From: Ann <ann@Example.org>\nAuto-Submitted: auto-replied\nSubject: Re: news\n\nAway.\n"
        #expect(
            try parse(replied) == [BounceResult(recipient: "ann@example.org", kind: .autoReply, diagnostic: "Re: news")]
        )
    }

    /// A bounce in no known form: X-Failed-Recipients first, else the addresses on the lines with a
    /// reply code (not the helpdesk's address in the prose), classified by the text.
    @Test func aBounceInNoKnownForm() throws {
        let failed = """
            From: Mail Delivery System <MAILER-DAEMON@odd.example>
            To: bounces@news.example.org
            X-Failed-Recipients: Who@Odd.Example
            Subject: Mail delivery failed

            Something went wrong. Ask help@odd.example.
            """
        #expect(try parse(failed).map(\.recipient) == ["Who@odd.example"])
        let coded = """
            From: postmaster@odd.example
            To: bounces@news.example.org
            Subject: failure notice

            We could not deliver your mail. Questions: help@odd.example.
            RCPT TO:<gone@odd.example> 550 mailbox unavailable
            """
        let r = try parse(coded)
        #expect(r.map(\.recipient) == ["gone@odd.example"])
        #expect(r.map(\.kind) == [.hard])
    }

    /// A person who forwards or quotes a bounce's text is not the mail system bouncing: the
    /// plain-text forms are read only in a message from it (MAILER-DAEMON or postmaster, a bounce
    /// subject, an empty Return-Path or an Auto-Submitted header).
    @Test func aPersonQuotingABounceIsNoBounce() throws {
        let quoted = """
            From: Sam <sam@example.com>
            To: newsletter@news.example.org
            Subject: Fwd: your mail to my colleague

            Look what I got:

            > A message that you sent could not be delivered to one or more of its
            > recipients. This is a permanent error. The following address(es) failed:
            >
            >   colleague@example.com
            >     550 5.1.1 User unknown
            """
        #expect(try parse(quoted).isEmpty)
        let unquoted = quoted.replacingOccurrences(of: "> ", with: "").replacingOccurrences(of: ">\n", with: "\n")
        #expect(try parse(unquoted).isEmpty)
        let fromTheSystem = "Return-Path: <>\n" + unquoted
        #expect(try parse(fromTheSystem).map(\.recipient) == ["colleague@example.com"])
    }
}
