import Foundation
import Outreach
import Testing

/// A store with the hook outbox, and what raises its events: people, their consent and the queue.
public typealias HookQueueStore = QueueingStore & HookOutbox

extension StoreConformance {
    /// The hook outbox: an event per transition, in its transaction; fanned out at most once.
    public static let hooks: [StoreCheck<any HookQueueStore>] = [
        StoreCheck("eachDeliveryTransitionRecordsOneEvent", eachDeliveryTransitionRecordsOneEvent),
        StoreCheck("membershipChangesRecordEventsAndARefusalNone", membershipChangesRecordEventsAndARefusalNone),
        StoreCheck(
            "onlySubscribedTypesAreRecordedAndEachHookGetsItsOwn", onlySubscribedTypesAreRecordedAndEachHookGetsItsOwn),
        StoreCheck("eraseForgetsTheEventsAboutAPerson", eraseForgetsTheEventsAboutAPerson),
    ]

    /// A hook as `[hooks.NAME]` would configure it.
    public static func hook(_ name: String, _ events: [HookEventType]) throws -> Hook {
        let secret = "whsec_" + Data(repeating: 7, count: 32).base64EncodedString()
        return try Hook(
            name: name,
            section: ConfigSection(
                name: "hooks." + name, file: "test.conf", baseDirectory: "",
                values: [
                    "url": .string("http://127.0.0.1:9/\(name)"), "events": .strings(events.map(\.rawValue)),
                    "signing_secret": .string(secret),
                ]))
    }

    /// The events queued for `channel`, oldest first, read back from their messages.
    public static func hookEvents(_ s: any DeliveryQueue, channel: String) throws -> [(Delivery, HookEvent?)] {
        try s.deliveries(state: nil, messageID: nil, limit: 1_000).filter { $0.channel == channel }.map { d in
            (d, try s.message(id: d.messageID).flatMap { HookEvent(messageData: $0.data) })
        }
    }

    public static func eachDeliveryTransitionRecordsOneEvent(_ s: any HookQueueStore) throws {
        let id = try contacts(s, ["ana@example.org"])[0]
        let deliveries = [
            NewDelivery(channel: "outbox", address: "ana@example.org", contactID: id),
            NewDelivery(channel: "outbox", address: "ad-hoc@example.org"),
            NewDelivery(channel: "outbox", address: "bad@example.org"),
        ]
        // Before any hook subscribes nothing is recorded.
        _ = try s.enqueue(Message(template: "welcome"), deliveries: [deliveries[0]], idempotency: nil)
        try s.complete(try claimAll(s).map { result($0, .sent(providerID: nil)) }, owner: "w", now: now)
        #expect(try s.pendingHookEvents() == 0)

        try s.subscribeHooks(to: Set(HookEventType.allCases))
        let m = try s.enqueue(Message(template: "welcome"), deliveries: deliveries, idempotency: nil)
        let c = try claimAll(s)
        try #require(c.count == 3)
        let t = now
        try s.complete(
            [
                result(c[0], .sent(providerID: "p-1")), result(c[1], .transient("busy"), retryAt: t + 60_000),
                result(c[2], .permanent("550 5.1.1 no such user")),
            ], owner: "w", now: t)
        // A retry to come is no event; the sent and the dead one are.
        #expect(try s.pendingHookEvents() == 2)
        _ = try s.recordReceipt(Receipt(deliveryID: c[0].delivery.id, state: .delivered), channel: "outbox", now: t)
        // The same receipt again changes nothing, and records nothing.
        _ = try s.recordReceipt(Receipt(deliveryID: c[0].delivery.id, state: .delivered), channel: "outbox", now: t)
        _ = try s.recordReceipt(
            Receipt(deliveryID: c[0].delivery.id, state: .failed, reason: "mailbox gone"), channel: "outbox", now: t)
        #expect(try s.pendingHookEvents() == 4)

        let crm = try hook("crm", HookEventType.allCases)
        let out = try s.fanOutHookEvents(to: [crm], limit: 100, now: t)
        #expect(out.events == 4 && out.deliveries == [crm.channel: 4])
        #expect(try s.pendingHookEvents() == 0)
        // At most once: a second fan-out finds nothing.
        #expect(try s.fanOutHookEvents(to: [crm], limit: 100, now: t) == HookFanOutResult())

        let queued = try hookEvents(s, channel: crm.channel)
        let events = queued.compactMap(\.1)
        try #require(events.count == 4)
        #expect(events.map(\.type) == [.deliverySent, .deliveryFailed, .deliveryDelivered, .deliveryBounced])
        #expect(queued.allSatisfy { $0.0.state == .queued && $0.0.address == $0.1?.type.rawValue })
        #expect(Set(events.map(\.webhookID)).count == 4 && events.map(\.id) == events.map(\.id).sorted())
        let sent = events[0].data
        #expect(sent["delivery_id"]?.intValue == Int(c[0].delivery.id))
        #expect(sent["message_id"]?.intValue == Int(m.messageID))
        #expect(sent["address"] == "ana@example.org" && sent["contact_id"]?.intValue == Int(id))
        #expect(sent["state"] == "sent" && sent["channel"] == "outbox" && sent["template"] == "welcome")
        #expect(sent["diagnostic"] == JSON.null && sent["provider_id"] == "p-1")
        #expect(events[0].at == t)
        let failed = events[1].data
        #expect(failed["address"] == "bad@example.org" && failed["contact_id"] == JSON.null)
        #expect(failed["state"] == "dead" && failed["diagnostic"] == "550 5.1.1 no such user")
        #expect(events[3].data["diagnostic"] == "mailbox gone" && events[3].data["state"] == "bounced")
        // The body posted is Standard Webhooks' payload.
        #expect(events[0].body["type"] == "delivery.sent" && events[0].body["data"] == sent)
        #expect(events[0].body.objectValue?.keys.sorted() == ["data", "timestamp", "type"])
    }

