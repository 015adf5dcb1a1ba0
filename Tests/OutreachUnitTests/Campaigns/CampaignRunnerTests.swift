import Foundation
import Testing

@testable import Outreach

/// The due-runs step (`CampaignRunner`) over SQLite: what is due runs once however often asked,
/// what is far past its time is skipped, and the last run ends the series.
@Suite struct CampaignRunnerTests {
    func store() throws -> SQLiteStore {
        let s = try SQLiteStore(path: TestSupport.temporaryDirectory("runner") + "/outreach.db")
        _ = try s.createList(name: "mentors", doubleOptIn: false)
        let ids = try s.upsertContacts([Contact(email: "a@example.org"), Contact(email: "b@example.org")]).ids
        try s.setMembership(
            list: "mentors", contactIDs: ids, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        return s
    }

    func create(_ s: SQLiteStore, every: String) throws -> Campaign {
        var c = Campaign(name: "follow-up", list: "mentors", channels: [CampaignChannel(name: "mail", address: .email)])
        c.recurrence = try CampaignRecurrence(
            every: every, at: "2030-01-07 10:00", until: nil, zone: TimeZone(identifier: "Europe/Copenhagen")!)
        c.sendAt = c.recurrence!.firstAt
        c.state = .recurring
        return try s.createCampaign(c, message: Message(template: "note"))
    }

    @Test func eachDueRunRunsOnceAndALateOneIsSkipped() throws {
        let s = try store()
        let c = try create(s, every: "FREQ=WEEKLY;COUNT=3")
        let runner = CampaignRunner(store: s)
        let t = c.sendAt!
        #expect(try runner.runDue(now: t - 1).isEmpty, "nothing before its time")
        #expect(try runner.runDue(now: t + 1).map(\.run.occurrence) == [0])
        #expect(try runner.runDue(now: t + 2).isEmpty, "asked again at the same time: nothing more")
        // Two weeks on, the daemon was down: run 2 (a week late) is skipped, run 3 is on time, and last.
        let week: Int64 = 7 * 86_400_000
        let runs = try runner.runDue(now: t + 2 * week + 60_000)
        #expect(runs.map(\.run.occurrence) == [1, 2] && runs.map(\.run.state) == [.skipped, .ran])
        #expect(runs[1].run.counts == [.queued: 2])
        #expect(try s.campaign(named: "follow-up")?.state == .running)
        #expect(try runner.nextRuns(try s.campaign(named: "follow-up")!, now: t + 3 * week).isEmpty)
        #expect(CampaignRunner.describe(runs[0].run, of: "follow-up").contains("skipped"))
    }

    @Test func anOpenSeriesShowsItsNextRunsAndStaysRecurring() throws {
        let s = try store()
        let c = try create(s, every: "FREQ=WEEKLY")
        let runner = CampaignRunner(store: s)
        _ = try runner.runDue(now: c.sendAt! + 1)
        let current = try #require(try s.campaign(named: "follow-up"))
        #expect(current.state == .recurring)
        #expect(try runner.nextRuns(current, now: c.sendAt! + 1).map(\.index) == [1, 2, 3])
    }
}
