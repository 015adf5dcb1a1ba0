import Foundation
import Outreach
import Testing

/// A store of the protocols the queue's consent rules span: who is on which list, and what waits.
public typealias QueueingStore = ContactStore & ConsentStore & DeliveryQueue

/// A store with campaigns, and what they reach: people, their consent and the queue.
public typealias CampaignQueueStore = QueueingStore & CampaignStore

/// A store with events, and what they reach: people, their consent and the queue.
public typealias EventQueueStore = QueueingStore & EventStore

/// One promise of the store protocols, checked against a fresh empty store of type `S` (the
/// narrowest protocol composition the promise needs), so a backend that implements only some of
/// the protocols is held to every promise of those it does.
public struct StoreCheck<S>: Sendable, CustomStringConvertible {
    public let description: String
    public let run: @Sendable (S) throws -> Void

    public init(_ name: String, _ run: @escaping @Sendable (S) throws -> Void) {
        description = name
        self.run = run
    }
}

/// What every store must do, whatever holds the data: written against the protocols only. Both
/// test layers run it — the unit layer on SQLite (`StoreConformanceTests`), the end-to-end layer
/// on PostgreSQL in a throwaway cluster — each check on a fresh store.
public enum StoreConformance {
    /// `ContactStore` alone.
    public static let contacts: [StoreCheck<any ContactStore>] = [
        StoreCheck("upsertMatchesByEmailThenPhoneAndIsIdempotent", upsertMatchesByEmailThenPhoneAndIsIdempotent)
    ]
    /// `ConsentStore`, with `ContactStore` to make people.
    public static let consent: [StoreCheck<any ContactStore & ConsentStore>] =
        [
            StoreCheck("membershipRulesHoldForEveryAuthority", membershipRulesHoldForEveryAuthority),
            StoreCheck(
                "aSignUpIsOneDecisionAndNeverLiftsAnUnsubscribe", aSignUpIsOneDecisionAndNeverLiftsAnUnsubscribe),
            StoreCheck("formValuesWaitForThePersonsConfirmation", formValuesWaitForThePersonsConfirmation),
            StoreCheck("publicListsAndLoggedPreferences", publicListsAndLoggedPreferences),
        ] + suppressionStrength
    /// `DeliveryQueue` alone.
    public static let queue: [StoreCheck<any DeliveryQueue>] = [
        StoreCheck("idempotencyKeysReplayOrConflict", idempotencyKeysReplayOrConflict),
        StoreCheck("aLeaseIsExclusiveAndOnlyItsOwnerCompletes", aLeaseIsExclusiveAndOnlyItsOwnerCompletes),
        StoreCheck("anUnreachableEndpointGivesTheAttemptBack", anUnreachableEndpointGivesTheAttemptBack),
        StoreCheck("outcomesRetriesAndCancelsMoveTheStates", outcomesRetriesAndCancelsMoveTheStates),
        StoreCheck("aGroupCommitFailsARequestAlone", aGroupCommitFailsARequestAlone),
        StoreCheck("deferredAndReleasedLeasesGiveTheAttemptBack", deferredAndReleasedLeasesGiveTheAttemptBack),
        StoreCheck("pendingSplitsDueNowFromLater", pendingSplitsDueNowFromLater),
    ]
    /// Consent as the queue sees it: contacts, consent and the queue together.
    public static let consentAtTheQueue: [StoreCheck<any QueueingStore>] = [
        StoreCheck("aNoIsFinalAtTheChangeAndAtTheClaim", aNoIsFinalAtTheChangeAndAtTheClaim),
        StoreCheck("eraseCancelsAndForgetsAndKeepsTheNo", eraseCancelsAndForgetsAndKeepsTheNo),
        StoreCheck("bouncesSuppressAndReceiptsMoveTheState", bouncesSuppressAndReceiptsMoveTheState),
        StoreCheck("aListsTitleAndDataReachItsMessages", aListsTitleAndDataReachItsMessages),
        StoreCheck("aBatchCarriesItsContactsAndEachProviderID", aBatchCarriesItsContactsAndEachProviderID),
    ]

    /// Campaigns: their fan-out into the queue, their states, and the report's reads.
    public static let campaigns: [StoreCheck<any CampaignQueueStore>] = [
        StoreCheck("aCampaignFansOutOncePerMemberAndChannel", aCampaignFansOutOncePerMemberAndChannel),
        StoreCheck("aCampaignPausesResumesAndCancels", aCampaignPausesResumesAndCancels),
        StoreCheck(
            "aScheduledCampaignStartsAtItsTimeOrWaitsWhenLate", aScheduledCampaignStartsAtItsTimeOrWaitsWhenLate),
        StoreCheck("theReportReadsWhatWasSent", theReportReadsWhatWasSent),
        StoreCheck("aCampaignSelectsByItsSegmentAndFinishes", aCampaignSelectsByItsSegmentAndFinishes),
        StoreCheck("thePreviewCountsWhatTheFanOutQueues", thePreviewCountsWhatTheFanOutQueues),
        StoreCheck(
            "aCampaignWithATimeStartsByItselfAndOnlyADraftIsEdited",
            aCampaignWithATimeStartsByItselfAndOnlyADraftIsEdited),
    ]

    /// Events: invitations, reminders, updates, cancellations, members who join, the horizon.
    public static let events: [StoreCheck<any EventQueueStore>] = [
        StoreCheck("anEventQueuesUpdatesAndCancelsForItsList", anEventQueuesUpdatesAndCancelsForItsList),
        StoreCheck(
            "cancellingOneOccurrenceStoresTheExceptionAndQueuesItsCancellation",
            cancellingOneOccurrenceStoresTheExceptionAndQueuesItsCancellation),
        StoreCheck("anEventKeepsItsTitlesAndData", anEventKeepsItsTitlesAndData),
        StoreCheck("aNewerUpdateSupersedesWhatStillWaits", aNewerUpdateSupersedesWhatStillWaits),
        StoreCheck("anEventWritesToEachMemberOnceByTheirPreference", anEventWritesToEachMemberOnceByTheirPreference),
        // Issue 18.11, StoreConformance+Reminders.swift.
        StoreCheck("aReminderFansOutOnceToTheMembersOfItsMoment", aReminderFansOutOnceToTheMembersOfItsMoment),
        StoreCheck("twoCallersAtOnceFanOutAReminderOnce", twoCallersAtOnceFanOutAReminderOnce),
        StoreCheck("aChangeCancelsOnlyTheRemindersItRemoves", aChangeCancelsOnlyTheRemindersItRemoves),
    ]

    /// A little ahead of every enqueue of a check, so what was queued is due.
    static var now: Int64 { WallClock.nowMillis() + 1 }

    static func contacts(_ s: any ContactStore, _ emails: [String]) throws -> [Int64] {
        try s.upsertContacts(emails.map { Contact(email: $0, name: $0.uppercased()) }).ids
    }

