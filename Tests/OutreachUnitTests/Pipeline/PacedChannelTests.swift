import Synchronization
import Testing

@testable import Outreach

/// How `PacedChannel` keeps a `rate` through a `SendPacing` (the store's, shared by every node
/// on PostgreSQL): each batch takes its count's worth of the channel's time before it is sent,
/// and a pace that cannot be reached sends nothing.
@Suite struct PacedChannelTests {
    /// Records what it was asked and answers "free now", or fails like a database that is away.
    final class RecordingPacing: SendPacing {
        let asked = Mutex<[(channel: String, cost: Int64)]>([])
        let failing: Bool
        init(failing: Bool = false) { self.failing = failing }
        struct Away: Error, CustomStringConvertible { var description: String { "the database cannot be reached" } }
        func reserve(channel: String, costMicros: Int64) throws -> PacingSlot {
            if failing { throw Away() }
            asked.withLock { $0.append((channel, costMicros)) }
            return PacingSlot(start: 0, waitMicros: 0)
        }
    }

    static func batch(_ n: Int) -> [OutgoingMessage] {
        (0..<n).map { OutgoingMessage(deliveryID: Int64($0), address: "+4520\($0)", text: "hi") }
    }

    @Test func eachBatchTakesItsCountsWorthOfTheChannelsTime() {
        let pacing = RecordingPacing()
        let inner = FakeChannel(name: "sms", kind: .sms)
        let paced = PacedChannel(inner, rate: RateLimit("20/s"), batchCap: nil, pacing: pacing)
        #expect(paced.batchSize == 20)
        #expect(paced.send(Self.batch(20)).count == 20)
        #expect(paced.send(Self.batch(5)).count == 5)
        // 20 at 20/s is one second, 5 a quarter of one; by the channel's name, as every node calls it.
        #expect(pacing.asked.withLock { $0.map(\.cost) } == [1_000_000, 250_000])
        #expect(pacing.asked.withLock { $0.map(\.channel) } == ["sms", "sms"])
        #expect(inner.batches.map(\.count) == [20, 5])
    }

    @Test func withoutARateNothingIsReserved() {
        let pacing = RecordingPacing()
        let paced = PacedChannel(FakeChannel(), rate: nil, batchCap: nil, pacing: pacing)
        #expect(paced.send(Self.batch(3)).count == 3)
        #expect(pacing.asked.withLock { $0.isEmpty })
    }

    /// Never sent unpaced: the batch fails unsent, transient, so its deliveries are retried
    /// (or claimed again once their lease ends, when the outcome cannot be recorded either).
    @Test func aPaceThatCannotBeReachedSendsNothing() {
        let inner = FakeChannel(name: "sms", kind: .sms)
        let paced = PacedChannel(inner, rate: RateLimit("20/s"), batchCap: nil, pacing: RecordingPacing(failing: true))
        let outcomes = paced.send(Self.batch(4))
        #expect(inner.batches.isEmpty)
        #expect(outcomes.count == 4)
        for o in outcomes {
            guard case .transient(let why, _) = o else {
                Issue.record("\(o)")
                continue
            }
            #expect(why.contains("rate could not be kept") && why.contains("the database cannot be reached"), "\(why)")
        }
    }

    /// One process's pace (SQLite's, and the default): slots follow each other by their cost.
    @Test func theLocalPaceSpacesSlotsByTheirCost() {
        let local = LocalPacing()
        let a = local.reserve(channel: "sms", costMicros: 60_000_000)
        let b = local.reserve(channel: "sms", costMicros: 1)
        #expect(a.waitMicros == 0 && b.start == a.start + 60_000_000 && b.waitMicros > 0)
        #expect(local.reserve(channel: "mail", costMicros: 1).waitMicros == 0)
    }
}
