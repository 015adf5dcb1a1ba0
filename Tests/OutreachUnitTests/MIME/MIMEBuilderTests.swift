import Foundation
import Testing

@testable import Outreach

/// What the builder refuses and what it varies; `MIMEBuilderTests+EndToEnd` reads its messages with
/// Python's `email` package.
@Suite struct MIMEBuilderTests {
    func message(to: MailAddress, subject: String) -> MailMessage {
        var m = MailMessage(
            from: MailAddress(name: "Connecting Friends", address: "venner@sprogcenter.example"), to: [to],
            subject: subject, text: "Hej \(to.name ?? "")\nLine two\n" + String(repeating: "æ", count: 600),
            html: "<p>Hej <b>\(to.name ?? "")</b></p>", messageID: "outreach.1.2.x@sprogcenter.example")
        m.replyTo = MailAddress(name: "Søren \"SA\" Ærø", address: "soren@example.dk")
        return m
    }

    @Test func boundariesAreRandomAndIDsStable() throws {
        let m = message(to: MailAddress(address: "a@example.org"), subject: "x")
        let a = String(decoding: try MIMEBuilder.build(m), as: UTF8.self)
        let b = String(decoding: try MIMEBuilder.build(m), as: UTF8.self)
        #expect(a != b)
        #expect(
            a.contains("Message-ID: <outreach.1.2.x@sprogcenter.example>")
                && b.contains("Message-ID: <outreach.1.2.x@sprogcenter.example>"))
    }

    @Test func lineBreaksInHeaderDataAreRefused() {
        var m = message(to: MailAddress(name: "Eve\r\nBcc: all@example.org", address: "e@example.org"), subject: "x")
        #expect(throws: MIMEError.lineBreakInHeader(field: "To")) { try MIMEBuilder.build(m) }
        m = message(to: MailAddress(address: "e@example.org"), subject: "Hello\nBcc: all@example.org")
        #expect(throws: MIMEError.lineBreakInHeader(field: "subject")) { try MIMEBuilder.build(m) }
        m = message(to: MailAddress(address: "e@example.org"), subject: "x")
        m.attachments = [MailAttachment(filename: "a\r\nX-Evil: 1", contentType: "text/plain", data: [])]
        #expect(throws: MIMEError.lineBreakInHeader(field: "attachment name")) { try MIMEBuilder.build(m) }
        m.attachments = []
        m.unsubscribeURL = "https://x/\r\nX-Evil: 1"
        #expect(throws: MIMEError.lineBreakInHeader(field: "unsubscribe URL")) { try MIMEBuilder.build(m) }
    }
}
