import Foundation
import Outreach

struct CampaignsReportCommand: Command {
    static let path = ["campaigns", "report"]
    static let summary = "write a self-contained HTML report"
    static let help = """
        outreachd campaigns report NAME --html FILE
          One HTML file with no outside resources: totals by state, the delivery timeline as a chart,
          and failures listed by reason.
        """
    static let valueOptions: Set<String> = ["--html"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let file = try args.require("--html")
        let store = try context.store
        guard let c = try store.campaign(named: name), let mid = c.messageID else { throw CampaignError.unknown(name) }
        let counts = try store.queueCounts(messageID: mid)
        let span = try store.sendSpan(messageID: mid)
        // About 60 bars whatever the campaign's length, at least one second each.
        let bucket = max(1000, ((span.map { $0.last - $0.first } ?? 0) / 60 / 1000 + 1) * 1000)
        let timeline = try store.sendTimeline(messageID: mid, bucketMillis: bucket)
        let failures = try store.failureReasons(messageID: mid)
        let html = CampaignReport(
            campaign: c, counts: counts, timeline: timeline, bucketMillis: bucket, failures: failures,
            cancelled: try store.cancelReasons(messageID: mid)
        ).html
        do { try html.write(toFile: file, atomically: true, encoding: .utf8) } catch {
            throw CLIError.failed("Cannot write \(file): \(error.localizedDescription).")
        }
        context.print("Wrote \(file).")
        return 0
    }
}
