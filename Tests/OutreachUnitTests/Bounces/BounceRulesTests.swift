import Foundation
import Testing

@testable import Outreach

/// The rules of a bounce (`BounceRules` through `BounceProcessor`) on an in-memory store, with a
/// clock moved by hand: attribution, Mailman's score, suppression, complaints, repeats.
@Suite struct BounceRulesTests {
    static let day = BouncePolicy.dayMillis
    /// Noon of some day, so "the same day" and "the next day" are unambiguous.
    static let t0: Int64 = 20_000 * day + day / 2

    let store = FakeBounceStore()
    let clock = ManualTime(t0)

    /// A processor whose "parser" returns `report` for any message (and throws for `broken`).
    func processor(_ report: BounceReport = BounceReport(results: []), policy: BouncePolicy = BouncePolicy())
        -> BounceProcessor
    {
        BounceProcessor(store: store, policy: policy, clock: clock) { bytes in
            if bytes == Array("broken".utf8) { throw BounceParseFailure() }
            return report
        }
    }

    struct BounceParseFailure: Error, CustomStringConvertible {
        var description: String { "the message does not start with a header field" }
    }

    func apply(_ r: BounceResult, origin: String = "m1", policy: BouncePolicy = BouncePolicy()) throws -> BounceApplied
    {
        try processor(policy: policy).apply(BounceReport(results: [r]), origin: origin, source: "test")[0]
    }

    func hard(_ address: String, _ status: String? = "5.0.0", delivery: Int64? = nil) -> BounceResult {
        BounceResult(
            recipient: address, kind: .hard, status: status, diagnostic: "smtp; 550 \(status ?? "") no",
            delivery: delivery)
    }

    // MARK: what a bounce does

    @Test func aDefiniteBadMailboxSuppressesAtOnceAndTheDeliveryBounces() throws {
        for (i, status) in ["5.1.1", "5.1.10", "5.1.2", "5.1.3", "5.1.6"].enumerated() {
            let address = "gone\(i)@example.org"
            store.add(id: Int64(i + 1), address: address)
            store.add(id: Int64(i + 100), address: address, state: .queued)
            let a = try apply(hard(address, status, delivery: Int64(i + 1)))
            #expect(a.action == .suppressed && a.delivery == Int64(i + 1), "\(status)")
            #expect(store.suppression(address) == .bounce)
            let d = try #require(store.delivery(Int64(i + 1)))
            #expect(d.state == .bounced && d.lastError == "hard bounce \(status): smtp; 550 \(status) no")
            // Suppressing cancels what was still waiting for the address.
            #expect(store.delivery(Int64(i + 100))?.state == .cancelled)
        }
    }

    @Test func otherHardBouncesAreScoredOnceADayUntilTheThreshold() throws {
        store.add(id: 1, address: "a@example.org")
        #expect(try apply(hard("a@example.org", delivery: 1)).action == .scored)
        #expect(store.score("a@example.org") == 1.0)
        // A second bounce on the same day counts nothing (another message, the same day).
        store.add(id: 2, address: "a@example.org")
        #expect(try apply(hard("a@example.org", delivery: 2)).action == .notCounted)
        #expect(store.score("a@example.org") == 1.0 && store.suppression("a@example.org") == nil)
        clock.advance(by: Self.day)
        store.add(id: 3, address: "a@example.org")
        #expect(try apply(hard("a@example.org", delivery: 3)).action == .scored)
        clock.advance(by: Self.day)
        store.add(id: 4, address: "a@example.org")
        let third = try apply(hard("a@example.org", delivery: 4))
        #expect(third.action == .suppressed && third.score == 3.0)
        #expect(store.suppression("a@example.org") == .bounce)
        let entry = try #require(try store.suppressionEntry(address: "a@example.org"))
        #expect(entry.detail?.hasPrefix("bounce score 3.0 reached the threshold 3.0") == true)
    }

    @Test func softCountsHalfAndADayCountsItsHeaviestBounce() throws {
        store.add(id: 1, address: "full@example.org")
        store.add(id: 2, address: "full@example.org")
        let soft = BounceResult(recipient: "full@example.org", kind: .soft, status: "4.2.2", delivery: 1)
        #expect(try apply(soft).score == 0.5)
        #expect(store.delivery(1)?.state == .bounced)
        // A hard bounce later that day raises the day to 1.0, not 1.5.
        #expect(try apply(hard("full@example.org", delivery: 2)).score == 1.0)
    }

