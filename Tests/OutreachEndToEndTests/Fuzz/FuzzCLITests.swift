import Foundation
import OutreachTestFixtures
import Testing

/// Mutated CSV files, configurations and templates through the real binary: whatever the input,
/// `outreachd` exits 0, 1 or 2, never crashes or hangs, and says what is wrong one line per message.
/// Counts, seed and reproduction: docs/testing.md.
@Suite struct FuzzCLITests {
    static let root = TestSupport.temporaryDirectory("fuzz-cli")

    /// Writes `bytes` to `path`, creating its folder.
    static func write(_ bytes: [UInt8], _ path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// A case folder, removed when the case passes and kept (and named) when it fails.
    static func inCase(_ target: String, _ i: Int, _ body: (String) throws -> String?) rethrows -> String? {
        let dir = root + "/\(target)-\(i)"
        try? FileManager.default.removeItem(atPath: dir)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard let problem = try body(dir) else {
            if ProcessInfo.processInfo.environment["OUTREACH_FUZZ_KEEP"] != nil { return nil }
            try? FileManager.default.removeItem(atPath: dir)
            return nil
        }
        return problem + " (input kept in \(dir))"
    }

    // MARK: CSV

    static let csvSeeds = [
        "email,name,phone,locale,timezone,company\nana@example.org,Ana Lima,+4521436677,pt,Europe/Lisbon,ACME\n"
            + "\"bo@example.org\",\"Bo, Jr.\",21436678,da,Europe/Copenhagen,\"Say \"\"hi\"\"\"\n",
        "\u{FEFF}Email;Name\r\nana@example.org;Ana\r\ncy@example.org;\"Cy\r\nSecond line\"\r\n",
        "phone,name,tier\n+4521436677,Ana,gold\n+46701234567,Åsa,silver\n0045 21 43 66 79,Bo,\n",
        "email\nana@example.org\nana@example.org\nANA@EXAMPLE.ORG\n\n",
        "name,email,locale\n\"Zoë \"\"Z\"\" Ødegård\",zoe@example.org,nb\n日本語,ja@example.jp,ja\n",
    ]
    static let csvMutator = FuzzMutator(
        dictionary: [
            ",", "\"", "\"\"", "\r\n", "\n", ";", "\t", "email", "phone", "name", "locale", "timezone",
            "\u{FEFF}", ",,,,", "\"\n\"", "=cmd|' /C calc'!A0", "Europe/Copenhagen", "Mars/Olympus",
        ],
        nesting: [])

    static let csvStore: String = {
        let dir = root + "/csv-store"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try? "data_dir = \"\(dir)/data\"\ntemplates_dir = \"\(TestSupport.packageRoot)/templates\"\n"
            .write(toFile: dir + "/outreachd.conf", atomically: true, encoding: .utf8)
        _ = try? TestSupport.outreachd(["--config", dir + "/outreachd.conf", "lists", "create", "club"])
        return dir
    }()

    @Test func csvImport() throws {
        let store = Self.csvStore
        #expect(FileManager.default.fileExists(atPath: store + "/data"), "the list could not be created")
        FuzzCLI.fuzz("csv", count: FuzzSettings.current.cases(120)) { i, rng in
            try Self.inCase("csv", i) { dir in
                // Each case imports into its own copy of a store holding the list, so it can be rerun alone.
                try FileManager.default.copyItem(atPath: store + "/data", toPath: dir + "/data")
                try Array("data_dir = \"\(dir)/data\"\ntemplates_dir = \"\(TestSupport.packageRoot)/templates\"\n".utf8)
                    .write(dir + "/outreachd.conf")
                try Self.write(Self.csvMutator.mutate(rng.pick(Self.csvSeeds), &rng), dir + "/contacts.csv")
                var args = ["--config", dir + "/outreachd.conf", "contacts", "import", "contacts.csv"]
                if rng.chance(50) { args += ["--list", "club"] }
                if rng.chance(50) { args.append("--skip-invalid") }
                if rng.chance(30) { args += ["--default-country", rng.pick(["DK", "SE", "US", "ZZ", "dk"])] }
                if rng.chance(20) { args.append("--json") }
                return FuzzCLI.problem(try FuzzCLI.run(args, in: dir), .importRows)
            }
        }
    }

    // MARK: TOML

    static let tomlSeeds = [
        """
        data_dir = "data"
        templates_dir = "\(TestSupport.packageRoot)/templates"
        default_locale = "da"
        default_country = "DK"
        public_url = "https://outreach.example.org"

        [server]
        listen = "127.0.0.1:8025"
        threads = 2
        max_body_bytes = 1048576
        tokens_file = "tokens"
        webhook_secret_file = "secret"
        subscribe_rate = "5/m"
        trust_proxy = false

        [sender]
        from = "Connecting Friends <venner@example.org>"
        reply_to = "svar@example.org"

        [storage]
        url = "sqlite:outreach.db"

        [campaigns]
        grace = "1h"

        [channels.email]
        type = "smtp"
        url = "smtp://127.0.0.1:2525"
        tls = "none"
        max_connections = 4
        rate = "50/s"
        max_attempts = 8
        max_age = "3d"
        retry_base = "30s"
        retry_max = "6h"
        workers = 2
        batch_size = 64

        [channels.sms]
        type = "sms"
        preset = "kannel"
        url = "http://127.0.0.1:13013/cgi-bin/sendsms"
        username = "outreach"
        password = "pw"
        from = "CFriends"
        quiet_hours = "21:00-08:00"
        quiet_hours_zone = "Europe/Copenhagen"
        receipt_token = "abc123"
        """,
        """
        # webhooks and outboxes
        data_dir = 'data'
        templates_dir = '\(TestSupport.packageRoot)/templates'
        [channels.chat]
        type = "webhook"
        preset = "slack"
        url = "https://hooks.example.org/T000/B000/XXXX"
        headers = ["X-One: 1",
                   "X-Two: two"]  # spans lines
        timeout = 30
        [channels.box]
        type = "outbox"
        kind = "sms"
        dir = "sms"
        preset = "twilio"
        [channels.generic]
        type = "webhook"
        preset = "generic"
        method = "PUT"
        url = "http://127.0.0.1:9/{address}/{delivery_id}"
        content_type = "form"
        signing_secret = "whsec_dGVzdCBzZWNyZXQgb2YgZW5vdWdoIGxlbmd0aA=="
        """,
        """
        templates_dir = "\(TestSupport.packageRoot)/templates"
        data_dir = "data"
        [channels.t]
        type = "sms"
        preset = "twilio"
        account_sid = "AC42"
        auth_token = "tok3n"
        messaging_service_sid = "MG1"
        max_attempts = 3
        retry_base = "1s"
        retry_max = "2s"
        [channels.m]
        type = "webhook"
        preset = "matrix"
        url = "https://matrix.example.org"
        room = "!room:example.org"
        access_token = "syt_x"
        """,
    ]
    static let tomlMutator = FuzzMutator(
        dictionary: [
            "[", "]", "[[", "]]", "[channels.", "=", " = ", "\"", "'", "\"\"\"", "'''", "#", "\n", "\n[server]\n",
            "\n[channels.x]\ntype = \"outbox\"\n", "true", "false", "[\"a\", ", "{ a = 1 }", "_file", "0x10",
            "1979-05-27T07:32:00Z", "inf", "\\u0000", "\\U0010FFFF", "\\x", "type", "preset", "url", "rate",
            "quiet_hours", "retry_base", "max_attempts", "max_connections", "workers", "listen", "threads",
            "\"999999999999999999999/s\"", "\"-1s\"", "\"99999999999d\"", "\"25:61-00:00\"", "\"0.0.0.0:99999\"",
        ],
        nesting: [("[", "]"), ("[\"a\",", "]"), ("{a=", "}")])

    @Test func configurationCheck() throws {
        FuzzCLI.fuzz("toml", count: FuzzSettings.current.cases(120)) { i, rng in
            try Self.inCase("toml", i) { dir in
                try Array("tok-1\n".utf8).write(dir + "/tokens")
                try Array("whsec_dGVzdCBzZWNyZXQgb2YgZW5vdWdoIGxlbmd0aA==\n".utf8).write(dir + "/secret")
                try Self.write(Self.tomlMutator.mutate(rng.pick(Self.tomlSeeds), &rng), dir + "/outreachd.conf")
                let json = rng.chance(20)
                let outcome = try FuzzCLI.run(
                    ["--config", dir + "/outreachd.conf", "check"] + (json ? ["--json"] : []), in: dir)
                return FuzzCLI.problem(outcome, json ? .checkJSON : .check)
            }
        }
    }

    // MARK: Templates

    static let templateSeeds = [
        "Hello {{name}}, {{#items}}{{.}}, {{/items}}{{^items}}none{{/items}} — {{{raw}}} {{&raw}}\n",
        "{{! a comment }}{{#person}}{{first}} {{last}}{{/person}}\n{{>footer}}\n",
        "{{<layout}}{{$title}}Welcome {{name}}{{/title}}{{$body}}<p>{{text}}</p>{{/body}}{{/layout}}\n",
        "{{=<% %>=}}<% name %> <%={{ }}=%>{{name}}\n"
            + "{{#nested.deep.value}}{{nested.deep.value}}{{/nested.deep.value}}\n",
        "{\"text\": \"{{text}}\", \"n\": {{n}}, \"items\": [{{#items}}\"{{.}}\"{{^-last}},{{/-last}}{{/items}}]}\n",
        "---\nsubject: \"Hi {{name}}\"\n---\nDear {{name}},\n{{#list}}* {{title}}\n{{/list}}\n",
    ]
    static let templateMutator = FuzzMutator(
        dictionary: [
            "{{", "}}", "{{{", "}}}", "{{#", "{{/", "{{^", "{{>", "{{<", "{{$", "{{&", "{{!", "{{=", "=}}",
            "{{.}}", "{{name}}", "{{#items}}", "{{/items}}", "{{>footer}}", "{{>self}}", "{{>loop}}",
            "{{<layout}}", "{{/layout}}", "{{$body}}", "{{/body}}", "{{=| |=}}", "{{=  =}}", "{{ . }}",
            "{{#-first}}", "{{a.b.c.d}}", "---\n", "subject:", "\n",
        ],
        nesting: [
            ("{{#items}}", "{{/items}}"), ("{{#a}}", "{{/a}}"), ("{{^x}}", "{{/x}}"), ("{{<layout}}", "{{/layout}}"),
            ("{{$body}}", "{{/body}}"),
        ])
    static let dataSeed =
        #"{"name": "Ana <b>&</b>", "raw": "<i>x</i>", "items": ["a", "b", 3, true, null, {"x": 1}], "#
        + #""text": "line\nbreak \"quoted\"", "n": 1e400, "person": {"first": "Ana", "last": "Lima"}, "#
        + #""nested": {"deep": {"value": [1, [2, [3]]]}}, "list": [{"title": "one"}, {"title": "two"}], "#
        + #""a": {"a": {"a": 1}}}"#
    static let dataMutator = FuzzMutator(
        dictionary: ["{", "}", "[", "]", ":", ",", "\"", "1e400", "-0", "\\u0000"],
        nesting: [("[", "]"), ("{\"a\":", "}")])
    /// Partials the templates may name; `self` and `loop` include themselves, `deep` fans out.
    static let partials = [
        "footer.mustache": "-- {{name}} {{#items}}[{{.}}]{{/items}}\n",
        "layout.mustache": "<h1>{{$title}}Default{{/title}}</h1>{{$body}}{{/body}}\n",
        "self.mustache": "{{#a}}{{>self}}{{/a}}",
        "loop.mustache": "{{#items}}{{>loop}}{{/items}}",
        "deep.mustache": "{{#items}}{{>footer}}{{>footer}}{{/items}}",
    ]

    static let partialsDir: String = {
        let dir = root + "/partials"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in partials { try? text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }()

    @Test func templateRender() throws {
        let partials = Self.partialsDir
        FuzzCLI.fuzz("render", count: FuzzSettings.current.cases(150)) { i, rng in
            try Self.inCase("render", i) { dir in
                let file = dir + "/t." + rng.pick(["mustache", "html", "txt", "json", "form"])
                try Self.write(Self.templateMutator.mutate(rng.pick(Self.templateSeeds), &rng), file)
                let data = rng.chance(30) ? Self.dataMutator.mutate(Self.dataSeed, &rng) : Array(Self.dataSeed.utf8)
                try Self.write(data, dir + "/data.json")
                var args = ["render", file, "--data", dir + "/data.json"]
                if rng.chance(70) { args += ["--partials", partials] }
                return FuzzCLI.problem(try FuzzCLI.run(args, in: dir), .single)
            }
        }
    }

    /// A template folder as `check` reads it: one template's variants, a layout and partials.
    static let folderSeeds: [String: String] = [
        "t/email.en.txt": "---\nsubject: \"Hi {{contact.first_name}}\"\n---\nHello {{contact.name}}\n{{>footer}}\n",
        "t/email.en.html":
            "{{<layouts/email}}{{$title}}Hi{{/title}}{{$body}}<p>{{name}}</p>{{/body}}{{/layouts/email}}\n",
        "t/sms.en.txt": "Hi {{contact.first_name}}, {{#items}}{{.}} {{/items}}\n",
        "t/chat.da.txt": "Hej {{contact.first_name}}\n",
        "layouts/email.html":
            "<html><title>{{$title}}{{/title}}</title><body>{{$body}}{{/body}}{{>footer}}</body></html>\n",
        "partials/footer.en.txt": "-- unsubscribe: {{unsubscribe_url}}\n",
        "partials/footer.en.html": "<a href=\"{{unsubscribe_url}}\">unsubscribe</a>\n",
    ]

    @Test func templateFolderCheck() throws {
        FuzzCLI.fuzz("templates", count: FuzzSettings.current.cases(60)) { i, rng in
            try Self.inCase("templates", i) { dir in
                let names = Self.folderSeeds.keys.sorted()
                let mutated = Set((0..<(1 + rng.below(2))).map { _ in rng.pick(names) })
                for name in names {
                    let text = Self.folderSeeds[name]!
                    try Self.write(
                        mutated.contains(name) ? Self.templateMutator.mutate(text, &rng) : Array(text.utf8),
                        dir + "/templates/" + name)
                }
                try Array(
                    "data_dir = \"data\"\ntemplates_dir = \"templates\"\n[channels.outbox]\ntype = \"outbox\"\n".utf8
                )
                .write(dir + "/outreachd.conf")
                return FuzzCLI.problem(
                    try FuzzCLI.run(["--config", dir + "/outreachd.conf", "check"], in: dir), .check)
            }
        }
    }
}

extension [UInt8] {
    func write(_ path: String) throws { try FuzzCLITests.write(self, path) }
}
