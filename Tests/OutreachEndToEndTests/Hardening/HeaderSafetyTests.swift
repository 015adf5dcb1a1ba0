import Foundation
import Testing
@testable import Outreach

/// Issue 14.6: a name with CRLF (one Swift Character, so it slipped past the clean-up), a CR from
/// a CSV file, or a name or subject thousands of characters long was accepted and then killed
/// the delivery (refused header, or SMTP 500 for a line over 998 bytes). What arrives at a real
/// SMTP server (aiosmtpd) is read back by Python's `email` package.
@Suite(.serialized) struct HeaderSafetyTests {
    static let injected = "Eve\r\nBcc: x@evil.org"
    static let longASCII = String(repeating: "Verylongname", count: 170)  // 2,040 characters, no space
    static let longWords = String(repeating: "Søren Ærø ", count: 200).trimmingSpaces
    static let longTitle = String(repeating: "Title", count: 600)  // 3,000 characters

    /// The display name and address of each `To`, read the way RFC 2047 §6.2 says: white space
    /// between two adjacent encoded words is dropped. Python's `policy.default` keeps it as a
    /// space in address headers (3.11; a long name split over several encoded words gains
    /// spaces, even in what Python itself writes), so the name is decoded with the legacy
    /// `email.header.decode_header`, which follows the RFC.
    static func recipients(_ message: [UInt8]) throws -> [String: String] {
        let r = try TestSupport.python(
            """
            import email, json, re, sys
            from email.header import decode_header, make_header
            from email.utils import parseaddr
            msg = email.message_from_bytes(sys.stdin.buffer.read())
            out = {}
            for raw in msg.get_all("To", []):
                name, addr = parseaddr(re.sub(r"\\r?\\n", "", raw))
                out[addr] = str(make_header(decode_header(name)))
            print(json.dumps(out))
            """, stdin: message)
        guard r.status == 0 else { throw SMTPTestError(message: r.stderr) }
        return (try JSON.parse(r.stdout).objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    @Test func controlCharactersAreStrippedAndLongHeadersFoldedOnTheWire() throws {
        let server = try SMTPServer()
        let s = try SMTPChannelTests().setUp(server)
        try "---\nsubject: \"{{title}} {{contact.name}}\"\n---\nHi {{contact.name}}\n"
            .write(toFile: s.dir + "/templates/note/email.en.txt", atomically: true, encoding: .utf8)
        let names = [
            "eve@example.org": Self.injected, "long@example.org": Self.longASCII,
            "words@example.org": Self.longWords,
        ]
        for (email, name) in names {
            let r = try s.o(["contacts", "add", "--email", email, "--name", name])
            #expect(r.status == 0, "\(r.stderr)")
        }
        // A CR alone inside a quoted CSV field, and a tab.
        let csv = s.dir + "/in.csv"
        try "email,name\nana@example.org,\"Ana\rBcc: y@evil.org\"\nbo@example.org,\"Bo\tSmith\"\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try s.o(["contacts", "import", csv])
        #expect(imported.status == 0, "\(imported.stderr)")
        let data = s.dir + "/data.json"
        try JSON.object(["title": .string(Self.longTitle + "\r\nBcc: z@evil.org")]).serialized
            .write(toFile: data, atomically: true, encoding: .utf8)
        let to = ["eve@example.org", "long@example.org", "words@example.org", "ana@example.org", "bo@example.org"]
        let r = try s.o(["send", "note", "--channel", "email", "--data", data] + to.flatMap { ["--to", $0] })
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")

        let expected = [
            "eve@example.org": "Eve Bcc: x@evil.org", "long@example.org": Self.longASCII,
            "words@example.org": Self.longWords, "ana@example.org": "Ana Bcc: y@evil.org",
            "bo@example.org": "Bo Smith",
        ]
        let received = server.messages()
        #expect(received.count == to.count)
        var seen: Set<String> = []
        for (i, m) in received.enumerated() {
            let p = try SMTPChannelTests.parse(m)
            let pair = p["to"]?.arrayValue?.first?.arrayValue
            let address = pair?[1].stringValue ?? "?"
            seen.insert(address)
            #expect(try Self.recipients(m) == [address: expected[address] ?? "?"], "display name of \(address)")
            #expect(p["subject"]?.stringValue == Self.longTitle + " Bcc: z@evil.org " + (expected[address] ?? ""))
            #expect(p["max_line"]!.intValue! <= 998, "a line of \(p["max_line"]!) bytes to \(address)")
            #expect(p["defects"] == .array([]))
            let headers = (p["headers"]?.objectValue ?? [:]).keys.map { $0.lowercased() }
            #expect(!headers.contains("bcc"), "\(headers)")
            #expect(server.envelope(i + 1)?["rcpt_tos"] == .array([.string(address)]))
        }
        #expect(seen == Set(to))
        // What was stored has no control characters either.
        let shown = try s.o(["contacts", "show", "ana@example.org", "--json"])
        #expect(try JSON.parse(shown.stdout)["name"] == "Ana Bcc: y@evil.org")
    }

    /// A 3,000-character event title with a line break: stored without it, and the invitation's
    /// subject is folded within 998 bytes.
    @Test func eventTitlesLoseControlCharactersAndFold() throws {
        let s = try EventsCLITests.setUp("title")
        let title = Self.longTitle + "\r\n\u{1B}[2J"
        try s.ok([
            "events", "create", "meet", "--start", EventsCLITests.futureStart, "--tz", "Europe/Copenhagen",
            "--duration", "2h", "--list", "club", "--title", title,
        ])
        let shown = try s.json(["events", "show", "meet"])
        #expect(shown["title"] == .string(Self.longTitle + " [2J"))
        try s.ok(["work", "--until-idle"])
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: s.outbox)) ?? [])
            .filter { $0.hasSuffix(".eml") }
        #expect(files.count == 2)
        for f in files {
            let p = try SMTPChannelTests.parse(Array(FileManager.default.contents(atPath: s.outbox + "/" + f)!))
            #expect(p["max_line"]!.intValue! <= 998)
            #expect(p["subject"] == .string("Invitation: " + Self.longTitle + " [2J"))
        }
        try s.ok(["events", "update", "meet", "--title", "New\ttitle\u{7}"])
        #expect(try s.json(["events", "show", "meet"])["title"] == "New title")
    }
}