    public static func membershipChangesRecordEventsAndARefusalNone(_ s: any HookQueueStore) throws {
        try s.subscribeHooks(to: [.contactSubscribed, .contactUnsubscribed])
        _ = try s.createList(name: "news", doubleOptIn: false)
        let ids = try contacts(s, ["a@example.org", "b@example.org"])
        try s.setMembership(
            list: "news", contactIDs: ids, state: .subscribed, consent: Consent(source: "cli"), by: .officer)
        // Subscribing who is subscribed changes nothing.
        try s.setMembership(
            list: "news", contactIDs: [ids[0]], state: .subscribed, consent: Consent(source: "cli"), by: .officer)
        try s.setMembership(
            list: "news", contactIDs: [ids[0]], state: .unsubscribed, consent: Consent(source: "one-click"),
            by: .person)
        #expect(try s.pendingHookEvents() == 3)
        // A refused change rolls back, its event with it: b joins in the same command, a is refused.
        #expect(throws: StoreError.self) {
            try s.setMembership(
                list: "news", contactIDs: [ids[1], ids[0]], state: .subscribed, consent: Consent(source: "cli"),
                by: .officer)
        }
        #expect(try s.pendingHookEvents() == 3)

        let crm = try hook("crm", [.contactUnsubscribed, .contactSubscribed])
        #expect(try s.fanOutHookEvents(to: [crm], limit: 2, now: now).events == 2)
        #expect(try s.fanOutHookEvents(to: [crm], limit: 2, now: now).events == 1)
        let events = try hookEvents(s, channel: crm.channel).compactMap(\.1)
        #expect(events.map(\.type) == [.contactSubscribed, .contactSubscribed, .contactUnsubscribed])
        let left = try #require(events.last).data
        #expect(left["contact_id"]?.intValue == Int(ids[0]) && left["email"] == "a@example.org")
        #expect(left["list"] == "news" && left["state"] == "unsubscribed" && left["previous_state"] == "subscribed")
        #expect(left["source"] == "one-click" && left["phone"] == JSON.null)
        #expect(events[0].data["previous_state"] == JSON.null && events[0].data["source"] == "cli")

