import Foundation
import Outreach
import Synchronization
import Testing

extension StoreConformance {
    /// `SendPacing`: what every backend promises of a channel's pace. Several PostgreSQL
    /// connections at once (as several nodes) are in `PostgresStoreTests`, through
    /// `slotsTakenAtOnceNeverOverlap` too.
    public static let pacing: [StoreCheck<any SendPacing>] = [
        StoreCheck("slotsTakenAtOnceFromOneStoreNeverOverlap") {
            try slotsTakenAtOnceNeverOverlap(Array(repeating: $0, count: 4))
        },
        StoreCheck("eachChannelHasItsOwnPace", eachChannelHasItsOwnPace),
    ]

    /// An hour per slot, so every slot after the first is taken while the one before is still
    /// ahead: the starts are then exactly one cost apart, whatever the machine's speed.
    static let hourMicros: Int64 = 3_600_000_000

    /// Threads taking slots of one channel at once, each through its own pacer (one store shared,
    /// or one connection each): every slot starts exactly one cost after another — none overlaps,
    /// none is lost — and only the first starts without waiting. Read from the returned slots
    /// alone, no clock of the test's.
    public static func slotsTakenAtOnceNeverOverlap(_ pacers: [any SendPacing]) throws {
        let perThread = 12
        let slots = Mutex<[PacingSlot]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: pacers.count) { i in
            for _ in 0..<perThread {
                do {
                    let slot = try pacers[i].reserve(channel: "sms", costMicros: hourMicros)
                    slots.withLock { $0.append(slot) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let taken = slots.withLock { $0 }.sorted { $0.start < $1.start }
        #expect(taken.count == pacers.count * perThread)
        guard let first = taken.first else { return }
        #expect(taken.map(\.start) == taken.indices.map { first.start + Int64($0) * hourMicros })
        #expect(taken.dropFirst().allSatisfy { $0.waitMicros > hourMicros / 2 })
    }

    /// A channel's pace does not hold up another's, and a fresh channel is free at once.
    public static func eachChannelHasItsOwnPace(_ s: any SendPacing) throws {
        let sms = try s.reserve(channel: "sms", costMicros: hourMicros)
        #expect(sms.waitMicros == 0)
        let next = try s.reserve(channel: "sms", costMicros: 100_000)
        #expect(next.start == sms.start + hourMicros && next.waitMicros > 0)
        #expect(try s.reserve(channel: "mail", costMicros: hourMicros).waitMicros == 0)
    }
}
