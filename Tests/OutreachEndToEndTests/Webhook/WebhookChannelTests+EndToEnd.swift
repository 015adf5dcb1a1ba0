import Channels
import Foundation
import Outreach
import OutreachTestFixtures
import Testing

@Suite struct WebhookChannelTests {
    static let text = "Hej æøå – \"quoted\" 🎉\nline two"

    func send(
        _ preset: String, _ extra: [String: ConfigValue] = [:], responses: String? = nil, dir: String? = nil,
        message: OutgoingMessage = OutgoingMessage(deliveryID: 42, address: "", text: WebhookChannelTests.text)
    )
        throws -> (DeliveryOutcome, HTTPRecorder.Request, HTTPRecorder)
    {
        let recorder = try HTTPRecorder(responses: responses)
        var values: [String: ConfigValue] = [
            "type": "webhook", "preset": .string(preset), "url": .string(recorder.url + "/hooks/abc"),
        ]
        values.merge(extra) { $1 }
        let section = dir.map { ChannelSections.make("team", values, dir: $0) } ?? ChannelSections.make("team", values)
        let channel = try WebhookChannel(name: "team", section: section)
        let outcome = channel.send([message])
        let seen = recorder.requests()
        try #require(seen.count == 1)
        return (outcome[0], seen[0], recorder)
    }

    @Test func slack() throws {
        let (outcome, r, _) = try send("slack")
        #expect(outcome == .sent(providerID: nil))
        #expect(r.method == "POST")
        #expect(r.path == "/hooks/abc")
        #expect(r.header("Content-Type") == "application/json")
        #expect(r.header("webhook-id") == "42")
        #expect(r.header("webhook-signature") == nil)
        #expect(r.json == ["text": .string(Self.text)])
    }

    @Test func mattermostWithChannelAndUsername() throws {
        let (_, r, _) = try send("mattermost", ["channel": "town-square", "username": "Outreach"])
        #expect(r.json == ["text": .string(Self.text), "channel": "town-square", "username": "Outreach"])
        #expect(r.header("webhook-id") == "42")
    }

    @Test func discord() throws {
        let (_, r, _) = try send("discord")
        #expect(r.method == "POST")
        #expect(r.json == ["content": .string(Self.text)])
    }

    @Test func discordRefusesOverlongText() throws {
        let recorder = try HTTPRecorder()
        let channel = try WebhookChannel(
            name: "team",
            section: ChannelSections.make(
                "team",
                [
                    "type": "webhook", "preset": "discord", "url": .string(recorder.url),
                ]))
        let outcome = channel.send([
            OutgoingMessage(deliveryID: 1, address: "", text: String(repeating: "x", count: 2001))
        ])
        guard case .permanent(let why, _) = outcome[0] else { Issue.record("\(outcome)"); return }
        #expect(why.contains("2000"))
        #expect(recorder.requests().isEmpty)
    }

