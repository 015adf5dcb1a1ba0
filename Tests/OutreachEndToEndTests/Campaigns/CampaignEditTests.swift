import Foundation
import Testing

@testable import Outreach

/// Issue 19.4: a campaign shown, edited and deleted while it is a draft (refused once started), a
/// campaign with `--at` that starts by itself at its time under `serve`, and `--at` read in
/// `[campaigns] time_zone` — through the real binary.
@Suite struct CampaignEditTests {
    let cli = CampaignsCLITests()

    func o(_ config: String, _ a: [String]) throws -> TestSupport.ProcessResult { try cli.o(config, a) }
    func json(_ config: String, _ a: [String]) throws -> JSON { try cli.json(config, a) }

    /// `campaigns show` says everything about a campaign; `update` changes a draft's template,
    /// conditions, data and time (checked as at creation); `delete` removes a draft. A started
    /// campaign is refused both, with a sentence, and stays as it was.
    @Test func aDraftIsShownEditedAndDeletedAndAStartedOneIsNot() throws {
        let (dir, config) = try cli.setUpPeople("edit")
        try FileManager.default.createDirectory(atPath: dir + "/templates/memo", withIntermediateDirectories: true)
        try "---\nsubject: Memo {{topic}}\n---\nMemo for {{contact.name}}: {{topic}}\n".write(
            toFile: dir + "/templates/memo/email.en.txt", atomically: true, encoding: .utf8)
        try #"{"topic": "budget"}"#.write(toFile: dir + "/memo.json", atomically: true, encoding: .utf8)
        let create = ["campaigns", "create", "march", "--template", "note", "--list", "news", "--channel", "outbox"]
        #expect(try o(config, create).status == 0)
        var show = try json(config, ["campaigns", "show", "march"])
        #expect(show["state"] == "draft" && show["template"] == "note" && show["total"] == JSON(0), "\(show)")

        let update = try o(
            config,
            [
                "campaigns", "update", "march", "--template", "memo", "--where", "country=DE", "--where",
                "country=AT", "--data", dir + "/memo.json",
            ])
        #expect(update.status == 0, "\(update.stderr)")
        show = try json(config, ["campaigns", "show", "march"])
        #expect(show["template"] == "memo" && show["where"] == ["country=DE", "country=AT"], "\(show)")
        #expect(show["data"]?["topic"] == "budget", "\(show)")
        // Checked as at creation: a mistyped key, a template that does not exist, a past time.
        let typo = try o(config, ["campaigns", "update", "march", "--where", "contry=DE"])
        #expect(typo.status == 1 && typo.stderr.contains("did you mean 'country'?"), "\(typo.stderr)")
        let missing = try o(config, ["campaigns", "update", "march", "--template", "nope"])
        #expect(missing.status == 1 && missing.stderr.contains("no template 'nope'"), "\(missing.stderr)")
        let past = try o(config, ["campaigns", "update", "march", "--at", "2020-12-01 09:00"])
        #expect(past.status == 1 && past.stderr.contains("is in the past"), "\(past.stderr)")
        #expect(try json(config, ["campaigns", "show", "march"])["where"] == ["country=DE", "country=AT"])
        // A time makes it scheduled; --no-at a draft again.
        #expect(try o(config, ["campaigns", "update", "march", "--at", "2031-01-02 09:00"]).status == 0)
        #expect(try json(config, ["campaigns", "show", "march"])["state"] == "scheduled")
        #expect(try o(config, ["campaigns", "update", "march", "--no-at"]).status == 0)
        show = try json(config, ["campaigns", "show", "march"])
        #expect(show["state"] == "draft" && show["send_at"] == nil, "\(show)")

        // Started: the memo goes to the two in DE and AT; no more edits, no delete.
        #expect(try o(config, ["campaigns", "start", "march"]).status == 0)
        let refused = try o(config, ["campaigns", "update", "march", "--template", "note"])
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(
            refused.stderr.contains("The campaign 'march' has started (running)")
                && refused.stderr.contains("cannot be changed"), "\(refused.stderr)")
        let notDeleted = try o(config, ["campaigns", "delete", "march"])
        #expect(notDeleted.status == 1 && notDeleted.stderr.contains("cancel it instead"), "\(notDeleted.stderr)")
        #expect(try o(config, ["work", "--until-idle"]).status == 0)
        show = try json(config, ["campaigns", "show", "march"])
        #expect(show["state"] == "finished" && show["sent"] == JSON(2) && show["template"] == "memo", "\(show)")
        let text = try o(config, ["campaigns", "show", "march"])
        #expect(text.stdout.contains("Finished: 2 sent, 0 failed, 0 dead, 0 cancelled."), "\(text.stdout)")
        #expect(text.stdout.contains("Template:  memo"), "\(text.stdout)")

        // A draft is deleted, message and all; its name is free again.
        #expect(try o(config, create.map { $0 == "march" ? "april" : $0 }).status == 0)
        let deleted = try o(config, ["campaigns", "delete", "april"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(try o(config, ["campaigns", "show", "april"]).status == 1)
        let db = dir + "/data/outreach.db"
        #expect(try CrashTests.count(db, "SELECT COUNT(*) FROM campaigns WHERE name = 'april'") == 0)
        #expect(
            try CrashTests.count(db, "SELECT COUNT(*) FROM messages WHERE campaign_id IS NULL AND kind = 'list'") == 0)
        #expect(try o(config, create.map { $0 == "march" ? "april" : $0 }).status == 0)
    }

    /// A campaign created with `--at` needs no `start`: the daemon starts it when its time comes,
    /// with the list as it is then (someone who joined after the campaign was created included).
    @Test func aScheduledCampaignStartsByItselfUnderServe() throws {
        let d = try DaemonHarness()
        #expect(try d.cli(["lists", "create", "news"]).status == 0)
        #expect(try d.cli(["lists", "subscribe", "news", "a@example.org", "b@example.org"]).status == 0)
        let at = WallClock.rfc3339(WallClock.nowMillis() + 4_000)
        let create = try d.cli([
            "campaigns", "create", "soon", "--template", "welcome", "--list", "news", "--channel", "outbox", "--at", at,
        ])
        #expect(create.status == 0, "\(create.stderr)")
        #expect(create.stdout.contains("starts by itself"), "\(create.stdout)")
        var s = try JSON.parse(try d.cli(["campaigns", "status", "soon", "--json"]).stdout)
        #expect(s["state"] == "scheduled" && s["total"] == JSON(0), "\(s)")
        // Joins after the campaign was made, before its time: reached.
        #expect(try d.cli(["lists", "subscribe", "news", "c@example.org"]).status == 0)
        try d.start()
        defer { d.stop() }
        try TestSupport.waitFor("the scheduled campaign to be sent") {
            s = (try? JSON.parse(try d.cli(["campaigns", "status", "soon", "--json"]).stdout)) ?? .null
            return s["state"] == "finished"
        }
        #expect(s["sent"] == JSON(3), "\(s)")
        let files = try FileManager.default.contentsOfDirectory(atPath: d.dir + "/data/outbox")
        #expect(files.filter { $0.hasSuffix(".eml") }.count == 3, "\(files)")
    }

    /// `--at` without an offset is read in `[campaigns] time_zone`, and the output says which zone;
    /// a zone that does not exist is refused naming the setting.
    @Test func aSendTimeIsReadInTheConfiguredZone() throws {
        let (_, config) = try cli.setUpPeople("zone")
        try "\n[campaigns]\ntime_zone = \"America/New_York\"\n".appendLine(toFile: config)
        let create = try o(
            config,
            [
                "campaigns", "create", "nyc", "--template", "note", "--list", "news", "--channel", "outbox", "--at",
                "2031-01-15 09:00",
            ])
        #expect(create.status == 0, "\(create.stderr)")
        #expect(create.stdout.contains("2031-01-15 09:00 America/New_York (UTC-05:00)"), "\(create.stdout)")
        #expect(try json(config, ["campaigns", "show", "nyc"])["send_at"] == "2031-01-15T14:00:00Z")
        // Summer time: the same wall time is an hour earlier in UTC.
        #expect(try o(config, ["campaigns", "update", "nyc", "--at", "2031-07-15 09:00"]).status == 0)
        #expect(try json(config, ["campaigns", "show", "nyc"])["send_at"] == "2031-07-15T13:00:00Z")
        let text = try o(config, ["campaigns", "show", "nyc"])
        #expect(text.stdout.contains("2031-07-15 09:00 America/New_York (UTC-04:00)"), "\(text.stdout)")

        try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(
            of: "America/New_York", with: "Mars/Olympus"
        )
        .write(toFile: config, atomically: true, encoding: .utf8)
        let bad = try o(
            config,
            [
                "campaigns", "create", "mars", "--template", "note", "--list", "news", "--channel", "outbox", "--at",
                "2031-01-15 09:00",
            ])
        #expect(bad.status == 1 && bad.stderr.contains("time_zone"), "\(bad.stderr)")
    }
}
