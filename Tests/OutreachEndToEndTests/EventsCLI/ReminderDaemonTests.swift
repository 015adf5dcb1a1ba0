import Foundation
import Testing

@testable import Outreach

/// Issue 18.11 through the real binary: `serve` fans a reminder out when it falls due, once per
/// member across SIGKILLs and restarts (and a `work` run beside it), to a member who joined after
/// the event was made, over SMTP to aiosmtpd.
@Suite(.serialized) struct ReminderDaemonTests {
    /// The received messages that are reminders (no calendar part), by recipient.
    static func reminders(_ smtp: SMTPServer) -> [String: Int] {
        var out: [String: Int] = [:]
        for (i, m) in smtp.messages().enumerated() {
            let text = String(decoding: m, as: UTF8.self)
            guard !text.contains("text/calendar"),
                let to = smtp.envelope(i + 1)?["rcpt_tos"]?.arrayValue?.first?
                    .stringValue
            else { continue }
            out[to, default: 0] += 1
        }
        return out
    }

    static func sent(_ d: DaemonHarness) throws -> Int { try d.queueCounts()["sent"]?.intValue ?? 0 }

    /// `events create dinner` for list `club` on channel `mail`: a meeting two to three minutes
    /// ahead (whole minutes, UTC), reminded at each instant of `reminders` (ms since 1970).
    static func createDinner(_ d: DaemonHarness, remindingAt reminders: [Int64]) throws -> TestSupport.ProcessResult {
        let start = ((WallClock.nowMillis() + 120_000) / 60_000 + 1) * 60_000
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return try d.cli(
            [
                "events", "create", "dinner", "--start",
                f.string(from: Date(timeIntervalSince1970: Double(start) / 1000)),
                "--tz", "UTC", "--duration", "1h", "--list", "club", "--channel", "mail",
            ] + reminders.flatMap { ["--remind", "-\((start - $0) / 1000)s"] } + ["--json"])
    }

    @Test func aReminderGoesOutOncePerMemberAcrossKillsAndRestarts() throws {
        let smtp = try SMTPServer()
        let d = try DaemonHarness(
            channels: """
                [sender]
                from = "Club <club@example.org>"
                [channels.mail]
                type = "smtp"
                url = "smtp://127.0.0.1:\(smtp.port)"
                tls = "none"
                """)
        #expect(try d.cli(["lists", "create", "club"]).status == 0)
        #expect(try d.cli(["contacts", "add", "--email", "ana@example.org", "--list", "club"]).status == 0)
        // Reminded 20 and 35 seconds from now.
        let t = WallClock.nowMillis()
        let (first, second) = (t + 20_000, t + 35_000)
        let created = try Self.createDinner(d, remindingAt: [first, second])
        #expect(created.status == 0, "\(created.stderr)")
        let q = try JSON.parse(created.stdout)["queued"]
        #expect(q?["invitation"]?.intValue == 1 && q?["reminders_scheduled"]?.intValue == 2, "\(created.stdout)")
        // Bo joins after the event was made: the invitation now, the reminders when due.
        #expect(try d.cli(["contacts", "add", "--email", "bo@example.org", "--list", "club"]).status == 0)

        try d.start()
        try TestSupport.waitFor("the two invitations sent") { try Self.sent(d) >= 2 }
        d.stop(SIGKILL)
        // The first reminder falls due while no daemon runs; the restarted one sends it (its meeting
        // is still ahead), and the second at its instant while it runs.
        try TestSupport.waitFor("the first reminder's instant", interval: 0.2) { WallClock.nowMillis() > first }
        try d.start()
        try TestSupport.waitFor("both reminders sent to both members", seconds: 60) { try Self.sent(d) >= 6 }
        d.stop(SIGKILL)
        try d.start()
        #expect(try d.cli(["work", "--until-idle"]).status == 0)
        #expect(try Self.sent(d) == 6)
        #expect(Self.reminders(smtp) == ["ana@example.org": 2, "bo@example.org": 2], "\(Self.reminders(smtp))")
        #expect(smtp.messages().count == 6)
        let show = try JSON.parse(try d.cli(["events", "show", "dinner", "--json"]).stdout)
        let states = (show["occurrences"]?.arrayValue?.first?["reminders"]?.arrayValue ?? []).map {
            "\($0["state"]?.stringValue ?? "") \($0["sent"]?.intValue ?? 0)"
        }
        #expect(states == ["sent 2", "sent 2"], "\(show)")
        let status = try d.queueCounts()
        #expect(status["event_reminders"]?["scheduled"]?.intValue == 0)
        d.stop()
    }
}