    @Test func teamsAdaptiveCard() throws {
        let message = OutgoingMessage(deliveryID: 42, address: "", subject: "Dinner club", text: Self.text)
        let (_, r, _) = try send("teams", message: message)
        let expected: JSON = [
            "type": "message",
            "attachments": [
                [
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": [
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard", "version": "1.4",
                        "body": [
                            [
                                "type": "TextBlock", "text": "Dinner club", "weight": "Bolder", "size": "Medium",
                                "wrap": true,
                            ],
                            ["type": "TextBlock", "text": .string(Self.text), "wrap": true],
                        ],
                    ],
                ]
            ],
        ]
        #expect(r.json == expected)
    }

    @Test func telegram() throws {
        let dir = ChannelSections.secretDirectory(["tg-token": "123:ABC"])
        let recorder = try HTTPRecorder(
            responses:
                #"[{"status": 200, "headers": {"Content-Type": "application/json"}, "body": "{\"ok\":true,\"result\":{\"message_id\":77}}"}]"#
        )
        let channel = try WebhookChannel(
            name: "team",
            section: ChannelSections.make(
                "team",
                [
                    "type": "webhook", "preset": "telegram", "url": .string(recorder.url + "/"),
                    "bot_token_file": "tg-token",
                    "chat_id": "-100123",
                ], dir: dir))
        let outcome = channel.send([OutgoingMessage(deliveryID: 42, address: "", text: Self.text)])
        #expect(outcome == [.sent(providerID: "77")])
        let r = try #require(recorder.requests().first)
        #expect(r.method == "POST")
        #expect(r.path == "/bot123:ABC/sendMessage")
        #expect(r.json == ["chat_id": "-100123", "text": .string(Self.text)])
        #expect(r.header("webhook-id") == "42")
    }

    @Test func matrix() throws {
        let dir = ChannelSections.secretDirectory(["mx-token": "syt_secret"])
        let recorder = try HTTPRecorder(responses: #"[{"status": 200, "body": "{\"event_id\":\"$ev1:example.org\"}"}]"#)
        let channel = try WebhookChannel(
            name: "team",
            section: ChannelSections.make(
                "team",
                [
                    "type": "webhook", "preset": "matrix", "url": .string(recorder.url),
                    "access_token_file": "mx-token",
                    "room": "!room:example.org",
                ], dir: dir))
        let message = OutgoingMessage(deliveryID: 42, address: "", text: Self.text, html: "<b>Hej</b>")
        #expect(channel.send([message]) == [.sent(providerID: "$ev1:example.org")])
        let r = try #require(recorder.requests().first)
        #expect(r.method == "PUT")
        #expect(r.path.removingPercentEncoding == "/_matrix/client/v3/rooms/!room:example.org/send/m.room.message/42")
        #expect(r.header("Authorization") == "Bearer syt_secret")
        #expect(
            r.json == [
                "msgtype": "m.text", "body": .string(Self.text), "format": "org.matrix.custom.html",
                "formatted_body": "<b>Hej</b>",
            ])
    }

    @Test func genericJSONFromTemplate() throws {
        let body = #"{"event": "reminder", "text": "Hej \"Ana\" æ", "n": 3, "tags": ["a"]}"#
        let message = OutgoingMessage(deliveryID: 42, address: "", text: "ignored", body: body)
        let (_, r, _) = try send(
            "generic",
            [
                "method": "PUT",
                "headers": .strings(["X-Api-Key: k1", "Content-Type: application/json; charset=utf-8"]),
            ],
            message: message)
        #expect(r.method == "PUT")
        #expect(r.header("X-Api-Key") == "k1")
        #expect(r.headers("Content-Type") == ["application/json; charset=utf-8"])
        #expect(r.body == body)  // the rendered template goes out byte for byte
        #expect(r.header("webhook-id") == "42")
    }

    @Test func genericForm() throws {
        let body = #"{"text": "a&b=c æ+", "to": "room 1", "n": 2}"#
        let message = OutgoingMessage(deliveryID: 42, address: "", text: "x", body: body)
        let (_, r, _) = try send("generic", ["content_type": "form"], message: message)
        #expect(r.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(r.form == ["text": "a&b=c æ+", "to": "room 1", "n": "2"])
    }

    @Test func genericRefusesABodyThatIsNotJSON() throws {
        let recorder = try HTTPRecorder()
        let channel = try WebhookChannel(
            name: "team",
            section: ChannelSections.make(
                "team",
                [
                    "type": "webhook", "preset": "generic", "url": .string(recorder.url),
                ]))
        let outcome = channel.send([OutgoingMessage(deliveryID: 1, address: "", text: "x", body: "{\"a\": ")])
        guard case .permanent(let why, _) = outcome[0] else { Issue.record("\(outcome)"); return }
        #expect(why.contains("not JSON"))
        #expect(recorder.requests().isEmpty)
    }

    @Test func contactTargetPostsToEachAddress() throws {
        let recorder = try HTTPRecorder()
        let channel = try WebhookChannel(
            name: "dm",
            section: ChannelSections.make(
                "dm",
                [
                    "type": "webhook", "preset": "mattermost", "url": .string(recorder.url), "target": "contact",
                    "address_attribute": "mattermost",
                ]))
        #expect(channel.target == .contact)
        #expect(channel.addressAttribute == "mattermost")
        let outcomes = channel.send([
            OutgoingMessage(deliveryID: 1, address: "@ana", text: "a"),
            OutgoingMessage(deliveryID: 2, address: "", text: "b"),
            OutgoingMessage(deliveryID: 3, address: "@bo", text: "c"),
        ])
        #expect(outcomes[0] == .sent(providerID: nil))
        #expect(outcomes[1] == .permanent("The contact has no 'mattermost' attribute to post to."))
        #expect(outcomes[2] == .sent(providerID: nil))
        let seen = recorder.requests().sorted { $0.header("webhook-id")! < $1.header("webhook-id")! }
        #expect(seen.map { $0.json?["channel"] } == [.string("@ana"), .string("@bo")])
    }

    @Test func signatureVerifiesWithStandardWebhooksPackage() throws {
        let secret = ChannelSections.newSecret()
        let dir = ChannelSections.secretDirectory(["team-secret": secret])
        let recorder = try HTTPRecorder(secret: secret)
        let channel = try WebhookChannel(
            name: "team",
            section: ChannelSections.make(
                "team",
                [
                    "type": "webhook", "preset": "slack", "url": .string(recorder.url),
                    "signing_secret_file": "team-secret",
                ], dir: dir))
        _ = channel.send([
            OutgoingMessage(deliveryID: 7, address: "", text: Self.text),
            OutgoingMessage(deliveryID: 8, address: "", text: "second"),
        ])
        let seen = recorder.requests()
        #expect(seen.count == 2)
        for r in seen {
            #expect(r.signature == "ok")
            #expect(r.header("webhook-timestamp") != nil)
            #expect(r.header("webhook-signature")?.hasPrefix("v1,") == true)
        }
        #expect(Set(seen.compactMap { $0.header("webhook-id") }) == ["7", "8"])
    }

    @Test func signatureFromWrongSecretIsRejectedByThePackage() throws {
        let dir = ChannelSections.secretDirectory(["team-secret": ChannelSections.newSecret()])
        let recorder = try HTTPRecorder(secret: ChannelSections.newSecret())
        let channel = try WebhookChannel(
            name: "team",
            section: ChannelSections.make(
                "team",
                [
                    "type": "webhook", "preset": "slack", "url": .string(recorder.url),
                    "signing_secret_file": "team-secret",
                ], dir: dir))
        _ = channel.send([OutgoingMessage(deliveryID: 7, address: "", text: "x")])
        let r = try #require(recorder.requests().first)
        #expect(r.signature?.hasPrefix("WebhookVerificationError") == true)
    }

    @Test func tooManyRequestsThenSuccess() throws {
        let recorder = try HTTPRecorder(
            responses:
                #"[{"status": 429, "headers": {"Retry-After": "2"}, "body": "slow down"}, {"status": 200, "body": "ok"}]"#
        )
        let channel = try WebhookChannel(
            name: "team",
            section: ChannelSections.make(
                "team",
                [
                    "type": "webhook", "preset": "slack", "url": .string(recorder.url),
                ]))
        let message = OutgoingMessage(deliveryID: 9, address: "", text: "x")
        let first = channel.send([message])
        guard case .transient(let why, let retryAfter) = first[0] else { Issue.record("\(first)"); return }
        #expect(retryAfter == 2)
        #expect(why.contains("429"))
        #expect(channel.send([message]) == [.sent(providerID: nil)])
        // The repeat carries the same webhook-id, so a receiver can drop it if the first had arrived.
        #expect(recorder.requests().map { $0.header("webhook-id") } == ["9", "9"])
    }

    @Test func statusClassification() throws {
        let recorder = try HTTPRecorder(
            responses:
                #"[{"status": 400, "body": "invalid_payload"}, {"status": 503}, {"status": 404}, {"status": 429, "body": "{\"ok\":false,\"parameters\":{\"retry_after\":5}}"}]"#
        )
        let channel = try WebhookChannel(
            name: "team",
            section: ChannelSections.make(
                "team",
                [
                    "type": "webhook", "preset": "slack", "url": .string(recorder.url), "max_connections": 1,
                ]))
        let m = OutgoingMessage(deliveryID: 1, address: "", text: "x")
        #expect(channel.send([m]) == [.permanent("slack webhook team answered HTTP 400: invalid_payload")])
        // A 503 is the endpoint being down: the channel waits for it (issue 14.12).
        #expect(channel.send([m]) == [.unreachable("slack webhook team answered HTTP 503", peerAnswered: true)])
        #expect(channel.send([m]) == [.permanent("slack webhook team answered HTTP 404")])
        guard case .transient(_, let after) = channel.send([m])[0] else { Issue.record("not transient"); return }
        #expect(after == 5)
    }

    @Test func slowPeerTimesOutAsTransient() throws {
        let recorder = try HTTPRecorder(responses: #"[{"status": 200, "delay": 3}]"#)
        let channel = try WebhookChannel(
            name: "team",
            section: ChannelSections.make(
                "team",
                [
                    "type": "webhook", "preset": "slack", "url": .string(recorder.url), "timeout": 1,
                ]))
        let outcome = channel.send([OutgoingMessage(deliveryID: 1, address: "", text: "x")])
        guard case .transient(let why, nil) = outcome[0] else {
            Issue.record("expected transient, got \(outcome)"); return
        }
        #expect(why.contains("No answer"))
    }

    /// A closed port is the channel's problem, not the message's (issue 14.12).
    @Test func unreachablePeerIsUnreachable() throws {
        let port = TestSupport.freePort()
        let channel = try WebhookChannel(
            name: "team",
            section: ChannelSections.make(
                "team",
                [
                    "type": "webhook", "preset": "slack", "url": .string("http://127.0.0.1:\(port)/x"),
                ]))
        guard case .unreachable = channel.send([OutgoingMessage(deliveryID: 1, address: "", text: "x")])[0] else {
            Issue.record("expected unreachable"); return
        }
    }

}
