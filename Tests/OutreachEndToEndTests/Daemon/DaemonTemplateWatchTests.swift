import Foundation
import Outreach
import Testing

/// Issue 18 item 9: a running daemon follows its template folder without a SIGHUP.
@Suite struct DaemonTemplateWatchTests {
    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The plain text of every mail in the outbox (read with Python's email package), by file name.
    static func mails(_ d: DaemonHarness) throws -> [String] {
        let outbox = d.dir + "/data/outbox"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? []).filter { !$0.hasPrefix(".") }
        return try files.sorted().map { f in
            try TestSupport.python(
                """
                import sys, email, email.policy
                m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
                print(m["Subject"])
                print(m.get_body(("plain",)).get_content())
                """, [outbox + "/" + f]
            ).stdout
        }
    }

    @Test func aTemplateAddedOrChangedWhileServingIsUsedAndABrokenOneKeepsTheLastGood() throws {
        let templates = TestSupport.temporaryDirectory("tpl")
        try FileManager.default.createDirectory(atPath: templates + "/ping", withIntermediateDirectories: true)
        try Self.write("---\nsubject: ping\n---\nping\n", to: templates + "/ping/email.en.txt")
        let d = try DaemonHarness(templates: templates)
        try d.start()
        let body = #"{"template": "meeting", "to": [{"email": "ana@example.org", "locale": "de"}]}"#
        #expect(try d.send(d.trigger(body)).status == 422)

        // A new template folder, English and German, while the daemon runs: no SIGHUP. Moved into
        // place whole, so no look at the folder sees it half written.
        let staging = TestSupport.temporaryDirectory("staging") + "/meeting"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try Self.write("---\nsubject: Meeting\n---\nSee you at {{place}}.\n", to: staging + "/email.en.txt")
        try Self.write("---\nsubject: Treffen\n---\nBis bald im {{place}}.\n", to: staging + "/email.de.txt")
        try FileManager.default.moveItem(atPath: staging, toPath: templates + "/meeting")
        let withData =
            #"{"template": "meeting", "to": [{"email": "ana@example.org", "locale": "de"}], "#
            + #""data": {"place": "Rathaus"}}"#
        try TestSupport.waitFor("the new template to be taken") {
            try d.send(d.trigger(withData)).status == 202
        }
        try TestSupport.waitFor("the German mail") { try Self.mails(d).count == 1 }
        let first = try Self.mails(d)[0]
        #expect(first.contains("Treffen") && first.contains("Bis bald im Rathaus."), "\(first)")

        // The German file no longer parses: the last good one is still used, and the log says why.
        try Self.write("---\nsubject: Treffen\n---\nBis bald im {{#place}}.\n", to: templates + "/meeting/email.de.txt")
        try TestSupport.waitFor("the refused change in the log") {
            // A request looks at the folder (at most once a second); so does the main loop, every few seconds.
            _ = try d.send(["method": "GET", "path": "/healthz"])
            // The refusal, then the rest of the change taken (logged right after it).
            let parts = d.log.components(separatedBy: "templates changed with problems; what worked before is kept")
            return parts.count > 1 && parts.last!.contains("templates changed; loaded")
        }
        #expect(d.log.contains("meeting/email.de.txt"), "\(d.log)")
        #expect(try d.send(d.trigger(withData)).status == 202)
        try TestSupport.waitFor("the second German mail") { try Self.mails(d).count == 2 }
        let mails = try Self.mails(d)
        #expect(mails.allSatisfy { $0.contains("Bis bald im Rathaus.") }, "\(mails)")
        #expect(d.log.contains("templates changed; loaded"), "\(d.log)")
        // Said once per change, not on every look at the folder.
        #expect(d.log.components(separatedBy: "templates changed with problems").count == 2, "\(d.log)")

        // Meanwhile the rest of a change is taken: the existing template gains German.
        let taken = d.log.components(separatedBy: "templates changed; loaded").count
        try Self.write("---\nsubject: Hallo\n---\nHallo ping\n", to: templates + "/ping/email.de.txt")
        try TestSupport.waitFor("the German ping to be taken") {
            _ = try d.send(["method": "GET", "path": "/healthz"])
            return d.log.components(separatedBy: "templates changed; loaded").count > taken
        }
        let ping = #"{"template": "ping", "to": [{"email": "bo@example.org", "locale": "de"}]}"#
        #expect(try d.send(d.trigger(ping)).status == 202)
        try TestSupport.waitFor("the German ping") { try Self.mails(d).count == 3 }
        let all = try Self.mails(d)
        #expect(all.filter { $0.contains("Hallo ping") }.count == 1, "\(all)")
        #expect(all.filter { $0.contains("Bis bald im Rathaus.") }.count == 2, "\(all)")
        #expect(d.stop().status == 0)
    }
}
