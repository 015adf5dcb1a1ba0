import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// Issue 19, items 6 and 10: a room channel takes a send without a recipient (CLI and API), `--data`
/// reads a pipe, and `queue list` shows when each delivery is due and what it belongs to.
@Suite struct RoomSendTests {
    static let ok = #"[{"status": 200, "body": "{\"ok\":true,\"result\":{\"message_id\":7}}"}]"#

    /// A telegram room channel `team` and an SMS channel `texts`, both against `recorder`.
    func config(_ recorder: HTTPRecorder) throws -> String {
        let dir = ChannelSections.secretDirectory(["tg-token": "123:ABC"])
        let config = dir + "/outreachd.conf"
        try """
        data_dir = "\(dir)/data"
        templates_dir = "\(TestSupport.packageRoot)/templates"
        default_locale = "en"

        [channels.team]
        type = "webhook"
        preset = "telegram"
        url = "\(recorder.url)"
        bot_token_file = "tg-token"
        chat_id = "-100123"

        [channels.texts]
        type = "sms"
        preset = "generic"
        url = "\(recorder.url)"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    func deliveries(_ config: String) throws -> [JSON] {
        let r = try TestSupport.outreachd(["--config", config, "queue", "list", "--json"])
        return try JSON.parse(r.stdout).arrayValue ?? []
    }

    /// Failed before: "--to is required".
    @Test func aRoomChannelTakesASendWithoutTo() throws {
        let recorder = try HTTPRecorder(responses: Self.ok)
        let config = try config(recorder)
        let send = try TestSupport.outreachd(["--config", config, "send", "welcome", "--channel", "team"])
        #expect(send.status == 0, "\(send.stderr)")
        let list = try deliveries(config)
        try #require(list.count == 1)
        #expect(list[0]["address"]?.stringValue == RecipientAddress.room)
        #expect(list[0]["state"]?.stringValue == "sent")
        #expect(recorder.requests().map { $0.json?["chat_id"] } == ["-100123"])
    }

    /// Today's behaviour, kept: a room channel with --to checks the addresses and posts once to the
    /// room, stored with the room's address; `--to room` is no address; other channels still need --to.
    @Test func withToARoomChannelStillPostsToTheRoomAndOthersNeedTo() throws {
        let recorder = try HTTPRecorder(responses: Self.ok)
        let config = try config(recorder)
        let send = try TestSupport.outreachd([
            "--config", config, "send", "welcome", "--channel", "team", "--to", "ana@example.org", "--to",
            "bo@example.org",
        ])
        #expect(send.status == 0, "\(send.stderr)")
        let room = try TestSupport.outreachd([
            "--config", config, "send", "welcome", "--channel", "team", "--to", "room",
        ])
        #expect(room.status == 1)
        #expect(room.stderr.contains("--to room: not an email address"), "\(room.stderr)")
        let list = try deliveries(config)
        #expect(list.map { $0["address"]?.stringValue } == [RecipientAddress.room])
        #expect(recorder.requests().count == 1)
        let texts = try TestSupport.outreachd(["--config", config, "send", "welcome", "--channel", "texts"])
        #expect(texts.status == 2 || texts.status == 1)
        #expect(texts.stderr.contains("--to is required"), "\(texts.stderr)")
        let none = try TestSupport.outreachd(["--config", config, "send", "welcome"])
        #expect(none.stderr.contains("--to is required"), "\(none.stderr)")
    }

    /// Failed before: "to: is required".
    @Test func theAPITakesARoomTriggerWithoutTo() throws {
        let recorder = try HTTPRecorder(responses: Self.ok)
        let d = try DaemonHarness(
            channels: """
                [channels.room]
                type = "webhook"
                preset = "generic"
                url = "\(recorder.url)/hook"
                target = "room"

                [channels.outbox]
                type = "outbox"
                dir = "outbox"
                """)
        try d.start()
        defer { d.stop() }
        let r = try d.send([
            d.trigger(#"{"template": "welcome", "channels": ["room"]}"#),
            d.trigger(#"{"template": "welcome", "channels": ["room", "outbox"]}"#),
        ])
        #expect(r[0].status == 202, "\(r[0].body)")
        #expect(r[1].status == 400, "\(r[1].body)")
        #expect(r[1].error.contains("to: is required"), "\(r[1].body)")
        try TestSupport.waitFor("the room to get the post") { recorder.requests().count == 1 }
        let list = try JSON.parse(try d.cli(["queue", "list", "--json"]).stdout).arrayValue ?? []
        try #require(list.count == 1)
        #expect(list[0]["address"]?.stringValue == RecipientAddress.room)
        #expect(list[0]["channel"]?.stringValue == "room")
    }

    /// Failed before: "Cannot read /dev/fd/63: permission denied."
    @Test func dataIsReadFromAPipe() throws {
        let recorder = try HTTPRecorder(responses: Self.ok)
        let config = try config(recorder)
        let r = try TestSupport.run(
            "bash",
            [
                "-c",
                #""$0" --config "$1" send welcome --channel team --to a@example.org --data <(echo "$2")"#,
                TestSupport.outreachd, config, #"{"list": {"name": "Piped"}}"#,
            ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(recorder.requests().first?.json?["text"]?.stringValue?.contains("Piped") == true)
    }

    /// Failed before: the text showed neither when a delivery is due nor its campaign or event.
    @Test func queueListShowsTheDueTimeAndTheCampaign() throws {
        let recorder = try HTTPRecorder(responses: Self.ok)
        let config = try config(recorder)
        let dir = (config as NSString).deletingLastPathComponent
        func o(_ a: [String]) throws -> TestSupport.ProcessResult {
            try TestSupport.outreachd(["--config", config] + a)
        }
        try "email,phone\nana@example.org,+4521436601\n".write(
            toFile: dir + "/c.csv", atomically: true, encoding: .utf8)
        #expect(try o(["lists", "create", "news"]).status == 0)
        #expect(try o(["contacts", "import", dir + "/c.csv", "--list", "news"]).status == 0)
        let create = try o([
            "campaigns", "create", "spring", "--template", "welcome", "--list", "news", "--channel", "texts",
        ])
        #expect(create.status == 0, "\(create.stderr)")
        let start = try o(["campaigns", "start", "spring"])
        #expect(start.status == 0, "\(start.stderr)")
        let send = try o(["send", "welcome", "--channel", "texts", "--to", "+4521436602", "--queue-only"])
        #expect(send.status == 0, "\(send.stderr)")
        let event = try o([
            "events", "create", "meetup", "--start", "2030-06-04 18:00", "--tz", "Europe/Copenhagen", "--duration",
            "2h",
            "--list", "news", "--remind", "-1d", "--channel", "texts", "--title", "Meetup",
        ])
        #expect(event.status == 0, "\(event.stderr)")
        // The reminder falls due (fanned out in this process, as `serve` would at its instant).
        let due = try #require(WallClock.parseRFC3339("2030-06-03T16:00:00Z"))
        #expect(try SQLiteStore(path: dir + "/data/outreach.db").fanOutDueReminders(now: due).deliveries == 1)
        let list = try o(["queue", "list"])
        let lines = list.stdout.split(separator: "\n").map(String.init)
        // The campaign's, the send's, and the event's invitation and reminder.
        try #require(lines.count == 4, "\(list.stdout)")
        let json = try deliveries(config)
        for (line, d) in zip(lines, json) {
            #expect(line.contains("\tdue=" + (d["next_attempt_at"]?.stringValue ?? "?")), "\(line)")
        }
        #expect(lines.filter { $0.contains("\tcampaign=spring") }.count == 1, "\(list.stdout)")
        #expect(lines.filter { $0.contains("\tevent=meetup") && $0.contains("due=2030-06-03T16:00:00Z") }.count == 1)
        #expect(lines.filter { $0.contains("\tevent=meetup") }.count == 2, "\(list.stdout)")
        #expect(
            lines.contains { $0.contains("+4521436602") && !$0.contains("campaign=") && !$0.contains("event=") },
            "\(list.stdout)")
    }
}
