import Foundation
import Outreach
import Testing

/// Issue 14.2: a gateway's credentials never reach a stored error, an answer, a report or the log.
/// Real channels point at a closed loopback port (connection refused: libcurl's error and the
/// request URL) or at a recorder that echoes a secret in its error body; every output is grepped
/// for every configured secret, raw and percent-encoded.
@Suite(.serialized)
struct SecretRedactionTests {
    /// Distinctive values, one per place a secret can be configured.
    static let secrets = [
        "Kp/ss w0rd+7f3a",  // kannel password: in the query string, percent-encoded
        "RcptTok-91c2",  // receipt_token: inside the dlr-url query value
        "123456:TgSecret-44d1",  // telegram bot token: in the URL path
        "GenKey-5b8e",  // a generic webhook's ?api_key= in its configured url
        "HdrBearer-2c7d",  // a configured Authorization header
        "SlackHook-1f4a",  // the secret path of a Slack webhook URL
        "VonSec-3e9f",  // vonage api_secret, echoed back by the gateway's error body
        "SmtpUrlPw-8d2e",  // a password in an smtp:// URL's userinfo
    ]

    /// Every form a secret could take in text: raw, percent-encoded (upper and lower hex), form-encoded.
    static func forms(_ secret: String) -> [String] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = secret.addingPercentEncoding(withAllowedCharacters: allowed)!
        return [
            secret, encoded, encoded.lowercased(), encoded.replacingOccurrences(of: "%20", with: "+"),
            secret.replacingOccurrences(of: "/", with: "\\/"),
        ]
    }

    /// The secrets (in any form) that `text` contains.
    static func leaks(_ text: String) -> [String] {
        secrets.filter { s in forms(s).contains { text.contains($0) } }
    }

    static func channels(closed: Int, echo: HTTPRecorder) -> String {
        """
        [channels.kannel]
        type = "sms"
        preset = "kannel"
        url = "http://127.0.0.1:\(closed)/cgi-bin/sendsms"
        username = "outreach"
        password = "Kp/ss w0rd+7f3a"
        receipt_token = "RcptTok-91c2"
        default_country = "DK"

        [channels.telegram]
        type = "webhook"
        preset = "telegram"
        url = "http://127.0.0.1:\(closed)"
        bot_token = "123456:TgSecret-44d1"
        chat_id = "42"

        [channels.hook]
        type = "webhook"
        url = "http://127.0.0.1:\(closed)/hook?api_key=GenKey-5b8e&x=1"
        headers = ["Authorization: Bearer HdrBearer-2c7d"]

        [channels.slack]
        type = "webhook"
        preset = "slack"
        url = "http://127.0.0.1:\(closed)/services/T0/B0/SlackHook-1f4a"

        [channels.vonage]
        type = "sms"
        preset = "vonage"
        url = "\(echo.url)/sms/json"
        api_key = "vonkey"
        api_secret = "VonSec-3e9f"
        from = "Outreach"
        default_country = "DK"

        [channels.mail]
        type = "smtp"
        url = "smtp://outreach:SmtpUrlPw-8d2e@127.0.0.1:\(closed)"
        tls = "none"
        """
    }

    /// A gateway that refuses with the request's credentials in its error text, as some do.
    static func echoingGateway() throws -> HTTPRecorder {
        try HTTPRecorder(
            responses: #"[{"status": 500, "body": "internal error: api_secret=VonSec-3e9f "#
                + #"Authorization: Bearer HdrBearer-2c7d"}]"#)
    }

    static let names = ["kannel", "telegram", "hook", "slack", "vonage", "mail"]

    @Test func noConfiguredSecretAppearsInAnyCommandsOutputOrTheDatabase() throws {
        let echo = try Self.echoingGateway()
        let d = try DaemonHarness(channels: Self.channels(closed: TestSupport.freePort(), echo: echo))
        var outputs: [(what: String, text: String)] = []
        func run(_ args: [String]) throws -> TestSupport.ProcessResult {
            let r = try d.cli(args)
            outputs.append((args.joined(separator: " "), r.stdout + r.stderr))
            return r
        }
        #expect(try run(["lists", "create", "members"]).status == 0)
        #expect(
            try run([
                "contacts", "add", "--email", "ana@example.org", "--phone", "+4521436677", "--name", "Ana",
                "--list", "members",
            ]).status == 0)
        for name in Self.names {
            _ = try run(["send", "welcome", "--to", "ana@example.org", "--channel", name])
            _ = try run(["send", "welcome", "--to", "ana@example.org", "--channel", name, "--json"])
            let queued = try run(["send", "welcome", "--to", "ana@example.org", "--channel", name, "--queue-only"])
            #expect(queued.status == 0)
        }
        _ = try run(["work", "--until-idle"])
        let created = try run([
            "campaigns", "create", "dec", "--template", "welcome", "--list", "members",
            "--channel", "kannel",
        ])
        #expect(created.status == 0)
        #expect(try run(["campaigns", "start", "dec"]).status == 0)
        _ = try run(["work", "--until-idle"])
        _ = try run(["queue", "list"])
        let list = try run(["queue", "list", "--json"])
        _ = try run(["contacts", "export", "ana@example.org"])
        let report = d.dir + "/report.html"
        #expect(try run(["campaigns", "report", "dec", "--html", report]).status == 0)
        outputs.append(("the campaign report", (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""))
        let dump = try TestSupport.run("sqlite3", [d.dir + "/data/outreach.db", ".dump"])
        outputs.append(("the database", dump.stdout))

        // Every channel failed and kept a reason, so there was something to leak.
        let errors = try JSON.parse(list.stdout).arrayValue ?? []
        for name in Self.names {
            let reasons = errors.filter { $0["channel"]?.stringValue == name }
                .compactMap { $0["last_error"]?.stringValue }
            #expect(!reasons.isEmpty, "no stored error for channel \(name): \(list.stdout)")
        }
        for (what, text) in outputs {
            #expect(Self.leaks(text).isEmpty, "\(what) shows \(Self.leaks(text)):\n\(text.prefix(3000))")
        }
    }

    @Test func noConfiguredSecretAppearsInTheDaemonsAnswersOrItsLog() throws {
        let echo = try Self.echoingGateway()
        let d = try DaemonHarness(channels: Self.channels(closed: TestSupport.freePort(), echo: echo))
        try d.start()
        var ids: [Int] = []
        for name in Self.names {
            let to = name == "mail" ? #"{"email":"ana@example.org"}"# : #"{"phone":"+4521436677"}"#
            let r = try d.send(d.trigger(#"{"template":"welcome","to":[\#(to)],"channels":["\#(name)"]}"#))
            #expect(r.status == 202, "\(name): \(r.body)")
            ids.append(try #require(r.json?["id"]?.intValue))
        }
        var answers: [String] = []
        try DaemonCrashTests.waitFor("every delivery's first failure", seconds: 60) {
            answers = try ids.map { id in
                try d.send([
                    "method": "GET", "path": .string("/v1/messages/\(id)"),
                    "headers": ["Authorization": .string("Bearer " + d.token)],
                ]).body
            }
            return answers.allSatisfy { (try? JSON.parse($0))?["deliveries"]?.arrayValue?.first?["last_error"] != nil }
        }
        #expect(d.stop().status == 0)
        for answer in answers {
            #expect(Self.leaks(answer).isEmpty, "GET /v1/messages shows \(Self.leaks(answer)): \(answer)")
        }
        #expect(Self.leaks(d.log).isEmpty, "the log shows \(Self.leaks(d.log)):\n\(d.log)")
    }

}