/// Issues 14.6 and 14.8 at the daemon's doors: a trigger's recipient name and a public sign-up's
/// name lose their control characters; the trigger's email arrives with folded headers.
@Suite(.serialized) struct DaemonNameSafetyTests {
    @Test func triggerAndSignUpNamesAreCleaned() throws {
        let server = try SMTPServer()
        let d = try DaemonHarness(
            channels: """
                [channels.email]
                type = "smtp"
                url = "smtp://127.0.0.1:\(server.port)"
                tls = "none"
                retry_base = "1s"
                """, top: "[sender]\nfrom = \"Club <club@example.org>\"\n")
        #expect(try d.cli(["lists", "create", "club"]).status == 0)
        try d.start()
        let long = String(repeating: "Mallory", count: 300)
        let body = JSON.object([
            "template": "welcome",
            "to": .array([
                .object(["email": "eve@example.org", "name": .string("Eve\r\nBcc: x@evil.org\u{1B}[2J")]),
                .object(["email": "long@example.org", "name": .string(long)]),
            ]),
        ]).serialized
        let rs = try d.send([
            d.trigger(body),
            [
                "method": "POST", "path": "/v1/lists/club/subscribe", "headers": ["Content-Type": "application/json"],
                "body": .string(#"{"email":"tab@example.org","name":"Tab\tby\u001b[2J\r\nform"}"#),
            ],
        ])
        #expect(rs[0].status == 202, "\(rs[0].body)")
        #expect(rs[1].status == 200, "\(rs[1].body)")
        let shown = try d.cli(["contacts", "show", "tab@example.org", "--json"])
        #expect(try JSON.parse(shown.stdout)["name"] == "Tab by[2J form")
        let deadline = Date().addingTimeInterval(30)
        while server.messages().count < 2, Date() < deadline { usleep(50_000) }
        var names: [String: String] = [:]
        for m in server.messages() {
            let p = try SMTPChannelTests.parse(m)
            #expect(p["max_line"]!.intValue! <= 998)
            #expect(!(p["headers"]?.objectValue ?? [:]).keys.contains { $0.lowercased() == "bcc" })
            names.merge(try HeaderSafetyTests.recipients(m)) { $1 }
        }
        #expect(names == ["eve@example.org": "Eve Bcc: x@evil.org[2J", "long@example.org": long])
        #expect(d.stop().status == 0)
    }
}

/// Issue 14.8: what `contacts show` and `contacts list` print cannot clear the operator's
/// terminal or forge a row: control characters in stored text are shown escaped.
@Suite struct TerminalOutputTests {
    @Test func controlCharactersAreStrippedFromNamesAndEscapedOnOutput() throws {
        let (dir, config) = try CrashTests.setUp("term")
        func o(_ a: [String]) throws -> TestSupport.ProcessResult {
            try TestSupport.outreachd(["--config", config] + a)
        }
        let name = "\u{1B}[2JEve\tX\nY\u{7F}"
        #expect(try o(["contacts", "add", "--email", "eve@example.org", "--name", name]).status == 0)
        let csv = dir + "/in.csv"
        try "email,name,city\nbo@example.org,Bo,\"\u{1B}[31mred\tforged\nrow\"\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try o(["contacts", "import", csv])
        #expect(imported.status == 0, "\(imported.stderr)")

        let eve = try o(["contacts", "show", "eve@example.org"])
        #expect(eve.stdout.contains("name:      [2JEve X Y\n"), "\(eve.stdout)")
        let bo = try o(["contacts", "show", "bo@example.org"])
        #expect(bo.stdout.contains("attr:      city=\\e[31mred\\tforged\\nrow\n"), "\(bo.stdout)")
        let list = try o(["contacts", "list"])
        for r in [eve, bo, list] {
            #expect(!r.stdoutBytes.contains(0x1B) && !r.stdoutBytes.contains(0x7F))
        }
        let rows = list.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(rows.count == 2, "\(list.stdout)")
        for row in rows { #expect(row.split(separator: "\t", omittingEmptySubsequences: false).count == 7, "\(row)") }
        // --json keeps the stored text exactly (JSON escapes it).
        let json = try JSON.parse(try o(["contacts", "show", "bo@example.org", "--json"]).stdout)
        #expect(json["attributes"]?["city"] == "\u{1B}[31mred\tforged\nrow")
    }
}
