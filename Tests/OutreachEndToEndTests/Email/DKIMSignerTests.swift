import Foundation
import Testing
@testable import Outreach

/// `DKIMSigner` on hand-made messages with awkward white space, checked by dkimpy.
@Suite struct DKIMSignerTests {
    /// A new key of `type` and its DNS TXT record, made by OpenSSL and Python's `cryptography`.
    static func key(_ type: String) throws -> (pem: String, record: String) {
        let dir = TestSupport.temporaryDirectory("dkimkey")
        let gen =
            type == "rsa"
            ? ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", dir + "/k.pem"]
            : ["genpkey", "-algorithm", "ED25519", "-out", dir + "/k.pem"]
        #expect(try TestSupport.run("openssl", gen).status == 0)
        let r = try TestSupport.python(
            """
            import sys, base64
            from cryptography.hazmat.primitives import serialization as s
            pub = s.load_pem_private_key(open(sys.argv[1], "rb").read(), None).public_key()
            if sys.argv[2] == "rsa":
                print("v=DKIM1; k=rsa; p=" + base64.b64encode(pub.public_bytes(s.Encoding.DER, s.PublicFormat.SubjectPublicKeyInfo)).decode())
            else:
                print("v=DKIM1; k=ed25519; p=" + base64.b64encode(pub.public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)).decode())
            """, [dir + "/k.pem", type])
        return (
            try String(contentsOfFile: dir + "/k.pem", encoding: .utf8),
            r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }

    /// dkimpy's verdict on `message` with `record` published for sel._domainkey.example.org.
    static func verify(_ message: [UInt8], record: String) throws -> String {
        let r = try TestSupport.python(
            """
            import sys, dkim
            rec = sys.argv[1].encode()
            def dns(name, timeout=5):
                return rec if name == b"sel._domainkey.example.org." else None
            print("verified" if dkim.verify(sys.stdin.buffer.read(), dnsfunc=dns) else "failed")
            """, [record], stdin: message)
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + r.stderr
    }

    static let message = Array(
        ("From: =?UTF-8?Q?S=C3=B8ren_=C3=86r=C3=B8?= <s@example.org>\r\n"
            + "To:   a@example.org\r\n"
            + "Subject: a folded\r\n\t  subject  with   spaces \r\n"
            + "Date: Sun, 22 Nov 2026 20:00:00 +0000\r\n"
            + "Message-ID: <1@example.org>\r\n"
            + "List-Unsubscribe: <https://example.org/unsubscribe/T>\r\n"
            + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            + "X-Not-Signed: 1\r\n"
            + "\r\n"
            + "Line with trailing space   \r\n"
            + "\ttabbed  words\r\n"
            + "\r\n\r\n\r\n").utf8)

    @Test(arguments: ["rsa", "ed25519"])
    func signsWhatDkimpyVerifies(type: String) throws {
        let (pem, record) = try Self.key(type)
        let signer = try DKIMSigner(domain: "example.org", selector: "sel", keyPEM: pem)
        #expect(signer.algorithm == (type == "rsa" ? "rsa-sha256" : "ed25519-sha256"))
        let signed = try signer.sign(Self.message)
        #expect(try Self.verify(signed, record: record) == "verified")
        // Signed headers are the listed ones present, with From over-signed; X-Not-Signed is left out.
        let text = String(decoding: signed, as: UTF8.self)
        #expect(text.contains("h=from:to:subject:date:message-id:list-unsubscribe:list-unsubscribe-post:from;"))
        // A changed body or an added From breaks it.
        #expect(
            try Self.verify(Array(text.replacingOccurrences(of: "tabbed", with: "tapped").utf8), record: record)
                != "verified")
        #expect(try Self.verify(Array(("From: evil@example.net\r\n" + text).utf8), record: record) != "verified")
    }

    @Test func refusesKeysItCannotUse() throws {
        #expect(throws: DKIMError.self) { try DKIMSigner(domain: "example.org", selector: "s", keyPEM: "not a key") }
        let dir = TestSupport.temporaryDirectory("eckey")
        #expect(
            try TestSupport.run(
                "openssl",
                ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", dir + "/k.pem"]
            ).status == 0)
        let pem = try String(contentsOfFile: dir + "/k.pem", encoding: .utf8)
        #expect(throws: DKIMError.self) { try DKIMSigner(domain: "example.org", selector: "s", keyPEM: pem) }
    }
}
