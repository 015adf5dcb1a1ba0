import Foundation
import Testing
@testable import Outreach

/// `outreachd send` and `work` into a real SMTP server (aiosmtpd); what arrives is read by Python's
/// `email` package and verified by dkimpy.
@Suite(.serialized) struct SMTPChannelTests {
    struct Setup {
        var dir: String
        var config: String
        func o(_ a: [String]) throws -> TestSupport.ProcessResult {
            try TestSupport.outreachd(["--config", config] + a)
        }
        var db: String { dir + "/data/outreach.db" }
    }

    /// A config whose `email` channel points at `server`, plus `extra` lines in that section.
    func setUp(_ server: SMTPServer, tls: String = "none", extra: String = "") throws -> Setup {
        let (dir, config) = try CrashTests.setUp("smtp")
        try "---\nsubject: \"🎉 Velkommen, {{contact.name}} — næste møde\"\n---\nHej {{contact.name}}, vi ses torsdag.\n"
            .write(toFile: dir + "/templates/note/email.en.txt", atomically: true, encoding: .utf8)
        try """

        [sender]
        from = "Connecting Friends <venner@sprogcenter.example>"

        [channels.email]
        type = "smtp"
        url = "\(tls == "implicit" ? "smtps" : "smtp")://127.0.0.1:\(server.port)"
        tls = "\(tls)"
        retry_base = "1s"
        \(extra)
        """.appendLine(toFile: config)
        return Setup(dir: dir, config: config)
    }

    static func parse(_ bytes: [UInt8]) throws -> JSON { try MIMEBuilderTests.parse(bytes) }

    @Test func namesSubjectAndBothAlternativesArriveIntact() throws {
        let server = try SMTPServer()
        let s = try setUp(server)
        let names = ["Søren Ærø", "Åsa Öberg", "João Gonçalves", "محمد"]
        for (i, n) in names.enumerated() {
            #expect(try s.o(["contacts", "add", "--email", "p\(i)@example.org", "--name", n]).status == 0)
        }
        let r = try s.o(
            ["send", "note", "--channel", "email"] + (0..<names.count).flatMap { ["--to", "p\($0)@example.org"] })
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        let received = server.messages()
        #expect(received.count == names.count)
        var seen: [String: JSON] = [:]
        for m in received {
            let p = try Self.parse(m)
            if let to = p["to"]?.arrayValue?.first?.arrayValue?.first?.stringValue { seen[to] = p }
        }
        for n in names {
            let p = try #require(seen[n], "no message for \(n)")
            #expect(p["subject"]?.stringValue == "🎉 Velkommen, \(n) — næste møde")
            #expect(p["from"] == .array([.array(["Connecting Friends", "venner@sprogcenter.example"])]))
            let types = p["parts"]?.arrayValue?.map { $0["type"]?.stringValue ?? "" } ?? []
            #expect(types == ["multipart/alternative", "text/plain", "text/html"])
            #expect(p["parts"]?.arrayValue?[1]["text"]?.stringValue?.contains("Hej \(n), vi ses torsdag.") == true)
            #expect(p["defects"] == .array([]))
        }
        #expect(server.envelope(1)?["mail_from"] == "venner@sprogcenter.example")
    }

    @Test func startTLSWithAuth() throws {
        let cert = try SMTPServer.selfSignedCertificate()
        let server = try SMTPServer(tls: cert, auth: "news:s3cret")
        let s = try setUp(
            server, tls: "starttls", extra: "username = \"news\"\npassword_file = \"pw\"\ntls_verify = false")
        try "s3cret\n".write(toFile: s.dir + "/pw", atomically: true, encoding: .utf8)
        #expect(try s.o(["send", "note", "--channel", "email", "--to", "a@example.org"]).status == 0)
        #expect(server.messages().count == 1)
        #expect(server.envelope(1)?["tls"] == true)
        // A wrong password is a clear, retryable failure, and nothing is sent.
        try "wrong\n".write(toFile: s.dir + "/pw", atomically: true, encoding: .utf8)
        let r = try s.o(["send", "note", "--channel", "email", "--to", "b@example.org"])
        #expect(r.stdout.contains("failed") && r.stdout.contains("username or password"), "\(r.stdout)")
        #expect(server.messages().count == 1)
    }

