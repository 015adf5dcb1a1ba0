import Foundation
import Synchronization
import Testing

@testable import Outreach

/// The one-buffer build against the copying one it replaced, and the places it measures or
/// numbers things itself: header lines, nested multiparts, boundaries made on many threads.
@Suite struct MIMEBuilderBufferTests {
    func message() -> MailMessage {
        var m = MailMessage(
            from: MailAddress(name: "Ærø", address: "a@example.org"), to: [MailAddress(address: "b@example.org")],
            subject: "Hej ø", text: ".dot\r\n" + String(repeating: "tekst ", count: 40) + "\n",
            html: "<p>ø</p>", messageID: "m.1@example.org")
        m.calendar = CalendarPart(method: "REQUEST", ics: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        m.attachments = [
            MailAttachment(
                filename: "a.bin", contentType: "application/octet-stream", data: (0..<300).map { UInt8($0 % 256) }),
            MailAttachment(filename: "tom.txt", contentType: "text/plain", data: []),
        ]
        return m
    }

    /// A part as it was written before: each multipart's content copied out whole, then into its parent.
    static func flattened(_ p: MIMEBuilder.Part) -> [UInt8] {
        guard !p.parts.isEmpty else { return p.content }
        var content: [UInt8] = []
        for child in p.parts {
            content += Array("--\(p.boundary)\r\n\(child.headers)\r\n".utf8)
            content += flattened(child)
            content += [0x0D, 0x0A]
        }
        return content + Array("--\(p.boundary)--\r\n".utf8)
    }

    @Test func nestedPartsAreWrittenAsTheirFlattenedCopies() throws {
        var m = message()
        for variant in 0..<4 {
            if variant == 1 { m.attachments = [] }  // alternative only
            if variant == 2 { m.html = nil; m.calendar = nil }  // one text part, no multipart
            if variant == 3 { m.attachments = [MailAttachment(filename: "x", contentType: "a/b", data: [1])] }
            let body = try MIMEBuilder.body(m)
            var out: [UInt8] = []
            body.appendContent(to: &out)
            #expect(out == Self.flattened(body), "variant \(variant)")
            // Each boundary is used once per child and once closing (and declared by a nested part's header).
            func check(_ p: MIMEBuilder.Part) {
                guard !p.parts.isEmpty else { return }
                let text = String(decoding: out, as: UTF8.self)
                #expect(text.components(separatedBy: "--" + p.boundary + "\r\n").count - 1 == p.parts.count)
                let declared = text.components(separatedBy: "boundary=\"\(p.boundary)\"").count - 1
                #expect(text.components(separatedBy: p.boundary).count - 1 - declared == p.parts.count + 1)
                p.parts.forEach(check)
            }
            check(body)
        }
    }

    /// The whole message is its header fields, the body's own headers, a blank line and the body.
    @Test func theMessageIsHeadersThenBody() throws {
        let bytes = try MIMEBuilder.build(message())
        let text = String(decoding: bytes, as: UTF8.self)
        let split = try #require(text.range(of: "\r\n\r\n"))
        let boundary = try #require(text.range(of: "boundary=\"").map { text[$0.upperBound...].prefix(35) })
        #expect(text[split.upperBound...].hasPrefix("--" + boundary + "\r\n"))
        #expect(text.hasSuffix("--" + boundary + "--\r\n"))
        #expect(!text.contains("\n\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
    }

    /// The 998-byte limit is measured for each field from its own start: a field of exactly 998
    /// passes after other long fields, one of 999 is refused by its name.
    @Test func headerLineLimitIsPerField() throws {
        var m = message()
        m.extraHeaders = [("X-A", String(repeating: "a", count: 700)), ("X-B", String(repeating: "b", count: 993))]
        _ = try MIMEBuilder.build(m)
        m.extraHeaders.append(("X-C", String(repeating: "c", count: 994)))
        #expect(throws: MIMEError.headerTooLong(field: "X-C")) { try MIMEBuilder.build(m) }
        m.extraHeaders = [("X-Ø", String(repeating: "ø", count: 496))]  // 5 + 992 bytes: multi-byte counted as bytes
        _ = try MIMEBuilder.build(m)
        m.extraHeaders = [("X-Ø", String(repeating: "ø", count: 497))]
        #expect(throws: MIMEError.headerTooLong(field: "X-Ø")) { try MIMEBuilder.build(m) }
    }

    /// Eight threads making boundaries at once: all distinct, all of the promised form.
    @Test func boundariesFromManyThreadsAreDistinct() {
        let all = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            var mine: [String] = []
            for _ in 0..<2_000 { mine.append(MIMEBoundary.next()) }
            all.withLock { $0 += mine }
        }
        let boundaries = all.withLock { $0 }
        #expect(Set(boundaries).count == 16_000)
        #expect(boundaries.allSatisfy { $0.utf8.count == 35 && $0.hasPrefix("=_outreach_") })
    }
}