    @Test func aThresholdFromTheConfigurationAndAStaleScoreStartingAgain() throws {
        let policy = BouncePolicy(threshold: 1.5, staleAfterMillis: 7 * Self.day)
        store.add(id: 1, address: "a@example.org")
        #expect(try apply(hard("a@example.org", delivery: 1), policy: policy).score == 1.0)
        // Eight days later the old bounce is stale: the score starts again and stays under 1.5.
        clock.advance(by: 8 * Self.day)
        store.add(id: 2, address: "a@example.org")
        let again = try apply(hard("a@example.org", delivery: 2), policy: policy)
        #expect(again.score == 1.0 && again.action == .scored)
        clock.advance(by: Self.day)
        store.add(id: 3, address: "a@example.org")
        #expect(try apply(hard("a@example.org", delivery: 3), policy: policy).action == .suppressed)
    }

    @Test func aComplaintSuppressesUnsubscribesEverywhereAndMarksTheDelivery() throws {
        store.add(id: 1, address: "p@example.org", state: .bounced, contactID: 7)
        store.add(id: 2, address: "p@example.org", state: .queued)
        store.state.withLock {
            $0.memberships["p@example.org"] = ["news": .subscribed, "events": .pending, "old": .unsubscribed]
            $0.suppressions["p@example.org"] = SuppressionEntry(
                address: "p@example.org", reason: .bounce, detail: nil, since: 0)
        }
        let a = try apply(
            BounceResult(recipient: "p@example.org", kind: .complaint, diagnostic: "abuse", delivery: 1))
        #expect(a.action == .suppressed && a.listsLeft == ["events", "news"])
        // The complaint replaces the weaker bounce: only the person's own request lifts it now.
        #expect(store.suppression("p@example.org") == .complaint)
        #expect(store.state.withLock { $0.memberships["p@example.org"]!.values.allSatisfy { $0 == .unsubscribed } })
        #expect(store.delivery(1)?.state == .complained && store.delivery(1)?.lastError == "complaint: abuse")
        #expect(store.delivery(2)?.state == .cancelled)
        #expect(store.score("p@example.org") == nil)
    }

    @Test func delaysAutoRepliesAndUnknownReportsAreRecordedOnly() throws {
        store.add(id: 1, address: "a@example.org")
        for kind in [BounceKind.delayed, .autoReply, .unknown] {
            let a = try apply(BounceResult(recipient: "a@example.org", kind: kind, status: "4.4.7", delivery: 1))
            #expect(a.action == .recorded && a.delivery == 1 && a.score == nil)
        }
        #expect(store.delivery(1)?.state == .sent && store.score("a@example.org") == nil)
        #expect(store.suppression("a@example.org") == nil)
        #expect(store.records.map(\.kind) == [.delayed, .autoReply, .unknown])
    }

    // MARK: attribution

    @Test func withoutADeliveryTheLatestEmailSentToTheRecipientWithinThirtyDaysIsBlamed() throws {
        store.add(id: 1, address: "a@example.org", sentAt: Self.t0 - 40 * Self.day)
        store.add(id: 2, address: "a@example.org", sentAt: Self.t0 - 2 * Self.day)
        store.add(id: 3, address: "a@example.org", sentAt: Self.t0 - Self.day)
        store.add(id: 4, address: "a@example.org", state: .queued)
        store.add(id: 5, address: "b@example.org", sentAt: Self.t0 - 31 * Self.day)
        // The recipient's case does not matter; the queued delivery is not a candidate.
        #expect(try apply(hard("A@Example.org", "5.1.1")).delivery == 3)
        #expect(store.delivery(3)?.state == .bounced && store.delivery(2)?.state == .sent)
        // Only an email older than the window: unattributed, recorded, nothing else.
        let old = try apply(hard("b@example.org", "5.1.1"))
        #expect(old.action == .unattributed && old.delivery == nil)
        #expect(store.suppression("b@example.org") == nil && store.delivery(5)?.state == .sent)
        // Never sent to (backscatter of forged mail): recorded only.
        let never = try apply(hard("stranger@example.net", "5.1.1"))
        #expect(never.action == .unattributed && store.suppression("stranger@example.net") == nil)
        #expect(store.records.last?.address == "stranger@example.net" && store.records.last?.delivery == nil)
    }

    @Test func aDeliveryIdThatIsNoEmailOfOursFallsBackToTheRecipient() throws {
        store.add(id: 1, address: "+4512345678")
        store.add(id: 2, address: "a@example.org", sentAt: Self.t0)
        // A forged X-Outreach-Delivery naming an SMS, or an id we never issued.
        #expect(try apply(hard("a@example.org", delivery: 1)).delivery == 2)
        #expect(store.delivery(1)?.state == .sent)
        #expect(try apply(hard("a@example.org", "5.1.1", delivery: 999), origin: "m2").delivery == 2)
    }