    @Test func implicitTLSVerifiedWithCAFile() throws {
        let cert = try SMTPServer.selfSignedCertificate()
        let server = try SMTPServer(tls: cert, implicitTLS: true, auth: "news:s3cret")
        let s = try setUp(
            server, tls: "implicit", extra: "username = \"news\"\npassword_file = \"pw\"\nca_file = \"\(cert.cert)\"")
        try "s3cret\n".write(toFile: s.dir + "/pw", atomically: true, encoding: .utf8)
        let r = try s.o(["send", "note", "--channel", "email", "--to", "a@example.org"])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(server.messages().count == 1)
        #expect(server.envelope(1)?["auth"] == true)
    }

    @Test func untrustedCertificateIsRefused() throws {
        let cert = try SMTPServer.selfSignedCertificate()
        let server = try SMTPServer(tls: cert)
        // tls_verify stays on and no ca_file names the self-signed certificate.
        let s = try setUp(server, tls: "starttls")
        let r = try s.o(["send", "note", "--channel", "email", "--to", "a@example.org"])
        // A relay that cannot be verified cannot be reached: the message waits, its attempt given back.
        #expect(r.stdout.contains("queued") && r.stdout.contains("certificate"), "\(r.stdout)")
        #expect(server.messages().isEmpty)
    }

    @Test func startTLSRequiredNeverFallsBackToPlaintext() throws {
        let server = try SMTPServer()  // offers no STARTTLS
        let s = try setUp(server, tls: "starttls")
        let r = try s.o(["send", "note", "--channel", "email", "--to", "a@example.org"])
        #expect(r.stdout.contains("failed") && r.stdout.contains("STARTTLS"), "\(r.stdout)")
        #expect(server.messages().isEmpty)
    }

    @Test func fourFiftyOneThenTwoFiftyIsOneSentMessage() throws {
        let server = try SMTPServer(dataReplies: ["451 4.3.0 Try again later"])
        let s = try setUp(server)
        let r = try s.o(["send", "note", "--channel", "email", "--to", "a@example.org", "--json"])
        let d = try JSON.parse(r.stdout)["deliveries"]?.arrayValue?.first
        #expect(d?["state"] == "failed")
        #expect(d?["last_error"]?.stringValue?.contains("451 4.3.0 Try again later") == true)
        // retry_base = 1s (±20 %): runs again until the retry is due and sent, instead of sleeping past it.
        try TestSupport.waitFor("the retry after the 451", interval: 0.2) {
            #expect(try s.o(["work", "--until-idle"]).status == 0)
            return try CrashTests.count(s.db, "SELECT COUNT(*) FROM deliveries WHERE state='failed'") == 0
        }
        #expect(server.messages().count == 1)
        #expect(try CrashTests.count(s.db, "SELECT COUNT(*) FROM deliveries WHERE state='sent' AND attempts=2") == 1)
    }

