import Foundation
import Outreach

/// `storage bench-queue --channel NAME [--batch N]` (hidden, for bench/postgres/run.sh): claims and
/// completes as sent every due delivery of `NAME`, batch after batch as `DeliveryWorker` does,
/// through the `DeliveryQueue` protocol alone, and prints how many and how fast. Nothing is sent,
/// so `NAME` must be a channel the configuration does not have: a real channel's deliveries would
/// be marked sent without having gone anywhere.
struct StorageBenchQueueCommand: Command {
    static let path = ["storage", "bench-queue"]
    static let summary = "(benchmark) claim and complete a channel's deliveries without sending"
    static let help = """
        outreachd storage bench-queue --channel NAME [--batch N]
          Benchmark of the queue (bench/postgres/run.sh): claims every due delivery of NAME, N at a
          time (default 256, an SMTP channel's batch), and completes each batch as sent, as a
          worker does, without sending anything. NAME must not be a configured channel.
          Prints `deliveries=… batches=… seconds=… per_second=…`.
        """
    static let valueOptions: Set<String> = ["--channel", "--batch"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        guard let channel = args.value("--channel"), !channel.isEmpty else {
            throw UsageError("--channel NAME is required")
        }
        guard let batch = Int(args.value("--batch") ?? "256"), batch > 0 else {
            throw UsageError("--batch must be a positive whole number")
        }
        guard try context.config.channels[channel] == nil else {
            throw UsageError(
                "channel '\(channel)' is configured, and this benchmark marks deliveries sent without sending them; "
                    + "name a channel the configuration does not have")
        }
        let queue: any DeliveryQueue = try context.store
        let owner = DeliveryWorker.defaultOwner()
        var count = 0
        var batches = 0
        let start = DispatchTime.now().uptimeNanoseconds
        while true {
            let claimed = try queue.claim(
                channels: [channel], limit: batch, owner: owner, leaseMillis: 5 * 60_000, now: WallClock.nowMillis())
            if claimed.isEmpty { break }
            let results = claimed.map {
                DeliveryResult(
                    id: $0.delivery.id, outcome: .sent(providerID: nil), retryAt: nil, address: $0.delivery.address)
            }
            try queue.complete(results, owner: owner, now: WallClock.nowMillis())
            count += claimed.count
            batches += 1
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        context.print(
            "deliveries=\(count) batches=\(batches) seconds=\(String(format: "%.3f", seconds)) "
                + "per_second=\(Int(Double(count) / max(seconds, 1e-9)))")
        return 0
    }
}