    @Test func aBounceForADeliveryNotSentChangesItNotButStillCounts() throws {
        store.add(id: 1, address: "a@example.org", state: .queued)
        store.add(id: 2, address: "c@example.org", state: .cancelled)
        let soft = BounceResult(recipient: "a@example.org", kind: .soft, status: "4.2.2", delivery: 1)
        #expect(try apply(soft).action == .scored)
        #expect(store.delivery(1)?.state == .queued && store.score("a@example.org") == 0.5)
        _ = try apply(hard("c@example.org", "5.1.1", delivery: 2))
        #expect(store.delivery(2)?.state == .cancelled && store.suppression("c@example.org") == .bounce)
    }

    @Test func anErasedPersonsAddressIsNotWrittenDownAgain() throws {
        store.state.withLock {
            $0.suppressions["gone@example.org"] = SuppressionEntry(
                address: "gone@example.org", reason: .erased, detail: nil, since: 0)
        }
        let a = try apply(hard("gone@example.org", "5.1.1"))
        #expect(a.address == nil && store.records.last?.address == nil && store.records.last?.diagnostic == nil)
    }

    // MARK: repeats, bad input, failures

    @Test func theSameMessageTwiceCountsOnce() throws {
        store.add(id: 1, address: "a@example.org")
        let report = BounceReport(results: [
            hard("a@example.org", delivery: 1), hard("stranger@example.net", "5.1.1"),
        ])
        let p = processor(report)
        let message = Array("From: MAILER-DAEMON@example.org\r\n\r\nbody".utf8)
        let first = try p.process(message: message, source: "file a.eml")
        #expect(first.applied.map(\.action) == [.scored, .unattributed])
        // Days later, the same message again (a pipe retried, an archive ingested twice).
        clock.advance(by: 3 * Self.day)
        let second = try p.process(message: message, source: "file a.eml")
        #expect(second.outcome == .applied(report))
        #expect(second.applied.map(\.action) == [.duplicate, .duplicate])
        #expect(store.score("a@example.org") == 1.0 && store.records.count == 2)
        // Another report of the same delivery and kind (a provider's event as well as the DSN).
        _ = try p.apply(BounceReport(results: [hard("a@example.org", delivery: 1)]), source: "ses event 1")
        #expect(store.score("a@example.org") == 1.0 && store.records.count == 2)
    }

