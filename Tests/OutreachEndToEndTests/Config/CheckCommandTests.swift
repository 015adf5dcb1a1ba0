import Foundation
import Testing
@testable import Outreach

/// `outreachd check` through the real binary: it finds what `serve` would refuse, with file and line.
@Suite struct CheckCommandTests {
    static func write(_ text: String) throws -> String {
        let dir = TestSupport.temporaryDirectory("check")
        let path = dir + "/outreachd.conf"
        try ("data_dir = \"\(dir)/data\"\ntemplates_dir = \"\(TestSupport.packageRoot)/templates\"\n" + text)
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func findsWhatServeWouldRefuseWithFileAndLine() throws {
        let path = try Self.write(
            """
            public_url = "https://o.example.org"
            [server]
            listen = "localhost"
            [channels.mail]
            type = "outbox"
            dir = "outbox"
            workers = 0
            [channels.texts]
            type = "outbox"
            kind = "sms"
            dir = "sms"
            quiet_hours = "21-08"
            [channels.tw]
            type = "outbox"
            kind = "sms"
            preset = "twilio"
            receipt_token = ""
            """)
        let r = try TestSupport.outreachd(["--config", path, "check"])
        #expect(r.status == 1)
        for expected in [
            "\(path):5: 'listen' must be HOST:PORT", "\(path):9: 'workers' must be between 1 and 64",
            "\(path):14: 'quiet_hours' must be HH:MM-HH:MM", "\(path):19: 'receipt_token' must be letters, digits",
            "4 problems found.",
        ] {
            #expect(r.stderr.contains(expected), "\(expected) in \(r.stderr)")
        }
        let json = try JSON.parse(try TestSupport.outreachd(["--config", path, "check", "--json"]).stdout)
        #expect(json["ok"] == .bool(false))
        #expect(json["problems"]?.arrayValue?.count == 4)
        // serve refuses the same file, naming the first of them.
        let serve = try TestSupport.run("timeout", ["20", TestSupport.outreachd, "--config", path, "serve"])
        #expect(serve.status == 1)
        #expect(serve.stderr.contains("'listen' must be HOST:PORT"))
    }

    @Test func anUnknownServerSettingIsAProblemAndAGoodFileIsOK() throws {
        let bad = try Self.write("[server]\nlisten = \"127.0.0.1:8025\"\nthread = 4\n")
        let r = try TestSupport.outreachd(["--config", bad, "check"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(bad):5: 'thread' is not a [server] setting"), "\(r.stderr)")
        let good = try Self.write(
            "[server]\nlisten = \"127.0.0.1:8025\"\nthreads = 4\n[channels.outbox]\ntype = \"outbox\"\nrate = \"10/s\"\n"
        )
        let ok = try TestSupport.outreachd(["--config", good, "check"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("OK: \(good), 1 channel,"))
        #expect(ok.stderr.isEmpty, "an outbox-only setup needs no public_url: \(ok.stderr)")
    }

    /// A mistyped or foreign setting in a channel is refused everywhere the channel runs, with the
    /// setting it most resembles; before, `quiet_hour` was silently ignored and texts went out at night.
    @Test func aChannelSettingNothingReadsIsRefused() throws {
        let path = try Self.write(
            """
            [channels.texts]
            type = "outbox"
            kind = "sms"
            quiet_hour = "21:00-08:00"
            [channels.mail]
            type = "outbox"
            auth_token = "x"
            [channels.relay]
            type = "smtp"
            url = "smtp://127.0.0.1:2525"
            password = "a"
            password_file = "b"
            """)
        let r = try TestSupport.outreachd(["--config", path, "check"])
        #expect(r.status == 1)
        #expect(
            r.stderr.contains(
                "\(path):6: 'quiet_hour' is not a setting of [channels.texts] (did you mean 'quiet_hours'?)."),
            "\(r.stderr)")
        #expect(r.stderr.contains("\(path):9: 'auth_token' is not a setting of [channels.mail]."), "\(r.stderr)")
        #expect(
            r.stderr.contains("\(path):14: 'password_file' is set together with 'password'; keep one of them."),
            "\(r.stderr)")
        for command in [
            ["work", "--until-idle"], ["serve"],
            ["send", "welcome", "--to", "a@example.org", "--channel", "mail", "--queue-only"],
        ] {
            let run = try TestSupport.run("timeout", ["20", TestSupport.outreachd, "--config", path] + command)
            #expect(run.status == 1, "\(command)")
            #expect(
                run.stderr.contains("is not a setting of [channels.") || run.stderr.contains("keep one of them"),
                "\(command): \(run.stderr)")
        }
    }

    /// A CA file that is not there is found by check, not by the first TLS handshake; a relative
    /// path is looked up beside the configuration file.
    @Test func aMissingCAFileIsAProblem() throws {
        let path = try Self.write(
            "[channels.relay]\ntype = \"smtp\"\nurl = \"smtp://127.0.0.1:2525\"\nca_file = \"relay-ca.pem\"\n")
        let dir = (path as NSString).deletingLastPathComponent
        let r = try TestSupport.outreachd(["--config", path, "check"])
        #expect(r.status == 1)
        #expect(
            r.stderr.contains("\(path):6: 'ca_file' names \(dir)/relay-ca.pem, which cannot be read."), "\(r.stderr)")
        try "-----BEGIN CERTIFICATE-----\n".write(toFile: dir + "/relay-ca.pem", atomically: true, encoding: .utf8)
        #expect(try TestSupport.outreachd(["--config", path, "check"]).status == 0)
    }

