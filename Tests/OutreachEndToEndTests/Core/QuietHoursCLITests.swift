import Foundation
import Outreach
import Testing

/// Quiet hours hold deliveries under `work` and `send` as they do under `serve`.
@Suite struct QuietHoursCLITests {
    @Test func workAndSendDeferTheChannelInQuietHours() throws {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let h = cal.component(.hour, from: Date())
        let window = String(format: "%02d:00-%02d:00", (h + 23) % 24, (h + 2) % 24)
        let dir = TestSupport.temporaryDirectory("quiet")
        let config = dir + "/outreachd.conf"
        try """
        data_dir = "\(dir)/data"
        templates_dir = "\(TestSupport.packageRoot)/templates"
        [channels.mail]
        type = "outbox"
        dir = "mail"
        [channels.texts]
        type = "outbox"
        kind = "sms"
        dir = "sms"
        quiet_hours = "\(window)"
        quiet_hours_zone = "UTC"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        func o(_ a: [String]) throws -> TestSupport.ProcessResult {
            try TestSupport.outreachd(["--config", config] + a)
        }

        #expect(try o(["send", "welcome", "--to", "+4521436677", "--channel", "texts", "--queue-only"]).status == 0)
        #expect(try o(["send", "welcome", "--to", "ana@example.org", "--channel", "mail", "--queue-only"]).status == 0)
        let work = try o(["work", "--until-idle", "--json"])
        #expect(work.status == 0, "\(work.stderr)")
        #expect(try JSON.parse(work.stdout)["sent"]?.intValue == 1)
        #expect(work.stderr.contains("deferred 1 delivery on texts to the end of quiet hours"), "\(work.stderr)")
        // Sent at once, the SMS waits too, and says why.
        let send = try o(["send", "welcome", "--to", "+4521436678", "--channel", "texts"])
        // Nothing went out now, but it will: exit 0 (a script must not send it again), saying
        // until when it waits (issue 19.10).
        #expect(send.status == 0)
        #expect(send.stderr.contains("Nothing was sent: +4521436678 is queued, due at"), "\(send.stderr)")
        #expect(send.stdout.contains("queued\ttexts\t+4521436678\tdeferred by quiet hours"), "\(send.stdout)")

        let list = try JSON.parse(try o(["queue", "list", "--json"]).stdout).arrayValue ?? []
        let sms = list.filter { $0["channel"]?.stringValue == "texts" }
        #expect(sms.count == 2)
        for d in sms {
            #expect(d["state"]?.stringValue == "queued")
            #expect(d["attempts"]?.intValue == 0)
            let next = try #require(d["next_attempt_at"]?.stringValue.flatMap(WallClock.parseRFC3339))
            #expect(cal.component(.hour, from: Date(timeIntervalSince1970: Double(next) / 1000)) == (h + 2) % 24)
        }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: dir + "/data/sms"))?.isEmpty ?? true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/data/mail").count == 1)
    }
}
