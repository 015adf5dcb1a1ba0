import Foundation
import Synchronization
import OutreachTestFixtures
import Testing

@testable import Outreach

/// Events from a transition to the hook's post, in process: the SQLite store's outbox, the
/// fan-out, and the worker with `HookComposer` on a fake channel standing for the hook.
@Suite struct HookFanOutTests {
    final class Woken: Sendable {
        let channels = Mutex<[Set<String>]>([])
    }

    /// Composes the mail deliveries; the hooks' must never reach it.
    struct MailComposer: DeliveryComposer {
        struct NotMail: Error {}
        func compose(_ c: ClaimedDelivery, for channel: any Channel) throws -> OutgoingMessage {
            guard c.delivery.channel == "mail" else { throw NotMail() }
            return OutgoingMessage(deliveryID: c.delivery.id, address: c.delivery.address, text: "mail")
        }
    }

    func hook(_ name: String, _ events: [HookEventType]) throws -> Hook {
        try StoreConformance.hook(name, events)
    }

    @Test func aSentMessageReachesEachHookOnceWithTheEventsID() throws {
        let store = try SQLiteStore(path: TestSupport.temporaryDirectory("hooks") + "/o.db")
        let crm = try hook("crm", [.deliverySent, .deliveryFailed])
        let audit = try hook("audit", [.deliverySent])
        let woken = Woken()
        let fanOut = HookFanOut(store: store, hooks: [crm, audit], batchLimit: 2, log: { _, _ in }) { c in
            woken.channels.withLock { $0.append(c) }
        }
        try store.subscribeHooks(to: [.deliverySent, .deliveryFailed])

        let mail = FakeChannel(name: "mail")
        let toCRM = FakeChannel(
            name: crm.channel, kind: .chat, script: [.transient("HTTP 500"), .sent(providerID: nil)])
        let toAudit = FakeChannel(name: audit.channel, kind: .chat)
        let worker = DeliveryWorker(
            store: store, channels: [mail.name: mail, toCRM.name: toCRM, toAudit.name: toAudit],
            composer: HookComposer(base: MailComposer(), hooks: [crm, audit]),
            policies: [crm.channel: RetryPolicy()], owner: "w")
        _ = try store.enqueue(
            Message(template: "welcome"),
            deliveries: (0..<3).map { NewDelivery(channel: "mail", address: "p\($0)@example.org") }, idempotency: nil)
        #expect(try worker.runBatch(channel: "mail", now: WallClock.nowMillis() + 1).sent == 3)
        #expect(try store.pendingHookEvents() == 3)

        // Three events in batches of two; each batch wakes the hooks that got deliveries.
        #expect(try fanOut.fanOutAll() == 3)
        #expect(try fanOut.fanOutAll() == 0)
        #expect(woken.channels.withLock { $0 } == [[crm.channel, audit.channel], [crm.channel, audit.channel]])

        let now = WallClock.nowMillis() + 1
        #expect(try worker.runBatch(channel: crm.channel, now: now).handled == 3)
        #expect(try worker.runBatch(channel: audit.channel, now: now).sent == 3)
        // The first post to the CRM failed: it is tried again, with the same id and body.
        let retryAt = try #require(try store.nextDue(channel: crm.channel))
        #expect(try worker.runBatch(channel: crm.channel, now: retryAt).sent == 1)
        #expect(try store.queueCounts(messageID: nil) == [.sent: 9])

        let posts = toCRM.batches.flatMap { $0 }
        try #require(posts.count == 4)
        let ids = posts.map { $0.webhookID ?? "" }
        #expect(Set(ids.prefix(3)).count == 3 && ids[3] == ids[0])
        #expect(posts[3].body == posts[0].body)
        #expect(toAudit.batches.flatMap { $0 }.map(\.webhookID) == Array(ids.prefix(3)))
        let body = try JSON.parse(try #require(posts[0].body))
        #expect(body["type"] == "delivery.sent" && body["data"]?["channel"] == "mail")
        #expect(body["data"]?["address"]?.stringValue?.hasSuffix("@example.org") == true)
        // The hooks' own posts, sent or failed, raise no event.
        #expect(try store.pendingHookEvents() == 0)
    }

    @Test func theServiceSubscribesAtStartAndFindsWhatOthersRecord() throws {
        let store = try SQLiteStore(path: TestSupport.temporaryDirectory("hooks") + "/o.db")
        let crm = try hook("crm", [.contactSubscribed])
        let woken = Woken()
        let fanOut = HookFanOut(store: store, hooks: [crm], intervalMillis: 20, log: { _, _ in }) { c in
            woken.channels.withLock { $0.append(c) }
        }
        try fanOut.start()
        defer { fanOut.drain() }
        _ = try store.createList(name: "news", doubleOptIn: false)
        let id = try store.upsertContacts([Contact(email: "a@example.org")]).ids[0]
        try store.setMembership(
            list: "news", contactIDs: [id], state: .subscribed, consent: Consent(source: "cli"), by: .officer)
        try TestSupport.waitFor("the event queued for the hook", interval: 0.005) {
            try store.queueCounts(messageID: nil)[.queued] == 1
        }
        #expect(woken.channels.withLock { $0 } == [[crm.channel]])
    }

    @Test func withoutHooksTheOutboxIsEmptiedAndNothingMoreIsRecorded() throws {
        let store = try SQLiteStore(path: TestSupport.temporaryDirectory("hooks") + "/o.db")
        try store.subscribeHooks(to: [.contactSubscribed])
        _ = try store.createList(name: "news", doubleOptIn: false)
        let id = try store.upsertContacts([Contact(email: "a@example.org")]).ids[0]
        try store.setMembership(
            list: "news", contactIDs: [id], state: .subscribed, consent: Consent(source: "cli"), by: .officer)
        #expect(try store.pendingHookEvents() == 1)
        let fanOut = HookFanOut(store: store, hooks: [], log: { _, _ in }) { _ in }
        try fanOut.start()
        fanOut.drain()
        #expect(try store.pendingHookEvents() == 0)
        #expect(try store.queueCounts(messageID: nil).isEmpty)
        try store.setMembership(
            list: "news", contactIDs: [id], state: .unsubscribed, consent: Consent(source: "cli"), by: .person)
        #expect(try store.pendingHookEvents() == 0)
    }
}
