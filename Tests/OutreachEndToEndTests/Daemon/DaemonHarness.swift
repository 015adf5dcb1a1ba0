import Foundation
import Outreach

/// A real `outreachd serve` on a loopback port with its own config and data folder, and an
/// independent HTTP client (Python's http.client, Tests/peers/daemon_client.py) to talk to it.
final class DaemonHarness: @unchecked Sendable {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
        var json: JSON? { try? JSON.parse(body) }
        var error: String { json?["error"]?.stringValue ?? "" }
    }

    let dir: String
    let port: Int
    let token = "tok-" + UUID().uuidString.prefix(8)
    let configPath: String
    let logPath: String
    private var process: Process?
    var base: String { "http://127.0.0.1:\(port)" }

    /// `channels` are `[channels.*]` tables; without them one outbox channel named `outbox`.
    init(server: String = "", channels: String? = nil, top: String = "", templates: String? = nil) throws {
        dir = TestSupport.temporaryDirectory("daemon")
        port = TestSupport.freePort()
        configPath = dir + "/outreachd.conf"
        logPath = dir + "/daemon.log"
        try (token + "\n").write(toFile: dir + "/tokens", atomically: true, encoding: .utf8)
        let config = """
            data_dir = "\(dir)/data"
            templates_dir = "\(templates ?? TestSupport.packageRoot + "/templates")"
            public_url = "http://127.0.0.1:\(port)"
            \(top)
            [server]
            listen = "127.0.0.1:\(port)"
            tokens_file = "tokens"
            \(server)

            \(channels ?? "[channels.outbox]\ntype = \"outbox\"\ndir = \"outbox\"")
            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts the daemon and waits until /healthz answers; `wrapper` runs it under another program
    /// (`["strace", …, "--"]`), which then is the process `stop` signals.
    func start(environment: [String: String] = [:], wrapper: [String] = []) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: wrapper.isEmpty ? TestSupport.outreachd : "/usr/bin/env")
        p.arguments = (wrapper.isEmpty ? [] : wrapper + [TestSupport.outreachd]) + ["--config", configPath, "serve"]
        var env = ProcessInfo.processInfo.environment
        env["NOTIFY_SOCKET"] = nil
        env["WATCHDOG_USEC"] = nil
        env.merge(environment) { $1 }
        p.environment = env
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        p.standardError = log
        p.standardOutput = log
        try p.run()
        process = p
        let r = try TestSupport.run("python3", [Self.client, "wait", base + "/healthz", "30"])
        if r.status != 0 { throw HarnessError.notReady(log: self.log) }
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    var pid: Int32 { process?.processIdentifier ?? 0 }

    /// Sends `signal` and waits for the exit; returns the status and whether it exited normally.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) -> (status: Int32, exited: Bool) {
        guard let p = process else { return (0, true) }
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        process = nil
        return (p.terminationStatus, p.terminationReason == .exit)
    }

    deinit {
        if let p = process, p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
    }

    static var client: String { TestSupport.packageRoot + "/Tests/peers/daemon_client.py" }

    /// Sends requests in order on fresh connections; each is `{method, path, headers, body|form}`.
    func send(_ requests: [JSON]) throws -> [Response] {
        let withURL = requests.map { r -> JSON in
            var o = r.objectValue!
            o["url"] = .string(base + (o["path"]?.stringValue ?? "/"))
            o["path"] = nil
            return .object(o)
        }
        let r = try TestSupport.run(
            "python3", [Self.client, "requests"], stdin: Array(JSON.array(withURL).serialized.utf8))
        guard r.status == 0, let list = try JSON.parse(r.stdout).arrayValue else { throw HarnessError.client(r.stderr) }
        return list.map { j in
            Response(
                status: j["status"]?.intValue ?? 0,
                headers: (j["headers"]?.objectValue ?? [:]).compactMapValues(\.stringValue),
                body: j["body"]?.stringValue ?? "")
        }
    }

    func send(_ request: JSON) throws -> Response { try send([request])[0] }

    /// A trigger with the bearer token.
    func trigger(_ body: String, headers: [String: String] = [:]) -> JSON {
        var h: [String: JSON] = ["Authorization": .string("Bearer " + token), "Content-Type": "application/json"]
        for (k, v) in headers { h[k] = .string(v) }
        return ["method": "POST", "path": "/v1/messages", "headers": .object(h), "body": .string(body)]
    }

    /// Runs an `outreachd` CLI command against the same configuration.
    func cli(_ args: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.outreachd(["--config", configPath] + args)
    }

    func queueCounts() throws -> JSON {
        let r = try cli(["queue", "status", "--json"])
        return try JSON.parse(r.stdout)
    }
}

enum HarnessError: Error, CustomStringConvertible {
    case notReady(log: String)
    case client(String)
    var description: String {
        switch self {
        case .notReady(let l): return "the daemon did not become ready; its log:\n\(l)"
        case .client(let e): return "the HTTP client failed: \(e)"
        }
    }
}
