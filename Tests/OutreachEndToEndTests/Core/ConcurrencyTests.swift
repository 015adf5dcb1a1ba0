import Foundation
import Testing
@testable import Outreach

/// Two `outreachd work` processes on one database, sending to a real HTTP server that records
/// every request with its `webhook-id` (the delivery id).
@Suite(.serialized) struct ConcurrencyTests {
    @Test func twoWorkProcessesNeverSendTheSameDeliveryTwice() throws {
        let recorder = try HTTPRecorder()
        let (dir, config) = try CrashTests.setUp("two-workers")
        try "Hi {{contact.email}}\n".write(
            toFile: dir + "/templates/note/chat.en.txt", atomically: true, encoding: .utf8)
        try """

        [channels.hook]
        type = "webhook"
        preset = "mattermost"
        url = "\(recorder.url)/hooks/x"
        target = "contact"
        address_attribute = "chat"
        max_connections = 2
        """.appendLine(toFile: config)
        let n = 600
        let to = (0..<n).flatMap { ["--to", "p\($0)@example.org"] }
        let q = try TestSupport.outreachd(
            ["--config", config, "send", "note", "--channel", "hook", "--queue-only"] + to)
        #expect(q.status == 0, "\(q.stderr)")
        // Both workers start together and race for the same queue.
        let workers = (0..<2).map { _ in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: TestSupport.outreachd)
            p.arguments = ["--config", config, "work", "--until-idle", "--json"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            return p
        }
        for w in workers { try w.run() }
        for w in workers { w.waitUntilExit() }
        #expect(workers.allSatisfy { $0.terminationStatus == 0 })
        let ids = recorder.requests().compactMap { $0.header("webhook-id") }
        #expect(ids.count == n, "the server got \(ids.count) requests for \(n) deliveries")
        #expect(Set(ids).count == ids.count, "some delivery was sent twice")
        #expect(
            try CrashTests.count(dir + "/data/outreach.db", "SELECT COUNT(*) FROM deliveries WHERE state='sent'") == n)
    }

    @Test func aCampaignStartedTwiceQueuesEachRecipientOnce() throws {
        let (dir, config) = try CrashTests.setUp("campaign-twice")
        let csv = dir + "/people.csv"
        try
            ("email,name,locale\n"
            + (0..<50).map { "m\($0)@example.org,Member \($0),\($0 % 2 == 0 ? "en" : "da")" }.joined(separator: "\n"))
            .write(toFile: csv, atomically: true, encoding: .utf8)
        func o(_ a: [String]) throws -> TestSupport.ProcessResult {
            try TestSupport.outreachd(["--config", config] + a)
        }
        #expect(try o(["lists", "create", "members"]).status == 0)
        #expect(try o(["contacts", "import", csv, "--list", "members"]).status == 0)
        #expect(try o(["lists", "unsubscribe", "members", "m3@example.org"]).status == 0)
        #expect(
            try o(["campaigns", "create", "dec", "--template", "note", "--list", "members", "--channel", "outbox"])
                .status == 0)
        let first = try o(["campaigns", "start", "dec", "--json"])
        let second = try o(["campaigns", "start", "dec", "--json"])
        #expect(try JSON.parse(first.stdout)["queued"] == JSON(49))
        #expect(try JSON.parse(second.stdout)["queued"] == JSON(0))
        let status = try JSON.parse(try o(["campaigns", "status", "dec", "--json"]).stdout)
        #expect(status["total"] == JSON(49))
        #expect(status["queued"] == JSON(49))
        #expect(try o(["work", "--until-idle"]).status == 0)
        #expect(try JSON.parse(try o(["campaigns", "status", "dec", "--json"]).stdout)["sent"] == JSON(49))

        // The report is one self-contained page: read it with Python's html.parser.
        #expect(try o(["campaigns", "report", "dec", "--html", dir + "/report.html"]).status == 0)
        let r = try TestSupport.python(
            """
            import sys, json
            from html.parser import HTMLParser
            class P(HTMLParser):
                def __init__(self):
                    super().__init__(); self.tags = {}; self.external = []; self.text = []
                def handle_starttag(self, tag, attrs):
                    self.tags[tag] = self.tags.get(tag, 0) + 1
                    for k, v in attrs:
                        if k in ("src", "href") and v: self.external.append(v)
                def handle_data(self, d): self.text.append(d)
            p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
            print(json.dumps({"rect": p.tags.get("rect", 0), "svg": p.tags.get("svg", 0), "external": p.external, "text": " ".join(p.text)}))
            """, [dir + "/report.html"])
        let page = try JSON.parse(r.stdout)
        #expect(page["svg"] == JSON(1))
        #expect((page["rect"]?.intValue ?? 0) >= 1)
        #expect(page["external"] == .array([]))
        #expect(page["text"]?.stringValue?.contains("Deliveries: 49") == true)
    }

    @Test func aCampaignWithABrokenTemplateIsRefusedAtCreation() throws {
        let (dir, config) = try CrashTests.setUp("campaign-broken")
        try "{{#open}} never closed\n".write(
            toFile: dir + "/templates/note/email.en.txt", atomically: true, encoding: .utf8)
        _ = try TestSupport.outreachd(["--config", config, "lists", "create", "members"])
        let r = try TestSupport.outreachd([
            "--config", config, "campaigns", "create", "x", "--template", "note", "--list", "members", "--channel",
            "outbox",
        ])
        #expect(r.status == 1)
        #expect(r.stderr.contains("open"), "\(r.stderr)")
        #expect(try TestSupport.outreachd(["--config", config, "campaigns", "status", "x"]).status == 1)
    }
}

