import Foundation
import Outreach
import Testing

/// A store with bounces, and what they reach: people, their consent and the queue.
public typealias BounceQueueStore = QueueingStore & BounceStore

extension StoreConformance {
    /// Bounces and complaints (issue 17): one transaction per report, the delivery's state, the
    /// score, suppressions and their removal, export and erasure.
    public static let bounces: [StoreCheck<any BounceQueueStore>] = [
        StoreCheck("aBounceReportIsAppliedInOneTransaction", aBounceReportIsAppliedInOneTransaction),
        StoreCheck("aRefusedRecipientDuringTheSessionIsABounce", aRefusedRecipientDuringTheSessionIsABounce),
        StoreCheck("suppressionsAreListedAndLiftedByTheRules", suppressionsAreListedAndLiftedByTheRules),
        StoreCheck("aListCountsItsSuppressedAndBouncedMembers", aListCountsItsSuppressedAndBouncedMembers),
    ]

    /// With `StoreConformance.consent`: the suppression list's order of strength.
    public static let suppressionStrength: [StoreCheck<any ContactStore & ConsentStore>] = [
        StoreCheck("aStrongerNoReplacesAWeakerSuppression", aStrongerNoReplacesAWeakerSuppression)
    ]

    /// A processor whose parser returns `report` for every message.
    static func processor(_ s: any BounceStore, _ report: BounceReport) -> BounceProcessor {
        BounceProcessor(store: s, policy: BouncePolicy()) { _ in report }
    }

    /// Sends (claims and completes as sent) every queued delivery.
    static func sendAll(_ s: any DeliveryQueue) throws -> [ClaimedDelivery] {
        let c = try claimAll(s)
        try s.complete(c.map { result($0, .sent(providerID: nil)) }, owner: "w", now: now)
        return c
    }

