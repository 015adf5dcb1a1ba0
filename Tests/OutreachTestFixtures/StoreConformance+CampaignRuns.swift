import Dispatch
import Foundation
import Outreach
import Synchronization
import Testing

/// A store with campaigns, their queue, and the runs of recurring ones.
public typealias RecurringCampaignStore = CampaignQueueStore & CampaignRunStore

extension StoreConformance {
    /// Recurring campaigns (`CampaignRunStore`): each occurrence runs once, with the list as it is
    /// then, counted per run.
    public static let recurringCampaigns: [StoreCheck<any RecurringCampaignStore>] = [
        StoreCheck("aRunHappensOncePerOccurrenceWhoeverAsks", aRunHappensOncePerOccurrenceWhoeverAsks),
        StoreCheck("eachRunReachesTheListAsItIsAtThatRun", eachRunReachesTheListAsItIsAtThatRun),
        StoreCheck("aLateRunIsSkippedAndTheLastRunEndsTheSeries", aLateRunIsSkippedAndTheLastRunEndsTheSeries),
        StoreCheck(
            "aRecurringCampaignPausesResumesAndCancelsItsRuns", aRecurringCampaignPausesResumesAndCancelsItsRuns),
    ]

    /// Mondays at 10:00 UTC from 2030-01-07, `count` of them.
    static func weekly(_ s: any RecurringCampaignStore, _ name: String, count: Int = 4) throws -> Campaign {
        let zone = TimeZone(identifier: "UTC")!
        var c = Campaign(name: name, list: "news", channels: [newsChannels[0]])
        c.recurrence = try CampaignRecurrence(
            rule: RecurrenceRule(frequency: .weekly, end: .count(count)), timeZone: zone,
            start: LocalDateTime(year: 2030, month: 1, day: 7, hour: 10))
        c.sendAt = c.recurrence!.firstAt
        c.state = .recurring
        return try s.createCampaign(c, message: Message(template: "follow-up"))
    }

    /// The series' occurrence `index` (0: the first).
    static func occurrence(_ c: Campaign, _ index: Int) -> CampaignOccurrence {
        let r = c.recurrence!
        let due = r.runs(after: nil, now: r.firstAt + Int64(index) * 7 * 86_400_000, ahead: 0).due
        return due[index]
    }