    @Test func fiveFiftyOnRecipientIsDeadWithTheReplyAndSuppresses() throws {
        let server = try SMTPServer(rejectRecipients: [
            "gone@example.org": "550 5.1.1 <gone@example.org>: Recipient address rejected"
        ])
        let s = try setUp(server)
        _ = try s.o(["send", "note", "--channel", "email", "--to", "gone@example.org"])
        let dead = try JSON.parse(try s.o(["queue", "list", "--state", "dead", "--json"]).stdout).arrayValue ?? []
        #expect(dead.count == 1)
        #expect(dead.first?["last_error"]?.stringValue?.contains("550 5.1.1") == true)
        #expect(
            try CrashTests.count(
                s.db, "SELECT COUNT(*) FROM suppressions WHERE address='gone@example.org' AND reason='bounce'") == 1)
        #expect(server.messages().isEmpty)
    }

    @Test func fiveFiftyAfterDataIsDeadButDoesNotSuppress() throws {
        let server = try SMTPServer(dataReplies: ["554 5.7.1 Message content rejected"])
        let s = try setUp(server)
        _ = try s.o(["send", "note", "--channel", "email", "--to", "a@example.org"])
        let dead = try JSON.parse(try s.o(["queue", "list", "--state", "dead", "--json"]).stdout).arrayValue ?? []
        #expect(dead.first?["last_error"]?.stringValue?.contains("554 5.7.1 Message content rejected") == true)
        // The message was refused, not the mailbox: the address stays deliverable.
        #expect(try CrashTests.count(s.db, "SELECT COUNT(*) FROM suppressions WHERE address='a@example.org'") == 0)
    }

    @Test func campaignWithAttachmentArrivesByteIdenticalWithOneClickHeaders() throws {
        let server = try SMTPServer()
        let s = try setUp(server)
        let attachment = s.dir + "/pressemeddelelse-ærø.pdf"
        // A CRLF.CRLF inside must survive dot-stuffing.
        let pdf = Crypto.randomBytes(50_000) + [0x0D, 0x0A, 0x2E, 0x0D, 0x0A]
        try Data(pdf).write(to: URL(fileURLWithPath: attachment))
        #expect(try s.o(["lists", "create", "news"]).status == 0)
        #expect(try s.o(["contacts", "add", "--email", "j@example.org", "--name", "João Gonçalves"]).status == 0)
        #expect(try s.o(["lists", "subscribe", "news", "j@example.org"]).status == 0)
        let c = try s.o([
            "campaigns", "create", "launch", "--template", "note", "--list", "news", "--channel", "email", "--attach",
            attachment,
        ])
        #expect(c.status == 0, "\(c.stderr)")
        #expect(try s.o(["campaigns", "start", "launch"]).status == 0)
        #expect(try s.o(["work", "--until-idle"]).status == 0)
        let m = try #require(server.messages().first)
        let p = try Self.parse(m)
        #expect(p["defects"] == .array([]))
        let leaves = (p["parts"]?.arrayValue ?? []).filter { !($0["type"]?.stringValue ?? "").hasPrefix("multipart/") }
        let file = try #require(leaves.first { $0["filename"] == "pressemeddelelse-ærø.pdf" })
        #expect(file["sha256"]?.stringValue == Crypto.hex(Crypto.sha256(pdf)))
        #expect(p["headers"]?["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        let unsubscribe = p["headers"]?["List-Unsubscribe"]?.stringValue ?? ""
        #expect(unsubscribe.hasPrefix("<http") && unsubscribe.contains("/unsubscribe/"), "\(unsubscribe)")
    }

    @Test(arguments: ["rsa", "ed25519"])
    func dkimSignatureVerifiesWithDkimpy(keyType: String) throws {
        let keys = TestSupport.temporaryDirectory("dkim")
        let gen =
            keyType == "rsa"
            ? ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keys + "/k.pem"]
            : ["genpkey", "-algorithm", "ED25519", "-out", keys + "/k.pem"]
        #expect(try TestSupport.run("openssl", gen).status == 0)
        let server = try SMTPServer()
        let s = try setUp(
            server,
            extra:
                "dkim_domain = \"sprogcenter.example\"\ndkim_selector = \"outreach\"\ndkim_key_file = \"\(keys)/k.pem\""
        )
        #expect(try s.o(["contacts", "add", "--email", "a@example.org", "--name", "Søren Ærø"]).status == 0)
        #expect(try s.o(["send", "note", "--channel", "email", "--to", "a@example.org"]).status == 0)
        let m = try #require(server.messages().first)
        // The DNS record is made from the key by OpenSSL and Python, not by our code.
        let v = try TestSupport.python(
            """
            import sys, base64, dkim, subprocess
            from cryptography.hazmat.primitives import serialization
            key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
            pub = key.public_key()
            if sys.argv[2] == "rsa":
                der = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
                record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)
            else:
                raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
                record = b"v=DKIM1; k=ed25519; p=" + base64.b64encode(raw)
            msg = sys.stdin.buffer.read()
            def dns(name, timeout=5):
                assert name == b"outreach._domainkey.sprogcenter.example.", name
                return record
            print("verified" if dkim.verify(msg, dnsfunc=dns) else "failed")
            """, [keys + "/k.pem", keyType], stdin: m)
        #expect(v.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "verified", "\(v.stdout) \(v.stderr)")
        // Tampering with a signed header breaks it: the check can fail.
        let tampered = Array(
            String(decoding: m, as: UTF8.self).replacingOccurrences(of: "Subject: ", with: "Subject: X").utf8)
        let t = try TestSupport.python(
            """
            import sys, base64, dkim
            from cryptography.hazmat.primitives import serialization
            key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
            pub = key.public_key()
            if sys.argv[2] == "rsa":
                rec = b"v=DKIM1; k=rsa; p=" + base64.b64encode(pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
            else:
                rec = b"v=DKIM1; k=ed25519; p=" + base64.b64encode(pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
            print("verified" if dkim.verify(sys.stdin.buffer.read(), dnsfunc=lambda n, timeout=5: rec) else "failed")
            """, [keys + "/k.pem", keyType], stdin: tampered)
        #expect(t.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "failed")
    }
    /// A campaign of a few hundred, signed on every core while it is sent (each message on the
    /// signing thread that was free, in the order signatures were made), reaches a real SMTP
    /// server with every message's own signature: dkimpy verifies all of them.
    @Test(arguments: ["rsa", "ed25519"])
    func dkimSignedCampaignVerifiesEveryMessage(keyType: String) throws {
        try signedCampaign(keyType: keyType, count: 300)
    }

    /// Under a rate limit (the pipeline's: batches of one second's worth, each waiting for its
    /// slot): every message still arrives once, with its own signature.
    @Test func dkimSignedCampaignUnderARateLimit() throws {
        try signedCampaign(keyType: "ed25519", count: 40, extra: "rate = \"25/s\"")
    }

    /// Sends a campaign of `count` newsletters signed with a new key of `keyType` through
    /// `work --until-idle` and has dkimpy verify every message that arrived.
    func signedCampaign(keyType: String, count: Int, extra: String = "") throws {
        let keys = TestSupport.temporaryDirectory("dkimcampaign")
        let (pem, record) = try DKIMSignerTests.key(keyType)
        try pem.write(toFile: keys + "/k.pem", atomically: true, encoding: .utf8)
        let server = try SMTPServer()
        let s = try setUp(
            server,
            extra: "dkim_domain = \"example.org\"\ndkim_selector = \"sel\"\ndkim_key_file = \"\(keys)/k.pem\"\n"
                + extra)
        var csv = "email,name\n"
        for i in 0..<count { csv += "p\(i)@example.org,Person \(i)\n" }
        try csv.write(toFile: s.dir + "/c.csv", atomically: true, encoding: .utf8)
        #expect(try s.o(["lists", "create", "news"]).status == 0)
        #expect(try s.o(["contacts", "import", s.dir + "/c.csv", "--list", "news"]).status == 0)
        #expect(
            try s.o(["campaigns", "create", "c1", "--template", "note", "--list", "news", "--channel", "email"]).status
                == 0)
        #expect(try s.o(["campaigns", "start", "c1"]).status == 0)
        let r = try s.o(["work", "--until-idle"])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        try TestSupport.waitFor("\(count) messages at the server") { server.messages().count >= count }
        let v = try TestSupport.python(
            """
            import sys, glob, dkim, email
            rec = sys.argv[2].encode()
            def dns(name, timeout=5):
                return rec if name == b"sel._domainkey.example.org." else None
            ok, bad, to = 0, [], set()
            for path in sorted(glob.glob(sys.argv[1] + "/*.eml")):
                m = open(path, "rb").read()
                to.add(email.message_from_bytes(m)["To"])
                if dkim.verify(m, dnsfunc=dns): ok += 1
                else: bad.append(path)
            print(ok, len(to), bad[:3])
            """, [server.dir, record])
        let words = v.stdout.split(separator: " ")
        #expect(words.first == "\(count)", "verified: \(v.stdout) \(v.stderr)")
        #expect(words.dropFirst().first == "\(count)", "distinct recipients: \(v.stdout)")
        let status = try JSON.parse(try s.o(["campaigns", "status", "c1", "--json"]).stdout)
        #expect(status["sent"] == JSON(count), "\(status)")
    }
}
