import Foundation
import Synchronization
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

    /// dkimpy's verdicts on many messages at once (one Python process), in order: "verified" or why not.
    static func verifyAll(_ messages: [[UInt8]], record: String, dir: String) throws -> [String] {
        for (i, m) in messages.enumerated() { try Data(m).write(to: URL(fileURLWithPath: "\(dir)/\(i).eml")) }
        let r = try TestSupport.python(
            """
            import sys, dkim
            rec = sys.argv[1].encode()
            def dns(name, timeout=5):
                return rec if name == b"sel._domainkey.example.org." else None
            for i in range(int(sys.argv[3])):
                m = open(f"{sys.argv[2]}/{i}.eml", "rb").read()
                print("verified" if dkim.verify(m, dnsfunc=dns) else "failed")
            """, [record, dir, String(messages.count)])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    /// A message of its own for `i`: different headers and body, with white space to canonicalise.
    static func message(_ i: Int) -> [UInt8] {
        Array(
            ("From: Sender <s@example.org>\r\nTo: p\(i)@example.org\r\nSubject: number \t \(i)\r\n"
                + "Message-ID: <\(i)@example.org>\r\n\r\n"
                + String(repeating: "Line \(i)  of  the body \t\r\n", count: 1 + i % 7) + "\r\n\r\n").utf8)
    }

    /// Hundreds of messages signed at the same time on several threads, by the pool and by callers
    /// of `sign` of their own, come out with the right signature on the right message.
    @Test(arguments: ["rsa", "ed25519"])
    func signaturesMadeConcurrentlyOnManyThreadsAllVerify(type: String) throws {
        let (pem, record) = try Self.key(type)
        let signer = try DKIMSigner(domain: "example.org", selector: "sel", keyPEM: pem)
        let pool = DKIMSigningPool(signer: signer, threads: 4)
        defer { pool.stop() }
        let messages = (0..<240).map(Self.message)
        // Two batches in flight at once, as the worker's two lanes hand them over.
        let first = pool.sign(Array(messages[..<120]))
        let second = pool.sign(Array(messages[120...]))
        var signed = try (first.all() + second.all()).enumerated().map { i, h in try h.get() + messages[i] }
        #expect(pool.signaturesPerThread.count == 4)
        #expect(pool.signaturesPerThread.filter { $0 > 0 }.count >= 2, "\(pool.signaturesPerThread)")
        #expect(pool.signaturesPerThread.reduce(0, +) == 240)
        // Callers on threads of their own share the signer's spare contexts.
        let direct = Mutex([[UInt8]?](repeating: nil, count: 60))
        DispatchQueue.concurrentPerform(iterations: 60) { i in
            let m = try? signer.sign(Self.message(1000 + i))
            direct.withLock { $0[i] = m }
        }
        signed += direct.withLock { $0 }.compactMap { $0 }
        #expect(signed.count == 300)
        // A pool stopped and handed another batch starts again.
        pool.stop()
        signed += try pool.sign([Self.message(2000)]).all().map { try $0.get() + Self.message(2000) }
        let verdicts = try Self.verifyAll(signed, record: record, dir: TestSupport.temporaryDirectory("dkimmany"))
        #expect(verdicts.count == 301)
        #expect(verdicts.allSatisfy { $0 == "verified" }, "\(verdicts.filter { $0 != "verified" }.count) failed")
        // The check can fail: the signature of one message in front of another is refused.
        let header0 = Array(signed[0].prefix(signed[0].count - messages[0].count))
        #expect(try Self.verify(header0 + messages[0], record: record) == "verified")
        #expect(try Self.verify(header0 + messages[1], record: record) != "verified")
    }

    /// The relaxed body, streamed in pieces, is what dkimpy makes of the same bodies.
    @Test func relaxedBodyMatchesDkimpy() throws {
        let bodies: [String] = [
            "", "\r\n", "\r\n\r\n", "a", "a\r\n", " a \r\n", "a  \t b\t\r\n\r\n \r\n\t\r\n",
            "\r\n\r\nx\r\n\r\n", "x\r\n \r\ny", String(repeating: "word \t ", count: 2000) + "\r\n\r\n",
            String(repeating: "\r\n", count: 5000) + "end",
        ]
        let dir = TestSupport.temporaryDirectory("relaxed")
        for (i, b) in bodies.enumerated() { try b.write(toFile: "\(dir)/\(i)", atomically: true, encoding: .utf8) }
        let r = try TestSupport.python(
            """
            import sys, hashlib
            from dkim.canonicalization import Relaxed
            for i in range(int(sys.argv[2])):
                print(hashlib.sha256(Relaxed.canonicalize_body(open(f"{sys.argv[1]}/{i}", "rb").read())).hexdigest())
            """, [dir, String(bodies.count)])
        let theirs = r.stdout.split(separator: "\n").map(String.init)
        let ours = bodies.map { b in
            Crypto.sha256(DKIMCanonicalization.body(Array(b.utf8))).map { String(format: "%02x", $0) }.joined()
        }
        #expect(theirs.count == bodies.count, "\(r.stderr)")
        for (i, (a, b)) in zip(ours, theirs).enumerated() {
            #expect(a == b, "body \(i): \(bodies[i].debugDescription)")
        }
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
