import Foundation
import Synchronization
import Testing

@testable import Outreach

/// `DeliveryWorker` in process, with a `FakeChannel` and a `FakeDeliveryQueue`: no database, no
/// peer, no sleep. Each batch is run with an explicit `now`; what the worker computes from the
/// clock (a retry's instant) is checked against bounds read around the call.
@Suite struct DeliveryWorkerTests {
    /// Renders "Hello ADDRESS" for template `hello`; any other template cannot be composed.
    struct StubComposer: DeliveryComposer {
        struct NoTemplate: Error {}

        func compose(_ c: ClaimedDelivery, for channel: any Channel) throws -> OutgoingMessage {
            guard c.message.template == "hello" else { throw NoTemplate() }
            return OutgoingMessage(
                deliveryID: c.delivery.id, address: c.delivery.address, text: "Hello \(c.delivery.address)")
        }
    }

    /// Collects what the worker reports (quiet-hours deferrals).
    final class Reports: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    let queue = FakeDeliveryQueue()
    let utc = TimeZone(identifier: "UTC")!
    let reports = Reports()

    func worker(
        _ channel: FakeChannel, policy: RetryPolicy = RetryPolicy(), quietHours: QuietHours? = nil,
        availability: ChannelAvailability = ChannelAvailability()
    ) -> DeliveryWorker {
        let reports = reports
        return DeliveryWorker(
            store: queue, channels: [channel.name: channel], composer: StubComposer(),
            policies: [channel.name: policy], owner: "worker-1", availability: availability,
            quietHours: quietHours.map { [channel.name: $0] } ?? [:]
        ) { line in reports.lines.withLock { $0.append(line) } }
    }

    @discardableResult
    func enqueue(_ addresses: [String], template: String = "hello", channel: String = "fake") throws -> [Int64] {
        try queue.enqueue(
            Message(template: template), deliveries: addresses.map { NewDelivery(channel: channel, address: $0) },
            idempotency: nil
        ).deliveryIDs
    }

    @Test func aBatchIsSentAndMarkedSent() throws {
        let channel = FakeChannel()
        let ids = try enqueue(["a@example.org", "b@example.org", "c@example.org"])
        let summary = try worker(channel).runBatch(channel: "fake")

        #expect(summary.handled == 3 && summary.sent == 3 && summary.failed == 0 && summary.dead == 0)
        #expect(channel.batches.count == 1)
        #expect(channel.sent.map(\.address) == ["a@example.org", "b@example.org", "c@example.org"])
        #expect(channel.sent.map(\.text) == ["Hello a@example.org", "Hello b@example.org", "Hello c@example.org"])
        for id in ids {
            let row = try #require(queue.row(id))
            #expect(row.delivery.state == .sent)
            #expect(row.delivery.attempts == 1)
            #expect(row.delivery.providerID == "fake-\(id)")
            #expect(row.leaseOwner == nil)
        }
        // Nothing left: the next batch claims nothing and sends nothing.
        #expect(try worker(channel).runBatch(channel: "fake") == BatchSummary())
        #expect(channel.batches.count == 1)
    }

    /// A batch sent while the store went away for a moment (PostgreSQL restarting) is recorded
    /// once it answers again, rather than left leased until its lease expires and then sent twice.
    @Test func aBatchSentWhileTheStoreIsAwayIsRecordedWhenItIsBack() throws {
        let channel = FakeChannel()
        let ids = try enqueue(["a@example.org", "b@example.org"])
        queue.failCompletions(2)
        let summary = try worker(channel).runBatch(channel: "fake")
        #expect(summary.sent == 2)
        #expect(ids.map { queue.row($0)?.delivery.state } == [.sent, .sent])
        #expect(queue.leased.isEmpty)
        #expect(try worker(channel).runBatch(channel: "fake") == BatchSummary())
        #expect(channel.sent.count == 2)
    }

    /// A store away for longer than half the lease: the error reaches the loop, the batch stays
    /// leased (its lease brings it back), as before.
    @Test func aStoreAwayPastHalfTheLeaseLeavesTheBatchToItsLease() throws {
        let channel = FakeChannel()
        try enqueue(["a@example.org"])
        queue.failCompletions(100)
        let w = DeliveryWorker(
            store: queue, channels: [channel.name: channel], composer: StubComposer(), owner: "worker-1",
            leaseMillis: 400)
        #expect(throws: StorageUnavailable.self) { try w.runBatch(channel: "fake") }
        #expect(queue.leased.count == 1)
    }