    public static func aRunHappensOncePerOccurrenceWhoeverAsks(_ s: any RecurringCampaignStore) throws {
        _ = try newsList(s)
        let c = try weekly(s, "follow-up")
        #expect(c.state == .recurring && c.recurrence != nil)
        #expect(try s.campaign(named: "follow-up")?.recurrence == c.recurrence)
        #expect(throws: CampaignError.recurring("follow-up")) { try s.fanOut(campaign: "follow-up", now: now) }
        let first = occurrence(c, 0)
        #expect(try s.latestCampaignRun(campaign: "follow-up") == nil)
        // a, b and e by mail; d is suppressed; the phone-only member has no address.
        let run = try #require(try s.runCampaign("follow-up", occurrence: first, last: false, now: first.at + 60_000))
        #expect(run.state == .ran && run.counts == [.queued: 3, .suppressed: 1], "\(run)")
        #expect(try s.runCampaign("follow-up", occurrence: first, last: false, now: first.at + 61_000) == nil)
        // Eight callers at once for the next occurrence: one runs it.
        let second = occurrence(c, 1)
        let ran = Mutex(0)
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                if try s.runCampaign("follow-up", occurrence: second, last: false, now: second.at + 1) != nil {
                    ran.withLock { $0 += 1 }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(ran.withLock { $0 } == 1 && failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let runs = try s.campaignRuns(campaign: "follow-up")
        #expect(runs.map(\.occurrence) == [0, 1])
        let latest = try s.latestCampaignRun(campaign: "follow-up")
        #expect(latest?.occurrence == 1 && latest?.messageID == runs[1].messageID && latest?.at == second.at)
        #expect(runs.map(\.counts) == [[.queued: 3, .suppressed: 1], [.queued: 3, .suppressed: 1]])
        #expect(Set(runs.compactMap(\.messageID)).count == 2 && !runs.contains { $0.messageID == c.messageID })
        // The campaign's own message holds none of them; each run's message is its copy.
        #expect(try s.queueCounts(messageID: c.messageID).isEmpty)
        #expect(try s.message(id: runs[1].messageID!)?.template == "follow-up")
        #expect(try s.message(id: runs[1].messageID!)?.campaignID == c.id)
        #expect(try s.campaign(named: "follow-up")?.state == .recurring)
    }

    public static func eachRunReachesTheListAsItIsAtThatRun(_ s: any RecurringCampaignStore) throws {
        let ids = try newsList(s)
        let c = try weekly(s, "follow-up")
        let first = occurrence(c, 0)
        _ = try s.runCampaign("follow-up", occurrence: first, last: false, now: first.at)
        // Between the runs: f joins, b (ids[1]) leaves.
        let f = try s.upsertContacts([Contact(email: "f@example.org")]).ids
        try s.setMembership(
            list: "news", contactIDs: f, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        try s.setMembership(
            list: "news", contactIDs: [ids[1]], state: .unsubscribed, consent: Consent(source: "t"), by: .officer)
        let second = occurrence(c, 1)
        let run = try #require(try s.runCampaign("follow-up", occurrence: second, last: false, now: second.at))
        let addresses = try s.deliveries(state: .queued, messageID: run.messageID, limit: 10).map(\.address).sorted()
        #expect(addresses == ["a@example.org", "e@example.org", "f@example.org"], "\(addresses)")
        let runs = try s.campaignRuns(campaign: "follow-up")
        // The first run's delivery to b was queued; b's leaving cancelled it (a no is final at the change).
        let firstAddresses = try s.deliveries(state: nil, messageID: runs[0].messageID, limit: 10)
            .filter { $0.state != .suppressed }.map(\.address)
        #expect(firstAddresses.sorted() == ["a@example.org", "b@example.org", "e@example.org"])
        // Sent: per-run counts move with the queue, each run on its own.
        let claimed = try s.claim(channels: nil, limit: 10, owner: "w", leaseMillis: 60_000, now: second.at + 1)
        try s.complete(
            claimed.map {
                DeliveryResult(
                    id: $0.delivery.id, outcome: .sent(providerID: nil), retryAt: nil, address: $0.delivery.address)
            },
            owner: "w", now: second.at + 2)
        let counts = try s.campaignRuns(campaign: "follow-up").map(\.counts)
        #expect(counts == [[.sent: 2, .cancelled: 1, .suppressed: 1], [.sent: 3, .suppressed: 1]], "\(counts)")
    }

    public static func aLateRunIsSkippedAndTheLastRunEndsTheSeries(_ s: any RecurringCampaignStore) throws {
        _ = try newsList(s)
        let c = try weekly(s, "follow-up", count: 2)
        let first = occurrence(c, 0), second = occurrence(c, 1)
        // Found a day late (the daemon was down): recorded as skipped, nothing queued, never sent late.
        let late = try #require(
            try s.runCampaign("follow-up", occurrence: first, last: false, now: first.at + 86_400_000))
        #expect(late.state == .skipped && late.messageID == nil && late.counts.isEmpty)
        #expect(try s.runCampaign("follow-up", occurrence: first, last: false, now: first.at + 86_400_001) == nil)
        let last = try #require(try s.runCampaign("follow-up", occurrence: second, last: true, now: second.at))
        #expect(last.state == .ran)
        #expect(try s.campaign(named: "follow-up")?.state == .running)
        let claimed = try s.claim(channels: nil, limit: 10, owner: "w", leaseMillis: 60_000, now: second.at + 1)
        #expect(claimed.count == 3)
        try s.complete(
            claimed.map {
                DeliveryResult(
                    id: $0.delivery.id, outcome: .sent(providerID: nil), retryAt: nil, address: $0.delivery.address)
            },
            owner: "w", now: second.at + 2)
        #expect(try s.campaign(named: "follow-up")?.state == .finished)
        #expect(try s.campaigns().first?.state == .finished)
    }

    public static func aRecurringCampaignPausesResumesAndCancelsItsRuns(_ s: any RecurringCampaignStore) throws {
        _ = try newsList(s)
        let c = try weekly(s, "follow-up")
        let first = occurrence(c, 0), second = occurrence(c, 1)
        let run = try #require(try s.runCampaign("follow-up", occurrence: first, last: false, now: first.at))
        try s.setCampaignState("follow-up", to: .paused, now: first.at + 1)
        #expect(try s.cancelReasons(messageID: run.messageID) == [.paused: 3])
        // Held: no run while paused.
        #expect(try s.runCampaign("follow-up", occurrence: second, last: false, now: second.at) == nil)
        try s.setCampaignState("follow-up", to: .running, now: second.at + 1)
        #expect(try s.campaign(named: "follow-up")?.state == .recurring)
        #expect(try s.queueCounts(messageID: run.messageID)[.queued] == 3)
        #expect(try s.runCampaign("follow-up", occurrence: second, last: false, now: second.at + 2) != nil)
        try s.setCampaignState("follow-up", to: .cancelled, now: second.at + 3)
        for r in try s.campaignRuns(campaign: "follow-up") {
            #expect(try s.cancelReasons(messageID: r.messageID) == [.campaignCancelled: 3])
        }
        #expect(try s.runCampaign("follow-up", occurrence: occurrence(c, 2), last: false, now: second.at + 4) == nil)
        #expect(try s.campaign(named: "follow-up")?.state == .cancelled)
    }
}
