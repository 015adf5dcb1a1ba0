import Foundation
import Outreach
import Testing

/// Issue 19.3 through the real binary and a real SMTP server (aiosmtpd): a weekly follow-up whose
/// runs are brought due by `OUTREACH_TEST_CLOCK_OFFSET` — the first by `work --until-idle`, the
/// second by `serve`; a mentor added between them gets the second only; a daemon SIGKILLed right
/// after a run was recorded runs it no second time when restarted; a process killed at any moment
/// of a run leaves it whole or absent; update, pause over a run, resume and cancel.
@Suite(.serialized)
struct RecurringCampaignTests {
    static let week: Int64 = 7 * 86_400

    /// The follow-up's first run: tomorrow at 10:00 UTC (a Date, so the offsets below are exact).
    static func firstRun() -> (text: String, seconds: Int64) {
        let now = Int64(Date().timeIntervalSince1970)
        let day = (now / 86_400 + 1) * 86_400
        let at = day + 10 * 3600
        let local = TimeZone(identifier: "UTC")!.localDateTime(for: Date(timeIntervalSince1970: TimeInterval(at)))
        return ("\(local)", at)
    }

    /// The environment that moves the clock to five minutes after run `k` (from 0).
    static func clock(at first: Int64, run k: Int64) -> [String: String] {
        let target = first + k * week + 300
        return ["OUTREACH_TEST_CLOCK_OFFSET": String(target - Int64(Date().timeIntervalSince1970))]
    }

    /// Recipients of every message the server received, in order.
    static func recipients(_ server: SMTPServer) -> [String] {
        (1...max(server.messages().count, 1)).compactMap { server.envelope($0)?["rcpt_tos"]?.arrayValue?.first }
            .compactMap(\.stringValue)
    }

    @Test func eachRunReachesTheListOfItsTimeOnceAcrossRestarts() throws {
        let server = try SMTPServer()
        let templates = TestSupport.temporaryDirectory("recurring-templates")
        try FileManager.default.createDirectory(atPath: templates + "/follow-up", withIntermediateDirectories: true)
        try "---\nsubject: How is the mentoring going, {{contact.name}}?\n---\nHi {{contact.name}}, tell us.\n".write(
            toFile: templates + "/follow-up/email.en.txt", atomically: true, encoding: .utf8)
        let d = try DaemonHarness(
            channels: """
                [channels.email]
                type = "smtp"
                url = "smtp://127.0.0.1:\(server.port)"
                tls = "none"
                max_connections = 1
                """,
            top: "[sender]\nfrom = \"Mentoring <office@example.org>\"", templates: templates)
        func o(_ a: [String], _ env: [String: String] = [:]) throws -> TestSupport.ProcessResult {
            try TestSupport.outreachd(["--config", d.configPath] + a, environment: env)
        }
        func show(_ env: [String: String]) throws -> JSON {
            let r = try o(["campaigns", "show", "follow-up", "--json"], env)
            #expect(r.status == 0, "\(r.stderr)")
            return (try? JSON.parse(r.stdout)) ?? .null
        }
        #expect(try o(["lists", "create", "mentors"]).status == 0)
        #expect(
            try o(["contacts", "add", "--email", "anna@example.org", "--name", "Anna", "--list", "mentors"]).status == 0
        )
        let (at, first) = Self.firstRun()
        let create = try o([
            "campaigns", "create", "follow-up", "--template", "follow-up", "--list", "mentors", "--channel", "email",
            "--every", "FREQ=WEEKLY;COUNT=3", "--at", at, "--tz", "UTC",
        ])
        #expect(create.status == 0, "\(create.stderr)")
        #expect(create.stdout.contains("It runs by itself every FREQ=WEEKLY;COUNT=3 from \(at) "), "\(create.stdout)")
        // Refused with a sentence naming the option, nothing stored.
        let notAnOccurrence = try o([
            "campaigns", "create", "other", "--template", "follow-up", "--list", "mentors", "--channel", "email",
            "--every", "FREQ=MONTHLY;BYDAY=1TU", "--at", at, "--tz", "UTC",
        ])
        #expect(notAnOccurrence.status == 1 && notAnOccurrence.stderr.contains("--at: "), "\(notAnOccurrence.stderr)")
        #expect(try o(["campaigns", "show", "other"]).status == 1)