    /// A channel that really sends, without public_url or a sender: allowed, but said.
    @Test func warnsAboutLinksAndSenderThatCannotWork() throws {
        let smtp = "[channels.mail]\ntype = \"smtp\"\nurl = \"smtp://127.0.0.1:2525\"\ntls = \"none\"\n"
        let bare = try Self.write(smtp)
        let r = try TestSupport.outreachd(["--config", bare, "check"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stderr.contains(
                "warning: public_url is not set, so unsubscribe, confirmation and receipt links point to http://127.0.0.1:8025"
            ))
        #expect(r.stderr.contains("warning: [sender] from is not set"))
        let json = try JSON.parse(try TestSupport.outreachd(["--config", bare, "check", "--json"]).stdout)
        #expect(json["ok"] == .bool(true))
        #expect(json["warnings"]?.arrayValue?.count == 2)
        let set = try Self.write(
            "public_url = \"https://o.example.org\"\n[sender]\nfrom = \"Club <club@example.org>\"\n" + smtp)
        let quiet = try TestSupport.outreachd(["--config", set, "check"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    /// Issue 14.4: a channel whose receipts endpoint takes callbacks with neither a token nor a
    /// signature lets anyone mark deliveries failed or unsubscribe any number; check says so.
    @Test func warnsAboutReceiptChannelsWithoutATokenOrSignature() throws {
        let head = "public_url = \"https://o.example.org\"\n"
        let kannel =
            "[channels.sms]\ntype = \"sms\"\npreset = \"kannel\"\nurl = \"http://127.0.0.1:13013/cgi-bin/sendsms\"\n"
            + "username = \"u\"\npassword = \"p\"\nfrom = \"Club\"\n"
        let twilio =
            "[channels.tw]\ntype = \"sms\"\npreset = \"twilio\"\naccount_sid = \"AC1\"\nauth_token = \"t\"\nfrom = \"+4512345678\"\n"
        let open = try Self.write(head + kannel + twilio + "verify_signature = false\n")
        let r = try TestSupport.outreachd(["--config", open, "check"])
        #expect(r.status == 0, "\(r.stderr)")
        for channel in ["sms", "tw"] {
            #expect(
                r.stderr.contains("warning: [channels.\(channel)] takes receipts at /v1/receipts/\(channel) without"),
                "\(r.stderr)")
        }
        let json = try JSON.parse(try TestSupport.outreachd(["--config", open, "check", "--json"]).stdout)
        #expect(json["warnings"]?.arrayValue?.count == 2)
        let closed = try Self.write(head + kannel + "receipt_token = \"abc123\"\n" + twilio)
        let quiet = try TestSupport.outreachd(["--config", closed, "check"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    /// The example configuration checks clean with its credentials in place: no warning, so its
    /// Kannel channel asks for a receipt token.
    @Test func theExampleConfigurationHasNoWarnings() throws {
        let dir = TestSupport.temporaryDirectory("example")
        var text = try String(
            contentsOfFile: TestSupport.packageRoot + "/deploy/outreachd.conf.example", encoding: .utf8)
        text = text.replacingOccurrences(of: "\"/var/lib/outreach\"", with: "\"\(dir)/data\"")
            .replacingOccurrences(
                of: "\"/usr/share/outreach/templates\"", with: "\"\(TestSupport.packageRoot)/templates\"")
        try text.write(toFile: dir + "/outreachd.conf", atomically: true, encoding: .utf8)
        let secrets = [
            "api-tokens": "tok",
            "webhook-secret": "whsec_" + Data("a test secret of enough length".utf8).base64EncodedString(),
            "smtp-password": "pw", "kannel-password": "pw", "receipt-token": "0123abcd",
            "crm-hook-secret": "whsec_" + Data(repeating: 9, count: 32).base64EncodedString(),
        ]
        for (k, v) in secrets { try v.write(toFile: dir + "/" + k, atomically: true, encoding: .utf8) }
        #expect(try TestSupport.run("openssl", ["genrsa", "-out", dir + "/dkim.pem", "2048"]).status == 0)
        let r = try TestSupport.outreachd(
            ["--config", dir + "/outreachd.conf", "check"], environment: ["CREDENTIALS_DIRECTORY": dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("warning"), "\(r.stderr)")
    }
}
