import Foundation
import Outreach
import Testing

/// What every `Store` must do, whatever holds the data: written against the protocol only.
@Suite struct StoreConformanceTests {
    /// A little ahead of every enqueue of a test, so what was queued is due.
    static var now: Int64 { WallClock.nowMillis() + 1 }

    func contacts(_ s: any Store, _ emails: [String]) throws -> [Int64] {
        try s.upsertContacts(emails.map { Contact(email: $0, name: $0.uppercased()) }).ids
    }

    func claimAll(_ s: any Store, owner: String = "w") throws -> [ClaimedDelivery] {
        try s.claim(channels: nil, limit: 1_000, owner: owner, leaseMillis: 60_000, now: WallClock.nowMillis() + 1)
    }

    @Test(arguments: StoreFactory.all)
    func upsertMatchesByEmailThenPhoneAndIsIdempotent(_ f: StoreFactory) throws {
        let s = try f.make()
        let first = try s.upsertContacts([Contact(email: "a@example.org", phone: "+4511111111", name: "A")])
        #expect(first.inserted == 1)
        let again = try s.upsertContacts([Contact(email: "a@example.org", phone: "+4511111111", name: "A")])
        #expect(again.unchanged == 1 && again.inserted == 0)
        let byPhone = try s.upsertContacts([Contact(phone: "+4511111111", name: "A B")])
        #expect(byPhone.updated == 1)
        #expect(try s.contact(matching: "A@Example.org")?.name == "A B")
        #expect(try s.contact(matching: "+4511111111")?.email == "a@example.org")
    }

    @Test(arguments: StoreFactory.all)
    func idempotencyKeysReplayOrConflict(_ f: StoreFactory) throws {
        let s = try f.make()
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
    }

    @Test(arguments: StoreFactory.all)
    func aLeaseIsExclusiveAndOnlyItsOwnerCompletes(_ f: StoreFactory) throws {
        let s = try f.make()
        _ = try s.enqueue(
            Message(template: "welcome"),
            deliveries: (0..<5).map { NewDelivery(channel: "outbox", address: "p\($0)@example.org") },
            idempotency: nil)
        let t = Self.now
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

    @Test(arguments: StoreFactory.all)
    func anUnreachableEndpointGivesTheAttemptBack(_ f: StoreFactory) throws {
        let s = try f.make()
        _ = try s.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "outbox", address: "a@example.org")],
            idempotency: nil)
        let c = try claimAll(s)
        let t = Self.now
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
    @Test(arguments: StoreFactory.all)
    func aNoIsFinalAtTheChangeAndAtTheClaim(_ f: StoreFactory) throws {
        let s = try f.make()
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

    @Test(arguments: StoreFactory.all)
    func membershipRulesHoldForEveryAuthority(_ f: StoreFactory) throws {
        let s = try f.make()
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
            by: .personConfirmed(issuedAt: Self.now - 86_400_000))
        #expect(stale.changed.isEmpty)
        let fresh = try s.setMembership(
            list: "news", contactIDs: [id], state: .subscribed, consent: Consent(source: "c"),
            by: .personConfirmed(issuedAt: WallClock.nowMillis() + 1_000))
        #expect(fresh.changed == [id])
        #expect(try s.memberships(contactID: id).first?.state == .subscribed)
    }

    @Test(arguments: StoreFactory.all)
    func aSignUpIsOneDecisionAndNeverLiftsAnUnsubscribe(_ f: StoreFactory) throws {
        let s = try f.make()
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

    @Test(arguments: StoreFactory.all)
    func eraseCancelsAndForgetsAndKeepsTheNo(_ f: StoreFactory) throws {
        let s = try f.make()
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

    /// Issue 18.5: one occurrence cancelled in one transaction: the exception stored, SEQUENCE + 1, a
    /// cancellation to each member, the reminders of the occurrences left queued again; a copy read
    /// before that is refused.
    @Test(arguments: StoreFactory.all)
    func cancellingOneOccurrenceStoresTheExceptionAndQueuesItsCancellation(_ f: StoreFactory) throws {
        let s = try f.make()
        _ = try s.createList(name: "club", doubleOptIn: false)
        try s.setMembership(
            list: "club", contactIDs: try contacts(s, ["a@example.org", "b@example.org"]), state: .subscribed,
            consent: Consent(source: "test", evidence: nil))
        let schedule = try EventSchedule(
            start: "2031-03-06 18:00", timeZone: "Europe/Copenhagen", duration: "2h", rrule: "FREQ=WEEKLY;COUNT=4",
            reminders: ["-1d"])
        let event = Event(
            name: "dinner", title: "Dinner", list: "club", channels: [CampaignChannel(name: "outbox", address: .email)],
            schedule: schedule, location: nil, uid: "evt-1@example.org")
        let now = WallClock.nowMillis()
        let (created, first) = try s.createEvent(event, now: now)
        #expect(first.reminders == 8)
        var changed = created
        let third = try LocalDateTime(parsing: "2031-03-20 18:00")
        changed.schedule = try created.schedule.cancelling(third, now: Date(), event: "dinner")
        let (stored, q) = try s.cancelOccurrence(changed, occurrence: third, templates: EventTemplates(), now: now)
        #expect(stored.sequence == 1 && stored.state == .active)
        #expect(q.invitation.queued == 2 && q.cancelledReminders == 8 && q.reminders == 6, "\(q)")
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
    @Test(arguments: StoreFactory.all)
    func aCampaignSelectsByItsSegmentAndFinishes(_ f: StoreFactory) throws {
        let s = try f.make()
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
            _ = try s.fanOut(campaign: name, now: Self.now)
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
            }, owner: "w", now: Self.now)
        #expect(try s.campaign(named: "and")?.state == .finished)
        #expect(try s.campaigns().filter { $0.state == .finished }.count == 5)
        #expect(throws: CampaignError.finished("and")) { try s.setCampaignState("and", to: .paused, now: Self.now) }
    }
}
