import Channels
import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// The kannel preset through a real Kannel (bearerbox + smsbox + fakesmsc) on loopback.
@Suite struct KannelTests {
    static let binaries = ["/usr/sbin/bearerbox", "/usr/sbin/smsbox", "/usr/lib/kannel/test/fakesmsc"]

    /// `make test` requires every peer: a missing Kannel fails the test (it used to skip it, exit 0, so CI
    /// could go green without ever sending an SMS) with the sentence that says how to install it.
    static func requireKannel() throws {
        let missing = binaries.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        guard missing.isEmpty else { throw KannelMissingError(missing: missing) }
    }

    @Test
    func danishAndArabicArriveAndDeliveryReportsComeBack() throws {
        let gateway = try KannelGateway()
        let receipts = try HTTPRecorder()
        let channel = try SMSChannel(
            name: "sms",
            section: ChannelSections.make(
                "sms",
                [
                    "type": "sms", "preset": "kannel",
                    "url": .string("http://127.0.0.1:\(gateway.sendsmsPort)/cgi-bin/sendsms"),
                    "username": "outreach", "password": "secret", "from": "CFriends", "default_country": "DK",
                    "receipt_token": "k4nnel-T0k.en_~",
                ]),
            publicURL: receipts.url)
        let danish = "Hej Søren! Middag i aften kl. 18 på Åbo – æøå ÆØÅ".replacingOccurrences(of: "–", with: "-")
        let arabic = "مرحبا بكم في نادي العشاء"
        #expect(
            channel.send([
                OutgoingMessage(deliveryID: 101, address: "21 43 66 77", text: danish),
                OutgoingMessage(deliveryID: 102, address: "+45 21 43 66 78", text: arabic),
            ])
                == [.sent(providerID: nil), .sent(providerID: nil)])

        // Wait (bounded) for fakesmsc to print both messages and for both final DLRs.
        var lines: [String] = []
        var delivered: Set<Int64> = []
        for _ in 0..<300 {
            lines = gateway.receivedMessages()
            delivered = []
            for r in receipts.requests() {
                let fields = Receipts.formFields(
                    String(r.record["raw_path"]?.stringValue?.split(separator: "?", maxSplits: 1).last ?? ""))
                if case .receipt(let receipt)? = try? Receipts.parse(preset: "kannel", fields: fields),
                    receipt.state == .delivered
                {
                    delivered.insert(receipt.deliveryID ?? -1)
                }
            }
            if lines.count >= 2 && delivered.count >= 2 { break }
            usleep(100_000)
        }
        #expect(lines.count == 2)
        var texts: [String: String] = [:]
        for line in lines {
            // <FROM TO text …> or <FROM TO ucs-2 %06E%061…>
            let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
            try #require(parts.count == 4)
            #expect(parts[0] == "CFriends")
            switch parts[2] {
            case "text": texts[parts[1]] = parts[3]
            case "ucs-2":
                // Kannel URL-encodes the UTF-16BE bytes, a space byte as "+".
                let decoded = try TestSupport.python(
                    "import sys, urllib.parse; sys.stdout.write(urllib.parse.unquote_to_bytes(sys.argv[1].replace('+', '%20')).decode('utf-16-be'))",
                    [parts[3]])
                texts[parts[1]] = "ucs-2:" + decoded.stdout
            default: Issue.record("unexpected fakesmsc coding in \(line)")
            }
        }
        #expect(texts["+4521436677"] == danish)
        #expect(texts["+4521436678"] == "ucs-2:" + arabic)
        #expect(delivered == [101, 102])
        // Kannel reports "accepted by the SMSC" (8) before "delivered" (1); both parse.
        let statuses = receipts.requests().compactMap { r in r.query["status"] }
        #expect(statuses.contains("8"))
        #expect(statuses.contains("1"))
        // Kannel calls back with the receipt token intact.
        #expect(
            receipts.requests().allSatisfy { $0.query["token"] == "k4nnel-T0k.en_~" && $0.path == "/v1/receipts/sms" })
    }
}

