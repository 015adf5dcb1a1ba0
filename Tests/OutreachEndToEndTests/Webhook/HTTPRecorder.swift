import Foundation
import Outreach

/// Runs Tests/peers/http_recorder.py on a free loopback port and reads back what it recorded.
final class HTTPRecorder {
    struct Request {
        var record: JSON
        var method: String { record["method"]?.stringValue ?? "" }
        var path: String { record["path"]?.stringValue ?? "" }
        var body: String { record["body"]?.stringValue ?? "" }
        /// The body as Python's json module parsed it.
        var json: JSON? { record["json"] }
        /// The form body as urllib.parse.parse_qsl parsed it.
        var form: [String: String] { pairs("form") }
        var query: [String: String] { pairs("query") }
        var signature: String? { record["signature"]?.stringValue }
        /// The TCP source port the request came from (one per connection).
        var clientPort: Int? { record["client_port"]?.intValue }
        /// When the recorder had read the request (its monotonic clock, seconds).
        var received: Double? { if case .number(let n)? = record["received"] { Double(n) } else { nil } }

        /// Header values by lower-cased name (all values, in order).
        func headers(_ name: String) -> [String] {
            (record["headers"]?.arrayValue ?? []).compactMap { pair in
                guard let a = pair.arrayValue, a.count == 2, a[0].stringValue?.lowercased() == name.lowercased() else {
                    return nil
                }
                return a[1].stringValue
            }
        }
        func header(_ name: String) -> String? { headers(name).first }

        private func pairs(_ key: String) -> [String: String] {
            var out: [String: String] = [:]
            for pair in record[key]?.arrayValue ?? [] {
                if let a = pair.arrayValue, a.count == 2, let k = a[0].stringValue, let v = a[1].stringValue {
                    out[k] = v
                }
            }
            return out
        }
    }

    let port: Int
    let log: String
    private let process: Process
    private let stdin = Pipe()

    let scheme: String
    var url: String { "\(scheme)://127.0.0.1:\(port)" }

    /// `responses` is the JSON list of replies (see the script); `secret` turns on standardwebhooks verification.
    /// `tls` = (certificate, key) PEM files: serve HTTPS. `port`: a given one (a receiver that
    /// comes up where the client was already sending), else a free one.
    init(
        responses: String? = nil, secret: String? = nil, tls: (cert: String, key: String)? = nil, port: Int? = nil
    ) throws {
        scheme = tls == nil ? "http" : "https"
        let dir = TestSupport.temporaryDirectory("recorder")
        log = dir + "/requests.jsonl"
        let ready = dir + "/ready"
        self.port = port ?? TestSupport.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var args = [
            "python3", TestSupport.packageRoot + "/Tests/peers/http_recorder.py",
            "--port", String(self.port), "--log", log, "--ready", ready, "--exit-on-stdin-eof",
        ]
        if let responses { args += ["--responses", responses] }
        if let secret { args += ["--secret", secret] }
        if let tls { args += ["--cert", tls.cert, "--key", tls.key] }
        process.arguments = args
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = stdin
        let stderr = dir + "/stderr"
        process.standardError = TestSupport.stderrFile(stderr)
        try process.run()
        try TestSupport.waitForPeer(
            "the HTTP recorder (Tests/peers/http_recorder.py)", readyFile: ready,
            process: process, stderrFile: stderr)
    }

    func requests() -> [Request] {
        guard let data = FileManager.default.contents(atPath: log) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            (try? JSON.parse(String($0))).map { Request(record: $0) }
        }
    }

    deinit {
        // Closing its stdin ends the recorder even where SIGTERM is blocked.
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}