extension String {
    func appendLine(toFile path: String) throws {
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        h.seekToEndOfFile()
        h.write(Data(self.utf8))
        try h.close()
    }
}

@Suite(.serialized) struct CampaignScheduleTests {
    func o(_ config: String, _ a: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.outreachd(["--config", config] + a)
    }

    func setUp(grace: String) throws -> (db: String, config: String) {
        let (dir, config) = try CrashTests.setUp("schedule")
        try "\n[campaigns]\ngrace = \"\(grace)\"\n".appendLine(toFile: config)
        try "email,name\na@example.org,A\nb@example.org,B\n".write(
            toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
        _ = try o(config, ["lists", "create", "press"])
        _ = try o(config, ["contacts", "import", dir + "/p.csv", "--list", "press"])
        return (dir + "/data/outreach.db", config)
    }

    /// Time passing, without waiting for it: every instant the campaign was scheduled at (its
    /// `send_at` and its deliveries' next attempt) moves `millis` into the past. The binary keeps
    /// reading the real clock, so a send time an hour ahead is never reached by a slow machine.
    func elapse(_ db: String, millis: Int64) throws {
        let r = try TestSupport.run(
            "sqlite3",
            [
                "-cmd", ".timeout 10000", db,
                """
                UPDATE campaigns SET send_at = send_at - \(millis) WHERE send_at IS NOT NULL;
                UPDATE deliveries SET next_attempt_at = next_attempt_at - \(millis);
                """,
            ])
        try #require(r.status == 0, "sqlite3 could not move the schedule: \(r.stderr)")
    }

    static let hour: Int64 = 3_600_000

    @Test func anEmbargoedCampaignIsNotSentBeforeItsTime() throws {
        let (db, config) = try setUp(grace: "1h")
        // An hour ahead: no machine is slow enough to reach it during the test.
        let at = WallClock.rfc3339(WallClock.nowMillis() + Self.hour)
        #expect(
            try o(
                config,
                [
                    "campaigns", "create", "release", "--template", "note", "--list", "press", "--channel", "outbox",
                    "--at", at,
                ]
            ).status == 0)
        #expect(try o(config, ["campaigns", "start", "release"]).status == 0)
        _ = try o(config, ["work", "--until-idle"])
        var s = try JSON.parse(try o(config, ["campaigns", "status", "release", "--json"]).stdout)
        #expect(s["sent"] == JSON(0))
        #expect(s["state"] == "scheduled")
        // The send time is now a minute past (within the 1 h grace): the next run sends.
        try elapse(db, millis: Self.hour + 60_000)
        _ = try o(config, ["work", "--until-idle"])
        s = try JSON.parse(try o(config, ["campaigns", "status", "release", "--json"]).stdout)
        #expect(s["sent"] == JSON(2))
        // Nothing is left to send (issue 19.4).
        #expect(s["state"] == "finished")
    }

    @Test func aCampaignFoundFarPastItsTimeWaitsForTheOfficer() throws {
        let (db, config) = try setUp(grace: "1s")
        let at = WallClock.rfc3339(WallClock.nowMillis() + Self.hour)
        _ = try o(
            config,
            ["campaigns", "create", "late", "--template", "note", "--list", "press", "--channel", "outbox", "--at", at])
        _ = try o(config, ["campaigns", "start", "late"])
        #expect(
            try JSON.parse(try o(config, ["campaigns", "status", "late", "--json"]).stdout)["state"] == "scheduled")
        // The "daemon" was down past the send time and the grace (1 s): the time is an hour past.
        try elapse(db, millis: 2 * Self.hour)
        _ = try o(config, ["work", "--until-idle"])
        var s = try JSON.parse(try o(config, ["campaigns", "status", "late", "--json"]).stdout)
        #expect(s["sent"] == JSON(0))
        #expect(s["state"] == "paused")
        #expect(s["missed_its_time"] == true)
        #expect(try o(config, ["campaigns", "resume", "late"]).status == 0)
        _ = try o(config, ["work", "--until-idle"])
        s = try JSON.parse(try o(config, ["campaigns", "status", "late", "--json"]).stdout)
        #expect(s["sent"] == JSON(2))
    }
}
