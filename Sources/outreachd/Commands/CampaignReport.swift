import Outreach

/// The HTML of `campaigns report`: inline CSS and SVG only, so it can be mailed or archived as one file.
struct CampaignReport {
    let campaign: Campaign
    let counts: [DeliveryState: Int]
    let timeline: [(start: Int64, count: Int)]
    let bucketMillis: Int64
    let failures: [(state: DeliveryState, reason: String, count: Int)]
    /// Deliveries never sent, by why (unsubscribed, suppressed, erased, …).
    var cancelled: [CancelReason: Int] = [:]

    static func escape(_ t: String) -> String { TemplateEscaping.html(t) }

    var chart: String {
        guard let first = timeline.first, let peak = timeline.map(\.count).max(), peak > 0 else {
            return "<p>Nothing has been sent yet.</p>"
        }
        let width = 720.0, height = 200.0
        let buckets = Int((timeline.last!.start - first.start) / bucketMillis) + 1
        let barWidth = width / Double(max(buckets, 1))
        var bars = ""
        for point in timeline {
            let i = Double((point.start - first.start) / bucketMillis)
            let h = height * Double(point.count) / Double(peak)
            bars +=
                "<rect x=\"\(i * barWidth)\" y=\"\(height - h)\" width=\"\(max(barWidth - 1, 1))\" height=\"\(h)\" fill=\"#2f6f8f\"><title>\(WallClock.rfc3339(point.start)): \(point.count) sent</title></rect>"
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height) + 30)" role="img" aria-label="Deliveries sent over time" style="width:100%;max-width:760px">
            \(bars)
            <line x1="0" y1="\(height)" x2="\(width)" y2="\(height)" stroke="#333"/>
            <text x="0" y="\(height + 20)" font-size="12">\(WallClock.rfc3339(first.start))</text>
            <text x="\(width)" y="\(height + 20)" font-size="12" text-anchor="end">\(WallClock.rfc3339(timeline.last!.start + bucketMillis))</text>
            <text x="4" y="14" font-size="12">peak \(peak) per \(bucketMillis / 1000) s</text>
            </svg>
            """
    }

    var html: String {
        let total = counts.values.reduce(0, +)
        let rows = DeliveryState.allCases.filter { (counts[$0] ?? 0) > 0 }
            .map { "<tr><td>\($0.rawValue)</td><td class=n>\(counts[$0]!)</td></tr>" }.joined()
        let failureRows =
            failures.isEmpty
            ? "<p>No failures.</p>"
            : "<table><tr><th>state</th><th>reason</th><th>deliveries</th></tr>"
                + failures.map {
                    "<tr><td>\($0.state.rawValue)</td><td>\(Self.escape($0.reason.isEmpty ? "(no reason recorded)" : $0.reason))</td><td class=n>\($0.count)</td></tr>"
                }.joined()
                + "</table>"
        let cancelledRows =
            cancelled.isEmpty
            ? "<p>None.</p>"
            : "<table><tr><th>reason</th><th>deliveries</th></tr>"
                + cancelled.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { "<tr><td>\($0.key.rawValue)</td><td class=n>\($0.value)</td></tr>" }.joined()
                + "</table>"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Campaign \(Self.escape(campaign.name))</title>
            <style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
            td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}.n{text-align:right}</style></head><body>
            <h1>Campaign \(Self.escape(campaign.name))</h1>
            <p>List <b>\(Self.escape(campaign.list))</b> over \(Self.escape(campaign.channels.map(\.name).joined(separator: ", "))), state <b>\(campaign.state.rawValue)</b>\(campaign.sendAt.map { ", scheduled for \(WallClock.rfc3339($0))" } ?? "").</p>
            <h2>Deliveries: \(total)</h2><table>\(rows)</table>
            <h2>Timeline</h2>\(chart)
            <h2>Failures by reason</h2>\(failureRows)
            <h2>Not sent, by reason</h2>\(cancelledRows)
            <p><small>Generated \(WallClock.rfc3339(WallClock.nowMillis())) by outreachd.</small></p>
            </body></html>
            """
    }
}