    static func claimAll(_ s: any DeliveryQueue, owner: String = "w") throws -> [ClaimedDelivery] {
        try s.claim(channels: nil, limit: 1_000, owner: owner, leaseMillis: 60_000, now: WallClock.nowMillis() + 1)
    }

    public static func upsertMatchesByEmailThenPhoneAndIsIdempotent(_ s: any ContactStore) throws {
        let first = try s.upsertContacts([Contact(email: "a@example.org", phone: "+4511111111", name: "A")])
        #expect(first.inserted == 1)
        let again = try s.upsertContacts([Contact(email: "a@example.org", phone: "+4511111111", name: "A")])
        #expect(again.unchanged == 1 && again.inserted == 0)
        let byPhone = try s.upsertContacts([Contact(phone: "+4511111111", name: "A B")])
        #expect(byPhone.updated == 1)
        #expect(try s.contact(matching: "A@Example.org")?.name == "A B")
        #expect(try s.contact(matching: "+4511111111")?.email == "a@example.org")
    }

    public static func idempotencyKeysReplayOrConflict(_ s: any DeliveryQueue) throws {
        let key = IdempotencyKey(key: "k1", requestHash: Crypto.sha256(Array("body".utf8)))
        let d = [NewDelivery(channel: "outbox", address: "a@example.org")]
        let a = try s.enqueue(Message(template: "welcome"), deliveries: d, idempotency: key)
        let b = try s.enqueue(Message(template: "welcome"), deliveries: d, idempotency: key)
        #expect(!a.replayed && b.replayed && a.messageID == b.messageID && a.deliveryIDs == b.deliveryIDs)
        #expect(throws: StoreError.idempotencyConflict(key: "k1")) {
            try s.enqueue(
                Message(template: "welcome"), deliveries: d,
                idempotency: IdempotencyKey(key: "k1", requestHash: Crypto.sha256(Array("other".utf8))))
        }
        #expect(try s.queueCounts(messageID: nil)[.queued] == 1)
        // The message is read back by its id (queue list names its campaign or event with it).
        let stored = try #require(try s.message(id: a.messageID))
        #expect(stored.template == "welcome" && stored.kind == .transactional)
        #expect(try s.message(id: a.messageID + 1000) == nil)
    }

    public static func aLeaseIsExclusiveAndOnlyItsOwnerCompletes(_ s: any DeliveryQueue) throws {
        _ = try s.enqueue(
            Message(template: "welcome"),
            deliveries: (0..<5).map { NewDelivery(channel: "outbox", address: "p\($0)@example.org") },
            idempotency: nil)
        let t = now
        let a = try s.claim(channels: ["outbox"], limit: 3, owner: "a", leaseMillis: 1_000, now: t)
        let b = try s.claim(channels: ["outbox"], limit: 3, owner: "b", leaseMillis: 1_000, now: t)
        #expect(a.count == 3 && b.count == 2)
        #expect(Set(a.map(\.delivery.id)).isDisjoint(with: b.map(\.delivery.id)))
        // After the lease expires another owner takes over; the first can no longer complete.
        let c = try s.claim(channels: nil, limit: 10, owner: "c", leaseMillis: 60_000, now: t + 1_001)
        #expect(c.count == 5)
        try s.complete(
            a.map {
                DeliveryResult(
                    id: $0.delivery.id, outcome: .sent(providerID: nil), retryAt: nil, address: $0.delivery.address)
            },
            owner: "a", now: t + 1_002)
        #expect(try s.queueCounts(messageID: nil)[.sending] == 5)
        try s.release(ids: c.map(\.delivery.id), owner: "c")
        #expect(try s.queueCounts(messageID: nil)[.sending] == nil)
    }

    public static func anUnreachableEndpointGivesTheAttemptBack(_ s: any DeliveryQueue) throws {
        _ = try s.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "outbox", address: "a@example.org")],
            idempotency: nil)
        let c = try claimAll(s)
        let t = now
        try s.complete(
            [
                DeliveryResult(
                    id: c[0].delivery.id, outcome: .unreachable("refused"), retryAt: t + 1_000,
                    address: "a@example.org")
            ], owner: "w", now: t)
        let d = try #require(try s.delivery(id: c[0].delivery.id))
        #expect(d.state == .queued && d.attempts == 0 && d.nextAttemptAt == t + 1_000)
        try s.setChannelOutage(
            "outbox", ChannelAvailability.Outage(since: t, lastError: "refused", failures: 1, nextProbeAt: t + 1_000))
        #expect(try s.channelOutages()["outbox"]?.lastError == "refused")
        try s.setChannelOutage("outbox", nil)
        #expect(try s.channelOutages().isEmpty)
    }

    /// Issue 15: the claim re-checks consent; an unsubscribe and a suppression cancel at once.
    public static func aNoIsFinalAtTheChangeAndAtTheClaim(_ s: any QueueingStore) throws {
        _ = try s.createList(name: "news", doubleOptIn: false)
        let ids = try contacts(s, ["a@example.org", "b@example.org", "c@example.org"])
        try s.setMembership(
            list: "news", contactIDs: ids, state: .subscribed, consent: Consent(source: "test"), by: .officer)
        let list = Message(template: "newsletter", kind: .list, listName: "news")
        _ = try s.enqueue(
            list,
            deliveries: zip(ids, ["a@example.org", "b@example.org", "c@example.org"]).map {
                NewDelivery(channel: "outbox", address: $0.1, contactID: $0.0)
            }, idempotency: nil)
        let transactional = try s.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "outbox", address: "b@example.org")],
            idempotency: nil)
        let left = try s.setMembership(
            list: "news", contactIDs: [ids[0]], state: .unsubscribed, consent: Consent(source: "test"), by: .person)
        #expect(left.cancelledDeliveries == 1)
        try s.suppress(address: "B@example.org", reason: .complaint, detail: nil)
        #expect(try s.queueCounts(messageID: transactional.messageID)[.cancelled] == 1)
        let claimed = try claimAll(s)
        #expect(claimed.map(\.delivery.address) == ["c@example.org"])
        let reasons = try s.cancelReasons(messageID: nil)
        #expect(reasons[.unsubscribed] == 1 && reasons[.suppressed] == 2, "\(reasons)")
    }

    public static func membershipRulesHoldForEveryAuthority(_ s: any ContactStore & ConsentStore) throws {
        _ = try s.createList(name: "news", doubleOptIn: false)
        let id = try contacts(s, ["a@example.org"])[0]
        try s.setMembership(
            list: "news", contactIDs: [id], state: .subscribed, consent: Consent(source: "t"), by: .officer)
        try s.setMembership(
            list: "news", contactIDs: [id], state: .unsubscribed, consent: Consent(source: "t"), by: .person)
        #expect(
            try s.setMembership(
                list: "news", contactIDs: [id], state: .subscribed, consent: Consent(source: "i"), by: .importer
            )
            .keptUnsubscribed == [id])
        #expect(throws: StoreError.self) {
            try s.setMembership(
                list: "news", contactIDs: [id], state: .subscribed, consent: Consent(source: "t"), by: .officer)
        }
        // A confirmation link issued before the unsubscribe changes nothing; one issued after it does.
        let stale = try s.setMembership(
            list: "news", contactIDs: [id], state: .subscribed, consent: Consent(source: "c"),
            by: .personConfirmed(issuedAt: now - 86_400_000))
        #expect(stale.changed.isEmpty)
        let fresh = try s.setMembership(
            list: "news", contactIDs: [id], state: .subscribed, consent: Consent(source: "c"),
            by: .personConfirmed(issuedAt: WallClock.nowMillis() + 1_000))
        #expect(fresh.changed == [id])
        #expect(try s.memberships(contactID: id).first?.state == .subscribed)
    }

    public static func aSignUpIsOneDecisionAndNeverLiftsAnUnsubscribe(_ s: any ContactStore & ConsentStore) throws {
        _ = try s.createList(name: "news", doubleOptIn: false)
        func signUp(_ email: String) throws -> SignUpOutcome {
            try s.signUp(
                SignUpRequest(
                    contact: Contact(email: email), list: "news", consent: Consent(source: "form"),
                    confirmation: (
                        Message(template: "confirm", listName: "news"), NewDelivery(channel: "outbox", address: email)
                    )))
        }
        guard case .subscribed(let id) = try signUp("a@example.org") else { Issue.record("not subscribed"); return }
        guard case .alreadySubscribed = try signUp("a@example.org") else {
            Issue.record("not already subscribed"); return
        }
        try s.setMembership(
            list: "news", contactIDs: [id], state: .unsubscribed, consent: Consent(source: "t"), by: .person)
        guard case .confirmationQueued(_, let deliveries) = try signUp("a@example.org") else {
            Issue.record("no confirmation"); return
        }
        #expect(deliveries.count == 1)
        #expect(try s.memberships(contactID: id).first?.state == .unsubscribed)
        #expect(throws: StoreError.unknownList("nope")) {
            try s.signUp(
                SignUpRequest(
                    contact: Contact(email: "x@example.org"), list: "nope", consent: Consent(source: "f"),
                    confirmation: nil))
        }
    }

    public static func eraseCancelsAndForgetsAndKeepsTheNo(_ s: any QueueingStore) throws {
        let id = try contacts(s, ["gone@example.org"])[0]
        _ = try s.enqueue(
            Message(template: "welcome"),
            deliveries: [NewDelivery(channel: "outbox", address: "gone@example.org", contactID: id)],
            idempotency: nil)
        _ = try s.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "outbox", address: "gone@example.org")],
            idempotency: nil)
        let copies = try s.eraseContact(id: id)
        #expect(copies.count == 2)
        #expect(try s.contact(matching: "gone@example.org") == nil)
        #expect(try s.queueCounts(messageID: nil)[.cancelled] == 2)
        #expect(try s.deliveries(state: nil, messageID: nil, limit: 10).allSatisfy { !$0.address.contains("gone") })
        #expect(try s.suppression(for: "gone@example.org") == .erased)
    }

    static func result(_ c: ClaimedDelivery, _ outcome: DeliveryOutcome, retryAt: Int64? = nil) -> DeliveryResult {
        DeliveryResult(id: c.delivery.id, outcome: outcome, retryAt: retryAt, address: c.delivery.address)
    }

    public static func outcomesRetriesAndCancelsMoveTheStates(_ s: any DeliveryQueue) throws {
        let m = try s.enqueue(
            Message(template: "welcome"),
            deliveries: (0..<4).map { NewDelivery(channel: "outbox", address: "p\($0)@example.org") }, idempotency: nil)
        let c = try claimAll(s)
        #expect(c.count == 4 && c.allSatisfy { $0.delivery.attempts == 1 && $0.message.template == "welcome" })
        let t = now
        try s.complete(
            [
                result(c[0], .sent(providerID: "p-0")), result(c[1], .transient("busy"), retryAt: t + 60_000),
                result(c[2], .transient("gave up")), result(c[3], .permanent("no such user")),
            ], owner: "w", now: t)
        #expect(try s.queueCounts(messageID: m.messageID) == [.sent: 1, .failed: 1, .dead: 2])
        let failed = try #require(try s.delivery(id: c[1].delivery.id))
        #expect(failed.state == .failed && failed.nextAttemptAt == t + 60_000 && failed.lastError == "busy")
        #expect(try s.delivery(id: c[0].delivery.id)?.sentAt == t)
        #expect(try s.nextDue(channel: "outbox") == t + 60_000)
        #expect(try s.nextDue(channel: "elsewhere") == nil)
        #expect(try s.deliveries(state: .dead, messageID: nil, limit: 10).map(\.id) == [c[2], c[3]].map(\.delivery.id))
        #expect(try s.retry(ids: [c[2].delivery.id], now: t) == 1)
        #expect(try s.retry(ids: nil, now: t) == 2)
        #expect(try s.cancel(ids: [c[0].delivery.id, c[1].delivery.id]) == 1)
        #expect(try s.queueCounts(messageID: nil) == [.sent: 1, .queued: 2, .cancelled: 1])
        #expect(try s.cancelReasons(messageID: m.messageID) == [.manual: 1])
    }

    public static func aGroupCommitFailsARequestAlone(_ s: any DeliveryQueue) throws {
        let key = IdempotencyKey(key: "k", requestHash: Crypto.sha256(Array("one".utf8)))
        let other = IdempotencyKey(key: "k", requestHash: Crypto.sha256(Array("two".utf8)))
        let one = [NewDelivery(channel: "outbox", address: "a@example.org")]
        let results = try s.enqueueBatch([
            EnqueueRequest(message: Message(template: "welcome"), deliveries: one, idempotency: key),
            EnqueueRequest(message: Message(template: "welcome"), deliveries: one, idempotency: other),
            EnqueueRequest(message: Message(template: "welcome"), deliveries: one, idempotency: nil),
        ])
        #expect(results.map { (try? $0.get()) != nil } == [true, false, true])
        // A request that breaks the transaction (deliveries of a message that does not exist)
        // fails alone too, by the savepoint path.
        let before = s.slowPathBatches
        let broken = try s.enqueueBatchUnsynced([
            EnqueueRequest(message: Message(template: "welcome"), deliveries: one, idempotency: nil),
            EnqueueRequest(message: Message(id: 9_999_999, template: "welcome"), deliveries: one, idempotency: nil),
        ])
        try s.syncCommitted()
        #expect(broken.map { (try? $0.get()) != nil } == [true, false])
        #expect(s.slowPathBatches == before + 1)
        #expect(try s.queueCounts(messageID: nil)[.queued] == 3)
    }

    public static func deferredAndReleasedLeasesGiveTheAttemptBack(_ s: any DeliveryQueue) throws {
        _ = try s.enqueue(
            Message(template: "welcome"),
            deliveries: (0..<3).map { NewDelivery(channel: "outbox", address: "p\($0)@example.org") }, idempotency: nil)
        let c = try claimAll(s, owner: "a")
        let t = now
        try s.reschedule([(id: c[0].delivery.id, at: t + 3_600_000)], owner: "b", note: "deferred by quiet hours")
        #expect(try s.delivery(id: c[0].delivery.id)?.state == .sending)
        try s.reschedule([(id: c[0].delivery.id, at: t + 3_600_000)], owner: "a", note: "deferred by quiet hours")
        let deferred = try #require(try s.delivery(id: c[0].delivery.id))
        #expect(deferred.state == .queued && deferred.attempts == 0 && deferred.nextAttemptAt == t + 3_600_000)
        #expect(deferred.lastError == "deferred by quiet hours")
        #expect(try s.releaseAll(owner: "b") == 0)
        #expect(try s.releaseAll(owner: "a") == 2)
        #expect(try s.queueCounts(messageID: nil) == [.queued: 3])
        let again = try claimAll(s, owner: "c")
        #expect(again.count == 2 && again.allSatisfy { $0.delivery.attempts == 1 })
        #expect(try s.expireLeasesOfStoppedProcesses(now: t) == 0)
    }

    /// A bounce suppresses the address only while the lease is still ours; a receipt moves a
    /// delivery that was sent.
    public static func bouncesSuppressAndReceiptsMoveTheState(_ s: any QueueingStore) throws {
        _ = try s.enqueue(
            Message(template: "welcome"),
            deliveries: (0..<3).map { NewDelivery(channel: "sms", address: "+4512345\($0)00") }, idempotency: nil)
        let c = try claimAll(s)
        try s.complete([result(c[0], .permanent("unknown user", suppress: true))], owner: "someone else", now: now)
        #expect(try s.suppression(for: "+4512345000") == nil)
        try s.complete(
            [
                result(c[0], .permanent("unknown user", suppress: true)), result(c[1], .sent(providerID: "gw-1")),
                result(c[2], .sent(providerID: "gw-2")),
            ], owner: "w", now: now)
        #expect(try s.suppression(for: "+4512345000") == .bounce)
        #expect(
            try s.recordReceipt(Receipt(providerID: "gw-1", state: .delivered), channel: "sms", now: now)
                == c[1].delivery.id)
        #expect(try s.recordReceipt(Receipt(providerID: "gw-1", state: .delivered), channel: "other", now: now) == nil)
        let failed = Receipt(deliveryID: c[2].delivery.id, state: .failed, reason: "absent", suppress: true)
        #expect(try s.recordReceipt(failed, channel: "sms", now: now) == c[2].delivery.id)
        #expect(try s.delivery(id: c[1].delivery.id)?.state == .delivered)
        #expect(try s.delivery(id: c[2].delivery.id)?.state == .bounced)
        #expect(try s.suppression(for: "+4512345200") == .bounce)
    }

    /// A list "news" of four: a (email, phone, gold, chat id), b (email, gold), c (phone only,
    /// gold), d (email, suppressed, gold), e (email, silver). Returns their ids.
    static func newsList(_ s: any QueueingStore) throws -> [Int64] {
        _ = try s.createList(name: "news", doubleOptIn: false)
        let ids = try s.upsertContacts([
            Contact(
                email: "a@example.org", phone: "+4511111111", locale: "da", attributes: ["tier": "gold", "chat": "a1"]),
            Contact(email: "b@example.org", locale: "en", attributes: ["tier": "gold"]),
            Contact(phone: "+4522222222", attributes: ["tier": "gold"]),
            Contact(email: "d@example.org", attributes: ["tier": "gold"]),
            Contact(email: "e@example.org", attributes: ["tier": "silver"]),
        ]).ids
        try s.setMembership(
            list: "news", contactIDs: ids, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        try s.suppress(address: "d@example.org", reason: .complaint, detail: nil)
        return ids
    }

    static let newsChannels = [
        CampaignChannel(name: "mail", address: .email), CampaignChannel(name: "sms", address: .phone),
        CampaignChannel(name: "chat", address: .attribute, attribute: "chat"),
        CampaignChannel(name: "board", address: .room),
    ]

    public static func aCampaignFansOutOncePerMemberAndChannel(_ s: any CampaignQueueStore) throws {
        _ = try newsList(s)
        let c = try s.createCampaign(
            Campaign(name: "spring", list: "news", channels: newsChannels, segment: try Segment.parse(["tier=gold"])),
            message: Message(template: "newsletter"))
        #expect(c.id != nil && c.messageID != nil && c.state == .draft)
        #expect(throws: CampaignError.exists("spring")) {
            try s.createCampaign(Campaign(name: "spring", list: "news", channels: []), message: Message(template: "x"))
        }
        #expect(throws: StoreError.unknownList("nope")) {
            try s.createCampaign(Campaign(name: "other", list: "nope", channels: []), message: Message(template: "x"))
        }
        let t = now
        let out = try s.fanOut(campaign: "spring", now: t)
        // mail: a, b, d (suppressed); sms: a, c; chat: a; board: one. No address: c (mail), b and d
        // (sms), b, c and d (chat).
        #expect(out.queued == 6 && out.suppressed == 1 && out.noAddress == 6, "\(out)")
        // Again: nothing new, and it says so (it said queued -1: every suppressed delivery of the
        // message subtracted from the rows this run inserted).
        let again = try s.fanOut(campaign: "spring", now: t)
        #expect(again.queued == 0 && again.suppressed == 0, "\(again)")
        #expect(try s.queueCounts(messageID: c.messageID) == [.queued: 6, .suppressed: 1])
        #expect(try s.campaign(named: "spring")?.state == .running)
        let queued = try s.deliveries(state: .queued, messageID: c.messageID, limit: 10)
        #expect(
            Set(queued.map(\.address)) == [
                "a@example.org", "b@example.org", "+4511111111", "+4522222222", "a1", "room",
            ])
        #expect(queued.filter { $0.channel == "chat" }.first?.contactID != nil)
        let claimed = try claimAll(s)
        #expect(claimed.count == 6 && claimed.allSatisfy { $0.message.kind == .list && $0.message.listName == "news" })
        #expect(try s.campaigns().map(\.name) == ["spring"])
        #expect(throws: CampaignError.unknown("autumn")) { try s.fanOut(campaign: "autumn", now: t) }
    }

    public static func aCampaignPausesResumesAndCancels(_ s: any CampaignQueueStore) throws {
        _ = try newsList(s)
        let c = try s.createCampaign(
            Campaign(name: "spring", list: "news", channels: [newsChannels[0]]), message: Message(template: "n"))
        let t = now
        _ = try s.fanOut(campaign: "spring", now: t)
        try s.setCampaignState("spring", to: .paused, now: t)
        #expect(try s.campaign(named: "spring")?.state == .paused)
        #expect(try claimAll(s).isEmpty)
        #expect(try s.cancelReasons(messageID: c.messageID) == [.paused: 3])
        try s.setCampaignState("spring", to: .running, now: t + 1_000)
        #expect(try s.queueCounts(messageID: c.messageID)[.queued] == 3)
        #expect(
            try s.deliveries(state: .queued, messageID: c.messageID, limit: 10).allSatisfy {
                $0.nextAttemptAt! >= t + 1_000
            })
        let one = try s.claim(channels: nil, limit: 1, owner: "w", leaseMillis: 60_000, now: t + 1_001)
        #expect(one.count == 1)
        try s.setCampaignState("spring", to: .paused, now: t + 1_002)
        try s.setCampaignState("spring", to: .cancelled, now: t + 1_003)
        #expect(try s.cancelReasons(messageID: c.messageID) == [.campaignCancelled: 2])
        #expect(try s.queueCounts(messageID: c.messageID)[.sending] == 1)
        #expect(throws: CampaignError.cancelled("spring")) { try s.fanOut(campaign: "spring", now: t + 1_004) }
        #expect(throws: CampaignError.unknown("nope")) { try s.setCampaignState("nope", to: .paused, now: t) }
        // The one in flight is refused at its next claim: the campaign is cancelled.
        let later = try s.claim(channels: nil, limit: 10, owner: "x", leaseMillis: 60_000, now: t + 120_000)
        #expect(later.isEmpty)
        #expect(try s.cancelReasons(messageID: c.messageID) == [.campaignCancelled: 3])
    }

    public static func aScheduledCampaignStartsAtItsTimeOrWaitsWhenLate(_ s: any CampaignQueueStore) throws {
        _ = try newsList(s)
        let t = now
        let hour: Int64 = 3_600_000
        let soon = try s.createCampaign(
            Campaign(name: "soon", list: "news", channels: [newsChannels[0]], sendAt: t + hour),
            message: Message(template: "n"))
        _ = try s.fanOut(campaign: "soon", now: t)
        #expect(try s.campaign(named: "soon")?.state == .scheduled)
        #expect(try s.claim(channels: nil, limit: 10, owner: "w", leaseMillis: 1_000, now: t + hour - 1).isEmpty)
        #expect(try s.claim(channels: nil, limit: 10, owner: "w", leaseMillis: 10 * hour, now: t + hour).count == 3)
        #expect(try s.campaign(named: "soon")?.state == .running)
        let late = try s.createCampaign(
            Campaign(name: "late", list: "news", channels: [newsChannels[0]], sendAt: t + 2 * hour),
            message: Message(template: "n"))
        _ = try s.fanOut(campaign: "late", now: t)
        #expect(try s.claim(channels: nil, limit: 10, owner: "w", leaseMillis: 1_000, now: t + 4 * hour).isEmpty)
        let paused = try #require(try s.campaign(named: "late"))
        #expect(paused.state == .paused && paused.missedItsTime)
        #expect(try s.cancelReasons(messageID: late.messageID) == [.paused: 3])
        #expect(soon.messageID != late.messageID)
    }

    public static func theReportReadsWhatWasSent(_ s: any CampaignQueueStore) throws {
        _ = try newsList(s)
        #expect(try s.audienceLocales(list: "news") == ["da", "en"])
        #expect(try s.audienceLocales(list: "nope").isEmpty)
        let c = try s.createCampaign(
            Campaign(name: "spring", list: "news", channels: [newsChannels[0]]), message: Message(template: "n"))
        let t = now
        _ = try s.fanOut(campaign: "spring", now: t)
        #expect(try s.sendSpan(messageID: c.messageID!) == nil)
        #expect(try s.sendTimeline(messageID: c.messageID!, bucketMillis: 1_000).isEmpty)
        let claimed = try claimAll(s)
        let base = (t / 60_000 + 1) * 60_000
        try s.complete([result(claimed[0], .sent(providerID: nil))], owner: "w", now: base + 10)
        try s.complete(
            [result(claimed[1], .sent(providerID: nil)), result(claimed[2], .permanent("mailbox full"))], owner: "w",
            now: base + 61_000)
        let span = try #require(try s.sendSpan(messageID: c.messageID!))
        #expect(span.first == base + 10 && span.last == base + 61_000)
        let timeline = try s.sendTimeline(messageID: c.messageID!, bucketMillis: 60_000)
        #expect(timeline.map(\.start) == [base, base + 60_000] && timeline.map(\.count) == [1, 1])
        let reasons = try s.failureReasons(messageID: c.messageID!)
        #expect(
            reasons.map(\.count) == [1, 1] && Set(reasons.map(\.reason)) == ["mailbox full", "suppressed: complaint"])
    }

    static func clubEvent(_ name: String, rrule: String) throws -> Event {
        let schedule = try EventSchedule(
            start: "2030-01-07 18:00", timeZone: "Europe/Copenhagen", duration: "2h", rrule: rrule, reminders: ["-1d"])
        return Event(
            name: name, title: name, list: "club", channels: [CampaignChannel(name: "o", address: .email)],
            schedule: schedule, location: nil, uid: "evt-\(name)@example.org")
    }

    static func club(_ s: any QueueingStore, _ emails: [String]) throws -> [Int64] {
        _ = try s.createList(name: "club", doubleOptIn: false)
        let ids = try contacts(s, emails)
        try s.setMembership(
            list: "club", contactIDs: ids, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        return ids
    }

    static func counted(_ s: any DeliveryQueue, _ messages: [Int64]) throws -> [DeliveryState: Int] {
        var out: [DeliveryState: Int] = [:]
        for m in messages { out.merge(try s.queueCounts(messageID: m)) { $0 + $1 } }
        return out
    }

    public static func anEventQueuesUpdatesAndCancelsForItsList(_ s: any EventQueueStore) throws {
        _ = try club(s, ["ana@example.org", "bo@example.org"])
        let now0 = WallClock.parseRFC3339("2030-01-01T00:00:00Z")!
        let (e, made) = try s.createEvent(try clubEvent("meet", rrule: "FREQ=WEEKLY;COUNT=3"), now: now0)
        #expect(e.id != nil && e.sequence == 0 && e.state == .active)
        // Nothing of the reminders is queued ahead: they are scheduled, and fan out when due.
        #expect(made.invitation.queued == 2 && made.scheduledReminders == 3)
        #expect(made.nextReminderAt == WallClock.parseRFC3339("2030-01-06T17:00:00Z"))
        #expect(try s.queueCounts(messageID: nil) == [.queued: 2])
        let exists = #expect(throws: EventStoreError.self) {
            try s.createEvent(try clubEvent("meet", rrule: "FREQ=DAILY"), now: now0)
        }
        #expect({ if case .exists? = exists { true } else { false } }())
        #expect(throws: StoreError.unknownList("nope")) {
            var other = try clubEvent("other", rrule: "FREQ=DAILY;COUNT=1")
            other.list = "nope"
            _ = try s.createEvent(other, now: now0)
        }
        var moved = e
        moved.location = "Room 2"
        let (updated, changed) = try s.updateEvent(moved, now: now0)
        #expect(updated.sequence == 1 && changed.cancelledReminders == 0 && changed.scheduledReminders == 3)
        let stale = #expect(throws: EventStoreError.self) { try s.updateEvent(moved, now: now0) }
        #expect({ if case .changed? = stale { true } else { false } }())
        // Someone who joins now gets the current invitation (the reminders reach them when due); leaving
        // cancels it.
        let carl = try contacts(s, ["carl@example.org"])
        try s.setMembership(
            list: "club", contactIDs: carl, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        #expect(try counted(s, [updated.invitationMessageID!]) == [.queued: 3])
        let left = try s.setMembership(
            list: "club", contactIDs: carl, state: .unsubscribed, consent: Consent(source: "t"), by: .person)
        #expect(left.cancelledDeliveries == 1)
        let (cancelled, gone) = try s.cancelEvent(named: "meet", now: now0)
        #expect(cancelled.state == .cancelled && cancelled.sequence == 2)
        // The invitations still waiting are cancelled with it: nobody gets both.
        #expect(gone.cancelledReminders == 0 && gone.cancelledNotices == 2 && gone.invitation.queued == 2)
        #expect(try counted(s, [updated.invitationMessageID!])[.queued] == nil)
        let again = #expect(throws: EventStoreError.self) { try s.cancelEvent(named: "meet", now: now0) }
        #expect({ if case .cancelled? = again { true } else { false } }())
        #expect(try s.events().map(\.name) == ["meet"])
    }

    /// Issue 18.5: one occurrence cancelled in one transaction: the exception stored, SEQUENCE + 1, a
    /// cancellation to each member, the reminders of the occurrences left queued again; a copy read
    /// before that is refused.
    public static func cancellingOneOccurrenceStoresTheExceptionAndQueuesItsCancellation(_ s: any EventQueueStore)
        throws
    {
        _ = try s.createList(name: "club", doubleOptIn: false)
        try s.setMembership(
            list: "club", contactIDs: try contacts(s, ["a@example.org", "b@example.org"]), state: .subscribed,
            consent: Consent(source: "test", evidence: nil), by: .officer)
        let schedule = try EventSchedule(
            start: "2031-03-06 18:00", timeZone: "Europe/Copenhagen", duration: "2h", rrule: "FREQ=WEEKLY;COUNT=4",
            reminders: ["-1d"])
        let event = Event(
            name: "dinner", title: "Dinner", list: "club", channels: [CampaignChannel(name: "outbox", address: .email)],
            schedule: schedule, location: nil, uid: "evt-1@example.org")
        let now = WallClock.nowMillis()
        let (created, first) = try s.createEvent(event, now: now)
        #expect(first.scheduledReminders == 4)
        var changed = created
        let third = try LocalDateTime(parsing: "2031-03-20 18:00")
        changed.schedule = try created.schedule.cancelling(third, now: Date(), event: "dinner")
        let (stored, q) = try s.cancelOccurrence(changed, occurrence: third, templates: EventTemplates(), now: now)
        #expect(stored.sequence == 1 && stored.state == .active)
        #expect(q.invitation.queued == 2 && q.cancelledReminders == 0 && q.scheduledReminders == 3, "\(q)")
        let read = try #require(try s.event(named: "dinner"))
        #expect(read.schedule.exceptions == [third] && read.sequence == 1)
        #expect(read.invitationMessageID != nil && read.invitationMessageID != created.invitationMessageID)
        #expect(throws: EventStoreError.self) {
            try s.cancelOccurrence(changed, occurrence: third, templates: EventTemplates(), now: now)
        }
        #expect(try s.event(named: "dinner")?.sequence == 1)
    }

    /// Issue 19.2 and 19.4: a campaign's segment follows the documented rules (the same key is OR,
    /// keys are AND, `!=` excludes, country and locale ignore case); a start that reaches nobody
    /// is refused and leaves a draft; a campaign with nothing pending reads as finished.
    public static func aCampaignSelectsByItsSegmentAndFinishes(_ s: any CampaignQueueStore) throws {
        _ = try s.createList(name: "news", doubleOptIn: false)
        _ = try s.createList(name: "staff", doubleOptIn: false)
        let ids = try s.upsertContacts([
            Contact(email: "a@example.org", locale: "de", attributes: ["country": "DE", "role": "mentor"]),
            Contact(email: "b@example.org", locale: "de-AT", attributes: ["country": "de"]),
            Contact(email: "c@example.org", locale: "sv", attributes: ["country": "SE", "role": "mentor"]),
            Contact(email: "d@example.org", attributes: ["role": "mentee"]),
        ]).ids
        try s.setMembership(
            list: "news", contactIDs: ids, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        try s.setMembership(
            list: "staff", contactIDs: [ids[3]], state: .subscribed, consent: Consent(source: "t"), by: .officer)
        #expect(try s.attributeKeys() == ["country", "role"])
        func reach(_ name: String, _ clauses: [String]) throws -> [String] {
            let c = try s.createCampaign(
                Campaign(
                    name: name, list: "news", channels: [CampaignChannel(name: "outbox", address: .email)],
                    segment: try Segment.parse(clauses)),
                message: Message(template: "newsletter"))
            #expect(try s.campaign(named: name)?.segment == (try Segment.parse(clauses)))
            _ = try s.fanOut(campaign: name, now: now)
            return try s.deliveries(state: nil, messageID: c.messageID, limit: 100).map(\.address).sorted()
        }
        #expect(try reach("or", ["country=DE", "country=se"]) == ["a@example.org", "b@example.org", "c@example.org"])
        #expect(try reach("and", ["country=de", "role=mentor"]) == ["a@example.org"])
        #expect(try reach("not", ["country!=DE", "list!=staff"]) == ["c@example.org"])
        #expect(try reach("language", ["locale=DE"]) == ["a@example.org", "b@example.org"])
        #expect(try reach("staff", ["list=staff"]) == ["d@example.org"])
        do {
            _ = try reach("nobody", ["role=chair"])
            Issue.record("a campaign reaching nobody was started")
        } catch let CampaignError.reachesNobody(_, _, _, _, reach) {
            #expect(reach == CampaignReach(members: 4, matching: 0))
        }
        #expect(try s.campaign(named: "nobody")?.state == .draft)
        #expect(try s.campaign(named: "and")?.state == .running)
        let claimed = try claimAll(s)
        try s.complete(
            claimed.map {
                DeliveryResult(
                    id: $0.delivery.id, outcome: .sent(providerID: nil), retryAt: nil, address: $0.delivery.address)
            }, owner: "w", now: now)
        #expect(try s.campaign(named: "and")?.state == .finished)
        #expect(try s.campaigns().filter { $0.state == .finished }.count == 5)
        #expect(throws: CampaignError.finished("and")) { try s.setCampaignState("and", to: .paused, now: now) }
    }

    /// Issue 19.1: the preview's audience is the fan-out's own rule: per channel who is reached (by
    /// language), suppressed (by reason) and without an address, and the list's members who left or
    /// have not confirmed; a start then queues exactly what it counted.
    public static func thePreviewCountsWhatTheFanOutQueues(_ s: any CampaignQueueStore) throws {
        let ids = try newsList(s)
        let more = try contacts(s, ["left@example.org", "unsure@example.org"])
        try s.setMembership(
            list: "news", contactIDs: more, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        try s.setMembership(
            list: "news", contactIDs: [more[0]], state: .unsubscribed, consent: Consent(source: "t"), by: .person)
        _ = try s.createCampaign(
            Campaign(name: "spring", list: "news", channels: newsChannels, segment: try Segment.parse(["tier=gold"])),
            message: Message(template: "newsletter"))
        let a = try s.audience(campaign: "spring")
        #expect(a.members == 6 && a.selected == 4 && a.unsubscribed == 1 && a.pending == 0, "\(a)")
        let mail = a.channels[0]
        #expect(
            mail.locales == [
                CampaignAudience.LocaleCount(locale: "da", count: 1, firstContactID: ids[0]),
                CampaignAudience.LocaleCount(locale: "en", count: 1, firstContactID: ids[1]),
            ], "\(mail)")
        #expect(mail.recipients == 2 && mail.suppressed == ["complaint": 1] && mail.noAddress == 1, "\(mail)")
        #expect(a.channels[1].recipients == 2 && a.channels[1].noAddress == 2, "\(a.channels[1])")
        #expect(a.channels[2].recipients == 1 && a.channels[2].noAddress == 3, "\(a.channels[2])")
        #expect(a.channels[3].recipients == 1, "a room gets one post")
        #expect(throws: CampaignError.unknown("autumn")) { try s.audience(campaign: "autumn") }
        let out = try s.fanOut(campaign: "spring", now: now)
        #expect(out == a.fanOut, "preview \(a.fanOut), start \(out)")
        // Counting writes nothing, and reads the same after the start.
        #expect(try s.audience(campaign: "spring") == a)
    }

    /// Issue 19.4: a campaign created with a time starts by itself at the first claim after it,
    /// with the list as it is then; one that then reaches nobody is a draft again; one found far
    /// past its time waits, and `resume` fans it out. A campaign nothing was queued for can be
    /// changed and deleted; a started one cannot.
    public static func aCampaignWithATimeStartsByItselfAndOnlyADraftIsEdited(_ s: any CampaignQueueStore) throws {
        _ = try newsList(s)
        let t = now
        let hour: Int64 = 3_600_000
        func scheduled(_ name: String, at: Int64, _ clauses: [String] = []) throws -> Campaign {
            var c = Campaign(
                name: name, list: "news", channels: [newsChannels[0]], segment: try Segment.parse(clauses), sendAt: at)
            c.state = .scheduled
            return try s.createCampaign(c, message: Message(template: "n"))
        }
        let soon = try scheduled("soon", at: t + hour)
        #expect(soon.state == .scheduled)
        #expect(try s.campaign(named: "soon")?.state == .scheduled)
        #expect(try s.claim(channels: nil, limit: 10, owner: "w", leaseMillis: 1_000, now: t + hour - 1).isEmpty)
        #expect(try s.queueCounts(messageID: soon.messageID).isEmpty, "nothing is queued before its time")
        // Joins after the campaign was made: reached, as the list is read at the campaign's time.
        let late = try contacts(s, ["f@example.org"])
        try s.setMembership(
            list: "news", contactIDs: late, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        let nobody = try scheduled("nobody", at: t + hour, ["tier=bronze"])
        let claimed = try s.claim(channels: nil, limit: 10, owner: "w", leaseMillis: 10 * hour, now: t + hour)
        #expect(
            Set(claimed.map(\.delivery.address)) == [
                "a@example.org", "b@example.org", "e@example.org", "f@example.org",
            ])
        #expect(try s.queueCounts(messageID: soon.messageID) == [.sending: 4, .suppressed: 1])
        #expect(try s.campaign(named: "soon")?.state == .running)
        #expect(try s.campaign(named: "nobody")?.state == .draft)
        #expect(try s.queueCounts(messageID: nobody.messageID).isEmpty)

        // Far past its time (no claim for hours): held; resumed, it fans out now.
        _ = try scheduled("missed", at: t + 2 * hour)
        #expect(try s.claim(channels: nil, limit: 10, owner: "x", leaseMillis: 1_000, now: t + 4 * hour).isEmpty)
        let held = try #require(try s.campaign(named: "missed"))
        #expect(held.state == .paused && held.missedItsTime && held.startedAt == nil)
        try s.setCampaignState("missed", to: .running, now: t + 4 * hour)
        #expect(try s.queueCounts(messageID: held.messageID) == [.queued: 4, .suppressed: 1])
        #expect(try s.campaign(named: "missed")?.state == .running)

        // Only what nothing was queued for is changed or deleted.
        var draft = try #require(try s.campaign(named: "nobody"))
        draft.segment = try Segment.parse(["tier=silver"])
        draft.sendAt = t + 9 * hour
        let updated = try s.updateCampaign(draft, message: Message(template: "other", data: ["x": 1]))
        #expect(updated.state == .scheduled)
        #expect(try updated.segment == Segment.parse(["tier=silver"]))
        #expect(try s.message(id: nobody.messageID!)?.template == "other")
        #expect(try s.campaign(named: "nobody")?.sendAt == t + 9 * hour)
        draft.sendAt = nil
        #expect(try s.updateCampaign(draft, message: Message(template: "other")).state == .draft)
        #expect(throws: CampaignError.started("soon", state: .running, deleting: false)) {
            try s.updateCampaign(soon, message: Message(template: "x"))
        }
        #expect(throws: CampaignError.started("soon", state: .running, deleting: true)) {
            try s.deleteCampaign(named: "soon")
        }
        #expect(throws: CampaignError.unknown("autumn")) { try s.deleteCampaign(named: "autumn") }
        try s.deleteCampaign(named: "nobody")
        #expect(try s.campaign(named: "nobody") == nil)
        #expect(try s.message(id: nobody.messageID!) == nil)
        #expect(try s.campaigns().map(\.name) == ["soon", "missed"])
    }

    /// Issue 19.10: what waits is split into due now and scheduled later, with the next instant.
    public static func pendingSplitsDueNowFromLater(_ s: any DeliveryQueue) throws {
        let t = now
        #expect(try s.pendingByDue(now: t) == PendingByDue())
        _ = try s.enqueue(
            Message(template: "n"),
            deliveries: [
                NewDelivery(channel: "o", address: "a@example.org", notBefore: t - 1_000),
                NewDelivery(channel: "o", address: "b@example.org", notBefore: t + 60_000),
                NewDelivery(channel: "o", address: "c@example.org", notBefore: t + 30_000),
            ], idempotency: nil)
        #expect(try s.pendingByDue(now: t) == PendingByDue(dueNow: 1, later: 2, nextLater: t + 30_000))
        #expect(try s.pendingByDue(now: t + 30_000) == PendingByDue(dueNow: 2, later: 1, nextLater: t + 60_000))
        _ = try claimAll(s)
        #expect(try s.pendingByDue(now: t) == PendingByDue(dueNow: 0, later: 2, nextLater: t + 30_000))
    }

    /// Issue 18.2 and 18.8: a list's title, its translations and its data are stored, changed, and
    /// read with each of its messages when it is claimed (what the composer layers under the
    /// message's own data); a list that does not exist cannot be changed.
    public static func aListsTitleAndDataReachItsMessages(_ s: any QueueingStore) throws {
        let details = ListDetails(
            title: "Newsletter", titleTranslations: ["da": "Nyhedsbrev"], data: ["about": "News from the centre."])
        let created = try s.createList(name: "news", doubleOptIn: true, details: details)
        #expect(created.details == details)
        #expect(try s.list(named: "news")?.details == details)
        #expect(try s.createList(name: "plain", doubleOptIn: false).details == ListDetails())
        var changed = details
        changed.titleTranslations["sv"] = "Nyhetsbrev"
        changed.data = ["about": "Changed.", "website": "https://example.org"]
        #expect(try s.updateList(named: "news", details: changed).details == changed)
        #expect(try s.lists().first { $0.name == "news" }?.details == changed)
        #expect(throws: StoreError.unknownList("nope")) { try s.updateList(named: "nope", details: changed) }
        _ = try s.enqueue(
            Message(template: "confirm", kind: .transactional, listName: "news"),
            deliveries: [NewDelivery(channel: "outbox", address: "a@example.org")], idempotency: nil)
        _ = try s.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "outbox", address: "b@example.org")],
            idempotency: nil)
        let claimed = try claimAll(s)
        #expect(claimed.count == 2)
        #expect(claimed.first { $0.message.listName == "news" }?.message.listDetails == changed)
        #expect(claimed.first { $0.message.listName == nil }?.message.listDetails == nil)
    }

    /// Issue 18.2 and 18.8: an event's title translations and template data are stored and changed
    /// with it, and its messages carry the data at their top level.
    public static func anEventKeepsItsTitlesAndData(_ s: any EventQueueStore) throws {
        _ = try club(s, ["ana@example.org"])
        var event = try clubEvent("dinner", rrule: "FREQ=WEEKLY;COUNT=2")
        event.titles = LocalizedTitle("Dinner club", translations: ["da": "Fællesspisning", "ar": "نادي العشاء"])
        event.data = ["description": "We cook together.", "rsvp_url": "https://example.org/rsvp"]
        let now0 = WallClock.parseRFC3339("2030-01-01T00:00:00Z")!
        let (created, _) = try s.createEvent(event, now: now0)
        let read = try #require(try s.event(named: "dinner"))
        #expect(read.titles == event.titles && read.data == event.data)
        let invitation = try #require(try s.message(id: created.invitationMessageID!))
        #expect(invitation.data["description"]?.stringValue == "We cook together.")
        #expect(EventMessageInfo(invitation.data)?.titles == event.titles)
        var changed = read
        changed.titles = changed.titles.applying(.init(translations: [("da", ""), ("sv", "Middagsklubb")]))
        changed.data = ["note": "Bring a dish."]
        let (updated, _) = try s.updateEvent(changed, now: now0)
        let again = try #require(try s.event(named: "dinner"))
        #expect(again.titleTranslations == ["ar": "نادي العشاء", "sv": "Middagsklubb"] && again.data == changed.data)
        #expect(try s.message(id: updated.invitationMessageID!)?.data["note"]?.stringValue == "Bring a dish.")
    }

    /// Issue 18.4: an update supersedes each person's invitation or update still waiting (cancelled,
    /// reason `superseded`), so each gets one message: whoever had the invitation gets the newer
    /// update telling what changed since what they had; whoever still waited for the invitation
    /// gets the current invitation.
    public static func aNewerUpdateSupersedesWhatStillWaits(_ s: any EventQueueStore) throws {
        _ = try club(s, ["ana@example.org", "bo@example.org"])
        let now0 = WallClock.nowMillis()
        let (created, _) = try s.createEvent(try clubEvent("meet", rrule: "FREQ=WEEKLY;COUNT=2"), now: now0)
        // Ana had her invitation; Bo's still waits.
        let first = try claimAll(s)
        let (ana0, bo0) = try (
            #require(first.first { $0.delivery.address == "ana@example.org" }),
            #require(first.first { $0.delivery.address == "bo@example.org" })
        )
        try s.complete([result(ana0, .sent(providerID: nil))], owner: "w", now: now0)
        try s.release(ids: [bo0.delivery.id], owner: "w")

        var moved = created
        moved.location = "Room 2"
        let (once, q1) = try s.updateEvent(moved, now: now0)
        #expect(q1.superseded == 1, "Bo's invitation")
        var renamed = once
        renamed.title = "Meeting"
        let (twice, q2) = try s.updateEvent(renamed, now: now0)
        #expect(q2.superseded == 2, "Ana's first update and the invitation Bo got instead of it")
        #expect(try s.cancelReasons(messageID: nil)[.superseded] == 3)

        let waiting = try claimAll(s)
        #expect(waiting.map(\.delivery.address).sorted() == ["ana@example.org", "bo@example.org"], "one each")
        let anas = try #require(waiting.first { $0.delivery.address.hasPrefix("ana") })
        let ana = try #require(EventMessageInfo(anas.message.data))
        #expect(ana.role == .update && ana.sequence == 2 && ana.title == "Meeting" && ana.location == "Room 2")
        #expect(
            ana.previous?.location == nil && ana.previous?.titles.text == "meet", "what changed since her invitation")
        let bo = try #require(waiting.first { $0.delivery.address.hasPrefix("bo") })
        #expect(bo.message.id == twice.invitationMessageID)
        let bos = try #require(EventMessageInfo(bo.message.data))
        #expect(bos.role == .invitation && bos.sequence == 2)
    }
}
