import Foundation
import Outreach

struct CampaignsReportCommand: Command {
    static let path = ["campaigns", "report"]
    static let summary = "write a self-contained HTML report"
    static let help = """
        outreachd campaigns report NAME --html FILE
          One HTML file with no outside resources: totals by state, the delivery timeline as a chart,
          and failures listed by reason; of a recurring campaign, every run together.
        """
    static let valueOptions: Set<String> = ["--html"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let file = try args.require("--html")
        let store = try context.store
        guard let c = try store.campaign(named: name), let mid = c.messageID else { throw CampaignError.unknown(name) }
        // A recurring campaign's deliveries are its runs' (each run has a message of its own).
        let runs = try store.campaignRuns(campaign: name)
        let ids = [mid] + runs.compactMap(\.messageID)
        let counts = try CampaignSeriesOptions.counts(c, runs: runs, store)
        let spans = try ids.compactMap { try store.sendSpan(messageID: $0) }
        let span = spans.isEmpty ? nil : (first: spans.map(\.first).min()!, last: spans.map(\.last).max()!)
        // About 60 bars whatever the campaign's length, at least one second each.
        let bucket = max(1000, ((span.map { $0.last - $0.first } ?? 0) / 60 / 1000 + 1) * 1000)
        var bars: [Int64: Int] = [:]
        var failed: [String: (state: DeliveryState, reason: String, count: Int)] = [:]
        var cancelled: [CancelReason: Int] = [:]
        for id in ids {
            for b in try store.sendTimeline(messageID: id, bucketMillis: bucket) {
                bars[b.start, default: 0] += b.count
            }
            for f in try store.failureReasons(messageID: id) {
                failed["\(f.state.rawValue) \(f.reason)", default: (f.state, f.reason, 0)].count += f.count
            }
            cancelled.merge(try store.cancelReasons(messageID: id), uniquingKeysWith: +)
        }
        let html = CampaignReport(
            campaign: c, counts: counts,
            timeline: bars.sorted { $0.key < $1.key }.map { (start: $0.key, count: $0.value) },
            bucketMillis: bucket, failures: failed.values.sorted { $0.count > $1.count }, cancelled: cancelled
        ).html
        do { try html.write(toFile: file, atomically: true, encoding: .utf8) } catch {
            throw CLIError.failed("Cannot write \(file): \(error.localizedDescription).")
        }
        context.print("Wrote \(file).")
        return 0
    }
}