    @Test func unparseableAndNotABounceApplyNothing() throws {
        let p = processor(BounceReport(results: []))
        #expect(
            try p.ingest(message: Array("broken".utf8), source: "x")
                == .unparseable("the message does not start with a header field"))
        #expect(try p.ingest(message: Array("Subject: hi\r\n\r\nhello".utf8), source: "x") == .notABounce)
        #expect(store.records.isEmpty && store.state.withLock { $0.transactions } == 0)
    }

    @Test func theMboxFromLineIsNotPartOfTheMessage() throws {
        #expect(
            BounceProcessor.withoutEnvelopeLine(Array("From MAILER-DAEMON Mon Jan 1\nFrom: x\n\nb".utf8))
                == Array("From: x\n\nb".utf8))
        #expect(BounceProcessor.withoutEnvelopeLine(Array("From: x\n\nb".utf8)) == Array("From: x\n\nb".utf8))
    }

    @Test func aStoreThatFailsKeepsNothingOfTheReport() throws {
        store.add(id: 1, address: "a@example.org")
        store.add(id: 2, address: "b@example.org")
        store.state.withLock { $0.failNextInsert = true }
        let report = BounceReport(results: [hard("a@example.org", "5.1.1", delivery: 1), hard("b@example.org")])
        #expect(throws: FakeBounceStore.DiskFull.self) {
            _ = try processor(report).ingest(message: Array("From: x\r\n\r\n".utf8), source: "x")
        }
        #expect(store.delivery(1)?.state == .sent && store.suppression("a@example.org") == nil)
        #expect(store.records.isEmpty)
    }

    // MARK: the SMTP session

    @Test func aRefusedRecipientIsABounceOfItsStatus() {
        let r = SessionRefusal.result(
            reply: "550 5.1.1 <gone@example.org>: Recipient address rejected", address: "gone@example.org",
            delivery: 4)
        #expect(r.kind == .hard && r.status == "5.1.1" && r.delivery == 4 && r.recipient == "gone@example.org")
        func kind(_ reply: String) -> BounceKind {
            SessionRefusal.result(reply: reply, address: "a@example.org", delivery: 1).kind
        }
        #expect(SessionRefusal.result(reply: "550-5.1.10 null MX", address: "a@b.c", delivery: 1).status == "5.1.10")
        #expect(kind("550 Requested action not taken: mailbox unavailable") == .hard)
        #expect(kind("553 sorry") == .hard)
        #expect(kind("550 5.2.2 <a@example.org>: mailbox full") == .soft)
        // A policy refusal is about the sender or the message: soft, as in a DSN.
        #expect(kind("550 5.7.1 Relaying denied") == .soft)
    }

    // MARK: configuration

    @Test func thresholdAndStaleAfterAreReadAndChecked() throws {
        let ok = try Config.parse("[bounces]\nthreshold = 2.5\nstale_after = \"14d\"\n", file: "o.conf")
        let p = try BouncePolicy(config: ok)
        #expect(p.threshold == 2.5 && p.staleAfterMillis == 14 * Self.day)
        #expect(try BouncePolicy(config: Config.parse("[bounces]\nthreshold = 4\n", file: "o.conf")).threshold == 4)
        #expect(try BouncePolicy(config: Config.parse("", file: "o.conf")) == BouncePolicy())
        for bad in ["threshold = 0", "threshold = \"3\"", "stale_after = \"1h\"", "stale_after = \"soon\""] {
            #expect(throws: ConfigError.self, "\(bad)") {
                _ = try BouncePolicy(config: Config.parse("[bounces]\n\(bad)\n", file: "o.conf"))
            }
        }
        #expect(throws: ConfigError.self) { _ = try Config.parse("[bounces]\nthreshold = inf\n", file: "o.conf") }
        #expect(throws: ConfigError.self) { _ = try Config.parse("[bounces]\nthreshold = 3.\n", file: "o.conf") }
    }

    // MARK: lifting a suppression

    @Test func anOfficerLiftsABounceWithAReasonButNeverAPersonsNo() throws {
        store.add(id: 1, address: "a@example.org")
        _ = try apply(hard("a@example.org", "5.1.1", delivery: 1))
        #expect(throws: SuppressionLiftError.noReason("a@example.org")) {
            _ = try SuppressionLift.remove(
                address: "a@example.org", note: "  ", store: store, now: Self.t0)
        }
        let removal = try SuppressionLift.remove(
            address: "A@example.org", note: "the mailbox was fixed", store: store, now: Self.t0)
        #expect(removal.reason == .bounce && removal.address == "a@example.org")
        #expect(store.suppression("a@example.org") == nil && store.score("a@example.org") == nil)
        #expect(try store.suppressionRemovals(address: "a@example.org").map(\.note) == ["the mailbox was fixed"])
        #expect(throws: SuppressionLiftError.notSuppressed("a@example.org")) {
            _ = try SuppressionLift.remove(
                address: "a@example.org", note: "again", store: store, now: Self.t0)
        }
        for reason in [SuppressionReason.complaint, .unsubscribed, .stop, .erased] {
            store.state.withLock {
                $0.suppressions["p@example.org"] = SuppressionEntry(
                    address: "p@example.org", reason: reason, detail: nil, since: 0)
            }
            #expect(throws: SuppressionLiftError.theirNo(address: "p@example.org", reason: reason, since: 0)) {
                _ = try SuppressionLift.remove(
                    address: "p@example.org", note: "fixed", store: store, now: Self.t0)
            }
            #expect(store.suppression("p@example.org") == reason)
            #expect(try store.suppressionRemovals(address: "p@example.org").isEmpty)
        }
        #expect(
            SuppressionLiftError.theirNo(address: "p@example.org", reason: .complaint, since: 0).description
                == "p@example.org is suppressed because they marked a message as spam on 1970-01-01T00:00:00Z; "
                + "a no is final: only their own opt-in lifts it (a sign-up they confirm by the link mailed to them), "
                + "not an officer.")
    }

    @Test func onlyTheirOwnConfirmedSignUpLiftsAComplaintOrAnUnsubscribe() throws {
        for reason in SuppressionReason.allCases {
            store.state.withLock {
                $0.suppressions["p@example.org"] = SuppressionEntry(
                    address: "p@example.org", reason: reason, detail: nil, since: 1000)
            }
            // A link issued before the no (an old confirmation mail) lifts nothing.
            #expect(
                try SuppressionLift.liftByOptIn(
                    address: "p@example.org", issuedAt: 999, note: "confirmed", joined: "news", contactID: nil,
                    store: store, now: Self.t0) == nil)
            let lifted = try SuppressionLift.liftByOptIn(
                address: "P@example.org", issuedAt: 1001, note: "confirmed a sign-up to news", joined: "news",
                contactID: nil, store: store, now: Self.t0)
            let theirs = reason == .complaint || reason == .unsubscribed
            #expect((lifted != nil) == theirs, "\(reason)")
            #expect(store.suppression("p@example.org") == (theirs ? nil : reason), "\(reason)")
            if theirs { #expect(lifted?.atTheirRequest == true && lifted?.note == "confirmed a sign-up to news") }
            store.state.withLock { $0.suppressions["p@example.org"] = nil }
        }
    }
}