extension KannelTests {
    /// From the queue: `outreachd send` renders the Danish SMS template (with Arabic data, so it
    /// must go as UCS-2), the worker hands it to the kannel preset, and fakesmsc receives as many
    /// concatenated parts as `SMSText.analyze` counted, which join back into the rendered text.
    @Test
    func queuedTemplateThroughOutreachd() throws {
        let gateway = try KannelGateway()
        let receipts = try HTTPRecorder()
        let dir = ChannelSections.secretDirectory([
            "kannel-password": "secret",
            "data.json": #"{"list": {"name": "Middagsklubben"}, "organisation": "مركز اللغة"}"#,
        ])
        let config = dir + "/outreachd.conf"
        try """
        data_dir = "\(dir)/data"
        templates_dir = "\(TestSupport.packageRoot)/templates"
        default_locale = "da"
        default_country = "DK"
        public_url = "\(receipts.url)"

        [channels.sms]
        type = "sms"
        preset = "kannel"
        url = "http://127.0.0.1:\(gateway.sendsmsPort)/cgi-bin/sendsms"
        username = "outreach"
        password_file = "kannel-password"
        from = "CFriends"
        default_country = "DK"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let rendered = try TestSupport.outreachd([
            "--config", config, "render", "welcome", "--kind", "sms", "--locale", "da",
            "--data", dir + "/data.json", "--json",
        ])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let text = try #require(try JSON.parse(rendered.stdout)["text"]?.stringValue)
        let analysis = SMSText.analyze(text)
        #expect(analysis.encoding == .ucs2 && analysis.segments == 2)  // so Kannel has to concatenate
        let send = try TestSupport.outreachd([
            "--config", config, "send", "welcome", "--to", "21 43 66 77", "--channel", "sms",
            "--locale", "da", "--data", dir + "/data.json",
        ])
        #expect(send.status == 0, "\(send.stderr)")
        var lines: [String] = []
        for _ in 0..<200 {
            lines = gateway.receivedMessages()
            if lines.count >= analysis.segments { break }
            usleep(100_000)
        }
        // Each part: <FROM TO udh %05%00%03REF TOTAL SEQ data UTF-16BE…>; Python reassembles them.
        let script = """
            import sys, json, urllib.parse
            un = lambda s: urllib.parse.unquote_to_bytes(s.replace('+', '%20'))
            parts = []
            for line in sys.stdin.read().splitlines():
                f = line.split(' ')
                assert f[2] == 'udh' and f[4] == 'data', line
                udh = un(f[3])
                parts.append((udh[5], udh[4], f[1], un(f[5])))
            parts.sort()
            print(json.dumps({"to": sorted({p[2] for p in parts}), "totals": sorted({p[1] for p in parts}),
                              "seqs": [p[0] for p in parts], "text": b''.join(p[3] for p in parts).decode('utf-16-be')}))
            """
        let joined = try TestSupport.python(script, stdin: Array(lines.joined(separator: "\n").utf8))
        #expect(joined.status == 0, "\(joined.stderr)")
        let result = try JSON.parse(joined.stdout)
        #expect(result["to"] == ["+4521436677"])
        #expect(result["totals"] == [JSON(analysis.segments)])
        #expect(result["seqs"] == .array((1...analysis.segments).map { JSON($0) }))
        #expect(result["text"]?.stringValue == text)
    }
}

extension KannelTests {
    /// Kannel splits long texts itself (concatenation = true); its part counts must equal ours,
    /// at the GSM-7 and UCS-2 boundaries and with extension characters.
    @Test
    func segmentCountsAgreeWithKannel() throws {
        let gateway = try KannelGateway()
        let channel = try SMSChannel(
            name: "sms",
            section: ChannelSections.make(
                "sms",
                [
                    "type": "sms", "preset": "kannel",
                    "url": .string("http://127.0.0.1:\(gateway.sendsmsPort)/cgi-bin/sendsms"),
                    "username": "outreach", "password": "secret", "from": "CFriends",
                ]), publicURL: nil)
        let texts = [
            String(repeating: "a", count: 160), String(repeating: "b", count: 161), String(repeating: "æ", count: 160),
            String(repeating: "€", count: 80), String(repeating: "€", count: 81), String(repeating: "ب", count: 70),
            String(repeating: "ب", count: 71), String(repeating: "c", count: 306), String(repeating: "d", count: 307),
            String(repeating: "🎉", count: 35), String(repeating: "🎉", count: 36),
        ]
        // One number per text, so fakesmsc's lines can be grouped without relying on order.
        let numbers = texts.indices.map { "+45214366" + String(format: "%02d", $0) }
        let outcomes = channel.send(
            zip(texts, numbers).enumerated().map { i, p in
                OutgoingMessage(deliveryID: Int64(i + 1), address: p.1, text: p.0)
            })
        #expect(outcomes.allSatisfy { $0 == .sent(providerID: nil) }, "\(outcomes)")
        // Wait (bounded) until every number has all the parts its UDH announces.
        var parts: [String: (count: Int, total: Int)] = [:]
        for _ in 0..<300 {
            parts = [:]
            for line in gateway.receivedMessages() {
                let f = line.split(separator: " ").map(String.init)
                guard f.count >= 4 else { continue }
                var total = 1
                if f[2] == "udh" {
                    // %05%00%03 REF TOTAL SEQ: the fifth octet is the number of parts.
                    let udh = try TestSupport.python(
                        "import sys, urllib.parse; print(urllib.parse.unquote_to_bytes(sys.argv[1])[4])", [f[3]])
                    total = Int(udh.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
                }
                parts[f[1], default: (0, total)].count += 1
            }
            if numbers.allSatisfy({ n in parts[n].map { $0.count == $0.total } ?? false }) { break }
            usleep(100_000)
        }
        for (text, number) in zip(texts, numbers) {
            let expected = SMSText.analyze(text).segments
            #expect(parts[number]?.total == expected, "\(text.first!) × \(text.count)")
            #expect(parts[number]?.count == expected, "\(text.first!) × \(text.count)")
        }
    }
}

/// Tests/peers/kannel_gateway.py: Kannel on free loopback ports, stopped when this goes away.
final class KannelGateway {
    let directory: String
    let sendsmsPort: Int
    private let process = Process()
    private let stdin = Pipe()

    init() throws {
        try KannelTests.requireKannel()
        directory = TestSupport.temporaryDirectory("kannel")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestSupport.packageRoot + "/Tests/peers/kannel_gateway.py", directory]
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        // Its stderr beside Kannel's own logs, which KannelGatewayError points to.
        process.standardError = TestSupport.stderrFile(directory + "/gateway.stderr")
        try process.run()
        var port: Int?
        for _ in 0..<300 {
            if let data = FileManager.default.contents(atPath: directory + "/ready"),
                let json = try? JSON.parse(Array(data)), let p = json["sendsms"]?.intValue
            {
                port = p
                break
            }
            if !process.isRunning { break }
            usleep(100_000)
        }
        guard let port else { throw KannelGatewayError(directory: directory) }
        sendsmsPort = port
    }

    /// The `<…>` part of every "Got message N: <…>" line fakesmsc printed.
    func receivedMessages() -> [String] {
        guard let data = FileManager.default.contents(atPath: directory + "/fakesmsc.log") else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard line.contains("Got message"), let open = line.firstIndex(of: "<"), let close = line.lastIndex(of: ">")
            else { return nil }
            return String(line[line.index(after: open)..<close])
        }
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

struct KannelMissingError: Error, CustomStringConvertible {
    let missing: [String]
    var description: String {
        "Kannel is not installed (missing \(missing.joined(separator: ", "))) and the SMS tests need it: "
            + "run scripts/install-deps.sh --test (or apt-get install kannel kannel-extras)."
    }
}

struct KannelGatewayError: Error, CustomStringConvertible {
    let directory: String
    var description: String { "Kannel did not start; see the logs in \(directory)." }
}
