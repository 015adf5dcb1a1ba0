import Foundation
import Testing

@testable import Outreach

/// Issue 19.10, the rest of the small things found on the way: `contacts add` usage, import
/// progress, libmicrohttpd's warnings at start, and `queue status` splitting what is due now
/// from what waits for later — through the real binary.
@Suite struct SmallThingsCLITests {
    func o(_ config: String, _ a: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.outreachd(["--config", config] + a)
    }

    /// A phone-only contact is added, and the usage says one of --email or --phone is needed.
    @Test func contactsAddUsageAsksForAnEmailOrAPhone() throws {
        let (_, config) = try CrashTests.setUp("add-usage")
        let help = try o(config, ["contacts", "add", "--help"])
        #expect(help.status == 0)
        #expect(!help.stdout.contains("contacts add --email E ["), "\(help.stdout)")
        #expect(help.stdout.contains("--email E") && help.stdout.contains("--phone P"), "\(help.stdout)")
        #expect(help.stdout.contains("one of --email or --phone"), "\(help.stdout)")
        let phone = try o(config, ["contacts", "add", "--phone", "+4520000001", "--name", "Pia"])
        #expect(phone.status == 0, "\(phone.stderr)")
        let neither = try o(config, ["contacts", "add", "--name", "Nobody"])
        #expect(neither.status != 0 && neither.stderr.contains("phone"), "\(neither.stderr)")
    }

    /// The progress lines of an import count rows, and end at the number of rows imported.
    @Test func importProgressCountsRows() throws {
        let (dir, config) = try CrashTests.setUp("import-progress")
        var csv = "email,name,role\n"
        for i in 0..<7 { csv += "person\(i)@example.org,Person with a rather long name number \(i),mentor\n" }
        try csv.write(toFile: dir + "/seven.csv", atomically: true, encoding: .utf8)
        let r = try o(config, ["contacts", "import", dir + "/seven.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("importing: ") }
        #expect(!lines.isEmpty, "\(r.stderr)")
        #expect(lines.allSatisfy { $0.contains("/7 ") }, "every line counts of 7 rows: \(lines)")
        #expect(lines.last == "importing: 7/7 (100%)", "\(lines)")
    }

    /// `serve` starts without libmicrohttpd's "Thread pool is not used" warnings, however many threads.
    @Test func serveStartsWithoutLibmicrohttpdWarnings() throws {
        let d = try DaemonHarness(server: "threads = 2")
        try d.start()
        #expect(d.stop().status == 0)
        #expect(!d.log.contains("Thread pool"), "\(d.log)")
        #expect(!d.log.contains("Warning:"), "\(d.log)")
    }

    /// `queue status` tells what is due now from what is scheduled for later (and when the next is).
    @Test func queueStatusSplitsDueNowFromLater() throws {
        let (dir, config) = try CrashTests.setUp("queue-due")
        try "email\na@example.org\nb@example.org\n".write(toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        #expect(try o(config, ["contacts", "import", dir + "/p.csv", "--list", "news"]).status == 0)
        #expect(try o(config, ["send", "note", "--to", "c@example.org", "--queue-only"]).status == 0)
        let at = WallClock.nowMillis() + 3_600_000
        #expect(
            try o(
                config,
                [
                    "campaigns", "create", "later", "--template", "note", "--list", "news", "--channel", "outbox",
                    "--at", WallClock.rfc3339(at),
                ]
            ).status == 0)
        #expect(try o(config, ["campaigns", "start", "later"]).status == 0)
        let j = try JSON.parse(try o(config, ["queue", "status", "--json"]).stdout)
        #expect(j["queued"] == JSON(3) && j["due_now"] == JSON(1) && j["scheduled_later"] == JSON(2), "\(j)")
        #expect(j["next_scheduled_at"]?.stringValue == WallClock.rfc3339(at), "\(j)")
        let text = try o(config, ["queue", "status"]).stdout
        #expect(text.contains("  due now    1"), "\(text)")
        #expect(text.contains("  later      2 (next at \(WallClock.rfc3339(at)))"), "\(text)")
    }
}
