import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// Through the built `outreachd`: the queue, the worker and the webhook channel together.
@Suite struct WebhookQueueTests {
    func setUp(responses: String) throws -> (config: String, recorder: HTTPRecorder) {
        let recorder = try HTTPRecorder(responses: responses)
        let dir = ChannelSections.secretDirectory(["tg-token": "123:ABC"])
        let config = dir + "/outreachd.conf"
        let text = """
            data_dir = "\(dir)/data"
            templates_dir = "\(TestSupport.packageRoot)/templates"
            default_locale = "en"

            [channels.team]
            type = "webhook"
            preset = "telegram"
            url = "\(recorder.url)"
            bot_token_file = "tg-token"
            chat_id = "-100123"
            """
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        return (config, recorder)
    }

    func deliveries(_ config: String) throws -> [JSON] {
        let r = try TestSupport.outreachd(["--config", config, "queue", "list", "--json"])
        return try JSON.parse(r.stdout).arrayValue ?? []
    }

    @Test func tooManyRequestsThenSuccessEndsInOneDelivery() throws {
        let (config, recorder) = try setUp(
            responses: #"""
                [{"status": 429, "headers": {"Retry-After": "1"}, "body": "{\"ok\":false,\"error_code\":429}"},
                 {"status": 200, "body": "{\"ok\":true,\"result\":{\"message_id\":5}}"}]
                """#)
        let send = try TestSupport.outreachd([
            "--config", config, "send", "welcome", "--to", "ana@example.org", "--channel", "team",
        ])
        // Nothing went out yet but it is tried again: exit 0, saying when (issue 19.10).
        #expect(send.status == 0, "\(send.stderr)")
        #expect(
            send.stderr.contains("Nothing was sent: the room of team failed and is tried again at"), "\(send.stderr)")
        var list = try deliveries(config)
        try #require(list.count == 1)
        #expect(list[0]["state"]?.stringValue == "failed")
        #expect(list[0]["last_error"]?.stringValue?.contains("429") == true)
        // Wait (bounded) until the Retry-After has passed and a worker run sends it.
        for _ in 0..<60 {
            try TestSupport.outreachd(["--config", config, "work", "--until-idle"])
            list = try deliveries(config)
            if list.first?["state"]?.stringValue == "sent" { break }
            usleep(250_000)
        }
        #expect(list.count == 1)
        #expect(list[0]["state"]?.stringValue == "sent")
        #expect(list[0]["attempts"]?.intValue == 2)
        #expect(list[0]["provider_id"]?.stringValue == "5")
        let seen = recorder.requests()
        #expect(seen.count == 2)
        let id = list[0]["id"]?.intValue.map(String.init)
        #expect(seen.map { $0.header("webhook-id") } == [id, id])
        #expect(seen.allSatisfy { $0.path == "/bot123:ABC/sendMessage" && $0.json?["chat_id"] == "-100123" })
    }

    /// `rate` paces `work` as it paces the daemon (the same wrapper): 9 texts at 4/s take two
    /// seconds from the first to the last, as the gateway sees them arrive.
    @Test func workKeepsToTheChannelRate() throws {
        let recorder = try HTTPRecorder(responses: #"[{"status": 200, "body": "{\"id\": 1}"}]"#)
        let dir = TestSupport.temporaryDirectory("rate")
        let config = dir + "/outreachd.conf"
        try """
        data_dir = "\(dir)/data"
        templates_dir = "\(TestSupport.packageRoot)/templates"
        [channels.texts]
        type = "sms"
        preset = "generic"
        url = "\(recorder.url)"
        rate = "4/s"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        // A mistyped address is refused before anything is queued.
        let typo = try TestSupport.outreachd([
            "--config", config, "send", "welcome", "--channel", "texts", "--to", "ana.example.org",
        ])
        #expect(typo.status == 1)
        #expect(
            typo.stderr
                == "outreachd: --to ana.example.org: not an email address (it has no @) and not a phone number (it has letters).\n",
            "\(typo.stderr)")
        // An email address is no address for an SMS channel (it was queued as one before).
        let email = try TestSupport.outreachd([
            "--config", config, "send", "welcome", "--channel", "texts", "--to", "ana@example.org",
        ])
        #expect(email.status == 1)
        #expect(email.stderr.contains("is not an address channel 'texts' can send to"), "\(email.stderr)")
        let phones = (1...9).flatMap { ["--to", "+452143660\($0)"] }
        let q = try TestSupport.outreachd(
            ["--config", config, "send", "welcome", "--channel", "texts", "--queue-only"] + phones)
        #expect(q.status == 0, "\(q.stderr)")
        let w = try TestSupport.outreachd(["--config", config, "work", "--until-idle", "--json"])
        #expect(try JSON.parse(w.stdout)["sent"]?.intValue == 9, "\(w.stderr)")
        let times = recorder.requests().compactMap(\.received).sorted()
        try #require(times.count == 9)
        // Eight intervals of 1/4 s at least; a little slack for the recorder's own clock reading.
        #expect(times[8] - times[0] >= 1.8, "9 requests in \(times[8] - times[0]) s")
    }

    @Test func badRequestEndsDead() throws {
        let (config, recorder) = try setUp(
            responses: #"[{"status": 400, "body": "{\"ok\":false,\"description\":\"Bad Request: chat not found\"}"}]"#)
        _ = try TestSupport.outreachd([
            "--config", config, "send", "welcome", "--to", "ana@example.org", "--channel", "team",
        ])
        try TestSupport.outreachd(["--config", config, "work", "--until-idle"])
        let list = try deliveries(config)
        try #require(list.count == 1)
        #expect(list[0]["state"]?.stringValue == "dead")
        #expect(list[0]["last_error"]?.stringValue?.contains("chat not found") == true)
        #expect(recorder.requests().count == 1)
    }
}
