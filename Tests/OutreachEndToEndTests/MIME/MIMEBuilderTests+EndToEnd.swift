import Foundation
import Testing
@testable import Outreach

/// Messages built here are read back by Python's `email` package, not by our own code.
@Suite struct MIMEBuilderTests {
    static func parse(_ bytes: [UInt8]) throws -> JSON {
        let r = try TestSupport.run("python3", [TestSupport.packageRoot + "/Tests/peers/mime_parse.py"], stdin: bytes)
        guard r.status == 0 else { throw CLIFailure(message: r.stderr) }
        return try JSON.parse(r.stdout)
    }

    struct CLIFailure: Error { var message: String }

    func message(to: MailAddress, subject: String) -> MailMessage {
        var m = MailMessage(
            from: MailAddress(name: "Connecting Friends", address: "venner@sprogcenter.example"), to: [to],
            subject: subject, text: "Hej \(to.name ?? "")\nLine two\n" + String(repeating: "æ", count: 600),
            html: "<p>Hej <b>\(to.name ?? "")</b></p>", messageID: "outreach.1.2.x@sprogcenter.example")
        m.replyTo = MailAddress(name: "Søren \"SA\" Ærø", address: "soren@example.dk")
        return m
    }

    @Test(arguments: ["Søren Ærø", "Åsa Öberg", "João Gonçalves", "محمد", "O'Brien, Pat", "Zoë \"Z\" <x>"])
    func displayNamesDecodeExactly(name: String) throws {
        let m = message(
            to: MailAddress(name: name, address: "r@example.org"), subject: "Velkommen, \(name) 🎉 — næste møde")
        let p = try Self.parse(try MIMEBuilder.build(m))
        #expect(p["defects"] == .array([]))
        #expect(p["to"] == .array([.array([.string(name), "r@example.org"])]))
        #expect(p["subject"] == .string("Velkommen, \(name) 🎉 — næste møde"))
        #expect(p["from"] == .array([.array(["Connecting Friends", "venner@sprogcenter.example"])]))
        #expect(p["reply_to"] == .array([.array(["Søren \"SA\" Ærø", "soren@example.dk"])]))
    }

    @Test func alternativesAttachmentsAndLineLimits() throws {
        var m = message(
            to: MailAddress(name: "Åsa", address: "asa@example.se"),
            subject: String(repeating: "Lång ämnesrad med å ä ö ", count: 12))
        let pdf = Crypto.randomBytes(100_000)
        let png = Crypto.randomBytes(3_000) + [0x0D, 0x0A, 0x0A, 0x0D]
        m.attachments = [
            MailAttachment(filename: "pressemeddelelse-ærø.pdf", contentType: "application/pdf", data: pdf),
            MailAttachment(filename: "logo.png", contentType: "image/png", data: png),
        ]
        m.html = "<p>" + String(repeating: "x", count: 5000) + "</p>"  // one very long line
        let bytes = try MIMEBuilder.build(m)
        let p = try Self.parse(bytes)
        #expect(p["content_type"] == "multipart/mixed")
        #expect(p["max_line"]!.intValue! <= 998)
        #expect(p["bare_lf"] == JSON(0))
        let parts = p["parts"]!.arrayValue!
        let leaves = parts.filter { !($0["type"]!.stringValue!.hasPrefix("multipart/")) }
        #expect(
            parts.map { $0["type"]!.stringValue! } == [
                "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf", "image/png",
            ])
        // The parser keeps the wire's CRLF line ends; compare lines.
        #expect(leaves[0]["text"]?.stringValue?.replacingOccurrences(of: "\r\n", with: "\n") == m.text)
        #expect(leaves[1]["text"]?.stringValue == m.html)
        #expect(leaves[2]["filename"] == "pressemeddelelse-ærø.pdf")
        #expect(leaves[2]["sha256"]?.stringValue == Crypto.hex(Crypto.sha256(pdf)))
        #expect(leaves[3]["sha256"]?.stringValue == Crypto.hex(Crypto.sha256(png)))
        #expect(p["subject"]?.stringValue == m.subject)
        for part in parts { #expect(part["defects"] == .array([])) }
    }

    @Test func listMailCarriesOneClickHeadersAndTransactionalDoesNot() throws {
        var m = message(to: MailAddress(address: "a@example.org"), subject: "News")
        var p = try Self.parse(try MIMEBuilder.build(m))
        #expect(p["headers"]?["List-Unsubscribe"] == nil)
        m.listID = "newcomers.sprogcenter.example"
        m.unsubscribeURL = "https://outreach.example.org/unsubscribe/abc.def"
        p = try Self.parse(try MIMEBuilder.build(m))
        #expect(p["headers"]?["List-Unsubscribe"] == "<https://outreach.example.org/unsubscribe/abc.def>")
        #expect(p["headers"]?["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        #expect(p["headers"]?["List-Id"] == "<newcomers.sprogcenter.example>")
    }

    @Test func calendarInvitationIsAnAlternativeAndAnAttachment() throws {
        var m = message(to: MailAddress(address: "a@example.org"), subject: "Invitation")
        let ics =
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:x@y\r\nSUMMARY:Fællesspisning\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        m.calendar = CalendarPart(method: "REQUEST", ics: ics)
        let p = try Self.parse(try MIMEBuilder.build(m))
        let leaves = p["parts"]!.arrayValue!.filter { !($0["type"]!.stringValue!.hasPrefix("multipart/")) }
        let cal = leaves.first { $0["type"] == "text/calendar" }
        #expect(cal?["method"] == "REQUEST")
        #expect(
            cal?["text"]?.stringValue?.replacingOccurrences(of: "\r\n", with: "\n")
                == ics.replacingOccurrences(of: "\r\n", with: "\n"))
        #expect(
            leaves.contains {
                $0["filename"] == "invite.ics"
                    && $0["sha256"]?.stringValue == Crypto.hex(Crypto.sha256(Array(ics.utf8)))
            })
    }

    /// The ID a delivery's mail carries is made from the delivery alone, so a retry sends the same
    /// Message-ID: a hand-written expectation (1000 is "rs" in base 36), read back by Python.
    @Test func stableIDsAreMadeFromTheDeliveryAlone() throws {
        let id = MailMessage.stableID(deliveryID: 7, messageID: 3, createdAt: 1000, domain: "d.org")
        #expect(id == "outreach.7.3.rs@d.org")
        let next = MailMessage.stableID(deliveryID: 8, messageID: 3, createdAt: 1000, domain: "d.org")
        #expect(next == "outreach.8.3.rs@d.org")
        var m = message(to: MailAddress(address: "a@example.org"), subject: "x")
        m.messageID = id
        let p = try Self.parse(try MIMEBuilder.build(m))
        #expect(p["headers"]?["Message-ID"] == "<outreach.7.3.rs@d.org>")
    }
}