        let list = try o(["campaigns", "list"])
        #expect(list.stdout.contains("follow-up\trecurring") && list.stdout.contains("every FREQ=WEEKLY;COUNT=3"))
        let start = try o(["campaigns", "start", "follow-up"])
        #expect(start.status == 1 && start.stderr.contains("is recurring"), "\(start.stderr)")

        // Run 1, by `work`: Anna. Asked again at the same time: nothing more.
        let one = Self.clock(at: first, run: 0)
        #expect(try o(["work", "--until-idle"], one).status == 0)
        #expect(try o(["work", "--until-idle"], one).status == 0)
        try TestSupport.waitFor("run 1 at the server") { server.messages().count >= 1 }
        #expect(Self.recipients(server) == ["anna@example.org"])
        let afterOne = try show(one)
        #expect(afterOne["state"] == "recurring" && afterOne["runs"]?.arrayValue?.count == 1, "\(afterOne)")

        // Bo joins between the runs; run 2, by `serve`, reaches both.
        #expect(
            try o(["contacts", "add", "--email", "bo@example.org", "--name", "Bo", "--list", "mentors"]).status == 0)
        let two = Self.clock(at: first, run: 1)
        try d.start(environment: two)
        try TestSupport.waitFor("run 2 at the server", seconds: 60) { server.messages().count >= 3 }
        try TestSupport.waitFor("run 2 recorded as sent", seconds: 30) { try show(two)["pending"] == JSON(0) }
        #expect(d.stop().status == 0)
        #expect(Self.recipients(server).sorted() == ["anna@example.org", "anna@example.org", "bo@example.org"])
        let afterTwo = try show(two)
        let runs = afterTwo["runs"]?.arrayValue ?? []
        #expect(runs.map { $0["sent"] } == [JSON(1), JSON(2)], "\(afterTwo)")
        #expect(afterTwo["next_runs"]?.arrayValue?.first?["occurrence"] == JSON(2), "\(afterTwo)")
        let text = try o(["campaigns", "show", "follow-up"], two)
        #expect(text.stdout.contains("#2 ") && text.stdout.contains("ran, 2 sent"), "\(text.stdout)")

        // Run 3 (the last): the daemon is killed as soon as it is recorded, and restarted.
        let three = Self.clock(at: first, run: 2)
        try d.start(environment: three)
        try TestSupport.waitFor("run 3 recorded", seconds: 60) {
            (try show(three)["runs"]?.arrayValue?.count ?? 0) == 3
        }
        #expect(!d.stop(SIGKILL).exited)
        try d.start(environment: three)
        try TestSupport.waitFor("the campaign finished", seconds: 120) { try show(three)["state"] == "finished" }
        #expect(d.stop().status == 0)
        let db = d.dir + "/data/outreach.db"
        #expect(try CrashTests.count(db, "SELECT COUNT(*) FROM campaign_runs") == 3)
        #expect(
            try CrashTests.count(
                db,
                "SELECT COUNT(*) FROM deliveries WHERE message_id = (SELECT message_id FROM campaign_runs WHERE occurrence = 2)"
            ) == 2)
        let final = try show(three)
        #expect(final["runs"]?.arrayValue?.map { $0["sent"] } == [JSON(1), JSON(2), JSON(2)], "\(final)")
        #expect(final["sent"] == JSON(5) && final["next_runs"] == JSON.array([]), "\(final)")
        // The report counts every run together.
        let report = d.dir + "/report.html"
        #expect(try o(["campaigns", "report", "follow-up", "--html", report]).status == 0)
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("<h2>Deliveries: 5</h2>"), "\(html)")
        // At the server: run 3 once per person. A message handed to the server just before the kill
        // and not yet recorded would be sent again (delivery is at least once, max_connections = 1).
        let received = Self.recipients(server)
        #expect(received.filter { $0 == "bo@example.org" }.count >= 2 && received.count <= 6, "\(received)")
    }

    /// A recurring campaign before its first run is updated like a draft (its rule, first run, end
    /// and zone too); pause holds runs and resume skips those far past; after a run it is refused.
    @Test func aRecurringDraftIsUpdatedAndPauseHoldsItsRuns() throws {
        let (_, config) = try CrashTests.setUp("recurring-edit")
        func o(_ a: [String], _ env: [String: String] = [:]) throws -> TestSupport.ProcessResult {
            try TestSupport.outreachd(["--config", config] + a, environment: env)
        }
        func show(_ env: [String: String] = [:]) throws -> JSON {
            (try? JSON.parse(try o(["campaigns", "show", "fu", "--json"], env).stdout)) ?? .null
        }
        #expect(try o(["lists", "create", "mentors"]).status == 0)
        for e in ["anna@example.org", "bo@example.org"] {
            #expect(try o(["contacts", "add", "--email", e, "--list", "mentors"]).status == 0)
        }
        let (at, first) = Self.firstRun()
        let create = [
            "campaigns", "create", "fu", "--template", "note", "--list", "mentors", "--channel", "outbox",
        ]
        #expect(try o(create + ["--every", "FREQ=WEEKLY", "--at", at, "--tz", "UTC"]).status == 0)
        let update = try o(["campaigns", "update", "fu", "--every", "FREQ=WEEKLY;INTERVAL=2", "--until", "2030-01-01"])
        #expect(update.status == 0, "\(update.stderr)")
        var j = try show()
        #expect(j["recurrence"]?["every"]?.stringValue?.hasPrefix("FREQ=WEEKLY;INTERVAL=2;UNTIL=") == true, "\(j)")
        #expect(j["recurrence"]?["start"] == JSON.string(at) && j["state"] == "recurring", "\(j)")
        let both = try o(["campaigns", "update", "fu", "--until", "2099-01-01", "--every", "FREQ=WEEKLY;COUNT=2"])
        #expect(both.status == 1 && both.stderr.contains("--until: the rule already ends"), "\(both.stderr)")

        // Run 1 reaches both; Bo leaves; the campaign is paused over run 2 (two weeks on) and
        // resumed a day after it: run 2 is skipped (past the 1 h grace), run 3 reaches Anna only.
        #expect(try o(["work", "--until-idle"], Self.clock(at: first, run: 0)).status == 0)
        #expect(try o(["lists", "unsubscribe", "mentors", "bo@example.org"]).status == 0)
        #expect(try o(["campaigns", "pause", "fu"]).status == 0)
        let secondRun = Self.clock(at: first, run: 2)
        #expect(try o(["work", "--until-idle"], secondRun).status == 0)
        #expect(try show(secondRun)["runs"]?.arrayValue?.count == 1)
        let dayLater = ["OUTREACH_TEST_CLOCK_OFFSET": String(Int64(secondRun.values.first!)! + 86_400)]
        #expect(try o(["campaigns", "resume", "fu"], dayLater).status == 0)
        let fourWeeks = Self.clock(at: first, run: 4)
        #expect(try o(["work", "--until-idle"], fourWeeks).status == 0)
        j = try show(fourWeeks)
        let runs = j["runs"]?.arrayValue ?? []
        #expect(runs.map { $0["state"] } == ["ran", "skipped", "ran"], "\(j)")
        #expect(runs.map { $0["sent"] } == [JSON(2), JSON(0), JSON(1)], "\(j)")
        let refused = try o(["campaigns", "update", "fu", "--every", "FREQ=DAILY"])
        #expect(refused.status == 1 && refused.stderr.contains("cannot be changed"), "\(refused.stderr)")
        #expect(try o(["campaigns", "cancel", "fu"]).status == 0)
        #expect(try o(["work", "--until-idle"], Self.clock(at: first, run: 6)).status == 0)
        #expect(try show(Self.clock(at: first, run: 6))["runs"]?.arrayValue?.count == 3)
    }

    /// A process SIGKILLed at any moment of a run leaves the run whole or absent (its row and its
    /// deliveries are one transaction), and the next look runs an absent one once. `work
    /// --channel idle` runs the due step, then works a channel with nothing to send.
    @Test func aRunKilledAtAnyMomentIsWholeOrAbsentAndRunsOnce() throws {
        let (dir, config) = try CrashTests.setUp("recurring-kill")
        try
            (try String(contentsOfFile: config, encoding: .utf8)
            + "\n[channels.idle]\ntype = \"outbox\"\ndir = \"idle\"\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let members = 20_000
        try ("email\n" + (0..<members).map { "m\($0)@example.org" }.joined(separator: "\n"))
            .write(toFile: dir + "/members.csv", atomically: true, encoding: .utf8)
        func o(_ config: String, _ a: [String], _ env: [String: String] = [:]) throws -> TestSupport.ProcessResult {
            try TestSupport.outreachd(["--config", config] + a, environment: env)
        }
        #expect(try o(config, ["lists", "create", "mentors"]).status == 0)
        #expect(try o(config, ["contacts", "import", dir + "/members.csv", "--list", "mentors"]).status == 0)
        let (at, first) = Self.firstRun()
        #expect(
            try o(
                config,
                [
                    "campaigns", "create", "fu", "--template", "note", "--list", "mentors", "--channel", "outbox",
                    "--every", "FREQ=WEEKLY", "--at", at, "--tz", "UTC",
                ]
            ).status == 0)
        let due = Self.clock(at: first, run: 0)
        let step = ["work", "--until-idle", "--channel", "idle"]
        /// A fresh copy of the prepared folder (data and config), for one kill.
        func copy(_ label: String) throws -> (dir: String, config: String) {
            let target = TestSupport.temporaryDirectory(label)
            _ = try TestSupport.run("cp", ["-a", dir + "/.", target])
            let c = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: dir, with: target)
            try c.write(toFile: target + "/outreachd.conf", atomically: true, encoding: .utf8)
            return (target, target + "/outreachd.conf")
        }
        func state(_ db: String) throws -> (runs: Int, deliveries: Int) {
            (
                try CrashTests.count(db, "SELECT COUNT(*) FROM campaign_runs"),
                try CrashTests.count(db, "SELECT COUNT(*) FROM deliveries")
            )
        }
        // How long the step takes uninterrupted; then kills at fractions of it.
        let probe = try copy("recurring-probe")
        let start = Date()
        #expect(try o(probe.config, step, due).status == 0)
        let full = Date().timeIntervalSince(start)
        #expect(try state(probe.dir + "/data/outreach.db") == (1, members))
        var outcomes: [Int] = []
        for fraction in [0.2, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.1, 1.5, 3.0] {
            let (killed, killedConfig) = try copy("recurring-killed")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: TestSupport.outreachd)
            p.arguments = ["--config", killedConfig] + step
            p.environment = ProcessInfo.processInfo.environment.merging(due) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(useconds_t(full * fraction * 1_000_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let db = killed + "/data/outreach.db"
            let after = try state(db)
            #expect(after == (0, 0) || after == (1, members), "killed after \(fraction) of the step: \(after)")
            outcomes.append(after.runs)
            // Restarted: the run happens once.
            #expect(try o(killedConfig, step, due).status == 0)
            #expect(try state(db) == (1, members), "after the restart")
        }
        #expect(outcomes.contains(0) && outcomes.contains(1), "kill moments did not straddle the commit: \(outcomes)")
    }
}