    public static func aBounceReportIsAppliedInOneTransaction(_ s: any BounceQueueStore) throws {
        _ = try s.createList(name: "news", doubleOptIn: false)
        _ = try s.createList(name: "events", doubleOptIn: false)
        let ids = try contacts(s, ["a@example.org", "b@example.org"])
        for list in ["news", "events"] {
            try s.setMembership(
                list: list, contactIDs: ids, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        }
        let news = try s.enqueue(
            Message(template: "newsletter", kind: .list, listName: "news"),
            deliveries: zip(ids, ["a@example.org", "b@example.org"]).map {
                NewDelivery(channel: "mail", address: $0.1, contactID: $0.0)
            }, idempotency: nil)
        let sent = try sendAll(s)
        #expect(sent.count == 2)
        let pending = try s.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "mail", address: "a@example.org")],
            idempotency: nil)
        let events = try s.enqueue(
            Message(template: "invitation", kind: .list, listName: "events"),
            deliveries: [NewDelivery(channel: "mail", address: "b@example.org", contactID: ids[1])], idempotency: nil)

        // A DSN naming no delivery: attributed to the email sent to its recipient.
        let hard = BounceResult(
            recipient: "A@Example.org", kind: .hard, status: "5.1.1", diagnostic: "smtp; 550 5.1.1 user unknown")
        let complaint = BounceResult(
            recipient: "b@example.org", kind: .complaint, diagnostic: "abuse", delivery: news.deliveryIDs[1])
        let report = BounceReport(results: [hard, complaint])
        let p = processor(s, report)
        let first = try p.process(message: Array("From: x\r\n\r\none".utf8), source: "file one.eml")
        #expect(first.applied.map(\.action) == [.suppressed, .suppressed])
        #expect(first.applied.map(\.delivery) == news.deliveryIDs)
        let a = try #require(try s.delivery(id: news.deliveryIDs[0]))
        #expect(a.state == .bounced && a.lastError == "hard bounce 5.1.1: smtp; 550 5.1.1 user unknown")
        #expect(try s.delivery(id: news.deliveryIDs[1])?.state == .complained)
        #expect(try s.suppression(for: "a@example.org") == .bounce)
        #expect(try s.suppression(for: "b@example.org") == .complaint)
        // Suppressing cancelled what waited; the complaint left every list.
        #expect(try s.queueCounts(messageID: pending.messageID) == [.cancelled: 1])
        #expect(try s.queueCounts(messageID: events.messageID) == [.cancelled: 1])
        #expect(try s.memberships(contactID: ids[1]).allSatisfy { $0.state == .unsubscribed })
        #expect(try s.memberships(contactID: ids[0]).allSatisfy { $0.state == .subscribed })
        #expect(first.applied[1].listsLeft == ["events", "news"])

        // The same message again: nothing more.
        let again = try p.process(message: Array("From: x\r\n\r\none".utf8), source: "file one.eml")
        #expect(again.applied.map(\.action) == [.duplicate, .duplicate])
        let records = try s.bounces(since: nil, address: nil, limit: 100)
        #expect(
            records.map(\.kind) == [.hard, .complaint] && records.map(\.source) == ["file one.eml", "file one.eml"])
        #expect(records[0].address == "a@example.org" && records[0].delivery == news.deliveryIDs[0])
        #expect(try s.bounces(since: nil, address: "B@example.org", limit: 100).map(\.kind) == [.complaint])
        #expect(try s.bounces(since: now + 60_000, address: nil, limit: 100).isEmpty)
        #expect(try s.bounceScore(address: "a@example.org")?.score == 1.0)

        // Export shows them; erasure forgets them.
        let export = try s.export(contactID: ids[0])
        #expect(export["bounces"]?.arrayValue?.count == 1)
        #expect(export["suppressions"]?.arrayValue?.first?["reason"] == "bounce")
        #expect(export["bounce_scores"]?.arrayValue?.first?["address"] == "a@example.org")
        try s.eraseContact(id: ids[0])
        #expect(try s.bounces(since: nil, address: "a@example.org", limit: 100).isEmpty)
        #expect(try s.bounces(since: nil, address: nil, limit: 100).count == 1)
        #expect(try s.bounceScore(address: "a@example.org") == nil)
    }

    public static func aRefusedRecipientDuringTheSessionIsABounce(_ s: any BounceQueueStore) throws {
        let addresses = ["full@example.org", "gone@example.org", "old@example.org", "policy@example.org"]
        _ = try s.enqueue(
            Message(template: "welcome"), deliveries: addresses.map { NewDelivery(channel: "mail", address: $0) },
            idempotency: nil)
        let c = try claimAll(s).sorted { $0.delivery.address < $1.delivery.address }
        try s.complete(
            [
                result(c[0], .permanent("550 5.2.2 <full@example.org>: mailbox full", suppress: true)),
                result(c[1], .permanent("550 5.1.1 <gone@example.org>: Recipient address rejected", suppress: true)),
                result(c[2], .permanent("550 Requested action not taken: mailbox unavailable", suppress: true)),
                result(c[3], .permanent("550 5.7.1 Relaying denied", suppress: true)),
            ], owner: "w", now: now)
        #expect(try s.queueCounts(messageID: nil) == [.dead: 4])
        // A definite bad mailbox suppresses at once; a full one, or a 550 saying nothing, is scored.
        #expect(try s.suppression(for: "gone@example.org") == .bounce)
        #expect(try s.suppression(for: "full@example.org") == nil)
        #expect(try s.bounceScore(address: "full@example.org")?.score == 0.5)
        #expect(try s.suppression(for: "old@example.org") == nil)
        #expect(try s.bounceScore(address: "old@example.org")?.score == 1.0)
        // A policy refusal is about the sender or the message: soft, as in a DSN.
        #expect(try s.suppression(for: "policy@example.org") == nil)
        #expect(try s.bounceScore(address: "policy@example.org")?.score == 0.5)
        let records = try s.bounces(since: nil, address: nil, limit: 10)
        #expect(records.count == 4 && records.allSatisfy { $0.source == "SMTP session" })
        #expect(
            records.first { $0.address == "gone@example.org" }.map { $0.status == "5.1.1" && $0.action == .suppressed }
                == true)
        // The dead delivery keeps the relay's words: a bounce does not move it.
        #expect(try s.delivery(id: c[1].delivery.id)?.lastError?.hasPrefix("550 5.1.1") == true)
    }

    public static func suppressionsAreListedAndLiftedByTheRules(_ s: any BounceQueueStore) throws {
        try s.suppress(address: "Bounced@example.org", reason: .bounce, detail: "hard bounce 5.1.1")
        try s.suppress(address: "spam@example.org", reason: .complaint, detail: "abuse")
        try s.suppress(address: "+4512345678", reason: .stop, detail: nil)
        _ = try contacts(s, ["erased@example.org"]).map { try s.eraseContact(id: $0) }
        let listed = try s.suppressions(limit: 100)
        #expect(Set(listed.map(\.address)) == ["bounced@example.org", "spam@example.org", "+4512345678"])
        #expect(listed.first { $0.address == "bounced@example.org" }?.detail == "hard bounce 5.1.1")
        #expect(try s.suppressionEntry(address: "ERASED@example.org")?.reason == .erased)

        let t = now
        #expect(throws: SuppressionLiftError.self) {
            _ = try SuppressionLift.remove(
                address: "spam@example.org", note: "fixed", store: s, now: t)
        }
        #expect(try s.suppression(for: "spam@example.org") == .complaint)
        _ = try SuppressionLift.remove(
            address: "bounced@example.org", note: "the mailbox was fixed", store: s, now: t)
        #expect(try s.suppression(for: "bounced@example.org") == nil)
        let log = try s.suppressionRemovals(address: "bounced@example.org")
        #expect(log.map(\.note) == ["the mailbox was fixed"] && log.first?.reason == .bounce && log.first?.at == t)
        // Mailed again: a new delivery to the address is queued, not suppressed.
        let m = try s.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "mail", address: "bounced@example.org")],
            idempotency: nil)
        #expect(try s.queueCounts(messageID: m.messageID) == [.queued: 1])
        // Not even an officer saying they asked lifts an erasure; their own confirmed sign-up lifts a complaint.
        #expect(throws: SuppressionLiftError.self) {
            _ = try SuppressionLift.remove(address: "erased@example.org", note: "asked by letter", store: s, now: t)
        }
        #expect(try s.suppression(for: "erased@example.org") == .erased)
        let since = try #require(try s.suppressionEntry(address: "spam@example.org")).since
        let lifted = try SuppressionLift.liftByOptIn(
            address: "spam@example.org", issuedAt: since + 1, note: "confirmed a sign-up", joined: "news",
            contactID: nil,
            store: s, now: t)
        #expect(lifted?.reason == .complaint && lifted?.atTheirRequest == true)
        #expect(try s.suppression(for: "spam@example.org") == nil)
        #expect(try s.suppressionRemovals(address: "spam@example.org").map(\.atTheirRequest) == [true])
    }

    /// `lists show`: subscribed members suppressed (by reason, by email or phone) and bouncing lately.
    public static func aListCountsItsSuppressedAndBouncedMembers(_ s: any BounceQueueStore) throws {
        let ids = try newsList(s)  // d@ has complained
        try s.suppress(address: "+4511111111", reason: .stop, detail: nil)  // a@'s phone
        try s.suppress(address: "B@example.org", reason: .bounce, detail: "5.1.1")
        try s.suppress(address: "nobody@example.org", reason: .bounce, detail: nil)  // not a member
        // e@ left the list: neither their suppression nor their bounce counts.
        try s.setMembership(
            list: "news", contactIDs: [ids[4]], state: .unsubscribed, consent: Consent(source: "t"), by: .person)
        try s.applyBounces { l in
            for (i, (address, kind, at)) in [
                ("b@example.org", BounceKind.hard, now), ("+4522222222", .soft, now - 100),
                ("d@example.org", .complaint, now - 10_000), ("e@example.org", .hard, now),
                ("a@example.org", .autoReply, now),
            ].enumerated() {
                try l.insertBounce(
                    BounceRecord(
                        at: at, address: address, kind: kind, status: nil, diagnostic: nil, delivery: nil,
                        source: "test", action: .recorded, score: nil, key: "k\(i)"))
            }
        }
        let d = try s.deliverability(list: "news", since: now - 1_000)
        #expect(d.suppressed == [.complaint: 1, .stop: 1, .bounce: 1], "\(d)")
        #expect(d.suppressedTotal == 3)
        #expect(d.bounced == 2, "b@ (hard) and the phone-only member (soft); d@'s is too old, a@'s an auto-reply")
        #expect(try s.deliverability(list: "other", since: 0) == ListDeliverability())
    }

    public static func aStrongerNoReplacesAWeakerSuppression(_ s: any ContactStore & ConsentStore) throws {
        try s.suppress(address: "a@example.org", reason: .unsubscribed, detail: nil)
        try s.suppress(address: "a@example.org", reason: .bounce, detail: "5.1.1")
        #expect(try s.suppression(for: "a@example.org") == .bounce)
        // A bounced address that complains gets the complaint, which only the person lifts.
        try s.suppress(address: "a@example.org", reason: .complaint, detail: "abuse")
        #expect(try s.suppression(for: "a@example.org") == .complaint)
        for weaker in [SuppressionReason.bounce, .manual, .unsubscribed] {
            try s.suppress(address: "a@example.org", reason: weaker, detail: "later")
            #expect(try s.suppression(for: "A@example.org") == .complaint)
        }
    }
}