        // Leaving everything (one-click from all lists, an SMS STOP) is an unsubscribe without a
        // list; other suppressions are none.
        let phone = try s.upsertContacts([Contact(email: "c@example.org", phone: "+4520000000")]).ids[0]
        try s.suppress(address: "B@example.org", reason: .unsubscribed, detail: "one-click unsubscribe")
        try s.suppress(address: "+4520000000", reason: .stop, detail: "SMS reply STOP")
        try s.suppress(address: "nobody@example.org", reason: .unsubscribed, detail: "one-click unsubscribe")
        try s.suppress(address: "d@example.org", reason: .bounce, detail: "550")
        #expect(try s.pendingHookEvents() == 3)
        _ = try s.fanOutHookEvents(to: [crm], limit: 10, now: now)
        let all = try hookEvents(s, channel: crm.channel).compactMap(\.1).suffix(3).map(\.data)
        #expect(all.allSatisfy { $0["list"] == JSON.null && $0["state"] == "unsubscribed" })
        #expect(all[0]["contact_id"]?.intValue == Int(ids[1]) && all[0]["email"] == "b@example.org")
        #expect(all[0]["source"] == "suppression:unsubscribed")
        #expect(all[1]["contact_id"]?.intValue == Int(phone) && all[1]["phone"] == "+4520000000")
        #expect(all[1]["email"] == "c@example.org" && all[1]["source"] == "suppression:stop")
        #expect(all[2]["contact_id"] == JSON.null && all[2]["email"] == "nobody@example.org")
        #expect(all[2]["phone"] == JSON.null)
    }

    public static func onlySubscribedTypesAreRecordedAndEachHookGetsItsOwn(_ s: any HookQueueStore) throws {
        try s.subscribeHooks(to: [.deliverySent])
        // Subscribing to the same set again writes nothing and changes nothing.
        try s.subscribeHooks(to: [.deliverySent])
        _ = try s.enqueue(
            Message(template: "welcome"),
            deliveries: ["x@example.org", "y@example.org"].map { NewDelivery(channel: "outbox", address: $0) },
            idempotency: nil)
        let c = try claimAll(s)
        try s.complete([result(c[0], .sent(providerID: nil)), result(c[1], .permanent("no"))], owner: "w", now: now)
        #expect(try s.pendingHookEvents() == 1)

        let a = try hook("a", [.deliverySent])
        let b = try hook("b", [.deliverySent, .deliveryFailed])
        let c2 = try hook("c", [.deliveryFailed])
        let out = try s.fanOutHookEvents(to: [a, b, c2], limit: 10, now: now)
        #expect(out.events == 1 && out.deliveries == [a.channel: 1, b.channel: 1])
        let toA = try hookEvents(s, channel: a.channel)
        let toB = try hookEvents(s, channel: b.channel)
        try #require(toA.count == 1 && toB.count == 1)
        // One message per event: the same id (webhook-id) for every hook.
        #expect(toA[0].0.messageID == toB[0].0.messageID && toA[0].1?.webhookID == toB[0].1?.webhookID)

        // A hook's own posts raise no event, whatever becomes of them.
        let posts = try s.claim(
            channels: [a.channel, b.channel], limit: 10, owner: "w", leaseMillis: 60_000, now: now)
        #expect(posts.count == 2)
        try s.complete(
            [result(posts[0], .sent(providerID: nil)), result(posts[1], .permanent("410"))], owner: "w", now: now)
        #expect(try s.pendingHookEvents() == 0)

        // An event no configured hook wants (hooks changed since it was recorded) leaves the outbox.
        _ = try s.retry(ids: [c[1].delivery.id], now: now)
        _ = try s.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "outbox", address: "z@example.org")],
            idempotency: nil)
        let more = try claimAll(s)
        try s.complete(more.map { result($0, .sent(providerID: nil)) }, owner: "w", now: now)
        #expect(try s.pendingHookEvents() == 2)
        let dropped = try s.fanOutHookEvents(to: [c2], limit: 10, now: now)
        #expect(dropped.events == 2 && dropped.deliveries.isEmpty)
        #expect(try s.pendingHookEvents() == 0)
        // Without subscriptions (no hook configured) nothing is recorded at all.
        try s.subscribeHooks(to: [])
        _ = try s.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "outbox", address: "w@example.org")],
            idempotency: nil)
        try s.complete(try claimAll(s).map { result($0, .sent(providerID: nil)) }, owner: "w", now: now)
        #expect(try s.pendingHookEvents() == 0)
    }

    public static func eraseForgetsTheEventsAboutAPerson(_ s: any HookQueueStore) throws {
        try s.subscribeHooks(to: Set(HookEventType.allCases))
        _ = try s.createList(name: "news", doubleOptIn: false)
        let ids = try contacts(s, ["gone@example.org", "stays@example.org"])
        try s.setMembership(
            list: "news", contactIDs: ids, state: .subscribed, consent: Consent(source: "cli"), by: .officer)
        let crm = try hook("crm", HookEventType.allCases)
        _ = try s.fanOutHookEvents(to: [crm], limit: 100, now: now)
        // One more, about an ad-hoc send to the same address, still in the outbox.
        _ = try s.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "outbox", address: "gone@example.org")],
            idempotency: nil)
        let adHoc = try s.claim(channels: ["outbox"], limit: 10, owner: "w", leaseMillis: 60_000, now: now)
        try s.complete(adHoc.map { result($0, .sent(providerID: nil)) }, owner: "w", now: now)
        #expect(try s.pendingHookEvents() == 1)

        _ = try s.eraseContact(id: ids[0])
        #expect(try s.pendingHookEvents() == 0)
        let queued = try hookEvents(s, channel: crm.channel)
        try #require(queued.count == 2)
        let gone = try #require(queued.first { $0.1 == nil })
        #expect(gone.0.state == .cancelled && gone.0.cancelReason == .erased)
        #expect(try s.message(id: gone.0.messageID)?.data == .object([:]))
        let stays = try #require(queued.first { $0.1 != nil })
        #expect(stays.0.state == .queued && stays.1?.data["email"] == "stays@example.org")
    }
}
