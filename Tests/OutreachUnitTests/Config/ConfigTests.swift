import Foundation
import Testing
@testable import Outreach

@Suite struct ConfigTests {
    /// docs/product.md's configuration example as a user would copy it: shortened, plus a boolean and an array.
    static let example = """
        data_dir = "/var/lib/outreach"
        templates_dir = "/usr/share/outreach/templates"
        default_locale = "da"
        public_url = "https://outreach.example.org"   # base of confirm and unsubscribe links

        [server]
        listen = "127.0.0.1:8025"
        tokens_file = "api-tokens"                    # bearer tokens, one per line

        [storage]
        url = "sqlite:outreach.db"

        [sender]
        from = "Connecting Friends <venner@sprogcenter.example>"

        [channels.outbox]
        type = "outbox"
        dir = "outbox"

        [channels.email]
        type = "smtp"
        url = "smtp://smtp.example.org:587"
        max_connections = 4
        tls_verify = false
        headers = ["X-A: 1", "X-B: #2"]
        """

    @Test func readsTheProductExample() throws {
        let c = try Config.parse(Self.example, file: "/etc/outreach/outreachd.conf", environment: [:])
        #expect(c.dataDir == "/var/lib/outreach")
        #expect(c.defaultLocale == "da")
        #expect(c.senderFrom == "Connecting Friends <venner@sprogcenter.example>")
        #expect(c.sqlitePath == "/var/lib/outreach/outreach.db")
        #expect(Set(c.channels.keys) == ["outbox", "email"])
        #expect(try c.channels["email"]?.int("max_connections") == 4)
        #expect(try c.channels["email"]?.bool("tls_verify") == false)
        #expect(try c.channels["email"]?.strings("headers") == ["X-A: 1", "X-B: #2"])
        #expect(try c.server.string("listen") == "127.0.0.1:8025")
    }

    @Test func errorsNameFileLineAndKey() {
        #expect(
            throws: ConfigError.syntax(
                file: "c.conf", line: 3, message: "cannot read the value of 'url' (strings need quotes)")
        ) {
            try Config.parse("[storage]\n# x\nurl = sqlite:x.db\n", file: "c.conf", environment: [:])
        }
        #expect(throws: ConfigError.wrongType(file: "c.conf", line: 2, key: "max_connections", expected: "an integer"))
        {
            let c = try Config.parse(
                "[channels.e]\nmax_connections = \"four\"\ntype = \"smtp\"\n", file: "c.conf", environment: [:])
            _ = try c.channels["e"]!.int("max_connections")
        }
        #expect(throws: ConfigError.invalid(file: "c.conf", line: 1, key: "colour", message: "is not a known setting"))
        {
            try Config.parse("colour = \"blue\"\n", file: "c.conf", environment: [:])
        }
        #expect(throws: ConfigError.missing(file: "c.conf", section: "channels.x", key: "type")) {
            try Config.parse("[channels.x]\nurl = \"a\"\n", file: "c.conf", environment: [:])
        }
        let e = ConfigError.syntax(file: "c.conf", line: 3, message: "x")
        #expect(e.description == "c.conf:3: x.")
    }

    @Test func secretsComeFromFilesAndTheCredentialsDirectory() throws {
        let dir = TestSupport.temporaryDirectory("secret")
        try "from-config-dir\n".write(toFile: dir + "/pw", atomically: true, encoding: .utf8)
        let c = try Config.parse(
            "[channels.e]\ntype = \"smtp\"\npassword_file = \"pw\"\n", file: dir + "/o.conf", environment: [:])
        #expect(try c.channels["e"]!.secret("password") == "from-config-dir")
        let missing = try Config.parse(
            "[channels.e]\ntype = \"smtp\"\npassword_file = \"nope\"\n", file: dir + "/o.conf", environment: [:])
        #expect(
            throws: ConfigError.unreadableSecret(
                file: dir + "/o.conf", line: 3, key: "password_file", path: dir + "/nope")
        ) {
            try missing.channels["e"]!.secret("password")
        }
        // systemd's LoadCredential: a relative path is looked up in $CREDENTIALS_DIRECTORY first.
        let creds = TestSupport.temporaryDirectory("credentials")
        try "from-credentials\n".write(toFile: creds + "/pw", atomically: true, encoding: .utf8)
        let env = ["CREDENTIALS_DIRECTORY": creds]
        let section = { (name: String) in "[channels.e]\ntype = \"smtp\"\npassword_file = \"\(name)\"\n" }
        let withCreds = try Config.parse(section("pw"), file: dir + "/o.conf", environment: env)
        #expect(try withCreds.channels["e"]!.secret("password") == "from-credentials")
        #expect(try withCreds.channels["e"]!.readableFile("password_file") == creds + "/pw")
        // A name the credentials directory lacks still falls back to the configuration's folder.
        try "beside-config\n".write(toFile: dir + "/other", atomically: true, encoding: .utf8)
        let fallback = try Config.parse(section("other"), file: dir + "/o.conf", environment: env)
        #expect(try fallback.channels["e"]!.secret("password") == "beside-config")
    }

    @Test func embeddedDefaultsUseStateDirectory() {
        let c = Config.embeddedDefaults(environment: ["STATE_DIRECTORY": "/var/lib/outreach"])
        #expect(c.dataDir == "/var/lib/outreach")
        #expect(c.channels.keys.sorted() == ["outbox"])
        #expect(Config.embeddedDefaults(environment: [:]).dataDir == "outreach-data")
    }

    /// Issue 18.2: the `[sender]` values every template sees; `organisation` defaults to the name in
    /// `from`; a mistyped key is refused naming the one meant.
    @Test func theSenderGivesEveryTemplateItsValues() throws {
        let named = try Config.parse(Self.example, file: "/e/o.conf", environment: [:])
        #expect(named.templateDefaults == ["organisation": "Connecting Friends"])
        let full = try Config.parse(
            """
            [sender]
            from = "venner@sprogcenter.example"
            organisation = "Sprogcenter Aarhus"
            website = "https://sprogcenter.example"
            postal_address = "Vesterbrogade 1, 8000 Aarhus C"
            """, file: "/e/o.conf", environment: [:])
        #expect(
            full.templateDefaults == [
                "organisation": "Sprogcenter Aarhus", "website": "https://sprogcenter.example",
                "postal_address": "Vesterbrogade 1, 8000 Aarhus C",
            ])
        let bare = try Config.parse(
            "[sender]\nfrom = \"venner@sprogcenter.example\"\n", file: "/e/o.conf", environment: [:])
        #expect(bare.templateDefaults.isEmpty)
        #expect(Config.embeddedDefaults(environment: [:]).templateDefaults == ["organisation": "Outreach"])
        #expect(throws: ConfigError.self) {
            try Config.parse("[sender]\norganization = \"X\"\n", file: "/e/o.conf", environment: [:])
        }
        do {
            _ = try Config.parse("[sender]\norganization = \"X\"\n", file: "/e/o.conf", environment: [:])
        } catch {
            #expect(error.description.contains("did you mean 'organisation'"), "\(error)")
        }
    }
}
