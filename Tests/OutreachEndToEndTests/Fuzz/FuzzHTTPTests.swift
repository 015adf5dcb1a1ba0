import Foundation
import OutreachTestFixtures
import Outreach
import Testing

/// Fuzzed requests against a real `outreachd serve`: whatever arrives, every answer is an HTTP
/// status below 500, a 4xx carries a JSON error, and the daemon stays up and answers /healthz.
/// Counts, seed and reproduction: docs/testing.md.
@Suite struct FuzzHTTPTests {
    static let secret = "whsec_" + Data("a fuzzing secret of enough length".utf8).base64EncodedString()

    @Test func requestsNeverKillTheDaemon() throws {
        let settings = FuzzSettings.current
        let d = try DaemonHarness(
            server: "webhook_secret = \"\(Self.secret)\"\nsubscribe_rate = \"1000000/s\"\ntrust_proxy = true",
            channels: """
                [channels.outbox]
                type = "outbox"
                dir = "outbox"
                [channels.texts]
                type = "outbox"
                kind = "sms"
                dir = "sms"
                preset = "kannel"
                [channels.tw]
                type = "outbox"
                kind = "sms"
                dir = "tw"
                preset = "twilio"
                """,
            top: "default_country = \"DK\"")
        #expect(try d.cli(["lists", "create", "club"]).status == 0)
        #expect(try d.cli(["lists", "create", "double", "--double-opt-in"]).status == 0)
        try d.start()
        let maker = FuzzHTTPRequests(port: d.port, token: d.token, signer: try StandardWebhooks(secret: Self.secret))
        let indices = settings.indices(settings.cases(2_400))
        let started = Date()
        var failures: [String] = []
        for chunk in stride(from: 0, to: indices.count, by: 1_000).map({
            Array(indices[$0..<min(indices.count, $0 + 1_000)])
        }) {
            let requests = chunk.map { i -> FuzzHTTPRequests.Request in
                var rng = SplitMix64.forCase(seed: settings.seed, target: "http", index: i)
                return maker.request(&rng)
            }
            let answers = try Self.send(requests.map(\.raw), port: d.port)
            for (i, (request, answer)) in zip(chunk, zip(requests, answers)) {
                if let p = Self.problem(answer, request) {
                    let kept = d.dir + "/http-\(i).raw"
                    try? Data(request.raw).write(to: URL(fileURLWithPath: kept))
                    failures.append(
                        "\(settings.reproduce("http", i)): \(p); request (kept in \(kept)): \(request.summary)")
                }
            }
            // After each batch the daemon must still be there and healthy.
            let health = try d.send(["method": "GET", "path": "/healthz"])
            if health.status != 200 || kill(d.pid, 0) != 0 {
                failures.append(
                    "after http cases \(chunk.first!)–\(chunk.last!) (seed \(settings.seedText)): /healthz answered "
                        + "\(health.status); log: \(d.log.suffix(2_000))")
                break
            }
        }
        FuzzSettings.report(
            "fuzz http: \(indices.count) cases, seed \(settings.seedText), "
                + "\(String(format: "%.1f", Date().timeIntervalSince(started))) s, \(failures.count) failed")
        for f in failures.prefix(20) { Issue.record(Comment(rawValue: f)) }
        for crash in ["Fatal error", "Stack dump", "Current stack trace"] {
            #expect(!d.log.contains(crash), "\(d.log.suffix(3_000))")
        }
        #expect(d.stop().status == 0)
    }

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
        var error: String?
    }

    /// Sends raw requests through one Python process (Tests/peers/fuzz_http.py), four at a time.
    static func send(_ raws: [[UInt8]], port: Int) throws -> [Answer] {
        let input = JSON.array(raws.map { .string(Data($0).base64EncodedString()) }).serializedBytes
        let peer = TestSupport.packageRoot + "/Tests/peers/fuzz_http.py"
        let r = try TestSupport.run("python3", [peer, "127.0.0.1", String(port), "4", "20"], stdin: input)
        guard r.status == 0, let list = try JSON.parse(r.stdout).arrayValue, list.count == raws.count else {
            throw HarnessError.client(r.stderr)
        }
        return list.map { j in
            Answer(
                status: j["status"]?.intValue ?? 0,
                headers: (j["headers"]?.objectValue ?? [:]).compactMapValues(\.stringValue),
                body: j["body"]?.stringValue ?? "", error: j["error"]?.stringValue)
        }
    }

    /// What is wrong with an answer, or nil.
    static func problem(_ a: Answer, _ r: FuzzHTTPRequests.Request) -> String? {
        if let e = a.error {
            // libmicrohttpd 0.9.75 holds the head and each query parameter in the connection's 16 KiB
            // pool. With a head over 8 KiB or some 250 parameters not even its own 431 may fit, and it
            // closes (or, for parameters, waits for its 60 s timeout) without an answer; our code never
            // sees the request. That costs no more than an idle connection (docs/testing.md).
            let query = r.target.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
            if query.count(where: { $0 == "&" || $0 == ";" }) >= 200 || r.headSize > 8_192 { return nil }
            return "no HTTP answer (\(e))"
        }
        guard (200..<500).contains(a.status) else { return "status \(a.status): \(a.body.prefix(300))" }
        // Link pages answer HTML by design; HEAD answers carry no body.
        let htmlRoute = r.target.hasPrefix("/confirm/") || r.target.hasPrefix("/unsubscribe/")
        // libmicrohttpd answers a head over its memory limit itself (414, 431) with its own HTML.
        let framing = [414, 431].contains(a.status) && a.body.contains("Request too big")
        if a.status >= 400, !htmlRoute, !framing, r.method != "HEAD" {
            guard let j = try? JSON.parse(a.body), let e = j["error"]?.stringValue, !e.isEmpty else {
                return "status \(a.status) without a JSON error: \(a.body.prefix(300))"
            }
        }
        return nil
    }
}