    @Test func theChannelsBatchSizeBoundsAClaim() throws {
        let channel = FakeChannel(batchSize: 2)
        try enqueue(["a@example.org", "b@example.org", "c@example.org"])
        let w = worker(channel)
        #expect(try w.runBatch(channel: "fake").sent == 2)
        #expect(try w.runBatch(channel: "fake").sent == 1)
        #expect(channel.batches.map(\.count) == [2, 1])
    }

    @Test func aTransientFailureIsRetriedPerThePolicyWithTheAttemptCounted() throws {
        let channel = FakeChannel(script: [.transient("451 try later")])
        var policy = RetryPolicy()
        policy.baseMillis = 60_000
        policy.maxAttempts = 2
        let id = try #require(try enqueue(["a@example.org"]).first)
        let w = worker(channel, policy: policy)

        let before = WallClock.nowMillis()
        let first = try w.runBatch(channel: "fake", now: before)
        let after = WallClock.nowMillis()
        #expect(first.failed == 1 && first.sent == 0 && first.dead == 0)
        let failed = try #require(queue.row(id)).delivery
        #expect(failed.state == .failed)
        #expect(failed.attempts == 1)
        #expect(failed.lastError == "451 try later")
        // The first retry waits retry_base, with ±20 % jitter.
        let retryAt = try #require(failed.nextAttemptAt)
        #expect(retryAt >= before + 48_000 && retryAt <= after + 72_000, "retry at \(retryAt - before) ms")

        // Not due before its time: a batch now claims nothing.
        #expect(try w.runBatch(channel: "fake", now: after).handled == 0)

        // At its time it is tried again; the second transient failure is the last attempt: dead.
        channel.script(.transient("451 still later"))
        let second = try w.runBatch(channel: "fake", now: retryAt)
        #expect(second.dead == 1 && second.failed == 0)
        let dead = try #require(queue.row(id)).delivery
        #expect(dead.state == .dead)
        #expect(dead.attempts == 2)
        #expect(dead.lastError == "451 still later")
        #expect(channel.sent.count == 2)
    }

    @Test func aPeersRetryAfterWinsOverTheBackoff() throws {
        let channel = FakeChannel(script: [.transient("429", retryAfter: 120)])
        let id = try #require(try enqueue(["a@example.org"]).first)
        let before = WallClock.nowMillis()
        try worker(channel).runBatch(channel: "fake", now: before)
        let after = WallClock.nowMillis()
        let retryAt = try #require(queue.row(id)?.delivery.nextAttemptAt)
        #expect(retryAt >= before + 120_000 && retryAt <= after + 120_000)
    }

    @Test func aPermanentFailureIsDeadAtOnce() throws {
        let channel = FakeChannel(script: [.sent(providerID: "p1"), .permanent("550 no such user", suppress: true)])
        let ids = try enqueue(["a@example.org", "nobody@example.org"])
        let summary = try worker(channel).runBatch(channel: "fake")
        #expect(summary.sent == 1 && summary.dead == 1 && summary.failed == 0)
        let dead = try #require(queue.row(ids[1])).delivery
        #expect(dead.state == .dead)
        #expect(dead.attempts == 1)
        #expect(dead.lastError == "550 no such user")
        #expect(try #require(queue.row(ids[0])).delivery.providerID == "p1")
    }

    @Test func aMessageThatCannotBeComposedIsDeadAndNeverReachesTheChannel() throws {
        let channel = FakeChannel()
        let id = try #require(try enqueue(["a@example.org"], template: "missing").first)
        let summary = try worker(channel).runBatch(channel: "fake")
        #expect(summary.dead == 1)
        #expect(channel.batches.isEmpty)
        let row = try #require(queue.row(id)).delivery
        #expect(row.state == .dead)
        #expect(row.lastError?.hasPrefix("cannot compose the message") == true)
    }

