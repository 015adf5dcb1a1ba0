import Channels
import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// HTTPS with a private CA (`ca_file`), and what happens without it.
@Suite struct WebhookTLSTests {
    /// A self-signed certificate for 127.0.0.1 made by the openssl command.
    func certificate() throws -> (cert: String, key: String) {
        let dir = TestSupport.temporaryDirectory("tls")
        let r = try TestSupport.run(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        try #require(r.status == 0, "\(r.stderr)")
        return (dir + "/cert.pem", dir + "/key.pem")
    }

    @Test func httpsWithCAFileAndWithoutVerification() throws {
        let tls = try certificate()
        let recorder = try HTTPRecorder(tls: tls)
        #expect(recorder.url.hasPrefix("https://"))
        let message = OutgoingMessage(deliveryID: 1, address: "", text: "over TLS")
        func channel(_ extra: [String: ConfigValue]) throws -> WebhookChannel {
            var values: [String: ConfigValue] = [
                "type": "webhook", "preset": "slack", "url": .string(recorder.url + "/hooks"),
            ]
            values.merge(extra) { $1 }
            return try WebhookChannel(name: "team", section: ChannelSections.make("team", values))
        }
        #expect(try channel(["ca_file": .string(tls.cert)]).send([message]) == [.sent(providerID: nil)])
        // A certificate that does not verify is an endpoint that cannot be reached (issue 14.12).
        guard case .unreachable(let why, _) = try channel([:]).send([message])[0] else {
            Issue.record("an unknown CA must not be accepted"); return
        }
        #expect(why.lowercased().contains("certificate"))
        #expect(try channel(["tls_verify": false]).send([message]) == [.sent(providerID: nil)])
        #expect(recorder.requests().map { $0.json?["text"] } == [.string("over TLS"), .string("over TLS")])
    }
}
