import Foundation

extension DeliveryWorker {
    /// The longest a batch's completion is tried again while the store cannot be reached or
    /// written: half the lease (so the lease is still ours), at most a minute (a longer outage is
    /// left to the lease, as before).
    var completionRetryMillis: Int64 { min(leaseMillis / 2, 60_000) }

    /// Records a batch that was sent. A store that is away for a moment (PostgreSQL restarting, a
    /// failover, a full disk freed) is asked again, 0.1 s doubling to 2 s, for
    /// `completionRetryMillis` on the monotonic clock: the messages are on the provider's side, and
    /// a batch left leased would wait for its lease to expire (five minutes by default) and then be
    /// sent a second time. Any other error is thrown at once; so is the last one after the time.
    func completeSent(_ results: [DeliveryResult], now done: Int64) throws {
        let giveUp = DispatchTime.now().uptimeNanoseconds + UInt64(completionRetryMillis) * 1_000_000
        var pause: UInt64 = 100_000_000
        while true {
            do {
                return try store.complete(results, owner: owner, now: done)
            } catch {
                guard StorageUnavailable(error) != nil, DispatchTime.now().uptimeNanoseconds + pause < giveUp
                else { throw error }
                Thread.sleep(forTimeInterval: Double(pause) / 1e9)
                pause = min(pause * 2, 2_000_000_000)
            }
        }
    }
}