    @Test func quietHoursDeferWithoutCountingTheAttempt() throws {
        // 12:00 UTC on 15 January 2026; quiet from 11:00 to 13:00 in UTC (the recipient has no zone).
        let noon: Int64 = 1_768_478_400_000
        let quiet = try #require(QuietHours("11:00-13:00", fallbackZone: utc))
        let channel = FakeChannel()
        let id = try #require(
            try queue.enqueue(
                Message(template: "hello"),
                deliveries: [NewDelivery(channel: "fake", address: "a@example.org", notBefore: noon)],
                idempotency: nil
            ).deliveryIDs.first)
        let w = worker(channel, quietHours: quiet)

        let summary = try w.runBatch(channel: "fake", now: noon)
        #expect(summary.handled == 0)
        #expect(channel.batches.isEmpty)
        let row = try #require(queue.row(id))
        #expect(row.delivery.state == .queued)
        #expect(row.delivery.attempts == 0)
        #expect(row.delivery.nextAttemptAt == noon + 3_600_000)
        #expect(row.delivery.lastError == "deferred by quiet hours")
        #expect(row.leaseOwner == nil)
        #expect(reports.all == ["deferred 1 delivery on fake to the end of quiet hours"])

        // At 13:00 the window is over: it is sent, on its first attempt.
        #expect(try w.runBatch(channel: "fake", now: noon + 3_600_000).sent == 1)
        #expect(try #require(queue.row(id)).delivery.attempts == 1)
    }

    @Test func theRecipientsZoneDecidesQuietHoursThenTheContactsThenTheChannels() throws {
        // 12:00 UTC: 21:00 in Tokyo (quiet, 21:00-08:00), 12:00 in London, 07:00 in New York (quiet).
        let noon: Int64 = 1_768_478_400_000
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let quiet = try #require(QuietHours("21:00-08:00", fallbackZone: newYork))
        let channel = FakeChannel()
        queue.addContact(Contact(id: 77, email: "london@example.org", timeZone: "Europe/London"), id: 77)
        let ids = try queue.enqueue(
            Message(template: "hello"),
            deliveries: [
                NewDelivery(channel: "fake", address: "tokyo@example.org", timeZone: "Asia/Tokyo", notBefore: noon),
                NewDelivery(channel: "fake", address: "london@example.org", contactID: 77, notBefore: noon),
                NewDelivery(channel: "fake", address: "nowhere@example.org", notBefore: noon),
            ], idempotency: nil
        ).deliveryIDs
        let summary = try worker(channel, quietHours: quiet).runBatch(channel: "fake", now: noon)
        #expect(summary.sent == 1)
        #expect(channel.sent.map(\.address) == ["london@example.org"])
        // 08:00 in Tokyo is 23:00 UTC; 08:00 in New York (the channel's zone) is 13:00 UTC.
        #expect(queue.row(ids[0])?.delivery.nextAttemptAt == noon + 11 * 3_600_000)
        #expect(queue.row(ids[2])?.delivery.nextAttemptAt == noon + 3_600_000)
        #expect(reports.all == ["deferred 2 deliveries on fake to the end of quiet hours"])
    }

    @Test func tooFewOutcomesThrowAndLeaveNothingLeased() throws {
        let channel = FakeChannel(answering: 1)
        let ids = try enqueue(["a@example.org", "b@example.org", "c@example.org"])
        #expect(throws: DeliveryWorkerError.wrongOutcomeCount(channel: "fake", messages: 3, outcomes: 1)) {
            try worker(channel).runBatch(channel: "fake")
        }
        #expect(queue.leased.isEmpty)
        #expect(try #require(queue.row(ids[0])).delivery.state == .sent)
        for id in ids.dropFirst() {
            let row = try #require(queue.row(id)).delivery
            #expect(row.state == .failed)
            #expect(row.attempts == 1)
            #expect(row.lastError == "the channel fake gave no outcome for this message")
        }
    }

    @Test func noOutcomesAtAllThrowToo() throws {
        let channel = FakeChannel(answering: 0)
        try enqueue(["a@example.org"])
        #expect(throws: DeliveryWorkerError.wrongOutcomeCount(channel: "fake", messages: 1, outcomes: 0)) {
            try worker(channel).runBatch(channel: "fake")
        }
        #expect(queue.leased.isEmpty)
        #expect(try queue.queueCounts(messageID: nil) == [.failed: 1])
    }

    @Test func anUnreachableChannelIsMarkedDownAndItsDeliveriesWaitWithoutSpendingAnAttempt() throws {
        let channel = FakeChannel(script: [.unreachable("connection refused"), .unreachable("connection refused")])
        let availability = ChannelAvailability(firstProbeMillis: 1_000, maxProbeMillis: 60_000)
        let ids = try enqueue(["a@example.org", "b@example.org"])
        let w = worker(channel, availability: availability)

        let summary = try w.runBatch(channel: "fake")
        #expect(summary.deferred == 2 && summary.failed == 0 && summary.dead == 0)
        let outage = try #require(availability.outage("fake"))
        #expect(outage.lastError == "connection refused")
        #expect(outage.failures == 1)
        #expect(summary.waitUntil == outage.nextProbeAt)
        #expect(try queue.channelOutages()["fake"] == outage)
        for id in ids {
            let row = try #require(queue.row(id)).delivery
            #expect(row.state == .queued)
            #expect(row.attempts == 0)
            #expect(row.nextAttemptAt == outage.nextProbeAt)
        }

        // Before the probe is due nothing is claimed; at its time one delivery is tried alone.
        let claims = queue.claims
        #expect(try w.runBatch(channel: "fake", now: outage.nextProbeAt - 1).waitUntil == outage.nextProbeAt)
        #expect(queue.claims == claims)
        let probe = try w.runBatch(channel: "fake", now: outage.nextProbeAt)
        #expect(probe.sent == 1)
        #expect(channel.batches.last?.count == 1)
        // It answered: the channel is up again, and its stored outage cleared.
        #expect(availability.outage("fake") == nil)
        #expect(try queue.channelOutages().isEmpty)
    }

    @Test func oneRefusalFromAChannelThatAnswersIsThatMessagesFailure() throws {
        // A 503 for one message while another is accepted: the endpoint is up, the refusal spends an attempt.
        let channel = FakeChannel(script: [.sent(providerID: nil), .unreachable("503 busy", peerAnswered: true)])
        let availability = ChannelAvailability()
        let ids = try enqueue(["a@example.org", "b@example.org"])
        let summary = try worker(channel, availability: availability).runBatch(channel: "fake")
        #expect(summary.sent == 1 && summary.failed == 1 && summary.deferred == 0)
        #expect(availability.outage("fake") == nil)
        let row = try #require(queue.row(ids[1])).delivery
        #expect(row.state == .failed)
        #expect(row.attempts == 1)
    }

    @Test func pastMaxAgeADeliveryIsDeadWithoutBeingSent() throws {
        var policy = RetryPolicy()
        policy.maxAgeMillis = 60_000
        let channel = FakeChannel()
        let id = try #require(try enqueue(["a@example.org"]).first)
        let created = try #require(queue.row(id)).delivery.createdAt
        let summary = try worker(channel, policy: policy).runBatch(channel: "fake", now: created + 60_001)
        #expect(summary.dead == 1)
        #expect(channel.batches.isEmpty)
        #expect(try #require(queue.row(id)).delivery.lastError == "not sent within max_age; too late to send now")
    }

    @Test func runUntilIdleSendsEverythingDueOnEveryChannelAndCloseClosesThem() throws {
        let email = FakeChannel(name: "email", batchSize: 3)
        let sms = FakeChannel(name: "sms", kind: .sms, batchSize: 2)
        try enqueue((1...7).map { "p\($0)@example.org" }, channel: "email")
        try enqueue((1...5).map { "+4512345\($0)" }, channel: "sms")
        let w = DeliveryWorker(
            store: queue, channels: ["email": email, "sms": sms], composer: StubComposer(), owner: "worker-1")
        let total = try w.runUntilIdle(lanes: 2)
        #expect(total.sent == 12 && total.handled == 12)
        #expect(Set(email.sent.map(\.address)).count == 7)
        #expect(Set(sms.sent.map(\.address)).count == 5)
        #expect(try queue.queueCounts(messageID: nil) == [.sent: 12])
        w.close()
        #expect(email.closed && sms.closed)
    }
}
